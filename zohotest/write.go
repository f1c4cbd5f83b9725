package zohotest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Writing records: insert, update, upsert and delete, and the recycle bin
// (GET /{module}/deleted). A write holds its module's write lock while it
// validates and stores, and only then.

type writeBody struct {
	Data                 []map[string]any `json:"data"`
	DuplicateCheckFields []string         `json:"duplicate_check_fields"`
	Trigger              any              `json:"trigger"`
}

// parseWriteBody reads a write's body as encoding/json reads it into a
// writeBody (keys matched without regard to case; of two spellings of one
// key, the exact one wins), and false where encoding/json fails.
func parseWriteBody(data []byte) (writeBody, bool) { return parseWriteBodyRoom(data, 0) }

// parseWriteBodyRoom is parseWriteBody making each record's map with room
// for recordRoom more members (parseJSONRoom).
func parseWriteBodyRoom(data []byte, recordRoom int) (writeBody, bool) {
	var b writeBody
	v, err := parseJSONRoom(data, recordRoom)
	obj, isObj := v.(map[string]any)
	if err != nil || (!isObj && v != nil) {
		return b, false
	}
	for _, exact := range []bool{false, true} { // the exact spelling is read last, and wins
		for k, v := range obj {
			if (k == "data" || k == "duplicate_check_fields" || k == "trigger") == exact {
				if !b.set(k, v) {
					return b, false
				}
			}
		}
	}
	return b, true
}

// set reads member k of a write's body.
func (b *writeBody) set(k string, v any) bool {
	switch {
	case strings.EqualFold(k, "data"):
		arr, isArr := v.([]any)
		if !isArr && v != nil {
			return false
		}
		b.Data = nil
		if isArr {
			b.Data = make([]map[string]any, len(arr))
		}
		for i, e := range arr {
			rec, isRec := e.(map[string]any)
			if !isRec && e != nil {
				return false
			}
			b.Data[i] = rec
		}
	case strings.EqualFold(k, "duplicate_check_fields"):
		arr, isArr := v.([]any)
		if !isArr && v != nil {
			return false
		}
		b.DuplicateCheckFields = nil
		for _, e := range arr {
			f, isStr := e.(string)
			if !isStr && e != nil {
				return false
			}
			b.DuplicateCheckFields = append(b.DuplicateCheckFields, f)
		}
	case strings.EqualFold(k, "trigger"):
		b.Trigger = v
	}
	return true
}

// write answers insert (POST), update (PUT) and upsert.
func (c *call) write(module, op, pathID string) {
	room := 0
	if op == "insert" { // the members validateInsert adds to a record sent
		if ms := c.s.records.module(module); ms != nil {
			room = insertRoom(ms)
		}
	}
	b, parsed := parseWriteBodyRoom(c.body, room)
	if !parsed || b.Data == nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a data array", nil))
		return
	}
	if len(b.Data) > 100 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"limit": 100}))
		return
	}
	if len(b.Data) == 0 {
		c.fail(newErr(400, "EXPECTED_FIELD_MISSING", "data is empty", map[string]any{"api_name": "data"}))
		return
	}
	if !c.writeParamsOK(module, op, &b) {
		return
	}
	// An insert's records are checked before the module's lock is taken,
	// but for their unique fields, which only the lock keeps unique: the
	// other writes to the module wait for less.
	var checked []checkedRecord
	if op == "insert" {
		checked = make([]checkedRecord, len(b.Data))
		for i, in := range b.Data {
			checked[i].rec, checked[i].err = c.s.validateInsert(module, in, i)
		}
	}
	items := make([]any, len(b.Data))
	c.dones = make([]writeDone, 0, len(b.Data))
	var outcome outcomes
	ms := c.s.records.module(module)
	changed := changes{size: len(b.Data)} // for the notification channels (watch.go)
	ms.mu.Lock()
	for i, in := range b.Data {
		var item *writeDone
		var err *zerr
		if checked != nil {
			item, err = c.insertCheckedLocked(module, i, checked[i])
		} else {
			item, err = c.writeOne(module, op, pathID, i, in, b.DuplicateCheckFields)
		}
		if err != nil {
			items[i] = outcome.failed(err)
			continue
		}
		items[i] = outcome.succeeded(item)
		changed.addItem(op, in, item)
	}
	ms.mu.Unlock()
	c.s.publish(module, &changed)
	allOK := 200
	if op == "insert" || op == "upsert" {
		allOK = 201
	}
	c.answer(outcome.status(allOK), map[string]any{"data": items})
}

// checkedRecord is a record to insert as validate left it: the record to
// store, or why not.
type checkedRecord struct {
	rec map[string]any
	err *zerr
}

// insertCheckedLocked inserts record i of a write, checked by validate,
// once its unique fields are found unique. The caller holds the module's
// write lock.
func (c *call) insertCheckedLocked(module string, i int, r checkedRecord) (*writeDone, *zerr) {
	if r.err != nil {
		return nil, r.err
	}
	if err := c.s.uniqueLocked(module, r.rec, i); err != nil {
		return nil, err
	}
	c.s.insertLocked(module, r.rec)
	return c.done(r.rec, "record added"), nil
}

