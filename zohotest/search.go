package zohotest

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// Finding records: search, count and COQL. Each takes its module's records
// as they are (moduleStore.snapshot) and filters them without a lock.

// lookupFunc resolves the dot paths of criteria and COQL: a record of any
// module, read without its module's lock, or a user.
func (s *Server) lookupFunc() recordLookupFunc {
	return func(module, id string) (map[string]any, bool) {
		if ms := s.records.module(module); ms != nil {
			return ms.get(id)
		}
		if u, ok := s.meta.user(id); ok {
			return u, true
		}
		return nil, false
	}
}

func queryErr(err error) *zerr {
	var qe *queryError
	if errors.As(err, &qe) {
		return newErr(400, qe.Code, qe.Message, qe.Details)
	}
	return newErr(400, "INVALID_QUERY", err.Error(), nil)
}

// matching returns the records of module matching a search of this call.
func (c *call) matching(module string) ([]map[string]any, *zerr) {
	s := c.s
	lookup := s.lookupFunc()
	all := s.records.module(module).snapshot()
	if crit := c.q.Get("criteria"); crit != "" {
		f, err := parseCriteria(module, crit, s.meta.fieldType)
		if err != nil {
			return nil, queryErr(err)
		}
		return slices.DeleteFunc(all, func(r map[string]any) bool { return !f.match(r, lookup) }), nil
	}
	for _, mode := range []string{"email", "phone", "word"} {
		v := strings.ToLower(c.q.Get(mode))
		if v == "" {
			continue
		}
		if utf8.RuneCountInString(v) < 2 {
			// Zoho searches need at least two characters.
			return nil, newErr(400, "INVALID_DATA", "please check whether the input values are correct", map[string]any{"param_name": mode, "minimum_length": 2})
		}
		return slices.DeleteFunc(all, func(r map[string]any) bool {
			for api, f := range s.meta.fields[module] {
				sv, ok := r[api].(string)
				if !ok {
					continue
				}
				switch {
				case mode == "email" && f.DataType == "email" && strings.ToLower(sv) == v,
					mode == "phone" && f.DataType == "phone" && strings.Contains(strings.ToLower(sv), v),
					mode == "word" && strings.Contains(strings.ToLower(sv), v):
					return false
				}
			}
			return true
		}), nil
	}
	// details as module_search.json's Mandatory_Param_Missing.
	return nil, newErr(400, "EXPECTED_PARAM_MISSING", "mandatory param missing", map[string]any{"param_names": []string{"criteria", "email", "phone", "word"}})
}

// search answers GET /{module}/search.
func (c *call) search(module string) {
	fields, perPage, page, ok := c.pagingParams(module, false)
	if !ok {
		return
	}
	sortBy, order, ok := c.sortParams()
	if !ok {
		return
	}
	if page*perPage > 2000 {
		// message and details as module_search.json's Max_records.
		c.fail(newErr(400, "LIMIT_REACHED", "maximum response iteration limit reached", map[string]any{"limit": "2000"}))
		return
	}
	keep, ok := c.convertedParam(module)
	if !ok {
		return
	}
	recs, zerr := c.matching(module)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	if keep != nil {
		recs = slices.DeleteFunc(recs, func(r map[string]any) bool { return !keep(r) })
	}
	sortRecordsBy(recs, sortBy, order)
	c.writePage(module, recs, fields, perPage, page, sortBy, order)
}

// count answers GET /{module}/actions/count.
func (c *call) count(module string) {
	ms := c.s.records.module(module)
	ms.mu.RLock()
	n := len(ms.recs)
	ms.mu.RUnlock()
	if c.q.Get("criteria") != "" || c.q.Get("email") != "" || c.q.Get("phone") != "" || c.q.Get("word") != "" {
		recs, zerr := c.matching(module)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		n = len(recs)
	}
	writeJSON(c.w, 200, map[string]any{"count": n})
}

// coql answers POST /coql.
func (c *call) coql() {
	var b struct {
		SelectQuery string `json:"select_query"`
	}
	if err := json.Unmarshal(c.body, &b); err != nil || b.SelectQuery == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "select_query"}))
		return
	}
	s := c.s
	q, err := parseCOQL(b.SelectQuery, s.meta.fieldType, func(m string) bool { _, ok := s.meta.modules[m]; return ok })
	if err != nil {
		c.fail(queryErr(err))
		return
	}
	lookup := s.lookupFunc()
	recs := s.records.module(q.Module).snapshot()
	if q.Where != nil {
		recs = slices.DeleteFunc(recs, func(r map[string]any) bool { return !q.Where.match(r, lookup) })
	}
	q.sortRecords(recs, lookup)
	if q.aggregated() {
		c.coqlGroups(q, q.aggregateRows(recs, lookup))
		return
	}
	if q.Offset >= len(recs) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(q.Offset+q.Limit, len(recs))
	data := make([]any, 0, end-q.Offset)
	for _, r := range recs[q.Offset:end] {
		row := q.project(r, lookup)
		if c.major >= 7 {
			s.nameCOQLLookups(q.Module, row)
		}
		data = append(data, row)
	}
	c.answer(200, map[string]any{"data": data, "info": map[string]any{"count": len(data), "more_records": end < len(recs)}})
}
