package zohotest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// A module's tags (docs/wire.md §12.4, tags.json): list, create, update
// (rename, recolour), delete, merge and count the records of one. Answers
// hold {"tags": [...]}; an error of one tag of a body stands in that array
// (tags.json's Action_Wrapper) and nothing is changed.

// tagsScope is what a settings call on tags needs: READ, or a change
// (CREATE, UPDATE, DELETE, which WRITE covers).
func tagsScope(op string) scopeRule {
	alts := []string{"ZohoCRM.settings.ALL", "ZohoCRM.settings.tags.ALL"}
	if op == "READ" {
		alts = append(alts, "ZohoCRM.settings.READ")
	} else {
		alts = append(alts, "ZohoCRM.settings.tags.WRITE")
	}
	return scope(append(alts, "ZohoCRM.settings.tags."+op)...)
}

// tagsRequest reads the module parameter and the tags array of a
// settings call that creates or changes tags.
func (c *call) tagsRequest() (string, []tagInput, bool) {
	module, ok := c.moduleParam()
	if !ok {
		return "", nil, false
	}
	var b struct {
		Tags any `json:"tags"`
	}
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a tags array", nil))
		return "", nil, false
	}
	in, zerr := readTagInputs(b.Tags)
	if zerr != nil {
		c.failTags(zerr)
		return "", nil, false
	}
	return module, in, true
}

// failTags answers the error of one tag of a body in the tags array, as
// tags.json's Action_Wrapper; a request-level error at top level.
func (c *call) failTags(e *zerr) {
	if jp, _ := e.Details["json_path"].(string); strings.HasPrefix(jp, "$.tags[") {
		writeJSON(c.w, e.status, map[string]any{"tags": []any{e.envelope()}})
		return
	}
	c.fail(e)
}

// tagSuccess is the answer to a change of tags: each tag as it now is.
func (c *call) tagSuccess(status int, message string, tags ...tagDef) {
	items := make([]any, len(tags))
	for i, t := range tags {
		items[i] = map[string]any{"code": "SUCCESS", "details": c.s.fullTag(t), "message": message, "status": "success"}
	}
	writeJSON(c.w, status, map[string]any{"tags": items})
}

// listTags answers GET /settings/tags?module=. Every tag is the current
// user's, so my_tags changes nothing.
func (c *call) listTags() {
	module, ok := c.moduleParam()
	if !ok {
		return
	}
	ts := c.s.tags
	ts.mu.Lock()
	tags := ts.listLocked(module)
	ts.mu.Unlock()
	out := make([]any, len(tags))
	for i, t := range tags {
		out[i] = c.s.fullTag(t)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"tags": out, "info": map[string]any{"count": len(out), "allowed_count": maxModuleTags}})
}

// createTags answers POST /settings/tags?module=: 201 with the new tags.
func (c *call) createTags() {
	module, in, ok := c.tagsRequest()
	if !ok {
		return
	}
	ts := c.s.tags
	ts.mu.Lock()
	defer ts.mu.Unlock()
	now := zohoTime(c.s.cfg.now())
	var made []tagDef
	for i, t := range in {
		if zerr := checkTagName(i, t.name); zerr != nil {
			c.failTags(zerr)
			return
		}
		if j := ts.namedLocked(module, t.name); j >= 0 || slices.ContainsFunc(made, func(m tagDef) bool { return strings.EqualFold(m.name, t.name) }) {
			c.failTags(duplicateTag(i, ts.tags[module], j))
			return
		}
		made = append(made, tagDef{id: c.s.records.newID(), name: t.name, color: t.color, created: now, modified: now})
	}
	if len(ts.tags[module])+len(made) > maxModuleTags {
		c.fail(tagLimit())
		return
	}
	ts.tags[module] = append(ts.tags[module], made...)
	c.tagSuccess(http.StatusCreated, "tags created successfully", made...)
}

// duplicateTag is DUPLICATE_DATA for the i-th tag of a body, whose name
// is the module's tag j (-1: another tag of the same body).
func duplicateTag(i int, tags []tagDef, j int) *zerr {
	d := map[string]any{"api_name": "name", "json_path": fmt.Sprintf("$.tags[%d].name", i), "id": nil}
	if j >= 0 {
		d["id"] = tags[j].id
	}
	return newErr(400, "DUPLICATE_DATA", "duplicate data", d)
}

