package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Action is what a batch did with one record.
type Action string

// The actions of a batch. docs/errors-and-limits.md tells what to do
// after each.
const (
	ActionCreated   Action = "created"
	ActionUpdated   Action = "updated"
	ActionDeleted   Action = "deleted"
	ActionUnchanged Action = "unchanged" // nothing to send, nothing sent
	// ActionFailed: the record was not written. Zoho refused it (Err is
	// its *APIError), or it was never sent (Err matches context.Canceled
	// when the context ended first). Sending it again writes it once.
	ActionFailed Action = "failed"
	// ActionUnknown: the record was sent, but whether Zoho wrote it cannot
	// be known (Err matches ErrOutcomeUnknown). Sending it again may write
	// it twice: resolve it first (ResolveUnknown), or write it with
	// UpsertAll by a unique key, which is idempotent.
	ActionUnknown Action = "unknown"
)

// RecordResult is the outcome of one record of a batch.
type RecordResult struct {
	// Index is the record's position in the slice given to the batch.
	Index int
	// ID is the record's id (set for created records).
	ID     string
	Action Action
	// Err is why the record failed or why its outcome is unknown: normally
	// an *APIError (with Zoho's code and details such as api_name), the
	// error of the request that carried it, a *FieldError for a value that
	// could not be sent, or an *OutcomeUnknownError.
	Err error
}

// BatchResult holds one RecordResult per record, in the order given.
type BatchResult struct {
	Results []RecordResult
}

// Count returns how many records had action a.
func (r BatchResult) Count(a Action) int {
	n := 0
	for _, rr := range r.Results {
		if rr.Action == a {
			n++
		}
	}
	return n
}

// Failed returns the results of the records that failed.
func (r BatchResult) Failed() []RecordResult { return r.with(ActionFailed) }

// Unknown returns the results of the records whose outcome is unknown.
func (r BatchResult) Unknown() []RecordResult { return r.with(ActionUnknown) }

func (r BatchResult) with(a Action) []RecordResult {
	var out []RecordResult
	for _, rr := range r.Results {
		if rr.Action == a {
			out = append(out, rr)
		}
	}
	return out
}

// BatchError is returned by a batch in which some records failed or have
// an unknown outcome; the others were written. errors.Is and errors.As see
// each record's error, so errors.Is(err, ErrOutcomeUnknown) tells whether
// some outcome is unknown.
type BatchError struct {
	Op       string // "SaveAll", "UpsertAll", "DeleteAll", "ResolveUnknown" or "Import"
	Module   string
	Total    int
	Failures []RecordResult // the records that failed
	Unknown  []RecordResult // the records whose outcome is unknown
}

// Error counts the records that failed and those of unknown outcome, and
// gives the first few errors.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zohohub: %s %s: ", e.Op, e.Module)
	if len(e.Failures) > 0 || len(e.Unknown) == 0 {
		fmt.Fprintf(&b, "%d of %d records failed", len(e.Failures), e.Total)
	}
	if len(e.Unknown) > 0 {
		if len(e.Failures) > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d of %d records of unknown outcome (Zoho may have written them)", len(e.Unknown), e.Total)
	}
	all := slices.Concat(e.Failures, e.Unknown)
	for i, f := range all {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(all)-i)
			break
		}
		b.WriteString("; " + describeResult(f))
	}
	return b.String()
}

// describeResult is a failed or unknown record's error, naming the record
// once.
func describeResult(f RecordResult) string {
	var apiErr *APIError
	var unknown *OutcomeUnknownError
	text := strings.TrimPrefix(fmt.Sprint(f.Err), "zohohub: ")
	if errors.As(f.Err, &unknown) && unknown.Index == f.Index || errors.As(f.Err, &apiErr) && apiErr.Index == f.Index {
		return text // it names the record
	}
	return fmt.Sprintf("record %d: %s", f.Index, text)
}

// Unwrap returns the errors of the records that failed or whose outcome
// is unknown.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failures)+len(e.Unknown))
	for _, f := range slices.Concat(e.Failures, e.Unknown) {
		errs = append(errs, f.Err)
	}
	return errs
}

// pendingWrite is one record of a batch about to be sent.
type pendingWrite[T any] struct {
	index int
	rec   *T
	m     *Model
	obj   json.RawMessage
	// frame, on the first write of a request written by writeAll, is the
	// request's body up to its last object: writeBodyHead and the
	// objects, which are slices of it. writeRequest ends the body in
	// place rather than copying every object into another buffer.
	frame []byte
}

