package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// A module's tags (docs/wire.md §12.4): GET, POST and PUT settings/tags
// ?module=, PUT and DELETE settings/tags/{id}, POST
// settings/tags/{id}/actions/merge and GET
// settings/tags/{id}/actions/records_count. They need the scope
// ZohoCRM.settings.tags (ZohoCRM.settings.ALL covers it).

// tagsAnswer is the answer of the tag settings API: the tags, or one
// outcome per tag sent.
type tagsAnswer struct {
	Tags []json.RawMessage `json:"tags"`
}

// Tags returns the module's tags, in Zoho's order.
func (rs *RecordSet[T]) Tags(ctx context.Context) ([]Tag, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	req := &Request{Method: http.MethodGet, Path: "settings/tags", Query: url.Values{"module": {rs.info.module}}}
	var ans tagsAnswer
	if _, err := rs.c.DoJSON(ctx, req, &ans); err != nil {
		return nil, err
	}
	tags := make([]Tag, len(ans.Tags))
	for i, raw := range ans.Tags {
		t, err := readTag(raw)
		if err != nil {
			return nil, badResponse(200, req.Method, req.Path, nil, fmt.Sprintf("tags[%d]: %v", i, err))
		}
		tags[i] = t
	}
	return tags, nil
}

// readTag reads a tag Zoho answered with, checking its id.
func readTag(raw []byte) (Tag, error) {
	var t Tag
	if err := json.Unmarshal(raw, &t); err != nil {
		return Tag{}, wrong("not a tag: %v", err)
	}
	if _, err := answeredID(raw, ""); err != nil {
		return Tag{}, err
	}
	return t, nil
}

// CreateTags adds tags to the module, each with its Name and, if set, its
// ColorCode (one of Zoho's 13, such as "#F17574"), and returns them with
// their IDs. A name the module has is refused (DUPLICATE_DATA), as are
// more tags than the edition allows (LIMIT_EXCEEDED); then none is made.
func (rs *RecordSet[T]) CreateTags(ctx context.Context, tags ...Tag) ([]Tag, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	for i, t := range tags {
		if t.ID != "" {
			return nil, fmt.Errorf("zohohub: CreateTags %s: tag %d has an ID: a new tag has none; nothing was sent", rs.info.module, i)
		}
	}
	if err := checkTags("CreateTags", rs.info.module, tags); err != nil {
		return nil, err
	}
	return rs.changeTags(ctx, http.MethodPost, "settings/tags", url.Values{"module": {rs.info.module}}, map[string]any{"tags": tags}, len(tags))
}

// RenameTag gives the module's tag id a new name; the records it tags
// show the new name.
func (rs *RecordSet[T]) RenameTag(ctx context.Context, id, name string) (Tag, error) {
	if err := rs.check(); err != nil {
		return Tag{}, err
	}
	if err := checkID("RenameTag", rs.info.module, id); err != nil {
		return Tag{}, err
	}
	if err := checkTags("RenameTag", rs.info.module, []Tag{{Name: name}}); err != nil {
		return Tag{}, err
	}
	body := map[string]any{"tags": []Tag{{Name: strings.TrimSpace(name)}}}
	tags, err := rs.changeTags(ctx, http.MethodPut, "settings/tags/"+id, url.Values{"module": {rs.info.module}}, body, 1)
	if err != nil {
		return Tag{}, err
	}
	return tags[0], nil
}

// MergeTags merges the tag from into the tag into: the records tagged
// from are tagged into instead, and from is deleted. It returns into.
func (rs *RecordSet[T]) MergeTags(ctx context.Context, into, from string) (Tag, error) {
	if err := rs.check(); err != nil {
		return Tag{}, err
	}
	for _, id := range []string{into, from} {
		if err := checkID("MergeTags", rs.info.module, id); err != nil {
			return Tag{}, err
		}
	}
	body := map[string]any{"tags": []map[string]string{{"conflict_id": from}}}
	tags, err := rs.changeTags(ctx, http.MethodPost, "settings/tags/"+into+"/actions/merge", nil, body, 1)
	if err != nil {
		return Tag{}, err
	}
	return tags[0], nil
}

// DeleteTag deletes the module's tag id; the records it tagged lose it.
func (rs *RecordSet[T]) DeleteTag(ctx context.Context, id string) error {
	if err := rs.check(); err != nil {
		return err
	}
	if err := checkID("DeleteTag", rs.info.module, id); err != nil {
		return err
	}
	_, err := rs.changeTags(ctx, http.MethodDelete, "settings/tags/"+id, nil, nil, 1)
	return err
}

// TagRecordCount returns how many records of the module the tag id tags.
func (rs *RecordSet[T]) TagRecordCount(ctx context.Context, id string) (int, error) {
	if err := rs.check(); err != nil {
		return 0, err
	}
	if err := checkID("TagRecordCount", rs.info.module, id); err != nil {
		return 0, err
	}
	req := &Request{Method: http.MethodGet, Path: "settings/tags/" + id + "/actions/records_count", Query: url.Values{"module": {rs.info.module}}}
	var ans struct {
		Count json.RawMessage `json:"count"`
	}
	if _, err := rs.c.DoJSON(ctx, req, &ans); err != nil {
		return 0, err
	}
	// tags.json types the count as a string, Zoho's page as a number.
	n, err := strconv.Atoi(strings.Trim(string(ans.Count), `"`))
	if err != nil || n < 0 {
		return 0, badResponse(200, req.Method, req.Path, nil, fmt.Sprintf("count %s is not a number of records", quoteShort(string(ans.Count))))
	}
	return n, nil
}

// changeTags sends a change of tags and returns each tag's outcome, n of
// them: the tag as it now is, or the first refusal as an *APIError.
func (rs *RecordSet[T]) changeTags(ctx context.Context, method, path string, q url.Values, body any, n int) ([]Tag, error) {
	req := &Request{Method: method, Path: path, Query: q, Body: body}
	var ans tagsAnswer
	resp, err := rs.c.DoJSON(ctx, req, &ans)
	if err != nil {
		return nil, err
	}
	if len(ans.Tags) != n {
		return nil, badResponse(resp.StatusCode, method, path, nil, fmt.Sprintf("answer holds %d outcomes for %d tags", len(ans.Tags), n))
	}
	tags := make([]Tag, n)
	for i, raw := range ans.Tags {
		var r writeResult
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, badResponse(resp.StatusCode, method, path, nil, fmt.Sprintf("tags[%d]: %v", i, err))
		}
		if r.failed() {
			return nil, r.apiError(resp.StatusCode, method, path, i)
		}
		t, err := readTag(r.Details)
		if err != nil {
			return nil, badResponse(resp.StatusCode, method, path, nil, fmt.Sprintf("tags[%d].details: %v", i, err))
		}
		tags[i] = t
	}
	return tags, nil
}
