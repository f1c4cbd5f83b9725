package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// RecordSet is the typed handle on the records of one module: T is a
// struct type that embeds Model and names its module (see [Moduler]).
// Methods take and return *T. A RecordSet is safe for concurrent use; the
// records it returns are not.
type RecordSet[T any] struct {
	c    *Client
	info *typeInfo
	err  error // why T cannot be a record type; every method returns it

	triggers *[]Trigger // nil: Zoho's default (all automation runs)
}

// Records returns the handle on the records of T's module. The type is
// inspected once per Client; a type that cannot be a record (no embedded
// Model, no module, two fields with one API name, …) makes every method
// return an error saying why, before any request is sent.
func Records[T any](c *Client) *RecordSet[T] {
	rs := &RecordSet[T]{c: c}
	if rs.err = c.check(); rs.err != nil {
		return rs
	}
	rs.info, rs.err = c.recordType(reflect.TypeFor[T]())
	return rs
}

// Err reports why T cannot be used as a record type, or nil.
func (rs *RecordSet[T]) Err() error { return rs.check() }

// Module returns the API name of the module, such as "Accounts".
func (rs *RecordSet[T]) Module() string { return rs.module() }

// Trigger names automation Zoho runs when records are written.
type Trigger string

// The automation a write can trigger. By default Zoho runs all of it.
const (
	TriggerWorkflow      Trigger = "workflow"
	TriggerApproval      Trigger = "approval"
	TriggerBlueprint     Trigger = "blueprint"
	TriggerPathfinder    Trigger = "pathfinder"
	TriggerOrchestration Trigger = "orchestration"
)

// WithTriggers returns a copy of the handle whose writes run only the
// given automation (Zoho's "trigger" list). With no arguments, writes run
// none; see NoTriggers. Deletes honour TriggerWorkflow (wf_trigger).
func (rs *RecordSet[T]) WithTriggers(triggers ...Trigger) *RecordSet[T] {
	cp := *rs
	ts := append([]Trigger{}, triggers...)
	cp.triggers = &ts
	return &cp
}

// NoTriggers returns a copy of the handle whose writes run no workflow,
// approval, blueprint or other automation.
func (rs *RecordSet[T]) NoTriggers() *RecordSet[T] { return rs.WithTriggers() }

// ---- helpers the query builder shares ----

// errNoRecordSet is the error of a RecordSet not made by Records.
var errNoRecordSet = errors.New("zohohub: RecordSet not created with zohohub.Records")

// check returns why T cannot be a record type, or nil. A nil or zero
// RecordSet (so also a zero Query) has no type info and no client.
func (rs *RecordSet[T]) check() error {
	if rs == nil || rs.info == nil && rs.err == nil {
		return errNoRecordSet
	}
	return rs.err
}

// module returns the module's API name ("" when T is not a record type).
func (rs *RecordSet[T]) module() string {
	if rs == nil || rs.info == nil {
		return ""
	}
	return rs.info.module
}

// apiNames returns the API names T maps, id excepted, for a "fields"
// parameter. The caller may not modify the slice.
func (rs *RecordSet[T]) apiNames() []string {
	if rs == nil || rs.info == nil {
		return nil
	}
	return rs.info.listNames
}

// fieldType returns the Go type of the field mapped to apiName.
func (rs *RecordSet[T]) fieldType(apiName string) (reflect.Type, bool) {
	if rs == nil || rs.info == nil {
		return nil, false
	}
	f, ok := rs.info.byName[apiName]
	if !ok {
		return nil, false
	}
	return f.typ, true
}