// SaveAll saves records as Save does, 100 a request: new records are
// inserted (POST), changed ones updated (PUT), unchanged ones left alone.
// Requests are sent concurrently within the client's concurrency limit.
// The result has one entry per record. When some records fail, or their
// outcome is unknown (their request got a 5xx or lost its connection
// after it was sent), the error is a *BatchError and the others are still
// written. Inserts are never repeated, so no record is written twice by
// one call; records of unknown outcome may have been written, and saving
// them again may insert them twice: see ResolveUnknown. A nil record is an
// error and nothing is sent.
func (rs *RecordSet[T]) SaveAll(ctx context.Context, records []*T) (BatchResult, error) {
	if err := rs.check(); err != nil { // before rs.info is read
		return BatchResult{Results: make([]RecordResult, len(records))}, err
	}
	res, updates, err := rs.writeAll(ctx, "SaveAll", records, false, rs.writeRequest(http.MethodPost, rs.info.module, nil))
	if err != nil {
		return res, err
	}
	rs.sendChunks(ctx, &res, updates, rs.writeRequest(http.MethodPut, rs.info.module, nil))
	return res, rs.batchError("SaveAll", res)
}

// UpsertAll upserts records as Upsert does, 100 a request, concurrently;
// see SaveAll for results and errors. With duplicateCheckFields naming a
// unique field that every record fills, UpsertAll is idempotent: records
// whose outcome is unknown, or that failed, can be upserted again and each
// is written once.
func (rs *RecordSet[T]) UpsertAll(ctx context.Context, records []*T, duplicateCheckFields ...string) (BatchResult, error) {
	if err := checkNames("UpsertAll", duplicateCheckFields); err != nil {
		return BatchResult{}, err
	}
	if err := rs.check(); err != nil { // before rs.info is read
		return BatchResult{Results: make([]RecordResult, len(records))}, err
	}
	res, _, err := rs.writeAll(ctx, "UpsertAll", records, true, rs.writeRequest(http.MethodPost, rs.info.module+"/upsert", duplicateCheckFields))
	if err != nil {
		return res, err
	}
	return res, rs.batchError("UpsertAll", res)
}

