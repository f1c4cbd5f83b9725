package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Tagging records (docs/wire.md §12.3): POST {module}/{id}/actions/add_tags
// and remove_tags for one record, POST {module}/actions/add_tags and
// remove_tags for many, 500 ids a request. A tag named by a name the
// module has not is created by add_tags.

// The actions of the tag batches in their results.
const (
	ActionTagged   Action = "tagged"
	ActionUntagged Action = "untagged"
)

// tagAPIName is the API name of the system field holding a record's tags.
const tagAPIName = "Tag"

// checkTags refuses, before any request, tags Zoho would refuse: each
// needs an ID, or else a name of at most 25 characters.
func checkTags(op, module string, tags []Tag) error {
	if len(tags) == 0 {
		return fmt.Errorf("zohohub: %s %s: no tag given; nothing was sent", op, module)
	}
	for i, t := range tags {
		name := strings.TrimSpace(t.Name)
		switch {
		case t.ID != "" && !validID(t.ID):
			return fmt.Errorf("zohohub: %s %s: tag %d: %s is not a tag id; nothing was sent", op, module, i, quoteShort(t.ID))
		case t.ID != "":
		case name == "":
			return fmt.Errorf("zohohub: %s %s: tag %d has neither an ID nor a name; nothing was sent", op, module, i)
		case !utf8.ValidString(name):
			return fmt.Errorf("zohohub: %s %s: tag %d: name %s is not valid UTF-8; nothing was sent", op, module, i, quoteShort(name))
		case utf8.RuneCountInString(name) > maxTagNameLength:
			return fmt.Errorf("zohohub: %s %s: tag %d: name %s is longer than Zoho's %d characters; nothing was sent", op, module, i, quoteShort(name), maxTagNameLength)
		}
	}
	return nil
}

// tagBody is the body of add_tags (with over_write) and remove_tags.
type tagBody struct {
	Tags      []Tag    `json:"tags"`
	IDs       []string `json:"ids,omitempty"`
	OverWrite *bool    `json:"over_write,omitempty"`
}

// tagAction is one of the three tag actions.
type tagAction struct {
	op        string // the method's name, for errors
	path      string // add_tags or remove_tags
	overwrite bool   // add_tags's over_write
	done      Action
}

var (
	addTags     = tagAction{op: "AddTags", path: "add_tags", done: ActionTagged}
	replaceTags = tagAction{op: "ReplaceTags", path: "add_tags", overwrite: true, done: ActionTagged}
	removeTags  = tagAction{op: "RemoveTags", path: "remove_tags", done: ActionUntagged}
)

func (a tagAction) body(tags []Tag, ids []string) tagBody {
	b := tagBody{Tags: tags, IDs: ids}
	if a.path == "add_tags" {
		b.OverWrite = &a.overwrite
	}
	return b
}

// AddTags tags rec with tags, keeping the tags it has; a tag is named by
// its ID or, within the module, its Name, and a name the module has not is
// a new tag of the module (with its ColorCode). The record's Tag field,
// when its type maps it read-only as generated types do, shows the tags
// added. Zoho refuses more than 10 tags on a record (LIMIT_EXCEEDED) and
// more than its edition's tags in a module.
func (rs *RecordSet[T]) AddTags(ctx context.Context, rec *T, tags ...Tag) error {
	return rs.tagOne(ctx, addTags, rec, tags)
}

// ReplaceTags sets rec's tags to tags, dropping the others (add_tags
// with over_write); see AddTags.
func (rs *RecordSet[T]) ReplaceTags(ctx context.Context, rec *T, tags ...Tag) error {
	return rs.tagOne(ctx, replaceTags, rec, tags)
}

// RemoveTags removes tags from rec; a tag it does not hold is no error.
// The record's Tag field no longer shows them.
func (rs *RecordSet[T]) RemoveTags(ctx context.Context, rec *T, tags ...Tag) error {
	return rs.tagOne(ctx, removeTags, rec, tags)
}

// AddTagsAll adds tags to the records ids names, 500 ids a request,
// concurrently; see AddTags. The result has one entry per id,
// ActionTagged, or ActionFailed with Zoho's error (an id that is no record
// of the module is INVALID_DATA), or ActionUnknown as SaveAll reports it;
// when some fail the error is a *BatchError and the others are tagged.
func (rs *RecordSet[T]) AddTagsAll(ctx context.Context, ids []string, tags ...Tag) (BatchResult, error) {
	return rs.tagAll(ctx, addTags, ids, tags)
}

// ReplaceTagsAll sets the tags of the records ids names to tags; see
// AddTagsAll and ReplaceTags.
func (rs *RecordSet[T]) ReplaceTagsAll(ctx context.Context, ids []string, tags ...Tag) (BatchResult, error) {
	return rs.tagAll(ctx, replaceTags, ids, tags)
}

// RemoveTagsAll removes tags from the records ids names, 500 ids a
// request; results and errors are as AddTagsAll's, with ActionUntagged.
func (rs *RecordSet[T]) RemoveTagsAll(ctx context.Context, ids []string, tags ...Tag) (BatchResult, error) {
	return rs.tagAll(ctx, removeTags, ids, tags)
}

