package zohotest

import (
	"encoding/json"
	"fmt"

	"github.com/zohohub/zohohub/schema"
)

// rawMetadata is what package schema's types leave out but Zoho's answers
// carry: whole module objects (for GET /settings/modules/{api_name}) and
// field objects (for GET /settings/fields/{id}), served with every key as
// the metadata files have it.
type rawMetadata struct {
	modules   map[string]map[string]any            // api_name → module object
	fieldList map[string][]any                     // module → field objects, in the file's order
	fields    map[string]map[string]map[string]any // module → field id → field object
}

func loadRawMetadata(snap schema.Snapshot, modules []string) (*rawMetadata, error) {
	raw := &rawMetadata{modules: map[string]map[string]any{}, fieldList: map[string][]any{}, fields: map[string]map[string]map[string]any{}}
	var mods struct {
		Modules []map[string]any `json:"modules"`
	}
	if err := readRaw(snap, schema.ModulesFile, &mods); err != nil {
		return nil, err
	}
	for _, m := range mods.Modules {
		if name, ok := m["api_name"].(string); ok {
			raw.modules[name] = m
		}
	}
	for _, module := range modules {
		var doc struct {
			Fields []map[string]any `json:"fields"`
		}
		if err := readRaw(snap, schema.FieldsFile(module), &doc); err != nil {
			return nil, err
		}
		raw.fieldList[module] = []any{}
		raw.fields[module] = map[string]map[string]any{}
		for _, f := range doc.Fields {
			raw.fieldList[module] = append(raw.fieldList[module], f)
			if id, ok := f["id"].(string); ok {
				raw.fields[module][id] = f
			}
		}
	}
	return raw, nil
}

func readRaw(snap schema.Snapshot, name string, v any) error {
	if err := json.Unmarshal(snap[name], v); err != nil {
		return fmt.Errorf("zohotest: metadata: %s: %w", name, err)
	}
	return nil
}
