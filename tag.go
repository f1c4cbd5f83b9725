package zohohub

// Tag is a tag of a module's records: an element of a record's system
// field Tag, which every generated module maps as
//
//	Tag []zohohub.Tag `zoho:"Tag,readonly"`
//
// and the tag given to the tag actions (AddTags, RemoveTags) and the
// module's tag list (Tags). A tag is known by its ID or, within its
// module, by its Name; where both are given Zoho goes by the ID
// (docs/wire.md §12.3).
type Tag struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// ColorCode is one of the colours Zoho offers, such as "#F17574", or
	// "" for none.
	ColorCode string `json:"color_code,omitempty"`
}

// TagField is the system field Tag of a module, the record's tags, for
// queries: generated code declares one per module (modules.LeadTag).
type TagField string

// Contains matches records tagged with the tag of that name. Only Zoho's
// search filters by tag (Tag:equals:name, docs/wire.md §12.3): a query
// holding it runs as a search, within search's 2,000 results and without
// OrderBy, and Export, whose Bulk Read criteria have no tag filter,
// refuses it. Not(Contains) has no form and is refused.
func (f TagField) Contains(name string) Condition {
	return compare(string(f), kindTag, OpEquals, text(name))
}
