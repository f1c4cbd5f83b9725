package zohotest

import (
	"encoding/json"
	"slices"
)

// notesModule is the module holding every record's notes.
const notesModule = "Notes"

// recordNotes answers GET and POST /{module}/{id}/Notes: the notes of one
// record, and adding notes to it (Parent_Id and $se_module come from the
// path, whatever the body says). Notes are also reachable as the module
// Notes (/Notes, /Notes/{id}) like any other.
func (c *call) recordNotes(module, id string) {
	if !c.module(notesModule) {
		return
	}
	if _, exists := c.s.records.get(module, id); !exists {
		c.fail(newErr(400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"resource_path_index": 1}))
		return
	}
	if c.r.Method == "POST" {
		c.addNotes(module, id)
		return
	}
	fields, perPage, page, ok := c.pagingParams(notesModule, true)
	if !ok {
		return
	}
	notes := c.s.notesOf(module, id)
	c.writePage(notesModule, notes, fields, perPage, page, "id", "desc")
}

// addNotes inserts the notes of a POST /{module}/{id}/Notes as POST /Notes
// would, attached to the record of the path.
func (c *call) addNotes(module, id string) {
	var b struct {
		Data []map[string]any `json:"data"`
	}
	if err := decodeJSON(c.body, &b); err != nil || b.Data == nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a data array", nil))
		return
	}
	for _, n := range b.Data {
		n["Parent_Id"] = map[string]any{"id": id}
		n[seModuleKey] = module
		delete(n, "se_module")
	}
	body, err := json.Marshal(b)
	if err != nil {
		c.fail(newErr(500, "INTERNAL_ERROR", err.Error(), nil))
		return
	}
	c.body = body
	c.write(notesModule, "insert", "")
}

// notesOf returns the notes of the record id of module, newest first, as
// Zoho lists them.
func (s *Server) notesOf(module, id string) []map[string]any {
	var notes []map[string]any
	for _, n := range s.records.module(notesModule).snapshot() {
		ref, _ := n["Parent_Id"].(map[string]any)
		if n[seModuleKey] == module && ref != nil && ref["id"] == id {
			notes = append(notes, n)
		}
	}
	slices.Reverse(notes)
	return notes
}