// writeAll checks every record and encodes it. A nil record fails the
// whole call, and nothing is sent; a record whose values cannot be sent
// fails alone. The records to insert (all of them for an upsert) are sent
// with insert, 100 a request, concurrently, each request as soon as its
// records are encoded: the encoding of the next requests overlaps the
// round trips of the first. writeAll returns when they are answered, with
// the records to update, which it has not sent.
func (rs *RecordSet[T]) writeAll(ctx context.Context, op string, records []*T, upsert bool, insert func([]pendingWrite[T]) *Request) (BatchResult, []pendingWrite[T], error) {
	res := BatchResult{Results: make([]RecordResult, len(records))}
	if err := rs.check(); err != nil {
		return res, nil, err
	}
	if err := checkRecords(op, rs.info.module, records); err != nil {
		return BatchResult{}, nil, err
	}
	var inserts, updates []pendingWrite[T]
	// The objects of a request's inserts are encoded one after the other
	// into one buffer, each an exact slice of it that later becomes the
	// record's snapshot: one allocation a request, not one a record. The
	// updates' objects share one buffer too.
	// The first buffers are as large as the last full requests' were,
	// made when a record needs one: a SaveAll of updates only makes no
	// insert buffer.
	var buf, ubuf []byte
	ubufFor := -1 // the number of updates when ubuf was started
	g := rs.c.newWorkers()
	send := func(chunk []pendingWrite[T]) {
		g.run(func() { rs.sendChunk(ctx, &res, insert(chunk), chunk) })
	}
	for i, rec := range records {
		res.Results[i] = RecordResult{Index: i}
		m, err := rs.prepare(op, rec)
		if err != nil {
			res.Results[i].Action, res.Results[i].Err = ActionFailed, err
			continue
		}
		res.Results[i].ID = m.ID
		var obj []byte
		changed := true
		if upsert || m.IsNew() {
			if buf == nil {
				buf = make([]byte, 0, rs.info.insertBody.Load())
			}
			b := nextObject(&buf, len(inserts))
			start := len(b)
			if b, err = rs.appendInsertJSON(b, rec, m); err == nil {
				buf, obj = b, b[start:len(b):len(b)]
			}
		} else {
			if len(updates)%maxRecordsPerWrite == 0 && ubufFor != len(updates) {
				// A request's first update: a buffer of its own, so that its
				// body can be ended in place.
				ubuf, ubufFor = make([]byte, 0, max(len(ubuf)+len(ubuf)/8, int(rs.info.updateBody.Load()))), len(updates)
			}
			b := nextObject(&ubuf, len(updates)%maxRecordsPerWrite)
			start := len(b)
			if b, changed, err = rs.appendUpdateJSON(b, rec, m); err == nil && changed {
				ubuf, obj = b, b[start:len(b):len(b)]
			}
		}
		switch {
		case err != nil:
			res.Results[i].Action, res.Results[i].Err = ActionFailed, err
		case !changed:
			res.Results[i].Action = ActionUnchanged
		case upsert || m.IsNew():
			if inserts == nil {
				inserts = make([]pendingWrite[T], 0, min(len(records)-i, maxRecordsPerWrite))
			}
			inserts = append(inserts, pendingWrite[T]{index: i, rec: rec, m: m, obj: obj})
			if len(inserts) == maxRecordsPerWrite {
				inserts[0].frame = buf
				rs.info.insertBody.Store(bodySizeHint(buf))
				send(inserts)
				inserts, buf = nil, make([]byte, 0, len(buf)+len(buf)/8)
			}
		default:
			if updates == nil {
				updates = make([]pendingWrite[T], 0, len(records)-i) // at most the rest: no growing
			}
			updates = append(updates, pendingWrite[T]{index: i, rec: rec, m: m, obj: obj})
			if n := len(updates); n%maxRecordsPerWrite == 0 {
				updates[n-maxRecordsPerWrite].frame = ubuf
				rs.info.updateBody.Store(bodySizeHint(ubuf))
			}
		}
	}
	if n := len(updates) % maxRecordsPerWrite; n > 0 {
		updates[len(updates)-n].frame = ubuf
	}
	if len(inserts) > 0 {
		inserts[0].frame = buf
		if g.started == 0 {
			rs.sendChunk(ctx, &res, insert(inserts), inserts) // the only request: no goroutine
		} else {
			send(inserts)
		}
	}
	g.wait()
	return res, updates, nil
}

// bodySizeHint is the size the next request's buffer starts with, after a
// full request's body took len(b): a little more, so that it seldom grows,
// bounded so that one request of long texts does not make every later
// buffer as large.
func bodySizeHint(b []byte) int32 {
	return int32(min(len(b)+len(b)/8+16, maxBodySizeHint))
}

// maxBodySizeHint bounds bodySizeHint.
const maxBodySizeHint = 1 << 20

// nextObject returns the buffer of a request's body to append its next
// object to: *buf, begun with writeBodyHead for the first object (n
// objects written so far), followed by a comma for the others.
func nextObject(buf *[]byte, n int) []byte {
	b := *buf
	if len(b) == 0 {
		b = append(b, writeBodyHead...)
		*buf = b
	}
	if n > 0 {
		b = append(b, ',')
	}
	return b
}

// checkRecords refuses nil records and a record given twice (it would be
// written twice, concurrently).
func checkRecords[T any](op, module string, records []*T) error {
	seen := make(map[*T]int, len(records))
	for i, rec := range records {
		if rec == nil {
			return fmt.Errorf("zohohub: %s %s: record %d is nil; nothing was sent", op, module, i)
		}
		if j, dup := seen[rec]; dup {
			return fmt.Errorf("zohohub: %s %s: records %d and %d are the same record; nothing was sent", op, module, j, i)
		}
		seen[rec] = i
	}
	return nil
}

// writeRequest returns the request that writes a chunk of records.
func (rs *RecordSet[T]) writeRequest(method, path string, dup []string) func([]pendingWrite[T]) *Request {
	return func(chunk []pendingWrite[T]) *Request {
		if frame := chunk[0].frame; frame != nil && !rs.info.rawJSON {
			return &Request{Method: method, Path: path, Body: appendWriteTail(frame, rs.triggers, dup)}
		}
		objs := make([][]byte, len(chunk))
		for j, w := range chunk {
			objs[j] = w.obj
		}
		return &Request{Method: method, Path: path, Body: rs.writeBodyOf(objs, dup)}
	}
}

