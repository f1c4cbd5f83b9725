package schema

import (
	"bytes"
	"encoding/json"
)

// Module is a module as GET /settings/modules lists it. GET
// /settings/modules/{api_name} answers the same object with the module's
// fields, layouts, related lists and default custom view filled in.
type Module struct {
	ID            string `json:"id"`
	APIName       string `json:"api_name"`
	ModuleName    string `json:"module_name"`
	SingularLabel string `json:"singular_label"`
	PluralLabel   string `json:"plural_label"`
	// GeneratedType is default, custom, linking, subform or web.
	GeneratedType string `json:"generated_type"`
	// APISupported reports whether the records API serves the module. It
	// is true when the key is absent, as in metadata older than v3.
	APISupported bool `json:"api_supported"`
	Creatable    bool `json:"creatable"`
	Editable     bool `json:"editable"`
	Deletable    bool `json:"deletable"`
	Viewable     bool `json:"viewable"`
	Convertable  bool `json:"convertable"`
	// Status is visible, user_hidden, system_hidden or
	// scheduled_for_deletion.
	Status         string `json:"status"`
	SequenceNumber int    `json:"sequence_number"`
	// DisplayField is the field whose value names a record in lookups.
	DisplayField FieldRef `json:"display_field"`
	// ParentModule is set for a module that lives inside another, such as
	// a subform module.
	ParentModule ModuleRef `json:"parent_module"`

	// Fields, Layouts, RelatedLists and CustomView are set only in the
	// answer of GET /settings/modules/{api_name}.
	Fields       []Field       `json:"fields,omitempty"`
	Layouts      []Layout      `json:"layouts,omitempty"`
	RelatedLists []RelatedList `json:"related_lists,omitempty"`
	CustomView   *CustomView   `json:"custom_view,omitempty"`
}

// UnmarshalJSON decodes a module object, with APISupported true unless the
// object says otherwise.
func (m *Module) UnmarshalJSON(b []byte) error {
	type plain Module // without this method
	p := plain{APISupported: true}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*m = Module(p)
	return nil
}

// HoldsRecords reports whether the records API serves the module's records
// on their own: the API supports it, and it is neither a subform (whose
// rows belong to a parent record) nor a web tab.
func (m Module) HoldsRecords() bool {
	if !m.APISupported {
		return false
	}
	switch m.GeneratedType {
	case "subform", "web":
		return false
	}
	return true
}

// ModuleRef names a module. Zoho writes it as a plain string (v2 lookups),
// as {"api_name":…,"id":…} (v3+) or as {"module":…,"id":…} (subforms);
// null and {} are the zero ModuleRef.
type ModuleRef struct {
	APIName string `json:"api_name"`
	ID      string `json:"id"`
}

// UnmarshalJSON accepts every shape listed on ModuleRef.
func (m *ModuleRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &m.APIName)
	}
	var obj struct {
		APIName string `json:"api_name"`
		Module  string `json:"module"`
		ID      string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	m.APIName, m.ID = obj.APIName, obj.ID
	if m.APIName == "" {
		m.APIName = obj.Module
	}
	return nil
}

// FieldRef names a field, as display_field and sort_by do.
type FieldRef struct {
	APIName string `json:"api_name"`
	ID      string `json:"id"`
}

// NamedRef names a user, role or profile: {"name":…,"id":…}, with the
// email where Zoho gives one.
type NamedRef struct {
	Name  string `json:"name"`
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
}
