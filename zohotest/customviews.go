package zohotest

import "net/http"

// customViews answers GET /settings/custom_views?module=X and GET
// /settings/custom_views/{id}?module=X. Each module has the one view Zoho
// defines for every module, "All <Plural>" (see allView); an unknown id
// is answered 204, as Zoho's custom_views.json documents. Both answers
// carry info, with the default view and the categories' names.
func (c *call) customViews(id string) {
	module, ok := c.moduleParam()
	if !ok {
		return
	}
	perPage, page, ok := c.pageParams()
	if !ok {
		return
	}
	view := c.s.meta.allView(module, c.s.meta.raw.modules[module])
	views := []any{}
	switch {
	case id != "" && id != view["id"]:
		c.w.WriteHeader(http.StatusNoContent)
		return
	case id != "" || page == 1:
		views = append(views, view)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"custom_views": views, "info": map[string]any{
		"per_page": perPage, "count": len(views), "page": page, "more_records": false, "default": view["id"],
		"translation": map[string]any{"public_views": "Public Views", "other_users_views": "Other Users' Views",
			"shared_with_me": "Shared With Me", "created_by_me": "Created By Me"}}})
}
