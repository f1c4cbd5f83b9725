package zohotest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/zohohub/zohohub/schema"
)

// Tags (docs/wire.md §12.3, §12.4). A module has its own tags (GET|POST|PUT
// /settings/tags?module=, PUT|DELETE /settings/tags/{id}, merge,
// records_count: settingstags.go); a record holds its tags in the system
// field Tag as [{name, id, color_code}], changed only by add_tags and
// remove_tags (this file). Renaming, merging or deleting a tag rewrites the
// records holding it, so a record never names a tag its module has not.
//
// Locks: a call that changes records takes its module's write lock, then
// the tag store's; never the other way round.

// The limits of tags: ids an add_tags or remove_tags takes, tags a module
// holds and a record holds (Zoho's Enterprise edition), and the length of
// a name (tags.json's Tag).
const (
	maxTagIDs        = 500
	maxModuleTags    = 100
	maxRecordTags    = 10
	maxTagNameLength = 25
)

// tagColors are the colours a tag may have (tags.json's Tag.color_code).
var tagColors = []string{"#57B1FD", "#879BFC", "#658BA8", "#FD87BD", "#969696", "#F48435", "#1DB9B4",
	"#E7A826", "#63C57E", "#F17574", "#D297EE", "#A8C026", "#B88562"}

// tagDataType is what fieldType calls the system field Tag for the query
// engines: its data_type, text, does not say it holds tags.
const tagDataType = "tag"

// isTagField reports whether f is the system field Tag (data_type text,
// json_type jsonarray).
func isTagField(f schema.Field) bool { return f.APIName == "Tag" && f.JSONType == "jsonarray" }

// tagDef is one tag of a module.
type tagDef struct {
	id, name, color   string
	created, modified string // as Zoho writes times
}

// tagStore holds the tags of every module.
type tagStore struct {
	mu   sync.Mutex
	tags map[string][]tagDef // module → its tags, in creation order
}

func newTagStore() *tagStore { return &tagStore{tags: map[string][]tagDef{}} }

// list returns a copy of a module's tags. The caller holds mu.
func (ts *tagStore) listLocked(module string) []tagDef { return slices.Clone(ts.tags[module]) }

// indexLocked returns the position of the tag id of module, or -1.
func (ts *tagStore) indexLocked(module, id string) int {
	return slices.IndexFunc(ts.tags[module], func(t tagDef) bool { return t.id == id })
}

// namedLocked returns the position of module's tag of that name (Zoho
// compares names without regard to case), or -1.
func (ts *tagStore) namedLocked(module, name string) int {
	return slices.IndexFunc(ts.tags[module], func(t tagDef) bool { return strings.EqualFold(t.name, name) })
}

// moduleOf returns the module whose tag id is.
func (ts *tagStore) moduleOf(id string) (string, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for m, tags := range ts.tags {
		if slices.ContainsFunc(tags, func(t tagDef) bool { return t.id == id }) {
			return m, true
		}
	}
	return "", false
}

// fullTag is a tag as the settings API answers it (tags.json's Tag).
func (s *Server) fullTag(t tagDef) map[string]any {
	return map[string]any{"id": t.id, "name": t.name, "color_code": colorValue(t.color), "created_time": t.created,
		"modified_time": t.modified, "created_by": s.currentUserRef(), "modified_by": s.currentUserRef()}
}

// recordTag is a tag as a record's Tag field holds it.
func recordTag(t tagDef) map[string]any {
	return map[string]any{"name": t.name, "id": t.id, "color_code": colorValue(t.color)}
}

func colorValue(c string) any {
	if c == "" {
		return nil
	}
	return c
}

