package zohotest

import (
	"slices"
	"strings"
)

// sortParams reads sort_by (id, Created_Time or Modified_Time; default id)
// and sort_order (asc or desc; default desc), as Get Records and Search
// Records take them, answering INVALID_DATA for anything else.
func (c *call) sortParams() (by, order string, ok bool) {
	by, order = c.q.Get("sort_by"), c.q.Get("sort_order")
	if by == "" {
		by = "id"
	}
	if order == "" {
		order = "desc"
	}
	if !slices.Contains([]string{"id", "Created_Time", "Modified_Time"}, by) {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "sort_by"}))
		return "", "", false
	}
	if order != "asc" && order != "desc" {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "sort_order"}))
		return "", "", false
	}
	return by, order, true
}

// sortRecordsBy orders records by a string system field (ids are 19 digits, times
// share one format, so text order is their order). Records are stored in
// id order, so the common case is a check and a reversal, not a sort: a
// listing of 10,000 records pages 50 times.
func sortRecordsBy(recs []map[string]any, by, order string) {
	cmp := func(a, b map[string]any) int {
		x, _ := a[by].(string)
		y, _ := b[by].(string)
		return strings.Compare(x, y)
	}
	if !slices.IsSortedFunc(recs, cmp) {
		slices.SortStableFunc(recs, cmp)
	}
	if order == "desc" {
		slices.Reverse(recs)
	}
}