// decodeOne decodes one record object. The record keeps raw (not a copy)
// as its snapshot and its unmapped members, so raw must not be modified
// afterwards.
func (rs *RecordSet[T]) decodeOne(raw json.RawMessage) (*T, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	// A record without its id would be inserted again by a Save.
	if _, err := answeredID(raw, ""); err != nil {
		return nil, fmt.Errorf("zohohub: decoding %s record: %w", rs.info.module, err)
	}
	rec := new(T)
	rv := reflect.ValueOf(rec).Elem()
	if err := rs.info.decodeInto(rv, raw); err != nil {
		return nil, fmt.Errorf("zohohub: decoding %s record: %w", rs.info.module, err)
	}
	m := rv.FieldByIndex(rs.info.modelIndex).Addr().Interface().(*Model)
	m.snap, m.extraInSnap = raw, true
	m.bind(rs.info, rec)
	rs.takeShadow(rec, m, nil)
	return rec, nil
}

// decodePage decodes a list response body {"data":[…],"info":{…}} in one
// pass, returning the records and the raw info object (nil when absent).
// An empty body (204) is an empty page.
func (rs *RecordSet[T]) decodePage(body []byte) ([]*T, json.RawMessage, error) {
	if err := rs.check(); err != nil {
		return nil, nil, err
	}
	if len(trimJSON(body)) == 0 {
		return nil, nil, nil
	}
	var recs []*T
	var info json.RawMessage
	in := rs.info.internTable()
	defer rs.info.putInterns(in)
	slab := shadowSlab[T]{want: int(rs.info.pageRecords.Load())}
	end, err := walkObject(body, 0, func(key []byte, vs int) (int, error) {
		if string(key) == `"data"` && body[vs] != 'n' { // not null
			return walkArray(body, vs, func(es int) (int, error) {
				rec, ee, err := rs.decodeAt(in, body, es, &slab)
				recs = append(recs, rec)
				return ee, err
			})
		}
		ve, err := skipValue(body, vs)
		if err == nil && string(key) == `"info"` {
			info = body[vs:ve]
		}
		return ve, err
	})
	if err == nil {
		err = checkTrailing(body, end)
	}
	if n := len(recs); n > 0 && n <= coqlPageSize {
		rs.info.pageRecords.Store(int32(n))
	}
	var recErr *recordError
	switch {
	case errors.As(err, &recErr):
		return nil, nil, recErr.err
	case err != nil:
		return nil, nil, fmt.Errorf("zohohub: decoding %s page: %w", rs.module(), wrongAnswer{err})
	}
	return recs, info, nil
}

// recordError carries the error of one record of a page out of the walk.
type recordError struct{ err error }

func (e *recordError) Error() string { return e.err.Error() }

// decodeAt decodes the record object at b[i] in place, as decodeOne does,
// and returns the index just past it. The record keeps its bytes as its
// snapshot.
func (rs *RecordSet[T]) decodeAt(in *internTable, b []byte, i int, slab *shadowSlab[T]) (*T, int, error) {
	rec := new(T)
	rv := reflect.ValueOf(rec).Elem()
	var ids memberCount
	end, err := rs.info.decodeAt(in, rv, b, i, &ids)
	if err == nil {
		_, err = ids.checkID("")
	}
	if err != nil {
		// decodeOne says what is wrong as it always has: an id it cannot
		// trust before anything else.
		ve, serr := skipValue(b, i)
		if serr != nil {
			return nil, 0, serr
		}
		if _, oneErr := rs.decodeOne(b[i:ve]); oneErr != nil {
			err = oneErr
		}
		return nil, 0, &recordError{err}
	}
	m := rv.FieldByIndex(rs.info.modelIndex).Addr().Interface().(*Model)
	m.snap, m.extraInSnap, m.snapAllMapped = b[i:end], true, ids.unmapped == 0
	m.bind(rs.info, rec)
	rs.takeShadow(rec, m, slab)
	return rec, end, nil
}

// Decode decodes a Zoho response body shaped {"data":[…]} — the answer of
// a list, search or COQL request sent with Client.Do — into records that,
// like those Find returns, save only what changes afterwards. An empty
// body (204) is no records. The records keep parts of body, which must not
// be modified afterwards.
func (rs *RecordSet[T]) Decode(body []byte) ([]*T, error) {
	recs, _, err := rs.decodePage(body)
	return recs, err
}