func (rs *RecordSet[T]) tagAll(ctx context.Context, a tagAction, ids []string, tags []Tag) (BatchResult, error) {
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	module := rs.info.module
	if err := checkTags(a.op, module, tags); err != nil {
		return BatchResult{}, err
	}
	if err := checkActionIDs(a.op, module, ids); err != nil {
		return BatchResult{}, err
	}
	path := module + "/actions/" + a.path
	return onIDs[T](ctx, rs.c, a.op, ids, nil, maxIDsPerAction, a.done, func(ids []string, _ []json.RawMessage) *Request {
		return &Request{Method: http.MethodPost, Path: path, Body: a.body(tags, ids)}
	})
}

// checkActionIDs refuses, before any request, ids that cannot be record
// ids.
func checkActionIDs(op, module string, ids []string) error {
	for i, id := range ids {
		if err := checkID(op, module, id); err != nil {
			return fmt.Errorf("%w (id %d); nothing was sent", err, i)
		}
	}
	return nil
}

func (rs *RecordSet[T]) tagOne(ctx context.Context, a tagAction, rec *T, tags []Tag) error {
	m, err := rs.actionRecord(a.op, rec)
	if err != nil {
		return err
	}
	if err := checkTags(a.op, rs.info.module, tags); err != nil {
		return err
	}
	path := rs.info.module + "/" + m.ID + "/actions/" + a.path
	res, err := rs.actOne(ctx, path, a.body(tags, nil), m.ID)
	if err != nil {
		return err
	}
	var d struct {
		Tags []Tag `json:"tags"`
	}
	if err := json.Unmarshal(res.Details, &d); err != nil {
		return badResponse(200, http.MethodPost, path, nil, "details.tags is not a list of tags: "+err.Error())
	}
	rs.showTags(rec, func(have []Tag) []Tag {
		switch {
		case a.overwrite:
			return d.Tags
		case a.done == ActionTagged:
			return unionTags(have, d.Tags)
		}
		return withoutTags(have, tags)
	})
	return nil
}

// actionRecord checks the record an action on one record is given.
func (rs *RecordSet[T]) actionRecord(op string, rec *T) (*Model, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("zohohub: %s %s: nil record; nothing was sent", op, rs.info.module)
	}
	m := rs.model(rec)
	if err := checkID(op, rs.info.module, m.ID); err != nil {
		return nil, fmt.Errorf("%w; nothing was sent", err)
	}
	return m, nil
}

// actOne sends an action on one record (POST {module}/{id}/actions/…)
// and returns Zoho's result for it, checked: a success must be about the
// record id. A record Zoho does not know is an error matching ErrNotFound.
func (rs *RecordSet[T]) actOne(ctx context.Context, path string, body any, id string) (*writeResult, error) {
	resp, err := rs.c.Do(ctx, &Request{Method: http.MethodPost, Path: path, Body: body})
	var results []writeResult
	if err == nil {
		results, err = parseWriteResults(resp, http.MethodPost, path, 1)
	}
	if err == nil && results[0].failed() {
		err = results[0].apiError(resp.StatusCode, http.MethodPost, path, 0)
	}
	if err == nil {
		err = results[0].checkWritten(resp.StatusCode, http.MethodPost, path, id)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == "INVALID_DATA" && apiErr.Details["id"] == id {
		return nil, notFound(rs.info.module, id, err)
	}
	if err != nil {
		return nil, err
	}
	return &results[0], nil
}

// showTags sets rec's Tag field to what tags makes of it, when the type
// maps Tag read-only: a read-only field is never sent, so the record's
// snapshot need not change.
func (rs *RecordSet[T]) showTags(rec *T, tags func(have []Tag) []Tag) {
	f := rs.info.byName[tagAPIName]
	if f == nil || !f.readonly {
		return
	}
	rv := reflect.ValueOf(rec).Elem()
	cur, err := f.appendJSON(nil, rv.FieldByIndex(f.index))
	var have []Tag
	if err != nil || json.Unmarshal(cur, &have) != nil {
		return // a Tag field of another shape
	}
	obj, err := json.Marshal(map[string][]Tag{tagAPIName: tags(have)})
	if err == nil {
		_ = rs.info.decodeInto(rv, obj) // a field that read tags reads them
	}
}

// unionTags is have with the tags of added it lacks (by id).
func unionTags(have, added []Tag) []Tag {
	out := append([]Tag(nil), have...)
	for _, t := range added {
		if !containsTag(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// withoutTags is have without the tags removed names (by id, or by name
// without regard to case, as Zoho compares names).
func withoutTags(have, removed []Tag) []Tag {
	var out []Tag
	for _, t := range have {
		if !containsTag(removed, t) {
			out = append(out, t)
		}
	}
	return out
}

// containsTag reports whether tags names t: by id when both have one,
// else by name.
func containsTag(tags []Tag, t Tag) bool {
	for _, u := range tags {
		if u.ID != "" && t.ID != "" {
			if u.ID == t.ID {
				return true
			}
			continue
		}
		if strings.EqualFold(strings.TrimSpace(u.Name), strings.TrimSpace(t.Name)) {
			return true
		}
	}
	return false
}
