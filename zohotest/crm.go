package zohotest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var versions = map[string]bool{"v2": true, "v2.1": true, "v3": true, "v4": true, "v5": true, "v6": true, "v7": true, "v8": true}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

// ServeHTTP serves the accounts server and the CRM API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{ResponseWriter: w, status: 200}
	defer func() {
		s.mu.Lock()
		if len(s.requests) >= maxRequests {
			s.requests = s.requests[1:]
		}
		logged := body
		if strings.HasPrefix(r.URL.Path, "/oauth/") {
			logged = nil // holds secrets
		}
		s.requests = append(s.requests, RequestRecord{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: logged, Status: rec.status})
		s.mu.Unlock()
	}()
	if f, ok := s.takeFault(r.Method + " " + r.URL.Path); ok {
		writeErr(rec, newErr(f.status, f.code, "injected failure", nil))
		return
	}
	switch r.URL.Path {
	case "/oauth/v2/token":
		s.token(rec, r)
		return
	case "/oauth/v2/token/revoke":
		s.revoke(rec, r)
		return
	case "/oauth/v2/auth":
		s.consent(rec, r)
		return
	}
	s.crm(rec, r, body)
}

func (s *Server) takeFault(route string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[route]
	if len(q) > 0 {
		s.faults[route] = q[1:]
		return q[0], true
	}
	if s.cfg.failRate > 0 && strings.HasPrefix(route[strings.IndexByte(route, ' ')+1:], "/crm/") && s.rng.Float64() < s.cfg.failRate {
		return fault{status: 500, code: "INTERNAL_ERROR"}, true
	}
	return fault{}, false
}

func (s *Server) crm(w http.ResponseWriter, r *http.Request, body []byte) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	s.mu.Lock()
	latency, limit := s.cfg.latency, s.cfg.concurrency
	s.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "crm" {
		writeErr(w, errURLPattern())
		return
	}
	ver, rest := parts[1], parts[2:]
	if ver == "bulk" && len(parts) > 3 {
		ver, rest = parts[2], parts[3:]
	}
	if !versions[ver] {
		writeErr(w, errURLPattern())
		return
	}
	scopes, ok := s.authorized(r)
	if !ok {
		writeErr(w, newErr(401, "INVALID_TOKEN", "invalid oauth token", nil))
		return
	}
	if !scopes.allow(r.Method, parts[1] == "bulk", rest) {
		writeErr(w, newErr(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", nil))
		return
	}
	if limit > 0 && int(n) > limit {
		writeErr(w, newErr(429, "TOO_MANY_REQUESTS", "concurrency limit of the user for the app is exceeded", nil))
		return
	}
	major := 8
	if ver == "v2" || ver == "v2.1" {
		major = 2
	} else {
		major, _ = strconv.Atoi(ver[1:])
	}
	// Lenient like Zoho: a trailing & and a missing Content-Type are fine.
	q, _ := url.ParseQuery(strings.TrimSuffix(r.URL.RawQuery, "&"))
	c := &call{s: s, w: w, r: r, q: q, body: body, major: major}
	if parts[1] == "bulk" || (len(rest) == 1 && rest[0] == "upload") {
		c.bulk(parts[1] == "bulk", ver, rest) // bulk.go
		return
	}
	c.route(rest)
}

// call is one CRM API request being answered.
type call struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	q     url.Values
	body  []byte
	major int
}

func (c *call) fail(e *zerr) { writeErr(c.w, e) }