// model returns the Model embedded in rec.
func (rs *RecordSet[T]) model(rec *T) *Model {
	return reflect.ValueOf(rec).Elem().FieldByIndex(rs.info.modelIndex).Addr().Interface().(*Model)
}

// ---- reads ----

// notFound is the error of a record that does not exist: it matches
// ErrNotFound and wraps Zoho's error saying so, when there was one.
func notFound(module, id string, cause error) error {
	return &notFoundError{module: module, id: id, cause: cause}
}

type notFoundError struct {
	module, id string
	cause      error
}

func (e *notFoundError) Error() string {
	s := "zohohub: " + e.module + " record " + e.id + " not found"
	if e.cause != nil {
		s += " (" + strings.TrimPrefix(e.cause.Error(), "zohohub: ") + ")"
	}
	return s
}

func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }
func (e *notFoundError) Unwrap() error        { return e.cause }

// isNotFoundError reports whether Zoho's error means "no such record".
func isNotFoundError(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case "RESOURCE_NOT_FOUND", "RECORD_NOT_FOUND", "NOT_FOUND":
		return true
	case "INVALID_DATA":
		return e.APIName() == "id" || strings.Contains(e.Message, "id given") ||
			strings.Contains(e.Message, "not deleted") || e.Details["id"] != nil
	}
	return false
}

// Find returns the record with the given id (GET {module}/{id}), with
// every field Zoho returns, subforms included. A missing record is an
// error matching ErrNotFound.
func (rs *RecordSet[T]) Find(ctx context.Context, id string) (*T, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	if err := checkID("Find", rs.info.module, id); err != nil {
		return nil, err
	}
	path := rs.info.module + "/" + id
	resp, release, err := rs.c.do(ctx, &Request{Method: http.MethodGet, Path: path})
	if err != nil {
		if isNotFoundError(err) {
			return nil, notFound(rs.info.module, id, err)
		}
		return nil, err
	}
	recs, _, err := rs.decodePage(resp.Body)
	release()
	switch {
	case err != nil:
		return nil, err
	case len(recs) == 0:
		return nil, notFound(rs.info.module, id, nil)
	case len(recs) > 1:
		return nil, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("%d records for one id", len(recs)))
	}
	if got := rs.model(recs[0]).ID; got != id {
		return nil, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("answer is about record %s, not %s", got, id))
	}
	return recs[0], nil
}

