package zohotest

import (
	"net/http"
	"strings"
	"time"
)

// Request parameters Zoho checks beyond paging.

// listParamsOK checks the Get Records parameters Zoho limits beyond
// paging: at most 100 ids, and cvid not combined with sort_by.
func (c *call) listParamsOK() bool {
	if ids := c.q.Get("ids"); ids != "" && strings.Count(ids, ",") >= 100 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of ids exceeds 100", map[string]any{"param_name": "ids", "limit": 100}))
		return false
	}
	if c.q.Get("cvid") != "" && c.q.Get("sort_by") != "" {
		c.fail(newErr(400, "AMBIGUITY_DURING_PROCESSING", "ambiguity while processing the request", map[string]any{"ambiguity_due_to": []string{"cvid", "sort_by"}}))
		return false
	}
	return true
}

// parseSince reads If-Modified-Since: Zoho documents ISO 8601 with an
// offset; an HTTP-date, which generic HTTP clients send, is accepted too.
func parseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return http.ParseTime(v)
}

// splitIDs splits an ids parameter, dropping empty items so that a
// trailing or doubled comma is as harmless as a trailing &.
func splitIDs(raw string) []string {
	var ids []string
	for id := range strings.SplitSeq(raw, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// fieldByID answers GET /settings/fields/{id}?module=… with the one field.
func (c *call) fieldByID(id string) {
	m, ok := c.moduleParam()
	if !ok {
		return
	}
	f, ok := c.s.meta.raw.fields[m][id]
	if !ok {
		c.fail(newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"resource_path_index": 2}))
		return
	}
	writeJSON(c.w, 200, map[string]any{"fields": []any{f}})
}
