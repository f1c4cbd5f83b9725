package zohohub

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Query is a query over the records of T's module. A Query is an
// immutable value: every method returns a new Query, so a base query can
// be shared and extended from several goroutines.
type Query[T any] struct {
	rs     *RecordSet[T]
	conds  []Condition
	fields []string
	order  []orderBy
	limit  int
	offset int
	since  time.Time
	// includes are the lookups Include loads (include.go).
	includes []inclusion
	// related is the related list the query reads instead of the module
	// (related.go); nil for a query over the module.
	related *relatedSource
}

type orderBy struct {
	field string
	desc  bool
}

// Query returns a query over every record of the module.
func (rs *RecordSet[T]) Query() Query[T] { return Query[T]{rs: rs} }

// Where returns a query over the records matching all the conditions.
func (rs *RecordSet[T]) Where(conds ...Condition) Query[T] { return rs.Query().Where(conds...) }

// Where adds conditions that must all hold, besides those already given.
func (q Query[T]) Where(conds ...Condition) Query[T] {
	q.conds = append(slices.Clip(q.conds), conds...)
	return q
}

// Select limits the fields read to these API names (id is always read).
func (q Query[T]) Select(apiNames ...string) Query[T] {
	q.fields = append(slices.Clip(q.fields), apiNames...)
	return q
}

// OrderBy sorts by a field, ascending; OrderByDesc descending. Sorting by
// anything but id, Created_Time or Modified_Time makes a query use COQL.
func (q Query[T]) OrderBy(apiName string) Query[T] {
	q.order = append(slices.Clip(q.order), orderBy{field: apiName})
	return q
}

// OrderByDesc sorts by a field, descending.
func (q Query[T]) OrderByDesc(apiName string) Query[T] {
	q.order = append(slices.Clip(q.order), orderBy{field: apiName, desc: true})
	return q
}

// Limit returns at most n records; 0 means all.
func (q Query[T]) Limit(n int) Query[T] {
	q.limit = max(n, 0)
	return q
}

// Offset skips the first n records.
func (q Query[T]) Offset(n int) Query[T] {
	q.offset = max(n, 0)
	return q
}

// ModifiedSince returns only records modified after t. Without other
// conditions it is sent as Zoho's If-Modified-Since header.
func (q Query[T]) ModifiedSince(t time.Time) Query[T] {
	q.since = t
	return q
}

// PlanKind is how a query is sent.
type PlanKind string

// The ways a query is sent.
const (
	PlanList   PlanKind = "list"   // GET {module}: no conditions
	PlanSearch PlanKind = "search" // GET {module}/search?criteria=
	PlanCOQL   PlanKind = "coql"   // POST coql
)

// Plan is what a query will send, and why.
type Plan struct {
	Kind   PlanKind
	Method string
	Path   string
	Query  url.Values
	// COQL is the select_query of the first call, for PlanCOQL.
	COQL   string
	Reason string
}

// String shows the plan as a request line.
func (p Plan) String() string {
	s := p.Method + " " + p.Path
	if len(p.Query) > 0 {
		s += "?" + p.Query.Encode()
	}
	if p.COQL != "" {
		s += " " + p.COQL
	}
	return s + "  (" + p.Reason + ")"
}

// Explain returns what the query will send, or why it cannot be sent.
// Nothing is sent.
func (q Query[T]) Explain() (Plan, error) { return q.plan() }

// where returns the query's conditions joined, ModifiedSince included, and
// whether there are any.
func (q Query[T]) where() (Condition, bool) {
	conds := q.conds
	if !q.since.IsZero() {
		conds = append(slices.Clip(conds), DateTimeField("Modified_Time").After(q.since))
	}
	switch len(conds) {
	case 0:
		return Condition{}, false
	case 1:
		return conds[0], true
	}
	return And(conds...), true
}

