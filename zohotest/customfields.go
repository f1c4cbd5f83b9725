package zohotest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"
	"testing/fstest"
)

// customField is one field added by WithCustomField.
type customField struct {
	module, apiName, dataType, lookupModule string
}

// WithCustomField adds a custom field to a module's metadata, as an org's
// administrator does in Zoho's setup; a field of that API name the module
// already has is replaced, as when its type is changed. The server then
// serves the field in GET /settings/fields and accepts and validates it in
// records, like Zoho. dataType is a Zoho data_type ("text", "integer",
// "double", "currency", "boolean", "date", "datetime", "picklist",
// "multiselectpicklist", "bigint", "email", "phone", "website", …);
// "lookup:Accounts" is a lookup to the module Accounts.
//
// zohotest rejects fields its metadata lacks, as Zoho does, so a test that
// writes a custom field of the application's org declares it here:
//
//	srv := zohotest.New(t, zohotest.WithCustomField("Accounts", "Rating__c", "double"))
func WithCustomField(module, apiName, dataType string) Option {
	f := customField{module: module, apiName: apiName, dataType: dataType}
	if target, ok := strings.CutPrefix(dataType, "lookup:"); ok {
		f.dataType, f.lookupModule = "lookup", target
	}
	return func(c *config) { c.customFields = append(c.customFields, f) }
}

// jsonTypes is Zoho's json_type of each data_type (docs/wire.md §5.2).
var jsonTypes = map[string]string{
	"integer": "integer", "double": "double", "currency": "double", "percent": "double", "decimal": "double",
	"boolean": "boolean", "lookup": "jsonobject", "ownerlookup": "jsonobject", "userlookup": "jsonobject",
	"multiselectpicklist": "jsonarray", "multiselectlookup": "jsonarray", "fileupload": "jsonarray",
	"imageupload": "jsonarray", "subform": "jsonarray",
}

// lengths is the default length of each data_type, as Zoho's setup gives
// new fields.
var lengths = map[string]int{"textarea": 32000, "email": 100, "phone": 30, "integer": 9, "bigint": 18,
	"double": 16, "currency": 16, "decimal": 16, "percent": 5}

// withCustomFields returns fsys with the fields added to their modules'
// fields/<Module>.json, shaped like the other fields of Zoho's answer.
func withCustomFields(fsys fs.FS, fields []customField) (fs.FS, error) {
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		out[path] = &fstest.MapFile{Data: data, Mode: 0o444}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		path := "fields/" + f.module + ".json"
		file, ok := out[path]
		if !ok {
			return nil, fmt.Errorf("zohotest: WithCustomField: no module %q in the metadata", f.module)
		}
		var doc struct {
			Fields []map[string]any `json:"fields"`
		}
		if err := json.Unmarshal(file.Data, &doc); err != nil {
			return nil, fmt.Errorf("zohotest: WithCustomField: %s: %w", path, err)
		}
		nf := f.metadata()
		replaced := false
		for i, old := range doc.Fields {
			if old["api_name"] == f.apiName {
				nf["id"] = old["id"]
				doc.Fields[i], replaced = nf, true
			}
		}
		if !replaced {
			doc.Fields = append(doc.Fields, nf)
		}
		data, err := json.MarshalIndent(doc, "", " ")
		if err != nil {
			return nil, err
		}
		file.Data = data
	}
	return out, nil
}

// metadata is the field object of GET /settings/fields.
func (f customField) metadata() map[string]any {
	h := fnv.New64a()
	h.Write([]byte(f.module + "." + f.apiName))
	label := strings.TrimSuffix(strings.ReplaceAll(f.apiName, "_", " "), "  c")
	jsonType := jsonTypes[f.dataType]
	if jsonType == "" {
		jsonType = "string"
	}
	length := lengths[f.dataType]
	if length == 0 {
		length = 255
	}
	lookup := map[string]any{}
	if f.lookupModule != "" {
		lookup = map[string]any{"module": map[string]any{"api_name": f.lookupModule}, "api_name": f.apiName, "display_label": label}
	}
	return map[string]any{
		"id":               fmt.Sprint(5725767000000000000 + h.Sum64()%1_000_000_000_000),
		"api_name":         f.apiName,
		"field_label":      label,
		"display_label":    label,
		"data_type":        f.dataType,
		"json_type":        jsonType,
		"length":           length,
		"custom_field":     true,
		"read_only":        false,
		"field_read_only":  false,
		"system_mandatory": false,
		"visible":          true,
		"unique":           map[string]any{},
		"pick_list_values": []any{},
		"lookup":           lookup,
	}
}