func (c *call) method(allowed ...string) bool {
	if slices.Contains(allowed, c.r.Method) {
		return true
	}
	c.fail(newErr(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one", nil))
	return false
}

func (c *call) module(name string) bool {
	if _, ok := c.s.meta.modules[name]; ok {
		return true
	}
	c.fail(errInvalidModule(map[string]any{"resource_path_index": 0}))
	return false
}

// moduleParam is the module named by the settings APIs' module parameter:
// an error names the parameter, as param_name and param (Zoho's files use
// both: fields.json param_name, layouts.json, related_lists.json and
// common.json param; api-notes §8), not a path segment.
func (c *call) moduleParam() (string, bool) {
	m := c.q.Get("module")
	details := map[string]any{"param_name": "module", "param": "module"}
	if m == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", details))
		return "", false
	}
	if _, ok := c.s.meta.modules[m]; !ok {
		c.fail(errInvalidModule(details))
		return "", false
	}
	return m, true
}

func (c *call) route(p []string) {
	switch {
	case p[0] == "settings" && len(p) >= 2:
		c.settings(p[1:])
	case p[0] == "users" && len(p) <= 2:
		if c.method("GET") {
			c.users(p[1:])
		}
	case p[0] == "org" && len(p) == 1:
		if c.method("GET") {
			c.serveFile("org.json")
		}
	case p[0] == "coql" && len(p) == 1:
		if c.method("POST") {
			c.coql()
		}
	case len(p) == 1:
		if !c.module(p[0]) || !c.method("GET", "POST", "PUT", "DELETE") {
			return
		}
		switch c.r.Method {
		case "GET":
			c.list(p[0])
		case "POST":
			c.write(p[0], "insert", "")
		case "PUT":
			c.write(p[0], "update", "")
		case "DELETE":
			c.delete(p[0], splitIDs(c.q.Get("ids")))
		}
	case len(p) == 2 && p[1] == "upsert":
		if c.module(p[0]) && c.method("POST") {
			c.write(p[0], "upsert", "")
		}
	case len(p) == 2 && p[1] == "search":
		if c.module(p[0]) && c.method("GET") {
			c.search(p[0])
		}
	case len(p) == 2 && p[1] == "deleted":
		if c.module(p[0]) && c.method("GET") {
			c.deleted(p[0])
		}
	case len(p) == 3 && p[2] == "Notes":
		if c.module(p[0]) && c.method("GET", "POST") {
			c.recordNotes(p[0], p[1])
		}
	case len(p) == 3 && p[1] == "actions" && p[2] == "count":
		if c.module(p[0]) && c.method("GET") {
			c.count(p[0])
		}
	case len(p) == 2:
		if !c.module(p[0]) || !c.method("GET", "PUT", "DELETE") {
			return
		}
		switch c.r.Method {
		case "GET":
			c.get(p[0], p[1])
		case "PUT":
			c.write(p[0], "update", p[1])
		case "DELETE":
			c.delete(p[0], []string{p[1]})
		}
	default:
		c.fail(errURLPattern())
	}
}

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

func (c *call) settings(p []string) {
	if !c.method("GET") {
		return
	}
	switch {
	case p[0] == "modules" && len(p) == 1:
		c.serveFile("modules.json")
	case p[0] == "modules" && len(p) == 2:
		if !c.module(p[1]) {
			return
		}
		c.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		c.w.Write(c.s.meta.details[p[1]])
	case p[0] == "fields" && len(p) == 2:
		c.fieldByID(p[1])
	case p[0] == "custom_views" && len(p) <= 2:
		c.customViews(strings.Join(p[1:], ""))
	case len(p) == 1 && (p[0] == "fields" || p[0] == "layouts" || p[0] == "related_lists"):
		if m, ok := c.moduleParam(); ok {
			c.serveFile(p[0] + "/" + m + ".json")
		}
	default:
		c.fail(errURLPattern())
	}
}

func (c *call) users(p []string) {
	if len(p) == 1 {
		u, ok := c.s.meta.user(p[0])
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

// fieldsParam checks the fields parameter: required for listing on v3+,
// at most 50.
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
	return fields, true
}

func pick(rec map[string]any, fields []string) map[string]any {
	if fields == nil {
		return rec
	}
	out := map[string]any{"id": rec["id"]}
	for _, f := range fields {
		out[f] = rec[f]
	}
	for k, v := range rec {
		if strings.HasPrefix(k, "$") {
			out[k] = v // $se_module and the like come unasked
		}
	}
	return out
}

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
	sortBy, order, ok := c.sortParams()
	if !ok {
		return
	}
	bound := c.q.Get("fields") + "|" + sortBy + "|" + order + "|" + c.q.Get("ids") + "|" + strconv.Itoa(perPage)
	offset := (page - 1) * perPage
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok := c.q.Get("page_token"); tok != "" {
		if c.q.Has("page") {
			c.fail(newErr(400, "AMBIGUITY_DURING_PROCESSING", "ambiguity while processing the request", map[string]any{"ambiguity_due_to": []string{"page", "page_token"}}))
			return
		}
		pt, ok := s.pageToks[tok]
		switch {
		case !ok:
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "page_token"}))
			return
		case pt.bound != bound:
			c.fail(newErr(400, "TOKEN_BOUND_DATA_MISMATCH", "the given page_token is bound to other parameters", map[string]any{"param_name": "page_token"}))
			return
		case s.cfg.now().After(pt.expires):
			c.fail(newErr(400, "EXPIRED_VALUE", "the page_token has expired", map[string]any{"param_name": "page_token"}))
			return
		}
		offset, page = pt.offset, pt.page
	} else if offset+perPage > 2000 && c.major >= 3 {
		c.fail(newErr(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", "you can fetch only up to 2000 records with page; use page_token", map[string]any{"param_name": "page"}))
		return
	}
	recs := s.store[module].all()
	if ids := c.q.Get("ids"); ids != "" {
		want := splitIDs(ids)
		recs = slices.DeleteFunc(slices.Clone(recs), func(r map[string]any) bool { return !slices.Contains(want, r["id"].(string)) })
	}
	if since := c.r.Header.Get("If-Modified-Since"); since != "" {
		t, err := parseSince(since)
		if err != nil {
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"header_name": "If-Modified-Since"}))
			return
		}
		recs = slices.DeleteFunc(slices.Clone(recs), func(r map[string]any) bool {
			m, _ := time.Parse(time.RFC3339, r["Modified_Time"].(string))
			return !m.After(t)
		})
		if len(recs) == 0 {
			c.w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	recs = slices.Clone(recs)
	sortRecordsBy(recs, sortBy, order)
	if offset >= len(recs) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(offset+perPage, len(recs))
	data := make([]any, 0, end-offset)
	for _, r := range recs[offset:end] {
		data = append(data, pick(s.present(module, r), fields))
	}
	more := end < len(recs)
	info := map[string]any{"per_page": perPage, "count": len(data), "page": page, "sort_by": sortBy, "sort_order": order,
		"more_records": more, "next_page_token": nil, "previous_page_token": nil, "page_token_expiry": nil}
	if more && c.major >= 3 {
		sum := sha256.Sum256([]byte(bound + strconv.Itoa(end) + randomHex(4)))
		tok := hex.EncodeToString(sum[:12])
		exp := s.cfg.now().Add(24 * time.Hour)
		s.pageToks[tok] = pageToken{offset: end, page: page + 1, bound: bound, expires: exp}
		info["next_page_token"], info["page_token_expiry"] = tok, zohoTime(exp)
	}
	writeJSON(c.w, 200, map[string]any{"data": data, "info": info})
}