// tagIDsOf returns the ids of the tags a stored Tag value holds.
func tagIDsOf(v any) []string {
	list, _ := v.([]any)
	ids := make([]string, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// tagValue is the Tag value of a record holding the tags ids, in order;
// nil for none.
func tagValue(tags []tagDef, ids []string) any {
	if len(ids) == 0 {
		return nil
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		if i := slices.IndexFunc(tags, func(t tagDef) bool { return t.id == id }); i >= 0 {
			out = append(out, recordTag(tags[i]))
		}
	}
	return out
}

// retagLocked rewrites every record of module that holds one of the tags
// ids by edit, which returns the record's new tag ids, and returns how
// many it changed. A record's Modified_Time stays: its tags' names are not
// its values. The caller holds the module's write lock and the store's.
func (s *Server) retagLocked(module string, edit func(ids []string) []string) int {
	ms := s.records.module(module)
	tags := s.tags.tags[module]
	n := 0
	for _, r := range slices.Clone(ms.recs) {
		old := tagIDsOf(r["Tag"])
		if len(old) == 0 {
			continue
		}
		rec := copyRecord(r)
		if v := tagValue(tags, edit(old)); v != nil {
			rec["Tag"] = v
		} else {
			delete(rec, "Tag")
		}
		if !sameJSON(rec["Tag"], r["Tag"]) {
			ms.putLocked(rec)
			n++
		}
	}
	return n
}

// lockTags takes the write lock of module's records, then the tag
// store's, and returns what releases both.
func (s *Server) lockTags(module string) (unlock func()) {
	ms := s.records.module(module)
	ms.mu.Lock()
	s.tags.mu.Lock()
	return func() {
		s.tags.mu.Unlock()
		ms.mu.Unlock()
	}
}

// tagInput is a tag as a request gives it: {id} or {name, color_code}.
type tagInput struct {
	id, name, color string
	hasColor        bool
}

// readTagInputs reads a body's tags array; a member that is not an object
// is refused.
func readTagInputs(v any) ([]tagInput, *zerr) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "tags", "json_path": "$.tags"})
	}
	out := make([]tagInput, len(arr))
	for i, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, tagInvalid(i, "tags", nil)
		}
		if id, ok := idValue(m["id"]); ok {
			out[i].id = id
		} else if m["id"] != nil {
			return nil, tagInvalid(i, "id", nil)
		}
		name, isText := m["name"].(string)
		if m["name"] != nil && !isText {
			return nil, tagInvalid(i, "name", map[string]any{"expected_data_type": "text"})
		}
		out[i].name = strings.TrimSpace(name)
		if c, set := m["color_code"]; set && c != nil {
			cs, _ := c.(string)
			if !slices.Contains(tagColors, strings.ToUpper(cs)) {
				return nil, tagInvalid(i, "color_code", map[string]any{"supported_values": tagColors})
			}
			out[i].color, out[i].hasColor = strings.ToUpper(cs), true
		}
	}
	return out, nil
}

// tagInvalid is INVALID_DATA for member api of the i-th tag of a body.
func tagInvalid(i int, api string, extra map[string]any) *zerr {
	d := map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.tags[%d].%s", i, api)}
	if api == "tags" {
		d["json_path"] = fmt.Sprintf("$.tags[%d]", i)
	}
	for k, v := range extra {
		d[k] = v
	}
	return newErr(400, "INVALID_DATA", "invalid data", d)
}

// checkTagName checks a new name of the i-th tag of a body.
func checkTagName(i int, name string) *zerr {
	switch {
	case name == "":
		return newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "name", "json_path": fmt.Sprintf("$.tags[%d].name", i)})
	case len([]rune(name)) > maxTagNameLength:
		return tagInvalid(i, "name", map[string]any{"maximum_length": maxTagNameLength})
	}
	return nil
}

// tagLimit is Zoho's answer to more tags than a module holds.
func tagLimit() *zerr {
	return newErr(400, "LIMIT_EXCEEDED", "the number of tags exceeds the limit of the module", map[string]any{"api_name": "tags", "limit": maxModuleTags})
}

// resolveTagsLocked finds the tags a record action names, by id, else by
// name; with create, a name the module has not is a new tag, added to the
// module (add_tags creates the tags it names). The caller holds the
// store's lock.
func (s *Server) resolveTagsLocked(module string, in []tagInput, create bool) ([]string, *zerr) {
	ts := s.tags
	var ids []string
	var fresh []tagDef
	for i, t := range in {
		if t.id != "" {
			if ts.indexLocked(module, t.id) < 0 {
				return nil, tagInvalid(i, "id", nil)
			}
			ids = append(ids, t.id)
			continue
		}
		if zerr := checkTagName(i, t.name); zerr != nil {
			return nil, zerr
		}
		if j := ts.namedLocked(module, t.name); j >= 0 {
			ids = append(ids, ts.tags[module][j].id)
			continue
		}
		if j := slices.IndexFunc(fresh, func(f tagDef) bool { return strings.EqualFold(f.name, t.name) }); j >= 0 {
			ids = append(ids, fresh[j].id)
			continue
		}
		if !create {
			return nil, tagInvalid(i, "name", nil)
		}
		now := zohoTime(s.cfg.now())
		fresh = append(fresh, tagDef{id: s.records.newID(), name: t.name, color: t.color, created: now, modified: now})
		ids = append(ids, fresh[len(fresh)-1].id)
	}
	if len(ts.tags[module])+len(fresh) > maxModuleTags {
		return nil, tagLimit()
	}
	ts.tags[module] = append(ts.tags[module], fresh...)
	return uniq(ids), nil
}