// sendChunks sends writes 100 a request, concurrently, and fills in their
// results. Each chunk writes only its own records' results: no lock needed.
func (rs *RecordSet[T]) sendChunks(ctx context.Context, res *BatchResult, writes []pendingWrite[T], request func([]pendingWrite[T]) *Request) {
	chunks := slices.Collect(slices.Chunk(writes, maxRecordsPerWrite))
	rs.c.runConcurrently(len(chunks), func(k int) {
		rs.sendChunk(ctx, res, request(chunks[k]), chunks[k])
	})
}

// sendChunk sends one request and gives each of its records the result
// Zoho's answer holds for it: data[j] for the j-th record, in a success
// (200, 201, 207) and in a refusal of all of them (400 with data[]).
// Without such an answer, every record failed or has an unknown outcome.
func (rs *RecordSet[T]) sendChunk(ctx context.Context, res *BatchResult, req *Request, chunk []pendingWrite[T]) {
	if ctx == nil {
		rs.failChunk(res, req, chunk, fmt.Errorf("zohohub: %s %s: %w", req.Method, req.Path, errNilContext), false)
		return
	}
	if err := ctx.Err(); err != nil {
		rs.failChunk(res, req, chunk, err, false) // not sent
		return
	}
	var tr sendTrace
	// The answer keeps its share of the response budget until its
	// results are settled: Do would give it back before they are parsed.
	resp, release, err := rs.c.do(tr.context(ctx), req)
	defer release()
	var results []writeResult
	status := 0
	var apiErr *APIError
	switch {
	case err == nil:
		status = resp.StatusCode
		results, err = parseWriteResults(resp, req.Method, req.Path, len(chunk))
	case errors.As(err, &apiErr) && apiErr.body != nil && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500:
		// Zoho refused every record, each with its own error.
		refused := &Response{StatusCode: apiErr.StatusCode, Body: apiErr.body}
		if r, perr := parseWriteResults(refused, req.Method, req.Path, len(chunk)); perr == nil {
			results, status, err = r, apiErr.StatusCode, nil
		}
	}
	if err != nil {
		rs.failChunk(res, req, chunk, err, rs.c.mayHaveApplied(err, &tr))
		return
	}
	for j, w := range chunk {
		rs.settle(&res.Results[w.index], req, j, w, &results[j], status, tr.resent())
	}
}

// settle records Zoho's answer r for the j-th record of req. A success is
// believed only when it names a valid record id (the id sent, for an
// update or a delete); otherwise the record may have been written but the
// answer does not say as what, and its outcome is unknown.
func (rs *RecordSet[T]) settle(rr *RecordResult, req *Request, j int, w pendingWrite[T], r *writeResult, status int, resent bool) {
	method, module := req.Method, rs.info.module
	if r.failed() {
		err := r.apiError(status, method, req.Path, w.index)
		switch {
		case method == http.MethodDelete && resent && isNotFoundError(err):
			// The request was sent again after an attempt whose answer was
			// lost: that attempt may have deleted it; it is gone.
			rr.Action, rr.Err = ActionDeleted, nil
		case (method == http.MethodDelete || method == http.MethodPut) && isNotFoundError(err):
			rr.Action, rr.Err = ActionFailed, notFound(module, w.m.ID, err)
		default:
			rr.Action, rr.Err = ActionFailed, err
		}
		return
	}
	sent := ""
	if method != http.MethodPost {
		sent = w.m.ID
	}
	id, err := r.writtenID(sent)
	if err != nil {
		bad := badResponse(status, method, req.Path, nil, err.Error())
		bad.Index = w.index
		rr.Action, rr.Err = ActionUnknown, &OutcomeUnknownError{Index: w.index, Position: j, Method: method, Path: req.Path, Err: bad}
		return
	}
	switch {
	case method == http.MethodDelete:
		rr.Action = ActionDeleted
		return
	case method == http.MethodPut || r.Action == "update":
		rr.Action = ActionUpdated
	default:
		rr.Action = ActionCreated
	}
	written := &sentObject{obj: w.obj, update: method == http.MethodPut}
	// No shadow: the records of a batch are seldom saved again, and a
	// copy of each would be garbage; a later save compares with the
	// snapshot.
	if err := rs.applyDetails(w.rec, w.m, r.Details, written, false); err != nil {
		// The write happened, as the record the id names; the other
		// system fields of the answer are unreadable, so only the id is
		// kept.
		_ = rs.applyDetails(w.rec, w.m, json.RawMessage(`{"id":"`+id+`"}`), written, false)
	}
	rr.ID = w.m.ID
}

