package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// DeletedType selects the deleted records GET /{module}/deleted lists.
type DeletedType string

// The kinds of deleted records (Zoho's "type" parameter; spec/oas/record.json).
const (
	// DeletedAll lists records in the recycle bin and records deleted
	// from it.
	DeletedAll DeletedType = "all"
	// DeletedRecycle lists records in the recycle bin, which Zoho keeps
	// for 60 days.
	DeletedRecycle DeletedType = "recycle"
	// DeletedPermanent lists records deleted from the recycle bin (or
	// deleted permanently), whose ids Zoho keeps listing for 120 days.
	DeletedPermanent DeletedType = "permanent"
)

// DeletedRecord is one entry of a module's deleted records: the record's
// id and who deleted it when. The record's fields are gone.
type DeletedRecord struct {
	ID          string
	DisplayName string
	// Type is DeletedRecycle or DeletedPermanent.
	Type        DeletedType
	DeletedTime time.Time
	DeletedBy   User
	CreatedBy   User
}

// DeletedQuery lists the deleted records of T's module. Like Query, it is
// an immutable value.
type DeletedQuery[T any] struct {
	rs    *RecordSet[T]
	typ   DeletedType
	since time.Time
}

// Deleted returns the query over the module's deleted records of the given
// kind; "" means DeletedAll.
func (rs *RecordSet[T]) Deleted(typ DeletedType) DeletedQuery[T] {
	if typ == "" {
		typ = DeletedAll
	}
	return DeletedQuery[T]{rs: rs, typ: typ}
}

// Since returns only the records deleted after t. It is sent as Zoho's
// If-Modified-Since header, and entries deleted at or before t that a
// server lists anyway are skipped, so an incremental sync can rely on it.
func (q DeletedQuery[T]) Since(t time.Time) DeletedQuery[T] {
	q.since = t
	return q
}

// deletedEntry is an entry as Zoho writes it.
type deletedEntry struct {
	ID          json.RawMessage `json:"id"`
	DisplayName string          `json:"display_name"`
	Type        string          `json:"type"`
	DeletedTime string          `json:"deleted_time"`
	DeletedBy   *User           `json:"deleted_by"`
	CreatedBy   *User           `json:"created_by"`
}

// All returns the deleted records, 200 a request (page after page while
// Zoho reports more_records), oldest page first as Zoho orders them. An
// entry without a valid record id or deletion time is an error matching
// ErrBadResponse. The iteration stops at the first error, which it yields.
func (q DeletedQuery[T]) All(ctx context.Context) iter.Seq2[DeletedRecord, error] {
	return func(yield func(DeletedRecord, error) bool) {
		if err := q.rs.check(); err != nil {
			yield(DeletedRecord{}, err)
			return
		}
		switch q.typ {
		case DeletedAll, DeletedRecycle, DeletedPermanent:
		default:
			yield(DeletedRecord{}, fmt.Errorf("zohohub: deleted records of %s: type %q is not all, recycle or permanent", q.rs.module(), q.typ))
			return
		}
		path := q.rs.module() + "/deleted"
		for page := 1; ; page++ {
			req := &Request{Method: http.MethodGet, Path: path, Query: url.Values{
				"type": {string(q.typ)}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(pageSize)}}}
			if !q.since.IsZero() {
				req.Header = http.Header{"If-Modified-Since": {q.since.Format(time.RFC3339)}}
			}
			var body struct {
				Data []deletedEntry `json:"data"`
				Info pageInfo       `json:"info"`
			}
			resp, err := q.rs.c.DoJSON(ctx, req, &body)
			if err != nil {
				yield(DeletedRecord{}, err)
				return
			}
			for _, e := range body.Data {
				rec, err := e.record()
				if err != nil {
					yield(DeletedRecord{}, badResponse(resp.StatusCode, http.MethodGet, path, nil, "deleted record: "+err.Error()))
					return
				}
				if !q.since.IsZero() && !rec.DeletedTime.After(q.since) {
					continue
				}
				if !yield(rec, nil) {
					return
				}
			}
			if !body.Info.MoreRecords {
				return
			}
			if len(body.Data) == 0 {
				yield(DeletedRecord{}, badResponse(resp.StatusCode, http.MethodGet, path, nil, "more_records on a page of no deleted records"))
				return
			}
		}
	}
}

// record checks an entry and returns it as a DeletedRecord.
func (e deletedEntry) record() (DeletedRecord, error) {
	var id string
	if err := json.Unmarshal(e.ID, &id); err != nil || checkID("deleted", "", id) != nil {
		return DeletedRecord{}, fmt.Errorf("id %.40s is not a record id", e.ID)
	}
	t, err := time.Parse(time.RFC3339, e.DeletedTime)
	if err != nil {
		return DeletedRecord{}, fmt.Errorf("record %s: deleted_time %.40q is not an ISO 8601 time", id, e.DeletedTime)
	}
	rec := DeletedRecord{ID: id, DisplayName: e.DisplayName, Type: DeletedType(e.Type), DeletedTime: t}
	if e.DeletedBy != nil {
		rec.DeletedBy = *e.DeletedBy
	}
	if e.CreatedBy != nil {
		rec.CreatedBy = *e.CreatedBy
	}
	return rec, nil
}