// maps reports whether field names a field T maps, or the lookup of one
// (Account_Name.Owner), or id; any name for an open T, or for a related
// list of a relation with fields of its own (related.go).
func (q Query[T]) maps(field string) bool {
	name, _, _ := strings.Cut(field, ".")
	_, ok := q.rs.fieldType(name)
	return ok || field == "id" || q.rs.info != nil && q.rs.info.open || q.related != nil && q.related.linked
}

// checkSelect checks the names given to Select; the names T maps need no
// check.
func (q Query[T]) checkSelect() error {
	for _, n := range q.fields {
		if !validFieldPath(n) {
			return fmt.Errorf("zohohub: Select: %q is not a field API name", n)
		}
		if !q.maps(n) {
			return fmt.Errorf("zohohub: %s has no field %q", q.rs.module(), n)
		}
	}
	return nil
}

// checkedWhere is where, with the conditions checked: each valid and on a
// field T maps.
func (q Query[T]) checkedWhere() (Condition, bool, error) {
	cond, filtered := q.where()
	if !filtered {
		return cond, false, nil
	}
	if err := cond.Err(); err != nil {
		return Condition{}, false, err
	}
	var unknown error
	cond.walk(func(l Condition) {
		if unknown == nil && !operators[l.op].param && !q.maps(l.field) {
			unknown = fmt.Errorf("zohohub: %s has no field %q (conditions name mapped API names)", q.rs.module(), l.field)
		}
	})
	if unknown != nil {
		return Condition{}, false, unknown
	}
	return cond, true, nil
}

func (q Query[T]) selected() ([]string, error) {
	names := q.fields
	if len(names) == 0 {
		names = q.rs.apiNames()
	}
	if err := q.checkSelect(); err != nil {
		return nil, err
	}
	if len(names) > maxFieldsParam {
		return nil, fmt.Errorf("zohohub: %s maps %d fields; Zoho reads at most %d at a time: use Select", q.rs.module(), len(names), maxFieldsParam)
	}
	return names, nil
}

func (q Query[T]) plan() (Plan, error) {
	if q.related != nil {
		return q.relatedPlan()
	}
	if err := q.rs.check(); err != nil {
		return Plan{}, err
	}
	fields, err := q.selected()
	if err != nil {
		return Plan{}, err
	}
	for _, o := range q.order {
		if !validFieldPath(o.field) {
			return Plan{}, fmt.Errorf("zohohub: OrderBy: %q is not a field API name", o.field)
		}
	}
	cond, filtered, err := q.checkedWhere()
	if err != nil {
		return Plan{}, err
	}
	listSort := len(q.order) <= 1 && (len(q.order) == 0 || slices.Contains([]string{"id", "Created_Time", "Modified_Time"}, q.order[0].field))
	module := q.rs.module()
	if len(q.conds) == 0 && listSort && q.offset < pageWindow { // ModifiedSince is a header; pages reach 2000 records
		v := url.Values{"fields": {strings.Join(fields, ",")}, "per_page": {strconv.Itoa(pageSize)}}
		if len(q.order) == 1 {
			v.Set("sort_by", q.order[0].field)
			v.Set("sort_order", map[bool]string{false: "asc", true: "desc"}[q.order[0].desc])
		}
		return Plan{Kind: PlanList, Method: http.MethodGet, Path: module, Query: v, Reason: "no conditions: list the module, by page then page_token"}, nil
	}
	// Both forms are compiled from the operator table; search is sent when
	// it can express the conditions and the query fits its 2000 unordered
	// results, or when COQL cannot express them.
	stmt, coqlErr := q.coql(fields, cond, filtered, q.offset, coqlPageSize)
	var searchErr error
	if filtered {
		params, err := cond.searchParams()
		searchErr = err
		fits := len(q.order) == 0 && q.offset < pageWindow
		if err == nil && fits && (coqlErr != nil || q.limit > 0 && q.offset+q.limit <= pageWindow) {
			params.Set("fields", strings.Join(fields, ","))
			params.Set("per_page", strconv.Itoa(pageSize))
			why := fmt.Sprintf("search operators only and at most %d results", pageWindow)
			if coqlErr != nil {
				why = fmt.Sprintf("only search can express the conditions; it reaches %d results", pageWindow)
			}
			return Plan{Kind: PlanSearch, Method: http.MethodGet, Path: module + "/search", Query: params, Reason: why}, nil
		}
		switch {
		case coqlErr != nil && err == nil && len(q.order) > 0:
			return Plan{}, fmt.Errorf("%w; search could send the conditions, but not with OrderBy", coqlErr)
		case coqlErr != nil && err == nil:
			return Plan{}, fmt.Errorf("%w; search could send the conditions, but reaches only the first %d records", coqlErr, pageWindow)
		case coqlErr != nil:
			return Plan{}, fmt.Errorf("%w; search cannot either: %s", coqlErr, strings.TrimPrefix(err.Error(), "zohohub: "))
		}
	}
	if coqlErr != nil {
		return Plan{}, coqlErr
	}
	why := "COQL: "
	switch {
	case len(q.order) > 0:
		why += "ordering"
	case !filtered && q.offset >= pageWindow:
		why += fmt.Sprintf("offset beyond the %d records pages reach", pageWindow)
	case !filtered:
		why += "no conditions"
	case searchErr != nil:
		why += "operators or condition count beyond search"
	default:
		why += fmt.Sprintf("results may exceed search's %d", pageWindow)
	}
	return Plan{Kind: PlanCOQL, Method: http.MethodPost, Path: "coql", COQL: stmt, Reason: why}, nil
}