// writtenID returns the id in the details of a successful write: a string
// that is a record id and, when sent is not empty, sent.
func writtenID(sent string, details []byte) (string, error) {
	if isNull(details) {
		return "", errors.New("success without details.id")
	}
	id, err := answeredID(details, sent)
	if err != nil {
		return "", fmt.Errorf("success without a valid details.id: %w", err)
	}
	return id, nil
}

// writtenID is writtenID of r's details, with the id members the scan of
// the answer found in them when it read them (scanDetails): the same
// checks without a second pass over the details.
func (r *writeResult) writtenID(sent string) (string, error) {
	if !r.idsRead {
		return writtenID(sent, r.Details)
	}
	id, err := r.detailIDs.checkID(sent)
	if err != nil {
		return "", fmt.Errorf("success without a valid details.id: %w", err)
	}
	return id, nil
}

// failChunk gives every record of a chunk the error of its request: an
// unknown outcome when Zoho may have applied it, else a failure. When
// Zoho's refusal names one record (details.json_path "$.data[N]…"), that
// record gets the error, and the others are told the request was refused.
func (rs *RecordSet[T]) failChunk(res *BatchResult, req *Request, chunk []pendingWrite[T], err error, unknown bool) {
	if unknown {
		for j, w := range chunk {
			res.Results[w.index].Action = ActionUnknown
			res.Results[w.index].Err = &OutcomeUnknownError{Index: w.index, Position: j, Method: req.Method, Path: req.Path, Err: err}
		}
		return
	}
	var apiErr *APIError
	pos := -1
	if errors.As(err, &apiErr) {
		if n, ok := dataIndex(apiErr.Details); ok && n < len(chunk) {
			pos = n
		}
	}
	for j, w := range chunk {
		rr := &res.Results[w.index]
		rr.Action = ActionFailed
		switch {
		case j == pos:
			e := *apiErr
			e.Index, e.body = w.index, nil
			rr.Err = &e
		case pos >= 0:
			e := *apiErr
			e.Index, e.Details, e.body = w.index, nil, nil
			e.Message = fmt.Sprintf("not written: Zoho rejected the whole request (HTTP %d; record %d: %s %s)",
				apiErr.StatusCode, chunk[pos].index, apiErr.Code, apiErr.Message)
			e.Code = ""
			rr.Err = &e
		default:
			rr.Err = err
		}
	}
}

func (rs *RecordSet[T]) batchError(op string, res BatchResult) error {
	failed, unknown := res.Failed(), res.Unknown()
	if len(failed) == 0 && len(unknown) == 0 {
		return nil
	}
	return &BatchError{Op: op, Module: rs.info.module, Total: len(res.Results), Failures: failed, Unknown: unknown}
}

// DeleteAll deletes records, 100 ids a request, concurrently; see SaveAll
// for results and errors. A record Zoho says does not exist failed with
// an error matching ErrNotFound, except when its request had to be sent
// again (after a 5xx or a lost connection): an earlier attempt may have
// deleted it, and it is gone, so it is reported deleted. A nil record or
// one without an ID is an error and nothing is sent.
func (rs *RecordSet[T]) DeleteAll(ctx context.Context, records []*T) (BatchResult, error) {
	res := BatchResult{Results: make([]RecordResult, len(records))}
	if err := rs.check(); err != nil {
		return res, err
	}
	if err := checkRecords("DeleteAll", rs.info.module, records); err != nil {
		return BatchResult{}, err
	}
	writes := make([]pendingWrite[T], 0, len(records))
	for i, rec := range records {
		m := rs.model(rec)
		if err := checkID("DeleteAll", rs.info.module, m.ID); err != nil {
			return BatchResult{}, fmt.Errorf("%w (record %d); nothing was sent", err, i)
		}
		res.Results[i] = RecordResult{Index: i, ID: m.ID}
		writes = append(writes, pendingWrite[T]{index: i, rec: rec, m: m})
	}
	rs.sendChunks(ctx, &res, writes, func(chunk []pendingWrite[T]) *Request {
		ids := make([]string, len(chunk))
		for j, w := range chunk {
			ids[j] = w.m.ID
		}
		return &Request{Method: http.MethodDelete, Path: rs.info.module, Query: rs.deleteQuery(ids)}
	})
	return res, rs.batchError("DeleteAll", res)
}
