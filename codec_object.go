package zohohub

import (
	"errors"
	"fmt"
	"reflect"
	"unicode/utf8"
	"unsafe"
)

// A record or subform row as a JSON object: its mapped fields through
// their codecs.

// decodeInto sets the mapped fields of the struct v from the JSON object
// raw. Members the type does not map are skipped here; a record keeps them
// in its raw snapshot (see Model).
func (ti *typeInfo) decodeInto(v reflect.Value, raw []byte) error {
	return ti.decodeCounting(v, raw, nil)
}

// decodeCounting is decodeInto counting the members of raw (count may be
// nil).
func (ti *typeInfo) decodeCounting(v reflect.Value, raw []byte, count *memberCount) error {
	in := ti.internTable()
	defer ti.putInterns(in)
	end, err := ti.decodeAt(in, v, raw, 0, count)
	if err != nil {
		return err
	}
	return checkTrailing(raw, end)
}

// memberCount counts kinds of members of an object: those named id (with
// the last one's value, for answeredID's checks), those the type does not
// map, and writable mapped ones (not id, not read-only).
type memberCount struct {
	ids      int
	idRaw    []byte
	unmapped int
	writable int
}

// decodeAt is decodeInto reading the object at b[i] in place, with the
// texts of table in: it returns the index just past the object. When
// count is not nil, it counts the object's members.
func (ti *typeInfo) decodeAt(in *internTable, v reflect.Value, b []byte, i int, count *memberCount) (int, error) {
	return walkObject(b, i, func(key []byte, vs int) (int, error) {
		ve, err := skipValue(b, vs)
		if err != nil {
			return 0, err
		}
		val := b[vs:ve]
		f, err := ti.fieldOfKey(key)
		if err != nil {
			return 0, err
		}
		if count != nil {
			switch {
			case f == nil:
				count.unmapped++
			case f == ti.idField:
				count.ids++
				count.idRaw = val
			case !f.readonly:
				count.writable++
			}
		}
		if f == nil {
			return ve, nil
		}
		fv := v.FieldByIndex(f.index)
		if string(val) == "null" {
			fv.SetZero()
			return ve, nil
		}
		if f.codec.decodeIn != nil && f != ti.idField { // ids never repeat
			err = f.codec.decodeIn(in, fv, val)
		} else {
			err = f.codec.decode(fv, val)
		}
		if err != nil {
			return 0, f.errorf(err)
		}
		return ve, nil
	})
}

// fieldOfKey is the field a member's quoted key names, nil for a member
// the type does not map; a plain key is looked up without unquoting.
func (ti *typeInfo) fieldOfKey(key []byte) (*fieldInfo, error) {
	if name, plain := plainKey(key); plain {
		return ti.byName[string(name)], nil
	}
	s, err := unquote(key)
	if err != nil {
		return nil, err
	}
	return ti.byName[s], nil
}

// fieldDiff says how a field's current value compares with the record's
// snapshot.
type fieldDiff uint8

const (
	diffAbsent  fieldDiff = iota // not in the snapshot, or null: it was empty
	diffSame                     // the same text as the snapshot's
	diffChanged                  // another text than the snapshot's
	diffDecoded                  // decoded into old: compare with changed
)

// diffSnapshot compares the writable fields of the record cur with its
// snapshot, setting diffs[f.pos]. A member in a form its codec compares
// as it is (sameAsRaw: texts, booleans, integers) is compared so; others
// are decoded into old (made when the first one is), for changed to
// compare. Read-only fields are never
// sent, so never compared.
func (ti *typeInfo) diffSnapshot(cur reflect.Value, snap []byte, diffs []fieldDiff) (old reflect.Value, err error) {
	if len(snap) == 0 {
		return old, nil
	}
	var in *internTable
	end, err := walkObject(snap, 0, func(key []byte, vs int) (int, error) {
		ve, err := skipValue(snap, vs)
		if err != nil {
			return 0, err
		}
		val := snap[vs:ve]
		f, err := ti.fieldOfKey(key)
		if err != nil {
			return 0, err
		}
		switch {
		case f == nil || f.readonly:
			return ve, nil
		case string(val) == "null":
			diffs[f.pos] = diffAbsent
			return ve, nil
		}
		if f.codec.sameAsRaw != nil {
			if same, ok := f.codec.sameAsRaw(cur.FieldByIndex(f.index), val); ok {
				diffs[f.pos] = diffChanged
				if same {
					diffs[f.pos] = diffSame
				}
				return ve, nil
			}
		}
		if !old.IsValid() {
			old = reflect.New(ti.typ).Elem()
			in = ti.internTable()
		}
		fv := old.FieldByIndex(f.index)
		fv.SetZero() // a member given twice (a merged snapshot): the last one is the value
		if f.codec.decodeIn != nil {
			err = f.codec.decodeIn(in, fv, val)
		} else {
			err = f.codec.decode(fv, val)
		}
		if err != nil {
			return 0, f.errorf(err)
		}
		diffs[f.pos] = diffDecoded
		return ve, nil
	})
	if in != nil {
		ti.putInterns(in)
	}
	if err == nil {
		err = checkTrailing(snap, end)
	}
	return old, err
}

