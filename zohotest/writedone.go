package zohotest

// writeDone is the item of a record a write stored, as Zoho answers it:
// {"code":"SUCCESS","details":{…},"message":…,"status":"success"}, and
// for an upsert its action and duplicate_field. It is written straight
// into the answer (appendJSON): a map for the item and one for its details
// would cost a 100-record write two hundred maps and their sorting.
type writeDone struct {
	id, created, modified any // the stored record's id, Created_Time, Modified_Time
	by                    map[string]any
	message               string
	upsert                bool
	action                string // of an upsert: insert or update
	duplicateField        string // of an upsert that updated: the field that matched
}

// done is the item of rec, stored by a write, in the call's room for its
// items (dones) while there is some: one allocation a request, not one a
// record. Appending within the room's capacity never moves the items
// already handed out.
func (c *call) done(rec map[string]any, message string) *writeDone {
	var d *writeDone
	if len(c.dones) < cap(c.dones) {
		c.dones = c.dones[:len(c.dones)+1]
		d = &c.dones[len(c.dones)-1]
	} else {
		d = new(writeDone)
	}
	*d = writeDone{id: rec["id"], created: rec["Created_Time"], modified: rec["Modified_Time"], by: c.s.currentUserRef(), message: message}
	return d
}

// recordID is the id of the record written.
func (d *writeDone) recordID() string {
	id, _ := d.id.(string)
	return id
}

// appendJSON writes the item as encoding/json writes it as a map (keys
// sorted); TestWriteDoneJSON holds it to that.
func (d *writeDone) appendJSON(buf []byte) ([]byte, error) {
	var err error
	if d.upsert {
		buf = append(buf, `{"action":`...)
		if buf, err = appendString(buf, d.action); err != nil {
			return buf, err
		}
		buf = append(buf, `,"code":"SUCCESS","details":`...)
	} else {
		buf = append(buf, `{"code":"SUCCESS","details":`...)
	}
	buf = append(buf, `{"$approval_state":"approved","Created_By":`...)
	for _, m := range [...]struct {
		sep string
		v   any
	}{{"", d.by}, {`,"Created_Time":`, d.created}, {`,"Modified_By":`, d.by}, {`,"Modified_Time":`, d.modified}, {`,"id":`, d.id}} {
		buf = append(buf, m.sep...)
		if buf, err = appendJSON(buf, m.v); err != nil {
			return buf, err
		}
	}
	buf = append(buf, '}')
	if d.upsert {
		buf = append(buf, `,"duplicate_field":`...)
		if d.duplicateField == "" {
			buf = append(buf, "null"...)
		} else if buf, err = appendString(buf, d.duplicateField); err != nil {
			return buf, err
		}
	}
	buf = append(buf, `,"message":`...)
	if buf, err = appendString(buf, d.message); err != nil {
		return buf, err
	}
	return append(buf, `,"status":"success"}`...), nil
}