// uniq returns ids without repeats, in order.
func uniq(ids []string) []string {
	out := ids[:0:0]
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// recordTagsBody is the body of add_tags and remove_tags.
type recordTagsBody struct {
	Tags      any   `json:"tags"`
	IDs       []any `json:"ids"`
	OverWrite any   `json:"over_write"`
}

// recordTags answers POST /{module}/actions/add_tags and remove_tags (ids
// in the body, or for remove_tags in the ids parameter) and the same under
// /{module}/{id}/actions/ for one record (pathID). over_write (in the body
// or the parameter) makes add_tags replace the record's tags.
func (c *call) recordTags(module, pathID string, add bool) {
	var b recordTagsBody
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a tags array", nil))
		return
	}
	in, zerr := readTagInputs(b.Tags)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	ids, zerr := c.actionIDs(pathID, b.IDs, !add, maxTagIDs)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	overwrite := b.OverWrite == true || c.q.Get("over_write") == "true"
	s := c.s
	ms := s.records.module(module)
	defer s.lockTags(module)()
	named, zerr := s.resolveTagsLocked(module, in, add)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	message := "tags updated successfully"
	if !add {
		message = "tags removed successfully"
	}
	items := make([]any, len(ids))
	var outcome outcomes
	for j, id := range ids {
		old, ok := ms.get(id)
		if !ok {
			items[j] = outcome.failed(actionIDError(pathID, j, id, "invalid data")) // tags.json's wording
			continue
		}
		now := tagIDsOf(old["Tag"])
		switch {
		case add && overwrite:
			now = named
		case add:
			now = slices.Concat(now, slices.DeleteFunc(slices.Clone(named), func(t string) bool { return slices.Contains(now, t) }))
		default:
			now = slices.DeleteFunc(now, func(t string) bool { return slices.Contains(named, t) })
		}
		if len(now) > maxRecordTags {
			items[j] = outcome.failed(newErr(400, "LIMIT_EXCEEDED", "the number of tags of the record exceeds the limit",
				map[string]any{"api_name": "tags", "limit": maxRecordTags, "id": id}))
			continue
		}
		rec := copyRecord(old)
		v := tagValue(s.tags.tags[module], now)
		if v != nil {
			rec["Tag"] = v
		} else {
			delete(rec, "Tag")
			v = []any{}
		}
		rec["Modified_Time"] = zohoTime(s.cfg.now())
		ms.putLocked(rec)
		items[j] = outcome.succeeded(map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id, "tags": v}, "message": message, "status": "success"})
	}
	writeJSON(c.w, outcome.status(http.StatusOK), map[string]any{"data": items})
}

// actionIDs returns the record ids an action on records names: the path's
// one, else the body's ids (strings or numbers), else, where query is
// set, the ids parameter; at most limit of them.
func (c *call) actionIDs(pathID string, body []any, query bool, limit int) ([]string, *zerr) {
	if pathID != "" {
		return []string{pathID}, nil
	}
	var ids []string
	for i, v := range body {
		id, ok := idValue(v)
		if !ok {
			return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "ids", "json_path": fmt.Sprintf("$.ids[%d]", i)})
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 && query {
		ids = splitIDs(c.q.Get("ids"))
	}
	switch {
	case len(ids) == 0:
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "ids", "json_path": "$.ids"})
	case len(ids) > limit:
		return nil, newErr(400, "LIMIT_EXCEEDED", fmt.Sprintf("the number of ids exceeds %d", limit), map[string]any{"api_name": "ids", "json_path": "$.ids", "limit": limit})
	}
	return ids, nil
}

// actionIDError is the item of a record an action names that does not
// exist: the j-th of the body's ids, or the path's. Each API words its
// message its own way.
func actionIDError(pathID string, j int, id, message string) *zerr {
	d := map[string]any{"api_name": "ids", "json_path": fmt.Sprintf("$.ids[%d]", j), "id": id}
	if pathID != "" {
		d = map[string]any{"api_name": "id", "json_path": "$.id", "resource_path_index": 1, "id": id}
	}
	return newErr(400, "INVALID_DATA", message, d)
}

// outcomes counts the items of an answer that holds one per record, to
// choose its status as a write's: all succeeded, some (207), none (400).
type outcomes struct{ ok, bad int }

func (o *outcomes) succeeded(item any) any { o.ok++; return item }
func (o *outcomes) failed(e *zerr) any     { o.bad++; return e.envelope() }

// status is allOK when every item succeeded.
func (o outcomes) status(allOK int) int {
	switch {
	case o.bad > 0 && o.ok > 0:
		return http.StatusMultiStatus
	case o.bad > 0:
		return http.StatusBadRequest
	}
	return allOK
}