// updateTags answers PUT /settings/tags?module= (each tag names its id)
// and PUT /settings/tags/{id}?module= (the tag the path names): a new
// name or colour. The records holding a renamed tag show its new name.
func (c *call) updateTags(pathID string) {
	module, in, ok := c.tagsRequest()
	if !ok {
		return
	}
	if pathID != "" {
		in = in[:1]
		in[0].id = pathID
	}
	defer c.s.lockTags(module)()
	ts := c.s.tags
	tags := ts.listLocked(module)
	changed := make([]int, len(in))
	for i, t := range in {
		j := slices.IndexFunc(tags, func(d tagDef) bool { return d.id == t.id })
		switch {
		case t.id == "":
			c.failTags(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "id", "json_path": fmt.Sprintf("$.tags[%d].id", i)}))
			return
		case j < 0:
			c.failTags(tagInvalid(i, "id", nil))
			return
		}
		if t.name != "" {
			if zerr := checkTagName(i, t.name); zerr != nil {
				c.failTags(zerr)
				return
			}
			if k := slices.IndexFunc(tags, func(d tagDef) bool { return d.id != t.id && strings.EqualFold(d.name, t.name) }); k >= 0 {
				c.failTags(duplicateTag(i, tags, k))
				return
			}
			tags[j].name = t.name
		}
		if t.hasColor {
			tags[j].color = t.color
		}
		tags[j].modified = zohoTime(c.s.cfg.now())
		changed[i] = j
	}
	ts.tags[module] = tags
	c.s.retagLocked(module, func(ids []string) []string { return ids })
	out := make([]tagDef, len(changed))
	for i, j := range changed {
		out[i] = tags[j]
	}
	c.tagSuccess(http.StatusOK, "tags updated successfully", out...)
}

// pathTag returns the module of the tag a path names, answering an id no
// module has.
func (c *call) pathTag(id string) (string, bool) {
	module, ok := c.s.tags.moduleOf(id)
	if !ok {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "id", "json_path": "$.id", "resource_path_index": 2}))
	}
	return module, ok
}

// deleteTag answers DELETE /settings/tags/{id}: the tag leaves every
// record that held it.
func (c *call) deleteTag(id string) {
	module, ok := c.pathTag(id)
	if !ok {
		return
	}
	defer c.s.lockTags(module)()
	ts := c.s.tags
	j := ts.indexLocked(module, id)
	if j < 0 { // deleted meanwhile
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "id", "json_path": "$.id", "resource_path_index": 2}))
		return
	}
	gone := ts.tags[module][j]
	ts.tags[module] = slices.Delete(slices.Clone(ts.tags[module]), j, j+1)
	c.s.retagLocked(module, func(ids []string) []string {
		return slices.DeleteFunc(ids, func(t string) bool { return t == id })
	})
	c.tagSuccess(http.StatusOK, "tags deleted successfully", gone)
}

// mergeTags answers POST /settings/tags/{id}/actions/merge with
// {"tags":[{"conflict_id"}]}: the records of the conflict tag take the
// path's tag instead, and the conflict tag is deleted.
func (c *call) mergeTags(id string) {
	module, ok := c.pathTag(id)
	if !ok {
		return
	}
	var b struct {
		Tags []map[string]any `json:"tags"`
	}
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a tags array", nil))
		return
	}
	if len(b.Tags) == 0 || b.Tags[0]["conflict_id"] == nil {
		c.failTags(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "conflict_id", "json_path": "$.tags[0].conflict_id"}))
		return
	}
	from, _ := idValue(b.Tags[0]["conflict_id"])
	defer c.s.lockTags(module)()
	ts := c.s.tags
	i, j := ts.indexLocked(module, from), ts.indexLocked(module, id)
	if i < 0 || from == id || j < 0 {
		c.failTags(tagInvalid(0, "conflict_id", nil))
		return
	}
	into := ts.tags[module][j]
	ts.tags[module] = slices.Delete(slices.Clone(ts.tags[module]), i, i+1)
	c.s.retagLocked(module, func(ids []string) []string {
		for k, t := range ids {
			if t == from {
				ids[k] = id
			}
		}
		return uniq(ids)
	})
	c.tagSuccess(http.StatusOK, "tags merged successfully", into)
}

// tagRecordsCount answers GET /settings/tags/{id}/actions/records_count
// ?module=: how many records hold the tag, a string as tags.json types it.
func (c *call) tagRecordsCount(id string) {
	module, ok := c.moduleParam()
	if !ok {
		return
	}
	ts := c.s.tags
	ts.mu.Lock()
	known := ts.indexLocked(module, id) >= 0
	ts.mu.Unlock()
	if !known {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "id", "json_path": "$.id", "resource_path_index": 2}))
		return
	}
	n := 0
	for _, r := range c.s.records.module(module).snapshot() {
		if slices.Contains(tagIDsOf(r["Tag"]), id) {
			n++
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"count": strconv.Itoa(n)})
}
