package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Action is what a batch did with one record.
type Action string

// The actions of a batch.
const (
	ActionCreated   Action = "created"
	ActionUpdated   Action = "updated"
	ActionDeleted   Action = "deleted"
	ActionUnchanged Action = "unchanged" // nothing to send, nothing sent
	ActionFailed    Action = "failed"
)

// RecordResult is the outcome of one record of a batch.
type RecordResult struct {
	// Index is the record's position in the slice given to the batch.
	Index int
	// ID is the record's id (set for created records).
	ID     string
	Action Action
	// Err is why the record failed: normally an *APIError (with Zoho's
	// code and details such as api_name), or the error of the request that
	// carried it, or a *FieldError for a value that could not be sent.
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
func (r BatchResult) Failed() []RecordResult {
	var out []RecordResult
	for _, rr := range r.Results {
		if rr.Action == ActionFailed {
			out = append(out, rr)
		}
	}
	return out
}

// BatchError is returned by a batch in which some records failed; the
// others were written. It lists the failures; errors.Is and errors.As see
// each failure's error.
type BatchError struct {
	Op       string // "SaveAll", "UpsertAll" or "DeleteAll"
	Module   string
	Total    int
	Failures []RecordResult
}

// Error summarises the failures: how many records failed, and the first few.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zohohub: %s %s: %d of %d records failed", e.Op, e.Module, len(e.Failures), e.Total)
	for i, f := range e.Failures {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Failures)-i)
			break
		}
		fmt.Fprintf(&b, "; record %d: %v", f.Index, f.Err)
	}
	return b.String()
}

// Unwrap returns the failures' errors.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failures))
	for _, f := range e.Failures {
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
}

// SaveAll saves records as Save does, 100 a request: new records are
// inserted (POST), changed ones updated (PUT), unchanged ones left alone.
// Requests are sent concurrently within the client's concurrency limit.
// The result has one entry per record. When some records fail the error
// is a *BatchError and the others are still written; inserts are never
// repeated, so no record is written twice. A nil record is an error and
// nothing is sent.
func (rs *RecordSet[T]) SaveAll(ctx context.Context, records []*T) (BatchResult, error) {
	res, inserts, updates, err := rs.prepareAll("SaveAll", records, false)
	if err != nil {
		return res, err
	}
	rs.sendChunks(ctx, &res, http.MethodPost, rs.info.module, inserts, nil)
	rs.sendChunks(ctx, &res, http.MethodPut, rs.info.module, updates, nil)
	return res, rs.batchError("SaveAll", res)
}

// UpsertAll upserts records as Upsert does, 100 a request, concurrently;
// see SaveAll for results and errors.
func (rs *RecordSet[T]) UpsertAll(ctx context.Context, records []*T, duplicateCheckFields ...string) (BatchResult, error) {
	if err := checkNames("UpsertAll", duplicateCheckFields); err != nil {
		return BatchResult{}, err
	}
	res, writes, _, err := rs.prepareAll("UpsertAll", records, true)
	if err != nil {
		return res, err
	}
	rs.sendChunks(ctx, &res, http.MethodPost, rs.info.module+"/upsert", writes, duplicateCheckFields)
	return res, rs.batchError("UpsertAll", res)
}

// prepareAll checks every record and encodes it. A nil record fails the
// whole call; a record whose values cannot be sent fails alone.
func (rs *RecordSet[T]) prepareAll(op string, records []*T, upsert bool) (BatchResult, []pendingWrite[T], []pendingWrite[T], error) {
	res := BatchResult{Results: make([]RecordResult, len(records))}
	if err := rs.check(); err != nil {
		return res, nil, nil, err
	}
	if err := checkRecords(op, rs.info.module, records); err != nil {
		return BatchResult{}, nil, nil, err
	}
	var inserts, updates []pendingWrite[T]
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
			obj, err = rs.insertJSON(rec, m)
		} else {
			obj, changed, err = rs.updateJSON(rec, m)
		}
		switch {
		case err != nil:
			res.Results[i].Action, res.Results[i].Err = ActionFailed, err
		case !changed:
			res.Results[i].Action = ActionUnchanged
		case upsert || m.IsNew():
			inserts = append(inserts, pendingWrite[T]{index: i, rec: rec, m: m, obj: obj})
		default:
			updates = append(updates, pendingWrite[T]{index: i, rec: rec, m: m, obj: obj})
		}
	}
	return res, inserts, updates, nil
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

// sendChunks writes records 100 a request, concurrently, and fills in
// their results.
func (rs *RecordSet[T]) sendChunks(ctx context.Context, res *BatchResult, method, path string, writes []pendingWrite[T], dup []string) {
	if len(writes) == 0 {
		return
	}
	var chunks [][]pendingWrite[T]
	for len(writes) > 0 {
		n := min(len(writes), maxRecordsPerWrite)
		chunks = append(chunks, writes[:n])
		writes = writes[n:]
	}
	// Each chunk writes only its own records' results: no lock needed.
	rs.c.runConcurrently(len(chunks), func(k int) {
		rs.sendChunk(ctx, res, method, path, chunks[k], dup)
	})
}

