package zohotest

import (
	"encoding/json"
	"fmt"
	"io/fs"
)

// rawMetadata is what spec's typed structs leave out but Zoho's answers
// carry: whole module objects (for GET /settings/modules/{api_name}) and
// field objects (for GET /settings/fields/{id}), and each number field's
// decimal_place.
type rawMetadata struct {
	modules   map[string]map[string]any            // api_name → module object
	fieldList map[string][]any                     // module → field objects, in the file's order
	fields    map[string]map[string]map[string]any // module → field id → field object
	decimals  map[string]map[string]int            // module → api_name → decimal places
}

func loadRawMetadata(fsys fs.FS, modules []string) (*rawMetadata, error) {
	raw := &rawMetadata{modules: map[string]map[string]any{}, fieldList: map[string][]any{}, fields: map[string]map[string]map[string]any{}, decimals: map[string]map[string]int{}}
	var mods struct {
		Modules []map[string]any `json:"modules"`
	}
	if err := readRaw(fsys, "modules.json", &mods); err != nil {
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
		if err := readRaw(fsys, "fields/"+module+".json", &doc); err != nil {
			return nil, err
		}
		raw.fieldList[module] = []any{}
		raw.fields[module] = map[string]map[string]any{}
		raw.decimals[module] = map[string]int{}
		for _, f := range doc.Fields {
			raw.fieldList[module] = append(raw.fieldList[module], f)
			if id, ok := f["id"].(string); ok {
				raw.fields[module][id] = f
			}
			api, _ := f["api_name"].(string)
			if n, ok := f["decimal_place"].(float64); ok {
				raw.decimals[module][api] = int(n)
			}
		}
	}
	return raw, nil
}

func readRaw(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("zohotest: metadata: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("zohotest: metadata: %s: %w", name, err)
	}
	return nil
}