func (q Query[T]) coql(fields []string, cond Condition, filtered bool, offset, count int) (string, error) {
	var b strings.Builder
	b.WriteString("select " + strings.Join(fields, ", ") + " from " + q.rs.module())
	if filtered {
		w, err := cond.coql()
		if err != nil {
			return "", err
		}
		b.WriteString(" where " + w)
	} else {
		b.WriteString(" where id is not null") // Zoho's COQL has wanted a WHERE clause
	}
	if len(q.order) > 0 {
		parts := make([]string, len(q.order))
		for i, o := range q.order {
			parts[i] = o.field + map[bool]string{false: " asc", true: " desc"}[o.desc]
		}
		b.WriteString(" order by " + strings.Join(parts, ", "))
	} else {
		b.WriteString(" order by id asc") // stable paging
	}
	fmt.Fprintf(&b, " limit %d, %d", offset, count)
	return b.String(), nil
}

// pageInfo is the info object of a list, search or COQL answer. Count
// and Page are the page's own (nil when absent).
type pageInfo struct {
	MoreRecords   bool   `json:"more_records"`
	NextPageToken string `json:"next_page_token"`
	Count         *int   `json:"count"`
	Page          *int   `json:"page"`
}

// decode reads the info object raw as encoding/json reads it into p (keys
// matched without regard to case, null leaves a value as it is and a
// pointer nil, a value of another type is an error), without calling it:
// its engine changes with GOEXPERIMENT=jsonv2 (TestPageInfoDecodeMatches
// EncodingJSON).
func (p *pageInfo) decode(raw []byte) error {
	end, err := walkObject(raw, 0, func(key []byte, vs int) (int, error) {
		ve, err := skipValue(raw, vs)
		if err != nil {
			return 0, err
		}
		val := raw[vs:ve]
		name, err := unquote(key)
		if err != nil {
			return 0, err
		}
		switch {
		case strings.EqualFold(name, "more_records"):
			err = decodeInfoBool(&p.MoreRecords, val)
		case strings.EqualFold(name, "next_page_token"):
			err = setJSONText(&p.NextPageToken, val)
		case strings.EqualFold(name, "count"):
			err = decodeInfoInt(&p.Count, val)
		case strings.EqualFold(name, "page"):
			err = decodeInfoInt(&p.Page, val)
		}
		if err != nil {
			return 0, fmt.Errorf("info member %s: %w", key, err)
		}
		return ve, nil
	})
	if err != nil {
		return err
	}
	return checkTrailing(raw, end)
}