// get answers GET /{module}/{id}.
func (c *call) get(module, id string) {
	fields, ok := c.fieldsParam(module, false) // optional here, honoured when given
	if !ok {
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.store[module].byID[id]
	if !ok {
		// Zoho answers an id that is not a record with 204 No Content.
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(c.w, 200, map[string]any{"data": []any{pick(s.present(module, rec), fields)}})
}

type writeBody struct {
	Data                 []map[string]any `json:"data"`
	DuplicateCheckFields []string         `json:"duplicate_check_fields"`
	Trigger              any              `json:"trigger"`
}

// write answers insert (POST), update (PUT) and upsert.
func (c *call) write(module, op, pathID string) {
	var b writeBody
	if err := decodeJSON(c.body, &b); err != nil || b.Data == nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a data array", nil))
		return
	}
	if len(b.Data) > 100 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"limit": 100}))
		return
	}
	if len(b.Data) == 0 {
		c.fail(newErr(400, "EXPECTED_FIELD_MISSING", "data is empty", map[string]any{"api_name": "data"}))
		return
	}
	if !c.writeParamsOK(module, op, &b) {
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]any, len(b.Data))
	ok, failed := 0, 0
	for i, in := range b.Data {
		item, err := c.writeOne(module, op, pathID, i, in, b.DuplicateCheckFields)
		if err != nil {
			failed++
			items[i] = err.envelope()
			continue
		}
		ok++
		items[i] = item
	}
	status := 200
	if op == "insert" || op == "upsert" {
		status = 201
	}
	switch {
	case failed > 0 && ok > 0:
		status = http.StatusMultiStatus
	case failed > 0:
		status = 400
	}
	writeJSON(c.w, status, map[string]any{"data": items})
}

func (c *call) writeOne(module, op, pathID string, i int, in map[string]any, dup []string) (map[string]any, *zerr) {
	s := c.s
	ms := s.store[module]
	if op == "upsert" {
		if len(dup) == 0 {
			for api, f := range s.meta.fields[module] {
				if f.IsUnique() {
					dup = append(dup, api)
				}
			}
			sort.Strings(dup)
		}
		for _, api := range dup {
			v, ok := in[api]
			if !ok {
				continue
			}
			if r := ms.findEqual(api, v); r != nil {
				item, err := c.update(module, r, i, in)
				if err == nil {
					item["action"], item["duplicate_field"] = "update", api
				}
				return item, err
			}
		}
		rec, err := s.validateLocked(module, in, i, true, nil)
		if err != nil {
			return nil, err
		}
		s.insertLocked(module, rec)
		return map[string]any{"code": "SUCCESS", "details": s.successDetails(rec), "message": "record added", "status": "success", "action": "insert", "duplicate_field": nil}, nil
	}
	if op == "insert" {
		rec, err := s.validateLocked(module, in, i, true, nil)
		if err != nil {
			return nil, err
		}
		s.insertLocked(module, rec)
		return map[string]any{"code": "SUCCESS", "details": s.successDetails(rec), "message": "record added", "status": "success"}, nil
	}
	id, _ := in["id"].(string)
	if pathID != "" {
		id = pathID
	}
	if id == "" {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "id", "json_path": "$.data[" + strconv.Itoa(i) + "].id"})
	}
	old, ok := ms.byID[id]
	if !ok {
		return nil, newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"api_name": "id", "json_path": "$.data[" + strconv.Itoa(i) + "].id"})
	}
	return c.update(module, old, i, in)
}