// FindMany returns the records with the given ids, in the order of ids,
// fetched 100 ids a request (requests sent concurrently). Ids that match no
// record are left out, as in SQL's IN; duplicates are returned once.
// The fields parameter names the type's mapped fields; a type mapping more
// than 50 fields is read in groups of 50 and merged.
func (rs *RecordSet[T]) FindMany(ctx context.Context, ids ...string) ([]*T, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	var uniq []string
	seen := map[string]bool{}
	for _, id := range ids {
		if err := checkID("FindMany", rs.info.module, id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) == 0 {
		return nil, nil
	}
	idChunks := slices.Collect(slices.Chunk(uniq, maxIDsPerRequest))
	fieldGroups := slices.Collect(slices.Chunk(rs.info.listNames, maxFieldsParam))
	if len(fieldGroups) == 0 {
		fieldGroups = [][]string{{"id"}}
	}
	pages := make([][]*T, len(idChunks)*len(fieldGroups))
	errs := make([]error, len(pages))
	rs.c.runConcurrently(len(pages), func(k int) {
		ic, fg := idChunks[k/len(fieldGroups)], fieldGroups[k%len(fieldGroups)]
		q := url.Values{"ids": {strings.Join(ic, ",")}, "fields": {strings.Join(fg, ",")}}
		resp, err := rs.c.Do(ctx, &Request{Method: http.MethodGet, Path: rs.info.module, Query: q})
		if err == nil {
			pages[k], _, err = rs.decodePage(resp.Body)
		}
		errs[k] = err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	byID := map[string]*T{}
	merged := false
	for _, page := range pages {
		for _, rec := range page {
			m := rs.model(rec)
			if !seen[m.ID] {
				return nil, badResponse(http.StatusOK, http.MethodGet, rs.info.module, nil, "answer holds record "+m.ID+", which was not asked for")
			}
			prev, ok := byID[m.ID]
			if !ok {
				byID[m.ID] = rec
				continue
			}
			// Another group of fields of a record already read: merge.
			pv := reflect.ValueOf(prev).Elem()
			if err := rs.info.decodeInto(pv, m.snap); err != nil {
				return nil, err
			}
			rs.model(prev).keepUnmapped(m.snap)
			merged = true
		}
	}
	out := make([]*T, 0, len(byID))
	for _, id := range uniq {
		rec, ok := byID[id]
		if !ok {
			continue
		}
		if merged {
			m := rs.model(rec)
			snap, err := rs.info.encodeObject(nil, reflect.ValueOf(rec).Elem(), encodeSnapshot, nil)
			if err != nil {
				return nil, err
			}
			m.keepUnmapped(nil)
			m.snap = snap
			rs.takeShadow(rec, m, nil)
		}
		out = append(out, rec)
	}
	return out, nil
}

// runConcurrently calls fn(0) … fn(n-1), at most c.Concurrency() at once.
// (Do bounds requests in flight too; this bounds the goroutines.)
func (c *Client) runConcurrently(n int, fn func(i int)) {
	if n == 1 {
		fn(0)
		return
	}
	g := c.newWorkers()
	for i := range n {
		g.run(func() { fn(i) })
	}
	g.wait()
}

// workers runs functions on goroutines, at most its client's concurrency at
// once: run waits for a free slot.
type workers struct {
	wg      sync.WaitGroup
	slots   chan struct{}
	started int // functions run so far
}

func (c *Client) newWorkers() *workers { return &workers{slots: make(chan struct{}, c.Concurrency())} }

func (g *workers) run(fn func()) {
	g.started++
	g.slots <- struct{}{}
	g.wg.Go(func() {
		defer func() { <-g.slots }()
		fn()
	})
}

// wait returns when every function run has returned.
func (g *workers) wait() { g.wg.Wait() }

// ---- writes ----

// prepare checks rec and binds it to the set's type, applying values Set
// was given before the type was known.
func (rs *RecordSet[T]) prepare(op string, rec *T) (*Model, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("zohohub: %s %s: nil record", op, rs.info.module)
	}
	m := rs.model(rec)
	m.bind(rs.info, rec)
	if err := m.applyPending(); err != nil {
		return nil, err
	}
	return m, nil
}

// appendSet appends the unmapped members given to Set to an object being
// written (b ends with '}').
func appendSet(b []byte, m *Model) []byte {
	if len(m.set) == 0 {
		return b
	}
	b = b[:len(b)-1]
	for _, k := range slices.Sorted(maps.Keys(m.set)) {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = appendQuoted(b, k)
		b = append(b, ':')
		b = append(b, m.set[k]...)
	}
	return append(b, '}')
}

// insertJSON is the object a new record is inserted (or upserted) with:
// its non-empty writable fields.
func (rs *RecordSet[T]) insertJSON(rec *T, m *Model) ([]byte, error) {
	return rs.appendInsertJSON(nil, rec, m)
}

// appendInsertJSON appends insertJSON's object to b.
func (rs *RecordSet[T]) appendInsertJSON(b []byte, rec *T, m *Model) ([]byte, error) {
	b, err := rs.info.encodeObject(b, reflect.ValueOf(rec).Elem(), encodeInsert, nil)
	if err != nil {
		return nil, fmt.Errorf("zohohub: %s: %w", rs.info.module, err)
	}
	return appendSet(b, m), nil
}

// updateJSON is the object an existing record is updated with: its id and
// the writable fields whose value differs from the snapshot. changed is
// false when there is nothing to send.
func (rs *RecordSet[T]) updateJSON(rec *T, m *Model) (b []byte, changed bool, err error) {
	return rs.appendUpdateJSON(nil, rec, m)
}

// appendUpdateJSON appends updateJSON's object to b, comparing rec with its
// shadow when it has one of its snapshot, else with the snapshot.
func (rs *RecordSet[T]) appendUpdateJSON(b []byte, rec *T, m *Model) (_ []byte, changed bool, err error) {
	cur := reflect.ValueOf(rec).Elem()
	if sh, ok := m.shadowOf(); ok {
		b, changed, err = rs.info.appendChanges(b, cur, unsafe.Pointer(rec), unsafe.Pointer(sh.(*T)))
	} else {
		b, changed, err = rs.info.appendSnapshotChanges(b, cur, m.snap)
	}
	if err != nil {
		return nil, false, fmt.Errorf("zohohub: %s record %s: %w", rs.info.module, m.ID, err)
	}
	if len(m.set) > 0 {
		changed = true
		b = appendSet(b, m)
	}
	return b, changed, nil
}

// appendSnapshotChanges is appendChanges comparing the record cur with
// its JSON snapshot snap.
func (ti *typeInfo) appendSnapshotChanges(b []byte, cur reflect.Value, snap []byte) (_ []byte, changed bool, err error) {
	var buf [64]fieldDiff
	diffs := buf[:0]
	if n := len(ti.fields); n <= len(buf) {
		diffs = buf[:n]
	} else {
		diffs = make([]fieldDiff, n)
	}
	old, err := ti.diffSnapshot(cur, snap, diffs)
	if err != nil {
		return nil, false, fmt.Errorf("reading snapshot: %w", err)
	}
	include := func(f *fieldInfo) bool {
		if f == ti.idField {
			return true
		}
		var differs bool
		switch diffs[f.pos] {
		case diffSame:
			return false
		case diffChanged:
			differs = true
		case diffDecoded:
			differs = f.changed(cur.FieldByIndex(f.index), old.FieldByIndex(f.index))
		default: // not in the snapshot: it was empty
			differs = f.changed(cur.FieldByIndex(f.index), reflect.Zero(f.typ))
		}
		changed = changed || differs
		return differs
	}
	b, err = ti.encodeObject(b, cur, encodeFull, include)
	return b, changed, err
}

// Changes returns the API names of the fields a Save of rec would send:
// the mapped fields changed since it was read or last saved, and unmapped
// fields given to Set. For a new record it is every non-empty field.
func (rs *RecordSet[T]) Changes(rec *T) ([]string, error) {
	m, err := rs.prepare("Changes", rec)
	if err != nil {
		return nil, err
	}
	var obj []byte
	if m.IsNew() {
		obj, err = rs.insertJSON(rec, m)
	} else {
		obj, _, err = rs.updateJSON(rec, m)
	}
	if err != nil {
		return nil, err
	}
	var names []string
	err = eachMember(obj, func(key, _ []byte) error {
		k, err := unquote(key)
		if k != "id" {
			names = append(names, k)
		}
		return err
	})
	return names, err
}

// writeBody is the body of an insert, update or upsert.
type writeBody struct {
	Data                 []json.RawMessage `json:"data"`
	Trigger              *[]Trigger        `json:"trigger,omitempty"`
	DuplicateCheckFields []string          `json:"duplicate_check_fields,omitempty"`
}

// writeBodyOf is the body of a write of the records objs: the bytes
// json.Marshal writes for their writeBody (TestWriteBodyJSON), put
// together without encoding/json compacting each object again. The
// record encoders write compact JSON as encoding/json does, except for a
// json.RawMessage field, so the writeBody of a type holding one is left to
// json.Marshal (Client.do).
func (rs *RecordSet[T]) writeBodyOf(objs [][]byte, dup []string) any {
	if rs.info.rawJSON {
		body := writeBody{Data: make([]json.RawMessage, len(objs)), Trigger: rs.triggers, DuplicateCheckFields: dup}
		for i, obj := range objs {
			body.Data[i] = obj
		}
		return body
	}
	return writeBodyJSON(objs, rs.triggers, dup)
}

// writeBodyJSON appends the writeBody of objs as json.Marshal would,
// taking objs as they are.
func writeBodyJSON(objs [][]byte, triggers *[]Trigger, dup []string) []byte {
	n := 64
	for _, obj := range objs {
		n += len(obj) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, writeBodyHead...)
	for i, obj := range objs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, obj...)
	}
	return appendWriteTail(b, triggers, dup)
}

