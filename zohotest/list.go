package zohotest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reading records: GET /{module} (pages, page tokens, sorting, ids and
// If-Modified-Since) and GET /{module}/{id}.

// fieldsParam checks the fields parameter (required for listing on v3+,
// at most 50) and returns the members the answer shows (answerKeys), nil
// for every field.
func (c *call) fieldsParam(module string, required bool) ([]string, bool) {
	raw := c.q.Get("fields")
	if raw == "" {
		if required && c.major >= 3 {
			c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "fields"}))
			return nil, false
		}
		return nil, true
	}
	fields := strings.Split(raw, ",")
	if len(fields) > 50 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "fields limit exceeded", map[string]any{"param_name": "fields", "limit": 50}))
		return nil, false
	}
	for _, f := range fields {
		if _, ok := c.s.meta.fields[module][f]; !ok && f != "id" {
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "fields", "api_name": f}))
			return nil, false
		}
	}
	return answerKeys(fields), true
}

// pageToken is where the page a next_page_token names starts.
type pageToken struct {
	offset  int
	page    int // the page number the token's page reports in info.page
	bound   string
	expires time.Time
}

func (c *call) intParam(name string, def, max int) (int, bool) {
	raw := c.q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || (max > 0 && n > max) {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": name}))
		return 0, false
	}
	return n, true
}

// pagingParams reads fields, per_page (≤200) and page, answering the
// error itself when one is wrong.
func (c *call) pagingParams(module string, fieldsRequired bool) (fields []string, perPage, page int, ok bool) {
	if fields, ok = c.fieldsParam(module, fieldsRequired); !ok {
		return
	}
	perPage, page, ok = c.pageParams()
	return
}

// answerPage answers page page (per_page perPage) of all, under key,
// with its info; 204 for a page past the last.
func answerPage[E any](c *call, key string, all []E, page, perPage int) {
	from := (page - 1) * perPage
	if from >= len(all) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	to := min(from+perPage, len(all))
	writeJSON(c.w, 200, map[string]any{key: all[from:to],
		"info": map[string]any{"count": to - from, "more_records": to < len(all), "page": page, "per_page": perPage}})
}

// pageParams reads per_page (≤200) and page, answering the error itself
// when one is wrong.
func (c *call) pageParams() (perPage, page int, ok bool) {
	if perPage, ok = c.intParam("per_page", 200, 200); !ok {
		return
	}
	page, ok = c.intParam("page", 1, 0)
	return
}

// list answers GET /{module}.
func (c *call) list(module string) {
	fields, perPage, page, ok := c.pagingParams(module, true)
	if !ok || !c.listParamsOK() {
		return
	}
	ord, ok := c.listOrderParams()
	if !ok {
		return
	}
	keep, ok := c.convertedParam(module)
	if !ok {
		return
	}
	bound := c.q.Get("fields") + "|" + ord.by + "|" + ord.dir + "|" + c.q.Get("ids") + "|" + strconv.Itoa(perPage) + "|" + c.q.Get("converted")
	ms := c.s.records.module(module)
	offset, page, ok := c.pageStart(ms, bound, perPage, page)
	if !ok {
		return
	}
	var recs []map[string]any // the page
	var total int             // records listed over all pages
	if c.q.Get("ids") == "" && ord.since.IsZero() && ord.by == "id" && keep == nil {
		recs, total = ms.window(offset, perPage, ord.dir == "desc")
	} else {
		all := ms.snapshot()
		if keep != nil {
			all = slices.DeleteFunc(all, func(r map[string]any) bool { return !keep(r) })
		}
		if ids := c.q.Get("ids"); ids != "" {
			want := splitIDs(ids)
			all = slices.DeleteFunc(all, func(r map[string]any) bool { return !slices.Contains(want, recordID(r)) })
		}
		if all, ok = c.arrange(all, ord); !ok {
			return
		}
		total = len(all)
		recs = all[min(offset, total):min(offset+perPage, total)]
	}
	c.writeListPage(listPage{ms: ms, module: module, recs: recs, total: total, offset: offset, page: page, perPage: perPage,
		keys: fields, sortBy: ord.by, order: ord.dir, bound: bound})
}

// listOrder is what a listing filters and orders its records by.
type listOrder struct {
	by, dir string    // sort_by and sort_order
	since   time.Time // If-Modified-Since; zero when absent
}

// listOrderParams reads a listing's order, answering the error itself.
func (c *call) listOrderParams() (listOrder, bool) {
	by, dir, ok := c.sortParams()
	if !ok {
		return listOrder{}, false
	}
	since, ok := c.sinceHeader()
	return listOrder{by: by, dir: dir, since: since}, ok
}

// arrange keeps the records modified after o.since and sorts them. When
// If-Modified-Since leaves none, it answers 304 itself and reports false.
func (c *call) arrange(recs []map[string]any, o listOrder) ([]map[string]any, bool) {
	if !o.since.IsZero() {
		if recs = modifiedAfter(recs, o.since); len(recs) == 0 {
			c.w.WriteHeader(http.StatusNotModified)
			return nil, false
		}
	}
	sortRecordsBy(recs, o.by, o.dir)
	return recs, true
}