// writeOne writes record i of a write. The caller holds the module's
// write lock.
func (c *call) writeOne(module, op, pathID string, i int, in map[string]any, dup []string) (*writeDone, *zerr) {
	s := c.s
	ms := s.records.module(module)
	if op == "upsert" {
		if len(dup) == 0 {
			for api := range ms.unique {
				dup = append(dup, api)
			}
			slices.Sort(dup)
		}
		for _, api := range dup {
			v, ok := in[api]
			if !ok {
				continue
			}
			if r := ms.findLocked(api, v); r != nil {
				item, err := c.update(module, r, i, in)
				if err == nil {
					item.upsert, item.action, item.duplicateField = true, "update", api
				}
				return item, err
			}
		}
		rec, err := s.validate(module, in, i, true, nil)
		item, err := c.insertCheckedLocked(module, i, checkedRecord{rec, err})
		if err == nil {
			item.upsert, item.action = true, "insert"
		}
		return item, err
	}
	if op == "insert" {
		rec, err := s.validate(module, in, i, true, nil)
		return c.insertCheckedLocked(module, i, checkedRecord{rec, err})
	}
	id, _ := idValue(in["id"]) // a string, or a number as Zoho's SDKs send it
	if pathID != "" {
		id = pathID
	}
	if id == "" {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "id", "json_path": "$.data[" + strconv.Itoa(i) + "].id"})
	}
	old, ok := ms.get(id)
	if !ok {
		return nil, newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"api_name": "id", "json_path": "$.data[" + strconv.Itoa(i) + "].id"})
	}
	return c.update(module, old, i, in)
}

// update writes in over the stored record old. The caller holds the
// module's write lock.
func (c *call) update(module string, old map[string]any, i int, in map[string]any) (*writeDone, *zerr) {
	s := c.s
	if err := s.refuseUpdate(module, old, in, i); err != nil {
		return nil, err
	}
	rec, err := s.validateLocked(module, in, i, false, old)
	if err != nil {
		return nil, err
	}
	rec["Modified_Time"] = s.now()
	s.records.module(module).putLocked(rec)
	return c.done(rec, "record updated"), nil
}

// delete answers DELETE /{module}?ids= and /{module}/{id}.
func (c *call) delete(module string, ids []string) {
	if len(ids) == 0 || ids[0] == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "ids"}))
		return
	}
	if len(ids) > 100 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"param_name": "ids", "limit": 100}))
		return
	}
	s := c.s
	items := make([]any, len(ids))
	var outcome outcomes
	gone := make([]string, 0, len(ids)) // deleted: their notes, attachments and relations go too
	ms := s.records.module(module)
	changed := changes{size: len(ids)}   // for the notification channels (watch.go)
	var lastCreator, lastBy any          // the Created_By of the record deleted last, and its entry's
	deletedTime := zohoTime(s.cfg.now()) // one request, one instant: formatted once
	ms.mu.Lock()
	for i, id := range ids {
		rec, exists := ms.removeLocked(id)
		if !exists {
			items[i] = outcome.failed(newErr(400, "INVALID_DATA", "record not deleted", map[string]any{"id": id}))
			continue
		}
		changed.add("delete", id, nil, nil)
		name, _ := rec[s.meta.displayField(module)].(string)
		createdBy := lastBy // entries are never modified: one creator, one map
		if lastBy == nil || !sameUserRef(rec["Created_By"], lastCreator) {
			createdBy = s.userRef(rec["Created_By"])
		}
		lastCreator, lastBy = rec["Created_By"], createdBy
		// The name is copied: the record's may be a slice of the body of the
		// write that stored it (jsonParser.text), which the recycle bin,
		// kept for ever, would otherwise keep too.
		ms.deleted.add(deletedRecord{ID: id, DisplayName: strings.Clone(name), Type: "recycle", DeletedTime: deletedTime,
			DeletedBy: s.currentUserRef(), CreatedBy: createdBy})
		gone = append(gone, id)
		items[i] = outcome.succeeded(deleteDone(id))
	}
	ms.mu.Unlock()
	s.publish(module, &changed)
	s.dropAssociations(module, gone)
	c.answer(outcome.status(200), map[string]any{"data": items})
}

// deleted answers GET /{module}/deleted: the entries in the order of
// their deletion, per_page (≤200) a page, only those deleted after
// If-Modified-Since when it is sent (304 when none is), 204 when there is
// none at all (docs/wire.md §2.6, §11).
func (c *call) deleted(module string) {
	perPage, page, ok := c.pageParams()
	if !ok {
		return
	}
	since, ok := c.sinceHeader()
	if !ok {
		return
	}
	ms := c.s.records.module(module)
	ms.mu.RLock()
	d := ms.deleted.all()
	ms.mu.RUnlock()
	if t := c.q.Get("type"); t == "permanent" {
		d = nil // records are kept in the recycle bin
	}
	if !since.IsZero() {
		d = slices.DeleteFunc(d, func(e deletedRecord) bool {
			t, _ := time.Parse(time.RFC3339, e.DeletedTime)
			return !t.After(since)
		})
		if len(d) == 0 {
			c.w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	answerPage(c, "data", d, page, perPage)
}

// deleteDone is the item of a record a delete removed:
// {"code":"SUCCESS","details":{"id":…},"message":"record deleted","status":"success"},
// written straight into the answer rather than built as two maps.
type deleteDone string

// appendJSON writes the item as encoding/json writes it as a map (keys
// sorted).
func (d deleteDone) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, `{"code":"SUCCESS","details":{"id":`...)
	buf, err := appendString(buf, string(d))
	if err != nil {
		return buf, err
	}
	return append(buf, `},"message":"record deleted","status":"success"}`...), nil
}
