package zohohub_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zohohub/zohohub/spec"
	"github.com/zohohub/zohohub/zohotest"
)

// withFields gives a zohotest server spec's metadata plus the custom
// fields an org has added, each "Module.API_Name:data_type", such as
// "Accounts.Rating__c:double". A field of a name the module already has
// replaces it, as when an admin changes a field's type. zohotest rejects
// fields its metadata lacks, as Zoho does, so a test that writes or seeds a
// custom field must declare it.
func withFields(fields ...string) zohotest.Option {
	return zohotest.WithMetadata(metadataWith(fields...))
}

func metadataWith(fields ...string) fs.FS {
	src := spec.Metadata()
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, path)
		out[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		panic(err)
	}
	byModule := map[string][]map[string]any{}
	var order []string
	for _, f := range fields {
		module, rest, ok1 := strings.Cut(f, ".")
		name, dataType, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("withFields: %q is not Module.API_Name:data_type", f))
		}
		if byModule[module] == nil {
			order = append(order, module)
		}
		// The members zohotest and spec read; an empty unique means not unique.
		byModule[module] = append(byModule[module], map[string]any{
			"api_name": name, "field_label": strings.ReplaceAll(name, "_", " "), "data_type": dataType,
			"custom_field": true, "read_only": false, "system_mandatory": false, "unique": map[string]any{}, "lookup": map[string]any{},
		})
	}
	for _, module := range order {
		path := "fields/" + module + ".json"
		file, ok := out[path]
		if !ok {
			panic("withFields: no module " + module)
		}
		var doc struct {
			Fields []map[string]any `json:"fields"`
		}
		if err := json.Unmarshal(file.Data, &doc); err != nil {
			panic(err)
		}
	add:
		for _, nf := range byModule[module] {
			for i, old := range doc.Fields {
				if old["api_name"] == nf["api_name"] {
					doc.Fields[i] = nf
					continue add
				}
			}
			doc.Fields = append(doc.Fields, nf)
		}
		data, err := json.Marshal(doc)
		if err != nil {
			panic(err)
		}
		out[path] = &fstest.MapFile{Data: data}
	}
	return out
}

// sent returns the requests the server answered since the last call (or
// ResetRequests) and forgets them.
func sent(srv *zohotest.Server) []zohotest.RequestRecord {
	reqs := srv.Requests()
	srv.ResetRequests()
	return reqs
}

// stored returns the record of module with id as the server holds it, as
// JSON members, or nil.
func stored(srv *zohotest.Server, module, id string) map[string]json.RawMessage {
	for _, r := range srv.Records(module) {
		if r["id"] == id {
			out := map[string]json.RawMessage{}
			for k, v := range r {
				b, err := json.Marshal(v)
				if err != nil {
					panic(err)
				}
				out[k] = b
			}
			return out
		}
	}
	return nil
}

// seed stores records as Zoho holds them and returns their ids.
func seed(t testing.TB, srv *zohotest.Server, module string, recs ...map[string]any) []string {
	t.Helper()
	ids, err := srv.Seed(module, recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