func (c *call) update(module string, old map[string]any, i int, in map[string]any) (map[string]any, *zerr) {
	s := c.s
	rec, err := s.validateLocked(module, in, i, false, old)
	if err != nil {
		return nil, err
	}
	rec["Modified_Time"] = zohoTime(s.cfg.now())
	s.store[module].put(rec)
	return map[string]any{"code": "SUCCESS", "details": s.successDetails(rec), "message": "record updated", "status": "success"}, nil
}

// delete answers DELETE /{module}?ids= and /{module}/{id}.
func (c *call) delete(module string, ids []string) {
	if len(ids) == 0 || ids[0] == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "ids"}))
		return
	}
	if len(ids) > 100 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"param_name": "ids", "limit": 100}))
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := s.store[module]
	items := make([]any, len(ids))
	ok, failed := 0, 0
	for i, id := range ids {
		rec, exists := ms.byID[id]
		if !exists {
			failed++
			items[i] = newErr(400, "INVALID_DATA", "record not deleted", map[string]any{"id": id}).envelope()
			continue
		}
		ms.remove(id)
		name, _ := rec[s.meta.displayField(module)].(string)
		ms.deleted = append(ms.deleted, deletedRecord{ID: id, DisplayName: name, Type: "recycle", DeletedTime: zohoTime(s.cfg.now()),
			DeletedBy: s.currentUserRef(), CreatedBy: s.userRef(rec["Created_By"])})
		ok++
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "record deleted", "status": "success"}
	}
	status := 200
	switch {
	case failed > 0 && ok > 0:
		status = http.StatusMultiStatus
	case failed > 0:
		status = 400
	}
	writeJSON(c.w, status, map[string]any{"data": items})
}

func (c *call) deleted(module string) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.store[module].deleted
	if t := c.q.Get("type"); t == "permanent" {
		d = nil // records are kept in the recycle bin
	}
	if len(d) == 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(c.w, 200, map[string]any{"data": d, "info": map[string]any{"count": len(d), "more_records": false, "page": 1, "per_page": 200}})
}

func (s *Server) lookupFunc() recordLookupFunc {
	return func(module, id string) (map[string]any, bool) {
		if ms, ok := s.store[module]; ok {
			r, ok := ms.byID[id]
			return r, ok
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
	all := s.store[module].all()
	if crit := c.q.Get("criteria"); crit != "" {
		f, err := parseCriteria(module, crit, s.meta.fieldType)
		if err != nil {
			return nil, queryErr(err)
		}
		return slices.DeleteFunc(slices.Clone(all), func(r map[string]any) bool { return !f.match(r, lookup) }), nil
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
		return slices.DeleteFunc(slices.Clone(all), func(r map[string]any) bool {
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
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	recs, zerr := c.matching(module)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	sortRecordsBy(recs, sortBy, order)
	c.writePageLocked(module, recs, fields, perPage, page, sortBy, order)
}

// writePageLocked answers page page of recs, already filtered and in
// order, as search and a record's notes list them: the picked fields of
// each record, and an info naming the page; 204 past the last record.
func (c *call) writePageLocked(module string, recs []map[string]any, fields []string, perPage, page int, sortBy, order string) {
	offset := (page - 1) * perPage
	if offset >= len(recs) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(offset+perPage, len(recs))
	data := make([]any, 0, end-offset)
	for _, r := range recs[offset:end] {
		data = append(data, pick(c.s.present(module, r), fields))
	}
	writeJSON(c.w, 200, map[string]any{"data": data, "info": map[string]any{"per_page": perPage, "count": len(data), "page": page,
		"sort_by": sortBy, "sort_order": order, "more_records": end < len(recs)}})
}

// count answers GET /{module}/actions/count.
func (c *call) count(module string) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.store[module].ids)
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
	s.mu.Lock()
	defer s.mu.Unlock()
	q, err := parseCOQL(b.SelectQuery, s.meta.fieldType, func(m string) bool { _, ok := s.meta.modules[m]; return ok })
	if err != nil {
		c.fail(queryErr(err))
		return
	}
	lookup := s.lookupFunc()
	recs := slices.Clone(s.store[q.Module].all())
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
			s.nameCOQLLookupsLocked(q.Module, row)
		}
		data = append(data, row)
	}
	writeJSON(c.w, 200, map[string]any{"data": data, "info": map[string]any{"count": len(data), "more_records": end < len(recs)}})
}
