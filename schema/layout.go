package schema

// Layout is a layout as GET /settings/layouts?module=X lists it. A layout
// holds its own view of the fields: which are required in it, in which
// section, and the picklist values it offers.
type Layout struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DisplayLabel string `json:"display_label"`
	Visible      bool   `json:"visible"`
	// Status is active or inactive.
	Status   string          `json:"status"`
	Profiles []LayoutProfile `json:"profiles"`
	Sections []Section       `json:"sections"`
}

// LayoutProfile is a profile a layout is available to.
type LayoutProfile struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// Default: the profile's records are created in this layout.
	Default bool `json:"default"`
}

// Section is a section of a layout.
type Section struct {
	ID               string        `json:"id"`
	APIName          string        `json:"api_name"`
	Name             string        `json:"name"`
	DisplayLabel     string        `json:"display_label"`
	SequenceNumber   int           `json:"sequence_number"`
	ColumnCount      int           `json:"column_count"`
	IsSubformSection bool          `json:"isSubformSection"`
	Fields           []LayoutField `json:"fields"`
}

// LayoutField is a field in a layout section: the module's field, with
// what the layout adds.
type LayoutField struct {
	Field
	// Required: the layout requires a value, beyond system_mandatory.
	Required       bool `json:"required"`
	SequenceNumber int  `json:"sequence_number"`
}