// writeBodyHead begins a writeBody: its data array.
const writeBodyHead = `{"data":[`

// appendWriteTail ends a writeBody whose data array b holds (begun with
// writeBodyHead): the array closed, then the trigger and duplicate check
// fields.
func appendWriteTail(b []byte, triggers *[]Trigger, dup []string) []byte {
	b = append(b, ']')
	if triggers != nil {
		b = append(b, `,"trigger":`...)
		if *triggers == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for i, t := range *triggers {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendQuoted(b, string(t))
			}
			b = append(b, ']')
		}
	}
	if len(dup) > 0 {
		b = append(b, `,"duplicate_check_fields":[`...)
		for i, name := range dup {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuoted(b, name)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// writeResult is one element of a write response's data array.
type writeResult struct {
	Code           string          `json:"code"`
	Details        json.RawMessage `json:"details"`
	Message        string          `json:"message"`
	Status         string          `json:"status"`
	Action         string          `json:"action"`
	DuplicateField json.RawMessage `json:"duplicate_field"`

	// The id members of Details, when the scan of the answer read them
	// (idsRead): answeredID's count, for writtenID.
	detailIDs memberCount
	idsRead   bool
}

func (r *writeResult) failed() bool {
	return r.Status == "error" || r.Status != "success" && r.Code != "SUCCESS"
}

// apiError is the per-record error r describes; index is the record's
// position in the caller's slice.
func (r *writeResult) apiError(status int, method, path string, index int) *APIError {
	e := &APIError{StatusCode: status, Code: r.Code, Message: r.Message, Status: r.Status, Method: method, Path: path, Index: index}
	if len(r.Details) > 0 {
		var d map[string]any
		if json.Unmarshal(r.Details, &d) == nil && len(d) > 0 {
			e.Details = d
		}
	}
	return e
}

// parseWriteResults reads the data array of a write response, which must
// hold one result per record sent.
func parseWriteResults(resp *Response, method, path string, n int) ([]writeResult, error) {
	if results, ok := scanWriteResults(resp.Body, n); ok {
		return results, nil
	}
	var body struct {
		Data []writeResult `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || len(body.Data) != n {
		why := fmt.Sprintf("write response holds %d results for %d records", len(body.Data), n)
		if err != nil {
			why = "decoding write response: " + err.Error()
		}
		return nil, &APIError{StatusCode: resp.StatusCode, Method: method, Path: path, Index: -1, Message: why, badResponse: true}
	}
	return body.Data, nil
}

// applyDetails copies the system fields of a successful write's details
// (id, Created_Time, Modified_By, …) into rec and makes the record as now
// written its new snapshot. sent is what the write sent, nil when unknown.
//
// With sent, the snapshot is the old one (for an update, which sends only
// changes) followed by the members sent and then by the details, later
// members winning, rather than the record encoded again: what a later save
// compares with is the same (FuzzMergedSnapshot). A field an update did
// not send was the same as the old snapshot's value (the equivalence
// changed tests), a field sent is the value sent, one an insert did not
// send is empty, and the details are what Zoho set (left out when they
// hold only the id and read-only fields, which a save never compares). A
// merged snapshot is encoded again at the next write, so that it never
// holds more than one write.
//
// With shadow, the record keeps a shadow of its new snapshot (shadow.go);
// without, its next save compares with the snapshot.
func (rs *RecordSet[T]) applyDetails(rec *T, m *Model, details json.RawMessage, sent *sentObject, shadow bool) error {
	rv := reflect.ValueOf(rec).Elem()
	var count memberCount
	if len(details) > 0 && !isNull(details) {
		if err := rs.info.decodeCounting(rv, details, &count); err != nil {
			return fmt.Errorf("zohohub: %s: reading write result: %w", rs.info.module, wrongAnswer{err})
		}
	}
	if count.writable == 0 {
		details = nil // id and system fields, which a save never compares
	}
	var snap []byte
	var updated *T // the new snapshot's shadow, when not a copy of rec
	merged, copyRec := false, true
	switch {
	case sent != nil && sent.update && !m.snapMerged:
		merged = len(m.snap) > 0
		if shadow {
			updated, _ = rs.shadowAfterUpdate(rec, m, sent.obj, details)
		}
		copyRec = !merged
		snap = mergeObjects(m.snap, sent.obj, details)
	case sent != nil && !sent.update && details == nil:
		snap = sent.obj // the write's own copy, not used after it
	case sent != nil && !sent.update:
		snap = mergeObjects(sent.obj, details)
	default:
		var err error
		if snap, err = rs.info.encodeObject(nil, rv, encodeSnapshot, nil); err != nil {
			return err
		}
	}
	m.saved(snap)
	m.snapMerged = merged
	// An insert's snapshot and a snapshot encoded from rec hold what rec
	// holds; an update's merged one holds the old values of the fields it
	// did not send, which rec may hold in a form Zoho stores the same.
	switch {
	case !shadow:
	case updated != nil:
		m.setShadow(updated)
	case copyRec:
		rs.takeShadow(rec, m, nil)
	}
	return nil
}

// sentObject is the object a write sent for a record; update: it holds
// only the fields that changed (updateJSON), not every non-empty one
// (insertJSON).
type sentObject struct {
	obj    []byte
	update bool
}

// mergeObjects returns one JSON object holding the members of each object
// of parts in turn (nil and null parts are skipped).
func mergeObjects(parts ...[]byte) []byte {
	n := 2
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for _, p := range parts {
		p = trimJSON(p)
		if len(p) < 2 || p[0] != '{' {
			continue
		}
		inner := trimJSON(p[1 : len(p)-1])
		if len(inner) == 0 {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, inner...)
	}
	return append(b, '}')
}

// writeOne sends a one-record write and returns its result, whose
// details.id is checked: the id of the record written, which must be want
// when the write names a record (want "": a new record).
func (rs *RecordSet[T]) writeOne(ctx context.Context, method, path string, obj []byte, dup []string, want string) (*writeResult, error) {
	body := rs.writeBodyOf([][]byte{obj}, dup)
	resp, release, err := rs.c.do(ctx, &Request{Method: method, Path: path, Body: body})
	defer release()
	if err != nil {
		var e *APIError
		if errors.As(err, &e) && e.Index < 0 && e.Code != "" && isRecordError(e) {
			e.Index = 0
		}
		return nil, err
	}
	results, err := parseWriteResults(resp, method, path, 1)
	if err != nil {
		return nil, err
	}
	if results[0].failed() {
		return nil, results[0].apiError(resp.StatusCode, method, path, 0)
	}
	if err := results[0].checkWritten(resp.StatusCode, method, path, want); err != nil {
		return nil, err
	}
	return &results[0], nil
}

// isRecordError reports whether a request-level error is really the error
// of a record (Zoho wraps per-record errors in data[] even when all fail).
func isRecordError(e *APIError) bool {
	jp, _ := e.Details["json_path"].(string)
	return strings.HasPrefix(jp, "$.data[")
}

// Save writes rec: a record without an ID is inserted (POST; ID and the
// system fields are set from Zoho's answer); a record with an ID is
// updated with only the fields changed since it was read or last saved
// (PUT), and nothing is sent when nothing changed.
//
// Empty values: on insert, empty non-pointer fields are left out (Zoho
// applies its defaults). On update, a field changed to its zero value is
// sent as null so Zoho clears it (false is sent as false); a pointer field
// sends exactly what it points to, and nil as null.
func (rs *RecordSet[T]) Save(ctx context.Context, rec *T) error {
	m, err := rs.prepare("Save", rec)
	if err != nil {
		return err
	}
	if m.IsNew() {
		obj, err := rs.insertJSON(rec, m)
		if err != nil {
			return err
		}
		res, err := rs.writeOne(ctx, http.MethodPost, rs.info.module, obj, nil, "")
		if err != nil {
			return err
		}
		return rs.applyDetails(rec, m, res.Details, &sentObject{obj: obj}, true)
	}
	obj, changed, err := rs.updateJSON(rec, m)
	if err != nil || !changed {
		return err
	}
	res, err := rs.writeOne(ctx, http.MethodPut, rs.info.module, obj, nil, m.ID)
	if err != nil {
		if isNotFoundError(err) {
			return notFound(rs.info.module, m.ID, err)
		}
		return err
	}
	return rs.applyDetails(rec, m, res.Details, &sentObject{obj: obj, update: true}, true)
}

// Upsert inserts rec, or updates the record that has the same values in
// duplicateCheckFields (API names; by default Zoho's duplicate-check
// fields for the module, such as Email for Leads). All non-empty writable
// fields are sent. ID and the system fields are set from Zoho's answer.
// It reports whether a record was created (false: an existing one was
// updated).
func (rs *RecordSet[T]) Upsert(ctx context.Context, rec *T, duplicateCheckFields ...string) (created bool, err error) {
	m, err := rs.prepare("Upsert", rec)
	if err != nil {
		return false, err
	}
	if err := checkNames("Upsert", duplicateCheckFields); err != nil {
		return false, err
	}
	obj, err := rs.insertJSON(rec, m)
	if err != nil {
		return false, err
	}
	res, err := rs.writeOne(ctx, http.MethodPost, rs.info.module+"/upsert", obj, duplicateCheckFields, "")
	if err != nil {
		return false, err
	}
	if err := rs.applyDetails(rec, m, res.Details, &sentObject{obj: obj}, true); err != nil {
		return false, err
	}
	return res.Action != "update", nil
}

func checkNames(op string, names []string) error {
	for _, n := range names {
		if !validAPIName(n) {
			return fmt.Errorf("zohohub: %s: %q is not a Zoho API name", op, n)
		}
	}
	return nil
}

// deleteQuery is the query of a delete of ids.
func (rs *RecordSet[T]) deleteQuery(ids []string) url.Values {
	q := url.Values{"ids": {strings.Join(ids, ",")}}
	if rs.triggers != nil && !slices.Contains(*rs.triggers, TriggerWorkflow) {
		q.Set("wf_trigger", "false")
	}
	return q
}

// Delete deletes rec (it moves to Zoho's recycle bin). A record that does
// not exist (any more) is an error matching ErrNotFound. rec keeps its
// field values; saving it again would try to update a deleted record.
func (rs *RecordSet[T]) Delete(ctx context.Context, rec *T) error {
	m, err := rs.prepare("Delete", rec)
	if err != nil {
		return err
	}
	if err := checkID("Delete", rs.info.module, m.ID); err != nil {
		return err
	}
	resp, err := rs.c.Do(ctx, &Request{Method: http.MethodDelete, Path: rs.info.module, Query: rs.deleteQuery([]string{m.ID})})
	if err == nil {
		var results []writeResult
		if results, err = parseWriteResults(resp, http.MethodDelete, rs.info.module, 1); err == nil {
			if results[0].failed() {
				err = results[0].apiError(resp.StatusCode, http.MethodDelete, rs.info.module, 0)
			} else {
				err = results[0].checkWritten(resp.StatusCode, http.MethodDelete, rs.info.module, m.ID)
			}
		}
	}
	if err != nil && isNotFoundError(err) {
		return notFound(rs.info.module, m.ID, err)
	}
	return err
}
