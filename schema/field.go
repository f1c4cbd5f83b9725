package schema

import (
	"encoding/json"
	"slices"
)

// Field is a field as GET /settings/fields?module=X lists it (and GET
// /settings/fields/{id} answers it). Objects Zoho writes as {} or null
// when they do not apply (Lookup, Formula, Currency, …) are then zero.
type Field struct {
	ID           string `json:"id"`
	APIName      string `json:"api_name"`
	FieldLabel   string `json:"field_label"`
	DisplayLabel string `json:"display_label"`
	// DataType is Zoho's type of the field: text, picklist, lookup,
	// currency, … (an open list: new ones appear).
	DataType string `json:"data_type"`
	// JSONType is the JSON shape of a value: string, integer, double,
	// boolean, jsonobject or jsonarray.
	JSONType string `json:"json_type"`
	// Length is the most characters of a text, or digits of a number.
	Length int `json:"length"`
	// DecimalPlace is the number of decimals of a currency or decimal
	// field, nil where Zoho writes null.
	DecimalPlace *int `json:"decimal_place"`
	// ReadOnly and FieldReadOnly: Zoho computes or locks the value.
	ReadOnly      bool `json:"read_only"`
	FieldReadOnly bool `json:"field_read_only"`
	// SystemMandatory: every record must have a value.
	SystemMandatory bool   `json:"system_mandatory"`
	CustomField     bool   `json:"custom_field"`
	Visible         bool   `json:"visible"`
	Unique          Unique `json:"unique"`
	// PickListValues are the values of a picklist or multi-select picklist.
	PickListValues []PickListValue `json:"pick_list_values"`
	// Lookup names the module a lookup field points to; "se_module" for a
	// multi-module lookup (see IsMultiModuleLookup).
	Lookup Lookup `json:"lookup"`
	// AllowedModules are the modules a multi-module lookup such as What_Id
	// may point to.
	AllowedModules []ModuleRef `json:"allowed_modules"`
	// MultiModuleLookup is set for data_type multi_module_lookup.
	MultiModuleLookup MultiModuleLookup `json:"multi_module_lookup"`
	// MultiSelectLookup and MultiUserLookup name the linking module that
	// holds the links of a multi-select lookup or multi-user lookup.
	MultiSelectLookup MultiSelectLookup `json:"multiselectlookup"`
	MultiUserLookup   MultiSelectLookup `json:"multiuserlookup"`
	// Subform and AssociatedModule name the module of a subform's rows.
	Subform          ModuleRef `json:"subform"`
	AssociatedModule ModuleRef `json:"associated_module"`
	Formula          Formula   `json:"formula"`
	RollupSummary    Formula   `json:"rollup_summary"`
	Currency         Currency  `json:"currency"`
	// AutoNumber describes an autonumber field's numbering.
	AutoNumber AutoNumber `json:"auto_number"`
}

// MultiModule is the lookup module Zoho names for a multi-module lookup
// (the "Related To" What_Id of activities, a note's Parent_Id): the record
// pointed to may be in any of several modules, and the record's $se_module
// names which.
const MultiModule = "se_module"

// Label returns the field's label as the UI shows it.
func (f Field) Label() string {
	if f.DisplayLabel != "" {
		return f.DisplayLabel
	}
	return f.FieldLabel
}

// IsReadOnly reports whether Zoho refuses writes of the field.
func (f Field) IsReadOnly() bool { return f.ReadOnly || f.FieldReadOnly }

// IsUnique reports whether Zoho rejects duplicate values of the field.
func (f Field) IsUnique() bool { return f.Unique.Enabled }

// IsMultiModuleLookup reports whether f is a lookup whose target may be in
// one of several modules: data_type lookup with lookup module "se_module"
// (What_Id, Parent_Id), or data_type multi_module_lookup.
func (f Field) IsMultiModuleLookup() bool {
	return f.DataType == "multi_module_lookup" || f.UsesSEModule()
}

// UsesSEModule reports whether the module of the record f points to is
// named by the record's $se_module key, as for What_Id of activities and
// Parent_Id of notes; a multi_module_lookup value names its module itself.
func (f Field) UsesSEModule() bool {
	return f.DataType == "lookup" && f.Lookup.Module.APIName == MultiModule
}