func decodeInfoBool(dst *bool, val []byte) error {
	switch string(val) {
	case "null":
	case "true", "false":
		*dst = string(val) == "true"
	default:
		return errors.New("expected a boolean")
	}
	return nil
}

func decodeInfoInt(dst **int, val []byte) error {
	if string(val) == "null" {
		*dst = nil
		return nil
	}
	if val[0] != '-' && (val[0] < '0' || val[0] > '9') || !isJSONNumber(val) {
		return errors.New("expected a number")
	}
	n, err := strconv.ParseInt(string(val), 10, strconv.IntSize)
	if err != nil {
		return fmt.Errorf("%s is not an int", val)
	}
	v := int(n)
	*dst = &v
	return nil
}

// All returns the matching records, streamed page by page: only one page
// is held in memory. The iteration stops at the first error, which it
// yields.
func (q Query[T]) All(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		p, err := q.plan()
		if err != nil {
			yield(nil, err)
			return
		}
		inc, err := q.checkIncludes()
		if err != nil {
			yield(nil, err)
			return
		}
		remaining := q.limit
		emit := func(recs []*T) bool {
			if q.limit > 0 {
				recs = recs[:min(len(recs), remaining)]
			}
			if err := q.loadIncludes(ctx, inc, recs); err != nil {
				yield(nil, err)
				return false
			}
			for _, r := range recs {
				if q.limit > 0 && remaining == 0 {
					return false
				}
				remaining--
				if !yield(r, nil) {
					return false
				}
			}
			return q.limit == 0 || remaining > 0
		}
		switch p.Kind {
		case PlanCOQL:
			q.allCOQL(ctx, emit, yield)
		default:
			q.allPaged(ctx, p, emit, yield)
		}
	}
}

// allPaged pages a list or search: page numbers up to Zoho's 2000-record
// window, then (list only) page_token. Every page is checked (pageGuard).
func (q Query[T]) allPaged(ctx context.Context, p Plan, emit func([]*T) bool, yield func(*T, error) bool) {
	skip := q.offset
	page := 1 + skip/pageSize
	skip %= pageSize
	reach := pageWindow // search: page numbers only
	if p.Kind == PlanList {
		reach = listReach
	}
	guard := newPageGuard(p.Method, p.Path, pageSize, (reach-(page-1)*pageSize)/pageSize)
	token := ""
	for ; ; page++ {
		v := cloneValues(p.Query)
		if token != "" {
			v.Set("page_token", token)
		} else {
			v.Set("page", strconv.Itoa(page))
		}
		req := &Request{Method: http.MethodGet, Path: p.Path, Query: v}
		if p.Kind == PlanList && !q.since.IsZero() {
			req.Header = http.Header{"If-Modified-Since": {q.since.Format(time.RFC3339)}}
		}
		recs, info, err := q.fetch(ctx, req, guard, page)
		if err != nil {
			yield(nil, err)
			return
		}
		if skip > 0 {
			recs = recs[min(skip, len(recs)):]
			skip = 0
		}
		if !emit(recs) || !info.MoreRecords {
			return
		}
		switch {
		case page*pageSize < pageWindow && token == "":
		case p.Kind == PlanList && info.NextPageToken != "":
			err = guard.next(info.NextPageToken)
			token = info.NextPageToken
		case p.Kind == PlanSearch: // a Limit within the window ends a search before: pages were short
			err = guard.bad("more_records past page %d, the last that search reaches (%d records)", page, pageWindow)
		default:
			err = fmt.Errorf("zohohub: listing %s: more records but no next_page_token past record %d", q.rs.module(), page*pageSize)
		}
		if err == nil {
			err = guard.more()
		}
		if err != nil {
			yield(nil, err)
			return
		}
	}
}

