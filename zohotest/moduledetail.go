package zohotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strconv"
)

// moduleDetails encodes, once at start, the answer of GET
// /settings/modules/{api_name} for each module: metadata does not change
// while the server runs, and an answer is some 150 KB.
func (m *metadata) moduleDetails() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, name := range m.order {
		mod, err := m.moduleDetail(name)
		if err != nil {
			return nil, fmt.Errorf("zohotest: metadata: %w", err)
		}
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(map[string]any{"modules": []any{mod}}); err != nil {
			return nil, fmt.Errorf("zohotest: metadata: module %s: %w", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out, nil
}

// moduleDetail is a module as GET /settings/modules/{api_name} answers it:
// the list's module object with the module's details, which the list
// leaves out: its fields, layouts and related lists (as the settings APIs
// answer them), its default custom view, the layouts it is associated
// with and its default mapping fields (none).
func (m *metadata) moduleDetail(name string) (map[string]any, error) {
	out := maps.Clone(m.raw.modules[name])
	out["fields"] = m.raw.fieldList[name]
	for _, key := range []string{"layouts", "related_lists"} {
		list, err := m.settingsList(key, name)
		if err != nil {
			return nil, err
		}
		out[key] = list
	}
	assoc := []any{}
	for _, l := range out["layouts"].([]any) {
		if l, ok := l.(map[string]any); ok {
			assoc = append(assoc, map[string]any{"api_name": l["name"], "name": l["name"], "id": l["id"]})
		}
	}
	out["layout_associations"] = assoc
	out["default_mapping_fields"] = []any{}
	out["custom_view"] = m.allView(name, out)
	return out, nil
}

// settingsList is the list a settings API answers for a module (key is
// layouts or related_lists); empty when the metadata has no file
// for it (a zhgen dump).
func (m *metadata) settingsList(key, module string) ([]any, error) {
	data, err := fs.ReadFile(m.fsys, key+"/"+module+".json")
	if errors.Is(err, fs.ErrNotExist) {
		return []any{}, nil
	}
	if err != nil {
		return nil, err
	}
	var doc map[string][]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc[key] == nil {
		return []any{}, nil
	}
	return doc[key], nil
}

// allView is a module's default custom view, "All <Plural>": system
// defined, public, filtering nothing (criteria null), showing the
// module's display field, Owner and Modified_Time, newest first.
func (m *metadata) allView(name string, module map[string]any) map[string]any {
	label, _ := module["plural_label"].(string)
	if label == "" {
		label = name
	}
	modID, _ := module["id"].(string)
	id := modID
	if n, err := strconv.ParseUint(modID, 10, 64); err == nil {
		id = strconv.FormatUint(n+1_000_000, 10) // outside gen.py's id range of one org
	}
	var cols []any
	var sortBy any
	display, _ := module["display_field"].(map[string]any)
	for _, api := range []string{stringOf(display["api_name"]), "Owner", "Modified_Time"} {
		f, ok := m.fields[name][api]
		if !ok {
			continue
		}
		cols = append(cols, map[string]any{"api_name": f.APIName, "id": f.ID, "_pin": false})
		if api == "Modified_Time" {
			sortBy = map[string]any{"api_name": f.APIName, "id": f.ID}
		}
	}
	if cols == nil {
		cols = []any{}
	}
	sortOrder := any(nil)
	if sortBy != nil {
		sortOrder = "desc"
	}
	u := m.users[0]
	user := map[string]any{"name": u["full_name"], "id": u["id"]}
	return map[string]any{
		"id": id, "name": "All " + label, "display_value": "All " + label, "system_name": "ALLVIEWS",
		"category": "public_views", "access_type": "public", "shared_to": []any{},
		"default": true, "system_defined": true, "locked": false, "favorite": nil, "offline": true,
		"created_time": nil, "modified_time": nil, "last_accessed_time": nil,
		"created_by": user, "modified_by": user,
		"module":   map[string]any{"api_name": name, "name": name, "id": modID},
		"criteria": nil, "fields": cols, "sort_by": sortBy, "sort_order": sortOrder,
	}
}

func stringOf(v any) string { s, _ := v.(string); return s }