// LookupModules returns the API names of the modules a lookup,
// multi-module lookup or multi-select lookup field points to, in
// metadata order; nil for other fields.
func (f Field) LookupModules() []string {
	var out []string
	add := func(refs ...ModuleRef) {
		for _, r := range refs {
			if r.APIName != "" && r.APIName != MultiModule && !slices.Contains(out, r.APIName) {
				out = append(out, r.APIName)
			}
		}
	}
	switch {
	case f.IsMultiModuleLookup():
		add(f.AllowedModules...)
		add(f.MultiModuleLookup.Modules...)
	case f.DataType == "multiselectlookup":
		add(f.MultiSelectLookup.ConnectedModule)
	default:
		add(f.Lookup.Module)
	}
	return out
}

// ReturnType returns the return_type of a formula or rollup summary field,
// "" for other fields.
func (f Field) ReturnType() string {
	if f.Formula.ReturnType != "" {
		return f.Formula.ReturnType
	}
	return f.RollupSummary.ReturnType
}

// SubformModule returns the API name of the module a subform field's rows
// belong to, "" for other fields.
func (f Field) SubformModule() string {
	if f.Subform.APIName != "" {
		return f.Subform.APIName
	}
	return f.AssociatedModule.APIName
}

// PickListValue is one value of a picklist.
type PickListValue struct {
	ID             string `json:"id"`
	DisplayValue   string `json:"display_value"`
	ActualValue    string `json:"actual_value"`
	SequenceNumber int    `json:"sequence_number"`
	// Type is used, or unused for a value kept for old records only.
	Type string `json:"type"`
}

// Value returns the value sent to and received from the API: the actual
// value, or the display value where there is none.
func (v PickListValue) Value() string {
	if v.ActualValue != "" {
		return v.ActualValue
	}
	return v.DisplayValue
}

// Lookup is a lookup field's lookup object.
type Lookup struct {
	Module       ModuleRef `json:"module"`
	DisplayLabel string    `json:"display_label"`
}

// MultiModuleLookup is the multi_module_lookup object of a field of
// data_type multi_module_lookup.
type MultiModuleLookup struct {
	Modules []ModuleRef `json:"modules"`
}

// MultiSelectLookup names a multi-select lookup's linking module, whose
// records hold the links, and the module linked to.
type MultiSelectLookup struct {
	LinkingModule   ModuleRef `json:"linking_module"`
	ConnectedModule ModuleRef `json:"connected_module"`
}

// Formula is the formula or rollup_summary object of a computed field.
type Formula struct {
	ReturnType string `json:"return_type"`
	Expression string `json:"expression,omitempty"`
}

// Currency is a currency field's rounding.
type Currency struct {
	// RoundingOption is normal, round_up, round_off or round_down.
	RoundingOption string `json:"rounding_option,omitempty"`
	Precision      int    `json:"precision,omitempty"`
}

// AutoNumber is an autonumber field's prefix and suffix.
type AutoNumber struct {
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// Unique is a field's unique object. Zoho writes {} for a field that
// allows duplicates and {"casesensitive":"false"} for one that does not.
type Unique struct {
	// Enabled: Zoho rejects a second record with the same value.
	Enabled bool
	// CaseSensitive: values that differ in case only are different.
	CaseSensitive bool
}

// UnmarshalJSON decodes Zoho's unique object (or null).
func (u *Unique) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*u = Unique{Enabled: len(m) > 0}
	switch v := m["casesensitive"].(type) {
	case string:
		u.CaseSensitive = v == "true"
	case bool:
		u.CaseSensitive = v
	}
	return nil
}

// MarshalJSON encodes the unique object as Zoho writes it.
func (u Unique) MarshalJSON() ([]byte, error) {
	if !u.Enabled {
		return []byte("{}"), nil
	}
	if u.CaseSensitive {
		return []byte(`{"casesensitive":"true"}`), nil
	}
	return []byte(`{"casesensitive":"false"}`), nil
}
