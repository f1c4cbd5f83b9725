package schema

// CustomView is a custom view as GET /settings/custom_views?module=X lists
// it: a saved filter of a module's records ("All Leads", "My Open Deals").
type CustomView struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DisplayValue string `json:"display_value"`
	// SystemName is set for the views Zoho defines, such as ALLVIEWS.
	SystemName string `json:"system_name"`
	// Category is public_views, shared_with_me, created_by_me or
	// other_users_views.
	Category string `json:"category"`
	// AccessType is public, shared or only_to_me.
	AccessType    string    `json:"access_type"`
	Default       bool      `json:"default"`
	SystemDefined bool      `json:"system_defined"`
	Locked        bool      `json:"locked"`
	Module        ModuleRef `json:"module"`
	// Criteria is the view's filter, nil for a view of all records.
	Criteria *Criteria `json:"criteria"`
	// Fields are the view's columns.
	Fields []ViewField `json:"fields"`
	// SortBy is zero when the view has no sort order of its own.
	SortBy FieldRef `json:"sort_by"`
	// SortOrder is asc, desc or "".
	SortOrder  string   `json:"sort_order"`
	CreatedBy  NamedRef `json:"created_by"`
	ModifiedBy NamedRef `json:"modified_by"`
}

// ViewField is a column of a custom view.
type ViewField struct {
	APIName string `json:"api_name"`
	ID      string `json:"id"`
	// Pinned: the column stays in view when scrolling.
	Pinned bool `json:"_pin"`
}

// Criteria is a custom view's filter: a comparison of one field, or a
// group of criteria joined by GroupOperator (and, or).
type Criteria struct {
	Comparator    string     `json:"comparator,omitempty"`
	Field         FieldRef   `json:"field"`
	Value         any        `json:"value,omitempty"`
	GroupOperator string     `json:"group_operator,omitempty"`
	Group         []Criteria `json:"group,omitempty"`
}
