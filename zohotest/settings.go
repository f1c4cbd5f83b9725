package zohotest

import (
	"errors"
	"io/fs"
	"net/http"
)

// The metadata routes: settings, users and org, answered from the org's
// metadata files.

// serveFile answers a metadata file as it is.
func (c *call) serveFile(name string) {
	data, err := fs.ReadFile(c.s.meta.fsys, name)
	if errors.Is(err, fs.ErrNotExist) && name != "org.json" && name != "modules.json" {
		c.w.WriteHeader(http.StatusNoContent) // metadata without layouts or related lists (a zhgen dump)
		return
	}
	if err != nil {
		c.fail(errInvalidModule(nil))
		return
	}
	c.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	c.w.Write(data)
}

// moduleDetail answers GET /settings/modules/{api_name}.
func (c *call) moduleDetail(name string) {
	if !c.module(name) {
		return
	}
	c.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	c.w.Write(c.s.meta.details[name])
}

// settingsList answers GET /settings/{kind}?module= (fields, layouts,
// related_lists) with the module's file of that kind.
func (c *call) settingsList(kind string) {
	if m, ok := c.moduleParam(); ok {
		c.serveFile(kind + "/" + m + ".json")
	}
}

// users answers GET /users (a page of the users of a type), and GET
// /users/{id} for an id.
func (c *call) users(id string) {
	if id != "" {
		u, ok := c.s.meta.user(id)
		if !ok {
			c.fail(newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"resource_path_index": 1}))
			return
		}
		writeJSON(c.w, 200, map[string]any{"users": []any{u}, "info": map[string]any{"count": 1, "more_records": false, "page": 1, "per_page": 200}})
		return
	}
	users, ok := usersOfType(c.s.meta.users, c.q.Get("type"))
	if !ok {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "type"}))
		return
	}
	perPage, page, ok := c.pageParams()
	if !ok {
		return
	}
	from := min((page-1)*perPage, len(users))
	to := min(from+perPage, len(users))
	if from == to {
		c.w.WriteHeader(http.StatusNoContent) // no user of the type, or a page past the last
		return
	}
	writeJSON(c.w, 200, map[string]any{"users": users[from:to], "info": map[string]any{"count": to - from, "more_records": to < len(users), "page": page, "per_page": perPage}})
}
