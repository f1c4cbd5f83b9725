package zohotest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/zohohub/zohohub/schema"
)

// metadata is the org's module metadata, loaded once, read-only after.
type metadata struct {
	fsys    fs.FS
	order   []string
	modules map[string]schema.Module
	fields  map[string]map[string]schema.Field
	columns map[string][]string // field api names in metadata order (bulk read's default columns)
	users   []map[string]any
	raw     *rawMetadata
	details map[string][]byte               // module → encoded answer of GET /settings/modules/{api_name}
	related map[string][]schema.RelatedList // module → its related lists (related.go)
}

func loadMetadata(fsys fs.FS) (*metadata, error) {
	fsys = orgDefaults{fsys}
	snap, err := schema.ReadSnapshot(fsys)
	if err != nil {
		return nil, fmt.Errorf("zohotest: metadata: %w", err)
	}
	meta, err := snap.Decode()
	if err != nil {
		return nil, fmt.Errorf("zohotest: metadata: %w", err)
	}
	m := &metadata{fsys: fsys, modules: map[string]schema.Module{}, fields: map[string]map[string]schema.Field{},
		columns: map[string][]string{}}
	for _, mod := range meta.Modules {
		fields, ok := meta.Fields[mod.APIName]
		if !ok {
			continue // a partial dump (zhgen -live -modules … -dump): only modules with fields are served
		}
		m.order = append(m.order, mod.APIName)
		m.modules[mod.APIName] = mod
		m.fields[mod.APIName] = map[string]schema.Field{}
		for _, f := range fields {
			m.fields[mod.APIName][f.APIName] = f
			m.columns[mod.APIName] = append(m.columns[mod.APIName], f.APIName)
		}
	}
	sort.Strings(m.order)
	m.related = meta.RelatedLists
	if m.raw, err = loadRawMetadata(snap, m.order); err != nil {
		return nil, err
	}
	var users struct {
		Users []map[string]any `json:"users"`
	}
	if data, err := fs.ReadFile(fsys, schema.UsersFile); err == nil {
		if err := json.Unmarshal(data, &users); err != nil {
			return nil, fmt.Errorf("zohotest: metadata: %s: %w", schema.UsersFile, err)
		}
	}
	if len(users.Users) == 0 {
		users.Users = []map[string]any{{"id": "5725767000000411001", "email": "jane@example.com", "full_name": "Jane Roe"}}
	}
	m.users = users.Users
	if m.details, err = m.moduleDetails(); err != nil {
		return nil, err
	}
	return m, nil
}

// fieldType answers the query engines: Zoho's data_type, with the target
// module for lookups ("lookup:Accounts"), and "tag" for the system field
// Tag, whose data_type text does not say it holds tags (tags.go).
func (m *metadata) fieldType(module, api string) (string, bool) {
	f, ok := m.fields[module][api]
	if !ok {
		switch api {
		case "id":
			return "bigint", true
		}
		return "", false
	}
	if f.DataType == "lookup" && f.Lookup.Module.APIName != "" && !f.IsMultiModuleLookup() {
		return "lookup:" + f.Lookup.Module.APIName, true
	}
	if isTagField(f) {
		return tagDataType, true
	}
	return f.DataType, true
}

// displayField is the field whose value names a record in lookups.
func (m *metadata) displayField(module string) string {
	for _, name := range []string{"Account_Name", "Deal_Name", "Full_Name", "Last_Name", "Name", "Subject", "Event_Title", "Note_Title", "Product_Name", "Vendor_Name", "Campaign_Name"} {
		if f, ok := m.fields[module][name]; ok && f.DataType != "lookup" {
			return name
		}
	}
	return "id"
}

func (m *metadata) user(id string) (map[string]any, bool) {
	for _, u := range m.users {
		if u["id"] == id {
			return u, true
		}
	}
	return nil, false
}