// sinceHeader reads If-Modified-Since (zero when absent), answering the
// error itself when it is not a time.
func (c *call) sinceHeader() (time.Time, bool) {
	h := c.r.Header.Get("If-Modified-Since")
	if h == "" {
		return time.Time{}, true
	}
	t, err := parseSince(h)
	if err != nil {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"header_name": "If-Modified-Since"}))
		return time.Time{}, false
	}
	return t, true
}

// modifiedAfter keeps the records modified after since.
func modifiedAfter(recs []map[string]any, since time.Time) []map[string]any {
	return slices.DeleteFunc(recs, func(r map[string]any) bool {
		m, _ := time.Parse(time.RFC3339, r["Modified_Time"].(string))
		return !m.After(since)
	})
}

// pageStart returns where the page a listing asks for starts: page's, or
// for a page_token the offset and page number it stands for. It answers
// the error itself: a token unknown, expired or bound to other parameters
// (bound: the listing's parameters), page and page_token together, or
// pages past record 2,000 without a token (v3+).
func (c *call) pageStart(ms *moduleStore, bound string, perPage, page int) (offset, atPage int, ok bool) {
	tok := c.q.Get("page_token")
	if tok == "" {
		offset = (page - 1) * perPage
		if offset+perPage > 2000 && c.major >= 3 {
			c.fail(newErr(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", "you can fetch only up to 2000 records with page; use page_token", map[string]any{"param_name": "page"}))
			return 0, 0, false
		}
		return offset, page, true
	}
	if c.q.Has("page") {
		c.fail(newErr(400, "AMBIGUITY_DURING_PROCESSING", "ambiguity while processing the request", map[string]any{"ambiguity_due_to": []string{"page", "page_token"}}))
		return 0, 0, false
	}
	pt, found := ms.pageToken(tok)
	switch {
	case !found:
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "page_token"}))
		return 0, 0, false
	case pt.bound != bound:
		c.fail(newErr(400, "TOKEN_BOUND_DATA_MISMATCH", "the given page_token is bound to other parameters", map[string]any{"param_name": "page_token"}))
		return 0, 0, false
	case c.s.cfg.now().After(pt.expires):
		c.fail(newErr(400, "EXPIRED_VALUE", "the page_token has expired", map[string]any{"param_name": "page_token"}))
		return 0, 0, false
	}
	return pt.offset, pt.page, true
}

// listPage is one page of a listing to answer: recs, the page's records
// from offset of total, of module (keys as answerKeys, nil for all
// fields), and what its next_page_token is bound to in ms.
type listPage struct {
	ms                   *moduleStore
	module               string
	recs                 []map[string]any
	total, offset, page  int
	perPage              int
	keys                 []string
	sortBy, order, bound string
}

// writeListPage answers a page of a listing: 204 past the last record,
// else the records and an info with a next_page_token (v3+) when more
// follow.
func (c *call) writeListPage(p listPage) {
	s := c.s
	if p.offset >= p.total {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := p.offset + len(p.recs)
	data := make([]any, len(p.recs))
	var views []recordView // of the records picked to keys (presentFieldsIn)
	if p.keys != nil {
		views = make([]recordView, len(p.recs))
	}
	for i, r := range p.recs {
		var view *recordView
		if views != nil {
			view = &views[i]
		}
		data[i] = s.presentFieldsIn(view, p.module, r, p.keys)
	}
	more := end < p.total
	info := map[string]any{"per_page": p.perPage, "count": len(data), "page": p.page, "sort_by": p.sortBy, "sort_order": p.order,
		"more_records": more, "next_page_token": nil, "previous_page_token": nil, "page_token_expiry": nil}
	if more && c.major >= 3 {
		sum := sha256.Sum256([]byte(p.bound + strconv.Itoa(end) + randomHex(4)))
		tok := hex.EncodeToString(sum[:12])
		exp := s.cfg.now().Add(24 * time.Hour)
		p.ms.addPageToken(tok, pageToken{offset: end, page: p.page + 1, bound: p.bound, expires: exp})
		info["next_page_token"], info["page_token_expiry"] = tok, zohoTime(exp)
	}
	c.answer(200, map[string]any{"data": data, "info": info})
}

// get answers GET /{module}/{id}.
func (c *call) get(module, id string) {
	fields, ok := c.fieldsParam(module, false) // optional here, honoured when given
	if !ok {
		return
	}
	rec, ok := c.s.records.get(module, id)
	if !ok {
		// Zoho answers an id that is not a record with 204 No Content.
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	c.answer(200, map[string]any{"data": []any{c.s.presentFields(module, rec, fields)}})
}

// writePage answers page page of recs, already filtered and in order, as
// search and a record's notes list them: the picked fields of each record,
// and an info naming the page; 204 past the last record.
func (c *call) writePage(module string, recs []map[string]any, fields []string, perPage, page int, sortBy, order string) {
	offset := (page - 1) * perPage
	if offset >= len(recs) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(offset+perPage, len(recs))
	data := make([]any, 0, end-offset)
	for _, r := range recs[offset:end] {
		data = append(data, c.s.presentFields(module, r, fields))
	}
	c.answer(200, map[string]any{"data": data, "info": map[string]any{"per_page": perPage, "count": len(data), "page": page,
		"sort_by": sortBy, "sort_order": order, "more_records": end < len(recs)}})
}
