package zohohub

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// ResolveUnknown settles the records a SaveAll inserted with an unknown
// outcome (ActionUnknown), by looking them up by keyField: the API name of
// a unique field each of them fills, such as Email of Leads. records and
// res are the slice given to SaveAll and its result. One query is sent per
// 100 records, as COQL, which sees records as soon as they are written
// (Zoho's search may not yet).
//
// The result is res with each such record settled:
//   - created, its ID and system fields set, when a record holds its key:
//     the insert was applied;
//   - failed, when none does: it was not, and saving it again writes it
//     once;
//   - still unknown, saying why, when its key is empty, several records in
//     Zoho hold it, or several records of the batch share it.
//
// Other results are returned as they were: an update or a delete of
// unknown outcome can simply be sent again, and an upsert upserted again.
// As with SaveAll, the error is a *BatchError when records remain failed or
// unknown. When a query fails, its error is returned and the records it was
// for are left unknown; the others are settled.
//
// keyField must be unique in Zoho, whose duplicate check then refuses a
// second record with the key. If a record already held the key before the
// SaveAll, Zoho refused the insert as a duplicate; ResolveUnknown cannot
// tell that from an applied insert, and reports the record created with
// the existing record's id.
func (rs *RecordSet[T]) ResolveUnknown(ctx context.Context, records []*T, res BatchResult, keyField string) (BatchResult, error) {
	if err := rs.check(); err != nil {
		return res, err
	}
	module := rs.info.module
	if len(records) != len(res.Results) {
		return res, fmt.Errorf("zohohub: ResolveUnknown %s: %d records for %d results (pass the records given to SaveAll)", module, len(records), len(res.Results))
	}
	key, ok := rs.info.byName[keyField]
	if !ok || key == rs.info.idField {
		return res, fmt.Errorf("zohohub: ResolveUnknown %s: %q is not a field %T maps", module, keyField, *new(T))
	}
	out := BatchResult{Results: slices.Clone(res.Results)}
	byKey := map[string]*unresolved[T]{}
	var keys []string // in the order of the records
	for i := range out.Results {
		rr := &out.Results[i]
		var ue *OutcomeUnknownError
		if rr.Action != ActionUnknown || !errors.As(rr.Err, &ue) || ue.Method != http.MethodPost || ue.Path != module ||
			records[i] == nil || !rs.model(records[i]).IsNew() {
			continue
		}
		raw, err := key.appendJSON(nil, reflect.ValueOf(records[i]).Elem().FieldByIndex(key.index))
		lit, text := keyLiteral(raw)
		if err != nil || lit == nil {
			rr.Err = stillUnknown(ue, fmt.Sprintf("its %s is empty, or neither text nor a number", keyField))
			continue
		}
		u := byKey[text]
		if u == nil {
			u = &unresolved[T]{lit: lit, text: text}
			byKey[text] = u
			keys = append(keys, text)
		}
		u.indexes = append(u.indexes, i)
	}
	fields := []string{keyField}
	for _, f := range []string{"Created_Time", "Modified_Time", "Created_By", "Modified_By"} {
		if _, ok := rs.info.byName[f]; ok && f != keyField {
			fields = append(fields, f)
		}
	}
	// One query per 100 keys, sent concurrently; then each key's records
	// are settled from what the queries found.
	groups := slices.Collect(slices.Chunk(keys, maxRecordsPerWrite))
	found := make([][]*T, len(groups))
	errs := make([]error, len(groups))
	rs.c.runConcurrently(len(groups), func(g int) {
		var in []Condition
		for part := range slices.Chunk(groups[g], maxInValues) {
			vals := make([]any, len(part))
			for j, k := range part {
				vals[j] = byKey[k].lit
			}
			in = append(in, Field(keyField).In(vals...))
		}
		// Without a Limit the query runs as COQL.
		found[g], errs[g] = rs.Where(Or(in...)).Select(fields...).Collect(ctx)
	})
	var failed error
	for g, group := range groups {
		if errs[g] != nil {
			failed = cmp.Or(failed, errs[g]) // its records stay unknown
			continue
		}
		for _, f := range found[g] {
			raw, _ := key.appendJSON(nil, reflect.ValueOf(f).Elem().FieldByIndex(key.index))
			if _, text := keyLiteral(raw); byKey[text] != nil {
				byKey[text].found = append(byKey[text].found, f)
			}
		}
		for _, k := range group {
			rs.settleUnknown(out.Results, records, byKey[k], keyField)
		}
	}
	if failed != nil {
		return out, fmt.Errorf("zohohub: ResolveUnknown %s: %w", module, failed)
	}
	return out, rs.batchError("ResolveUnknown", out)
}

// unresolved is a key of records of unknown outcome and the records Zoho
// holds with it.
type unresolved[T any] struct {
	lit     any    // the key as a condition value
	text    string // the key as JSON, lower-cased (Zoho's unique check ignores case)
	indexes []int  // the records of the batch with the key
	found   []*T   // the records Zoho holds with the key
}

// settleUnknown gives the records of one key their outcome.
func (rs *RecordSet[T]) settleUnknown(results []RecordResult, records []*T, u *unresolved[T], keyField string) {
	for _, i := range u.indexes {
		rr := &results[i]
		var ue *OutcomeUnknownError
		errors.As(rr.Err, &ue)
		switch {
		case len(u.indexes) > 1:
			rr.Err = stillUnknown(ue, fmt.Sprintf("records %v of the batch share its %s", u.indexes, keyField))
		case len(u.found) > 1:
			rr.Err = stillUnknown(ue, fmt.Sprintf("%d records hold its %s %s", len(u.found), keyField, u.text))
		case len(u.found) == 0:
			rr.Action = ActionFailed
			rr.Err = &textError{cause: ue.Err, text: fmt.Sprintf("zohohub: %s: not written: no record holds its %s %s (the request failed: %s)",
				ue.record(), keyField, u.text, ue.cause())}
		default:
			rec, m := records[i], rs.model(records[i])
			if err := rs.applyDetails(rec, m, rs.model(u.found[0]).snap, nil, false); err != nil {
				rr.Err = stillUnknown(ue, "reading the record found: "+err.Error())
				continue
			}
			rr.Action, rr.ID, rr.Err = ActionCreated, m.ID, nil
		}
	}
}

// stillUnknown is ue with why it could not be resolved.
func stillUnknown(ue *OutcomeUnknownError, why string) error {
	e := *ue
	e.unresolved = why
	return &e
}

// keyLiteral returns a key's JSON as a condition value and as the text
// keys are matched by; nil when the key is empty or not a string or a
// number.
func keyLiteral(raw []byte) (any, string) {
	var v any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return nil, ""
	}
	text := strings.ToLower(string(raw))
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil, ""
		}
		return x, text
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, text
		}
		if f, err := x.Float64(); err == nil {
			return f, text
		}
	}
	return nil, ""
}