// plainString returns the text of a raw JSON string that holds it as it
// is: no escape, no control character, valid UTF-8.
func plainString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	ascii := true
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return inner, ascii || utf8.Valid(inner)
}

// eachUnmapped calls fn for the members of the JSON object raw that the
// type does not map.
func (ti *typeInfo) eachUnmapped(raw []byte, fn func(name string, val []byte) bool) {
	stop := errors.New("stop")
	_ = eachMember(raw, func(key, val []byte) error {
		if inner, plain := plainKey(key); plain {
			if _, mapped := ti.byName[string(inner)]; mapped { // no allocation: most keys are mapped
				return nil
			}
		}
		name, err := unquote(key)
		if err != nil {
			return err
		}
		if _, mapped := ti.byName[name]; mapped {
			return nil
		}
		if !fn(name, val) {
			return stop
		}
		return nil
	})
}

// FieldError reports a field value that does not fit its Go field: a
// wrong type read from Zoho, or a value that cannot be sent (text that is
// not UTF-8, ErrInvalidUTF8; a number with more decimal places than the
// field keeps, *PlacesError). GoName and Type are empty for a field the
// record type does not map (one given to Model.Set).
type FieldError struct {
	APIName string
	GoName  string
	Type    reflect.Type
	Err     error
}

// Error names the field, its Go type and what was wrong with the value.
func (e *FieldError) Error() string {
	if e.GoName == "" {
		return fmt.Sprintf("zohohub: field %s: %v", e.APIName, e.Err)
	}
	return fmt.Sprintf("zohohub: field %s (%s %s): %v", e.APIName, e.GoName, e.Type, e.Err)
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// errorf returns err as a *FieldError about f.
func (f *fieldInfo) errorf(err error) *FieldError {
	return &FieldError{APIName: f.apiName, GoName: f.goName, Type: f.typ, Err: err}
}

// encodeMode says which fields of a record are written and how empty
// values are written.
type encodeMode int

const (
	// encodeInsert writes the writable fields that are not empty.
	encodeInsert encodeMode = iota
	// encodeFull writes every writable field, empty ones as null.
	encodeFull
	// encodeSnapshot writes every mapped field, read-only ones and id
	// included, empty ones as null: the record as last read or written.
	encodeSnapshot
)

// empty reports whether field value fv is written as null: an empty value
// of a type whose zero is not a value of its own (false is one).
func (f *fieldInfo) empty(fv reflect.Value) bool {
	return !f.codec.zeroIsValue && f.codec.isZero(fv)
}

// appendJSON appends the wire form of field value fv: an empty value
// becomes null, so that saving a field set to its zero value clears it in
// Zoho.
func (f *fieldInfo) appendJSON(b []byte, fv reflect.Value) ([]byte, error) {
	if f.empty(fv) {
		return append(b, "null"...), nil
	}
	out, err := f.codec.encode(b, fv)
	if err != nil {
		return b, f.errorf(err)
	}
	return out, nil
}

// changed reports whether field value cur differs from old as Zoho would
// store them: a datetime that moved less than a second, or a decimal
// written with another number of places, has not changed.
func (f *fieldInfo) changed(cur, old reflect.Value) bool {
	ec, eo := f.empty(cur), f.empty(old)
	if ec || eo {
		return ec != eo
	}
	return !sameValue(f.codec, cur, old)
}

// encodeObject appends a JSON object of the fields of v chosen by mode.
// include, when not nil, restricts the fields written to those it accepts.
func (ti *typeInfo) encodeObject(b []byte, v reflect.Value, mode encodeMode, include func(*fieldInfo) bool) ([]byte, error) {
	if b == nil {
		// One allocation for the usual object, rather than one per
		// doubling: as large as the largest written so far.
		n := 2
		for _, f := range ti.fields {
			n += len(f.key) + 8
		}
		b = make([]byte, 0, max(n, int(ti.objectSize.Load())))
		defer func() {
			if n := int32(min(len(b), maxObjectSizeHint)); n > ti.objectSize.Load() {
				ti.objectSize.Store(n)
			}
		}()
	}
	b = append(b, '{')
	first := true
	base := addressOf(v)
	for _, f := range ti.fields {
		if mode != encodeSnapshot && (f.readonly && f != ti.idField) {
			continue
		}
		if include != nil && !include(f) {
			continue
		}
		skipZero := mode == encodeInsert || f == ti.idField
		fast := f.fast != nil && base != nil
		var fv reflect.Value
		if fast {
			if skipZero && f.fast.isZero(unsafe.Add(base, f.offset)) {
				continue
			}
		} else if fv = v.FieldByIndex(f.index); skipZero && f.codec.isZero(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if fast {
			b, err = f.appendJSONAt(b, base)
		} else {
			b, err = f.appendJSON(b, fv)
		}
		if err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}
