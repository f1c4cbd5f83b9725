package zohohub

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// AnyRecord is the record type of a module named at run time (see
// RecordsOf): it maps the fields of Model, and keeps every other field as
// the JSON Zoho sent, read with Get or Fields.
type AnyRecord struct {
	Model
}

// RecordsOf returns the handle on the records of a module whose API name
// is known only at run time, such as a module a user picks or a mirror of
// the whole org. Its records are *AnyRecord. Select and Where accept any
// field API name (Zoho refuses one the module lacks); a read without
// Select asks for Model's fields only, so select the fields you need. A
// name that cannot be a module makes every method return an error, before
// any request is sent.
func RecordsOf(c *Client, module string) *RecordSet[AnyRecord] {
	rs := &RecordSet[AnyRecord]{c: c}
	if rs.err = c.check(); rs.err != nil {
		return rs
	}
	if !validAPIName(module) {
		rs.err = fmt.Errorf("zohohub: RecordsOf: %q is not a module API name", module)
		return rs
	}
	b := &typeBuilder{building: map[reflect.Type]bool{}}
	info, err := b.inspect(reflect.TypeFor[AnyRecord]())
	if err != nil {
		rs.err = err
		return rs
	}
	info.module, info.open = module, true
	rs.info = info
	return rs
}

// Fields returns every field of the record as JSON, by API name, as it
// was read (or last saved), with the values given to Set since: id and
// the other fields of Model, and every field Zoho returned. A record read
// through Export holds Bulk Read's text cells: every field beyond Model's
// is a JSON string (or null for an empty cell). The values must not be
// modified.
func (r *AnyRecord) Fields() map[string]json.RawMessage {
	m := &r.Model
	out := make(map[string]json.RawMessage, 16)
	if m.extraInSnap {
		// The record as Zoho sent it: every member, users with their names.
		_ = eachMember(m.snap, func(key, val []byte) error {
			if name, err := unquote(key); err == nil {
				out[name] = val
			}
			return nil
		})
	} else {
		if rv, ok := m.bound(); ok {
			for _, f := range m.meta.fields {
				if b, err := f.appendJSON(nil, rv.FieldByIndex(f.index)); err == nil {
					out[f.apiName] = b
				}
			}
		}
		for k, v := range m.extra {
			out[k] = v
		}
	}
	for k, v := range m.set {
		out[k] = v
	}
	return out
}