func (rs *RecordSet[T]) sendChunk(ctx context.Context, res *BatchResult, method, path string, chunk []pendingWrite[T], dup []string) {
	body := writeBody{Data: make([]json.RawMessage, len(chunk)), Trigger: rs.triggers, DuplicateCheckFields: dup}
	for j, w := range chunk {
		body.Data[j] = w.obj
	}
	resp, err := rs.c.Do(ctx, &Request{Method: method, Path: path, Body: body})
	var results []writeResult
	if err == nil {
		results, err = parseWriteResults(resp, method, path, len(chunk))
	}
	if err != nil {
		rs.failChunk(res, chunk, err)
		return
	}
	for j, w := range chunk {
		rr := &res.Results[w.index]
		r := &results[j]
		if r.failed() {
			rr.Action, rr.Err = ActionFailed, r.apiError(resp.StatusCode, method, path, w.index)
			continue
		}
		if err := rs.applyDetails(w.rec, w.m, r.Details); err != nil {
			rr.Action, rr.Err = ActionFailed, err
			continue
		}
		rr.ID = w.m.ID
		switch {
		case method == http.MethodPut || r.Action == "update":
			rr.Action = ActionUpdated
		default:
			rr.Action = ActionCreated
		}
	}
}

// failChunk marks every record of a chunk the request failed for. When
// Zoho rejected them all (HTTP 400 with per-record errors in data[]), the
// client reports the first record's error; it is given to the record its
// json_path names, and the others are told the chunk was rejected.
func (rs *RecordSet[T]) failChunk(res *BatchResult, chunk []pendingWrite[T], err error) {
	var apiErr *APIError
	pos := -1
	if errors.As(err, &apiErr) && isRecordError(apiErr) {
		jp, _ := apiErr.Details["json_path"].(string)
		fmt.Sscanf(jp, "$.data[%d]", &pos)
		if pos >= len(chunk) {
			pos = -1 // names a record this request did not carry
		}
	}
	for j, w := range chunk {
		rr := &res.Results[w.index]
		rr.Action = ActionFailed
		if j == pos {
			e := *apiErr
			e.Index = w.index
			rr.Err = &e
			continue
		}
		if pos >= 0 {
			e := *apiErr
			e.Index, e.Details = w.index, nil
			e.Message = fmt.Sprintf("not written: Zoho rejected the whole request (HTTP %d; record %d: %s %s)",
				apiErr.StatusCode, chunk[pos].index, apiErr.Code, apiErr.Message)
			e.Code = ""
			rr.Err = &e
			continue
		}
		rr.Err = err
	}
}

func (rs *RecordSet[T]) batchError(op string, res BatchResult) error {
	failed := res.Failed()
	if len(failed) == 0 {
		return nil
	}
	return &BatchError{Op: op, Module: rs.info.module, Total: len(res.Results), Failures: failed}
}

// DeleteAll deletes records, 100 ids a request, concurrently; see SaveAll
// for results and errors. A nil record or one without an ID is an error
// and nothing is sent.
func (rs *RecordSet[T]) DeleteAll(ctx context.Context, records []*T) (BatchResult, error) {
	res := BatchResult{Results: make([]RecordResult, len(records))}
	if err := rs.check(); err != nil {
		return res, err
	}
	if err := checkRecords("DeleteAll", rs.info.module, records); err != nil {
		return BatchResult{}, err
	}
	var writes []pendingWrite[T]
	for i, rec := range records {
		m := rs.model(rec)
		if err := checkID("DeleteAll", rs.info.module, m.ID); err != nil {
			return BatchResult{}, fmt.Errorf("%w (record %d); nothing was sent", err, i)
		}
		res.Results[i] = RecordResult{Index: i, ID: m.ID}
		writes = append(writes, pendingWrite[T]{index: i, rec: rec, m: m})
	}
	var chunks [][]pendingWrite[T]
	for len(writes) > 0 {
		n := min(len(writes), maxRecordsPerWrite)
		chunks = append(chunks, writes[:n])
		writes = writes[n:]
	}
	rs.c.runConcurrently(len(chunks), func(k int) {
		chunk := chunks[k]
		ids := make([]string, len(chunk))
		for j, w := range chunk {
			ids[j] = w.m.ID
		}
		resp, err := rs.c.Do(ctx, &Request{Method: http.MethodDelete, Path: rs.info.module, Query: rs.deleteQuery(ids)})
		var results []writeResult
		if err == nil {
			results, err = parseWriteResults(resp, http.MethodDelete, rs.info.module, len(chunk))
		}
		if err != nil {
			rs.failChunk(&res, chunk, err)
			return
		}
		for j, w := range chunk {
			rr := &res.Results[w.index]
			if r := &results[j]; r.failed() {
				rr.Action, rr.Err = ActionFailed, r.apiError(resp.StatusCode, http.MethodDelete, rs.info.module, w.index)
				if isNotFoundError(rr.Err) {
					rr.Err = notFound(rs.info.module, w.m.ID, rr.Err)
				}
				continue
			}
			rr.Action = ActionDeleted
		}
	})
	return res, rs.batchError("DeleteAll", res)
}