// allCOQL pages a COQL query by offset, each call continuing where the
// rows read so far end.
func (q Query[T]) allCOQL(ctx context.Context, emit func([]*T) bool, yield func(*T, error) bool) {
	fields, _ := q.selected()
	cond, filtered := q.where()
	guard := newPageGuard(http.MethodPost, "coql", coqlPageSize, max((coqlMaxOffset-q.offset+coqlPageSize-1)/coqlPageSize, 1))
	for offset := q.offset; ; {
		if offset >= coqlMaxOffset {
			yield(nil, fmt.Errorf("zohohub: COQL reaches at most %d records of %s", coqlMaxOffset, q.rs.module()))
			return
		}
		stmt, err := q.coql(fields, cond, filtered, offset, coqlPageSize)
		if err != nil {
			yield(nil, err)
			return
		}
		recs, info, err := q.fetch(ctx, &Request{Method: http.MethodPost, Path: "coql", Body: map[string]string{"select_query": stmt}, Retryable: true}, guard, 0)
		if err != nil {
			yield(nil, err)
			return
		}
		if !emit(recs) || !info.MoreRecords {
			return
		}
		if err := guard.more(); err != nil {
			yield(nil, err)
			return
		}
		offset += len(recs)
	}
}

// fetch sends one page request and decodes its records and info, which
// guard checks; page is the page number asked for (0: none).
func (q Query[T]) fetch(ctx context.Context, req *Request, guard *pageGuard, page int) ([]*T, pageInfo, error) {
	resp, release, err := q.rs.c.do(ctx, req)
	if err != nil {
		return nil, pageInfo{}, err
	}
	defer release()
	recs, rawInfo, err := q.rs.decodePage(resp.Body)
	if err != nil {
		return nil, pageInfo{}, err
	}
	var info pageInfo
	if len(rawInfo) > 0 && !isNull(rawInfo) {
		if err := info.decode(rawInfo); err != nil {
			return nil, pageInfo{}, &APIError{StatusCode: resp.StatusCode, Method: req.Method, Path: req.Path, Index: -1, Message: "decoding info: " + err.Error(), badResponse: true}
		}
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = q.rs.model(r).ID
	}
	if err := guard.check(ids, info, page); err != nil {
		return nil, pageInfo{}, err
	}
	return recs, info, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// Collect returns all matching records in a slice.
func (q Query[T]) Collect(ctx context.Context) ([]*T, error) {
	var out []*T
	for r, err := range q.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// First returns the first matching record, or an error that errors.Is
// ErrNotFound.
func (q Query[T]) First(ctx context.Context) (*T, error) {
	for r, err := range q.Limit(1).All(ctx) {
		return r, err
	}
	return nil, fmt.Errorf("zohohub: no %s record matches: %w", q.rs.module(), ErrNotFound)
}

// Count returns the number of matching records: with Zoho's
// actions/count when no condition or only search conditions are given,
// otherwise by reading the ids through COQL.
func (q Query[T]) Count(ctx context.Context) (int, error) {
	if q.related != nil {
		return q.countIDs(ctx) // Zoho counts no related list
	}
	if err := q.rs.check(); err != nil {
		return 0, err
	}
	cond, filtered := q.where()
	params, searchErr := cond.searchParams()
	if !filtered || searchErr == nil {
		v := url.Values{}
		if filtered {
			v = params
		}
		var out struct {
			Count *int `json:"count"`
		}
		path := q.rs.module() + "/actions/count"
		resp, err := q.rs.c.DoJSON(ctx, &Request{Path: path, Query: v}, &out)
		switch {
		case err != nil:
			return 0, err
		case out.Count == nil:
			return 0, badResponse(resp.StatusCode, http.MethodGet, path, resp.Body, "answer without a count (spec/oas/record_count.json: always {\"count\":n})")
		case *out.Count < 0:
			return 0, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("negative count %d", *out.Count))
		}
		return *out.Count, nil
	}
	return q.countIDs(ctx)
}

// countIDs counts the matching records by reading their ids, a page a
// request, for what actions/count cannot count.
func (q Query[T]) countIDs(ctx context.Context) (int, error) {
	n := 0
	for _, err := range q.Select("id").Limit(0).Offset(0).All(ctx) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
