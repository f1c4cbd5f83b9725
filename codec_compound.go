package zohohub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The codecs of values made of others: references to records and users,
// files, raw and free-form JSON, pointers, lists and subform rows.

// memberString decodes a string-ish member of a small object (ids may come
// as numbers from some endpoints).
func memberString(in *internTable, raw []byte) (string, error) {
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		return unquoteIn(in, raw)
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return string(raw), nil
	}
	return "", errors.New("expected a string")
}

// idObjectCell reads the id Bulk Read writes for a lookup or user.
func idObjectCell(b []byte, cell string) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendQuoted(b, cell)
	return append(b, '}'), nil
}

// jsonOrQuotedCell keeps a cell that is a JSON object or array (how Bulk
// Read writes values with no text form) and quotes anything else.
func jsonOrQuotedCell(b []byte, cell string) ([]byte, error) {
	if (cell[0] == '{' || cell[0] == '[') && validJSON([]byte(cell)) {
		return append(b, cell...), nil
	}
	return appendQuoted(b, cell), nil
}

// idCell writes the id of a lookup or user: Bulk Write links records by
// id (docs/wire.md §7).
func idCell(b []byte, id, what, name string) ([]byte, error) {
	if id == "" {
		return b, fmt.Errorf("%s %q has no ID (Zoho links %ss by id)", what, name, what)
	}
	return append(b, id...), nil
}

// notImportable is the CSV form of values Bulk Write cannot take.
func notImportable(b []byte, _ reflect.Value) ([]byte, error) { return b, ErrNotImportable }

// jsonCell writes the cell of a JSON value: the text of a string, the
// JSON of a number or boolean; an object or list is ErrNotImportable.
func jsonCell(b []byte, raw []byte) ([]byte, error) {
	raw = trimJSON(raw)
	switch {
	case len(raw) == 0 || isNull(raw):
		return b, nil
	case raw[0] == '"':
		s, err := unquote(raw)
		if err != nil {
			return b, err
		}
		return append(b, s...), nil
	case raw[0] == '{' || raw[0] == '[':
		return b, ErrNotImportable
	}
	return append(b, raw...), nil
}

// decodeLookup sets a Lookup from {"id":…,"name":…}.
func decodeLookup(in *internTable, v reflect.Value, raw []byte) error {
	l := v.Addr().Interface().(*Lookup)
	*l = Lookup{}
	return eachMember(raw, func(key, val []byte) (err error) {
		switch string(key) {
		case `"id"`:
			l.ID, err = memberString(in, val)
		case `"name"`:
			l.Name, err = memberString(in, val)
		}
		return err
	})
}

// decodeUser sets a User from {"id":…,"name":…,"email":…}.
func decodeUser(in *internTable, v reflect.Value, raw []byte) error {
	u := v.Addr().Interface().(*User)
	*u = User{}
	return eachMember(raw, func(key, val []byte) (err error) {
		switch string(key) {
		case `"id"`:
			u.ID, err = memberString(in, val)
		case `"name"`:
			u.Name, err = memberString(in, val)
		case `"email"`:
			u.Email, err = memberString(in, val)
		}
		return err
	})
}

// sameIDObjectAsRaw is sameAsRaw for a Lookup or User, whose JSON is
// {"id":…,"name":…,…} (names: "id" first, then the other members decode
// reads) and whose value is empty when every member is: the current value
// has id curID and is empty or not. Two values that are not empty are the
// same when both have one id (what encode writes).
func sameIDObjectAsRaw(curID string, curEmpty bool, raw []byte, names ...string) (same, ok bool) {
	if raw[0] != '{' {
		return false, false
	}
	var texts [3][]byte // the last of each member, as decode keeps it
	err := eachMember(raw, func(key, val []byte) error {
		inner, plain := plainKey(key)
		if !plain {
			return nil // decode skips it too
		}
		for k, name := range names {
			if string(inner) == name {
				text, ok := memberText(val)
				if !ok {
					return errUnusual
				}
				texts[k] = text
			}
		}
		return nil
	})
	if err != nil {
		return false, false
	}
	empty := len(texts[0]) == 0 && len(texts[1]) == 0 && len(texts[2]) == 0
	if curEmpty || empty {
		return curEmpty == empty, true
	}
	return curID != "" && curID == string(texts[0]), true
}

// memberText is the text memberString reads from raw, when it can tell
// without copying it.
func memberText(raw []byte) ([]byte, bool) {
	switch {
	case string(raw) == "null":
		return nil, true
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return raw, true
	}
	return plainString(raw)
}

var lookupCodec = &codec{
	decode:   func(v reflect.Value, raw []byte) error { return decodeLookup(nil, v, raw) },
	decodeIn: decodeLookup,
	sameAsRaw: func(v reflect.Value, raw []byte) (bool, bool) {
		if !v.CanAddr() {
			return false, false
		}
		l := v.Addr().Interface().(*Lookup)
		return sameIDObjectAsRaw(l.ID, *l == Lookup{}, raw, "id", "name")
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		l := v.Interface().(Lookup)
		if l.ID == "" {
			return b, fmt.Errorf("lookup %q has no ID (Zoho links records by id)", l.Name)
		}
		b = append(b, `{"id":`...)
		b = appendQuoted(b, l.ID)
		return append(b, '}'), nil
	},
	isZero: reflectIsZero,
	cell:   idObjectCell,
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		l := v.Interface().(Lookup)
		return idCell(b, l.ID, "lookup", l.Name)
	},
}

var userCodec = &codec{
	decode:   func(v reflect.Value, raw []byte) error { return decodeUser(nil, v, raw) },
	decodeIn: decodeUser,
	sameAsRaw: func(v reflect.Value, raw []byte) (bool, bool) {
		if !v.CanAddr() {
			return false, false
		}
		u := v.Addr().Interface().(*User)
		return sameIDObjectAsRaw(u.ID, *u == User{}, raw, "id", "name", "email")
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		u := v.Interface().(User)
		if u.ID == "" {
			return b, fmt.Errorf("user %q has no ID (Zoho links users by id)", u.Name)
		}
		b = append(b, `{"id":`...)
		b = appendQuoted(b, u.ID)
		return append(b, '}'), nil
	},
	isZero: reflectIsZero,
	cell:   idObjectCell,
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		u := v.Interface().(User)
		return idCell(b, u.ID, "user", u.Name)
	},
}

// fileMembers are File's members by their names in Zoho's JSON, which
// decodeFile matches without regard to case, as encoding/json does.
var fileMembers = [...]struct {
	name string
	text func(*File) *string
}{
	{"id", func(f *File) *string { return &f.ID }},
	{"File_Id__s", func(f *File) *string { return &f.FileID }},
	{"File_Name__s", func(f *File) *string { return &f.Name }},
	{"Size__s", func(f *File) *string { return &f.Size }},
	{"Preview_Id__s", func(f *File) *string { return &f.PreviewID }},
	{"Description__s", func(f *File) *string { return &f.Description }},
	{"State__s", func(f *File) *string { return &f.State }},
}

// decodeFile sets a File from its JSON object as encoding/json would
// (keys matched without regard to case, null leaving a member empty,
// anything but text an error), without calling it: its engine changes with
// GOEXPERIMENT=jsonv2 (TestDecodeFileMatchesEncodingJSON).
func decodeFile(v reflect.Value, raw []byte) error {
	f := v.Addr().Interface().(*File)
	*f = File{}
	if string(raw) == "null" {
		return nil
	}
	return eachMember(raw, func(key, val []byte) error {
		name, err := unquote(key)
		if err != nil {
			return err
		}
		for _, m := range fileMembers {
			if strings.EqualFold(name, m.name) {
				if err := setJSONText(m.text(f), val); err != nil {
					return fmt.Errorf("file member %s: %w", key, err)
				}
				return nil
			}
		}
		return nil
	})
}

var fileCodec = &codec{
	decode: decodeFile,
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		f := v.Interface().(File)
		switch {
		case f.ID != "":
			b = append(b, `{"id":`...)
			b = appendQuoted(b, f.ID)
		case f.FileID != "":
			b = append(b, `{"File_Id__s":`...)
			b = appendQuoted(b, f.FileID)
		default:
			return b, errors.New("file entry has neither ID nor FileID")
		}
		if f.Description != "" {
			if !utf8.ValidString(f.Description) {
				return b, ErrInvalidUTF8
			}
			b = append(b, `,"Description__s":`...)
			b = appendQuoted(b, f.Description)
		}
		return append(b, '}'), nil
	},
	isZero:    reflectIsZero,
	cell:      jsonOrQuotedCell,
	writeCell: notImportable, // file fields are not imported (docs/wire.md §7)
}

var rawCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		v.SetBytes(append(json.RawMessage(nil), raw...))
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		raw := v.Bytes()
		if len(raw) == 0 {
			return append(b, "null"...), nil
		}
		if !validJSON(raw) {
			return b, errors.New("raw value is not valid JSON")
		}
		if !utf8.Valid(raw) {
			return b, ErrInvalidUTF8
		}
		return append(b, trimJSON(raw)...), nil
	},
	isZero: func(v reflect.Value) bool { return v.Len() == 0 },
	cell:   jsonOrQuotedCell,
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		if !utf8.Valid(v.Bytes()) {
			return b, ErrInvalidUTF8
		}
		return jsonCell(b, v.Bytes())
	},
}

// jsonCodec leaves a type to encoding/json: maps (Record), interfaces,
// plain structs and types with their own JSON methods.
func jsonCodec(t reflect.Type) *codec {
	c := &codec{
		decode: func(v reflect.Value, raw []byte) error {
			v.SetZero()
			return json.Unmarshal(raw, v.Addr().Interface())
		},
		encode: func(b []byte, v reflect.Value) ([]byte, error) {
			out, err := marshalValid(v.Interface())
			if err != nil {
				return b, err
			}
			return append(b, out...), nil
		},
		isZero: func(v reflect.Value) bool {
			if t.Kind() == reflect.Map {
				return v.IsNil()
			}
			return v.IsZero()
		},
		cell: jsonOrQuotedCell,
		writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
			out, err := marshalValid(v.Interface())
			if err != nil {
				return b, err
			}
			return jsonCell(b, out)
		},
	}
	if t == recordType {
		// Multi-select lookups and tags: read without encoding/json, whose
		// cost per call dominates such small objects (more so with the
		// GOEXPERIMENT=jsonv2 engine); anything unusual is left to it.
		c.decodeIn = func(in *internTable, v reflect.Value, raw []byte) error {
			if rec, ok := decodeRecord(in, raw); ok {
				v.Set(reflect.ValueOf(rec))
				return nil
			}
			return c.decode(v, raw)
		}
	}
	return c
}

var recordType = reflect.TypeFor[Record]()

// decodeRecord decodes a JSON object into a Record as encoding/json would
// (numbers as float64, objects as map[string]any), taking short texts from
// in. ok is false for anything it does not read itself.
func decodeRecord(in *internTable, raw []byte) (Record, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	m, ok := decodeAnyObject(in, raw)
	return Record(m), ok
}

func decodeAnyObject(in *internTable, raw []byte) (map[string]any, bool) {
	m := map[string]any{}
	ok := true
	err := eachMember(raw, func(key, val []byte) error {
		k, err := unquoteIn(in, key)
		if err != nil {
			return err
		}
		x, good := decodeAny(in, val)
		if !good {
			ok = false
			return errStopScan
		}
		m[k] = x
		return nil
	})
	return m, ok && err == nil
}

var errStopScan = errors.New("stop")

// decodeAny decodes one JSON value as encoding/json decodes into an any.
func decodeAny(in *internTable, raw []byte) (any, bool) {
	switch {
	case len(raw) == 0:
		return nil, false
	case raw[0] == '"':
		s, err := unquoteIn(in, raw)
		return s, err == nil
	case string(raw) == "null":
		return nil, true
	case string(raw) == "true":
		return true, true
	case string(raw) == "false":
		return false, true
	case raw[0] == '{':
		return decodeAnyObject(in, raw)
	case raw[0] == '[':
		list := []any{}
		ok := true
		err := eachElement(raw, func(e []byte) error {
			x, good := decodeAny(in, e)
			if !good {
				ok = false
				return errStopScan
			}
			list = append(list, x)
			return nil
		})
		return list, ok && err == nil
	case isJSONNumber(raw):
		f, err := strconv.ParseFloat(string(raw), 64)
		return f, err == nil
	}
	return nil, false
}

// isJSONNumber reports whether b is a number in JSON's grammar (which
// strconv.ParseFloat is wider than).
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// marshalValid is json.Marshal refusing text that is not valid UTF-8:
// encoding/json writes \ufffd in place of such bytes (and passes them
// through inside a json.RawMessage), where Zoho would store U+FFFD.
func marshalValid(v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(out) || hasReplacementEscape(out) ||
		bytes.Contains(out, []byte("\uFFFD")) && holdsInvalidUTF8(reflect.ValueOf(v), 0) {
		return nil, ErrInvalidUTF8
	}
	return out, nil
}

// holdsInvalidUTF8 reports whether v holds text that is not valid UTF-8.
// It is asked only of a value whose JSON holds U+FFFD itself: encoding/json
// built with GOEXPERIMENT=jsonv2 writes that in place of such bytes, where
// it otherwise writes \ufffd (hasReplacementEscape).
func holdsInvalidUTF8(v reflect.Value, depth int) bool {
	if depth > maxJSONDepth { // a cycle: encoding/json refuses it anyway
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return !utf8.ValidString(v.String())
	case reflect.Interface, reflect.Pointer:
		return !v.IsNil() && holdsInvalidUTF8(v.Elem(), depth+1)
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holdsInvalidUTF8(it.Key(), depth+1) || holdsInvalidUTF8(it.Value(), depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false // bytes are written in base64
		}
		for i := range v.Len() {
			if holdsInvalidUTF8(v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if holdsInvalidUTF8(v.Field(i), depth+1) {
				return true
			}
		}
	}
	return false
}

// hasReplacementEscape reports whether JSON written by encoding/json holds
// the escape \ufffd, which it writes only for bytes that are not UTF-8 (a
// U+FFFD in the text is written as it is; the text "\ufffd" as "\\ufffd").
func hasReplacementEscape(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(`\ufffd`))
		if j < 0 {
			return false
		}
		j += i
		n := 0
		for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 { // the backslash of \ufffd is not itself escaped
			return true
		}
		i = j + 1
	}
}

func pointerCodec(t reflect.Type, elem *codec) *codec {
	return &codec{
		decode: func(v reflect.Value, raw []byte) error {
			p := reflect.New(t.Elem())
			if err := elem.decode(p.Elem(), raw); err != nil {
				return err
			}
			v.Set(p)
			return nil
		},
		encode: func(b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			return elem.encode(b, v.Elem())
		},
		isZero:      func(v reflect.Value) bool { return v.IsNil() },
		zeroIsValue: true, // nil is null; anything else is sent as it is
		same: func(a, b reflect.Value) bool {
			if a.IsNil() || b.IsNil() {
				return a.IsNil() == b.IsNil()
			}
			return sameValue(elem, a.Elem(), b.Elem())
		},
		cell:       elem.cell, // an empty cell is null: nil
		writeCell:  func(b []byte, v reflect.Value) ([]byte, error) { return elem.writeCell(b, v.Elem()) },
		cellFormat: elem.cellFormat,
		convert: func(v, x reflect.Value) bool { // a value of the element type: a pointer to a copy
			p := reflect.New(t.Elem())
			if !assignTo(elem, p.Elem(), x) {
				return false
			}
			v.Set(p)
			return true
		},
	}
}

// sliceCodec: multi-select picklists ([]string or a named string type),
// multi-select lookups ([]Record), file fields ([]File), subforms ([]Row).
// nil is null on the wire; an empty non-nil slice is [].
func sliceCodec(t reflect.Type, elem *codec) *codec {
	decode := func(in *internTable, v reflect.Value, raw []byte) error {
		n := 0
		if err := eachElement(raw, func([]byte) error { n++; return nil }); err != nil {
			return err
		}
		s := reflect.MakeSlice(t, n, n)
		i := 0
		err := eachElement(raw, func(e []byte) error {
			if !isNull(e) {
				var err error
				if elem.decodeIn != nil {
					err = elem.decodeIn(in, s.Index(i), e)
				} else {
					err = elem.decode(s.Index(i), e)
				}
				if err != nil {
					return fmt.Errorf("[%d]: %w", i, err)
				}
			}
			i++
			return nil
		})
		if err != nil {
			return err
		}
		v.Set(s)
		return nil
	}
	c := &codec{
		decode:   func(v reflect.Value, raw []byte) error { return decode(nil, v, raw) },
		decodeIn: decode,
		encode: func(b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			for i := range v.Len() {
				if i > 0 {
					b = append(b, ',')
				}
				var err error
				if b, err = elem.encode(b, v.Index(i)); err != nil {
					return b, fmt.Errorf("[%d]: %w", i, err)
				}
			}
			return append(b, ']'), nil
		},
		isZero: func(v reflect.Value) bool { return v.IsNil() },
		cell: func(b []byte, cell string) ([]byte, error) {
			if !validJSON([]byte(cell)) {
				return b, fmt.Errorf("%q is not the JSON of a list", cell)
			}
			return append(b, cell...), nil
		},
		writeCell: notImportable,
		convert: func(v, x reflect.Value) bool { // a list whose elements fit: []string into []Phase
			if x.Kind() != reflect.Slice {
				return false
			}
			if x.IsNil() {
				v.SetZero()
				return true
			}
			s := reflect.MakeSlice(t, x.Len(), x.Len())
			for i := range x.Len() {
				if !assignTo(elem, s.Index(i), x.Index(i)) {
					return false
				}
			}
			v.Set(s)
			return true
		},
	}
	if elem == stringCodec {
		c.cell, c.writeCell = multiSelectCell, writeMultiSelectCell
	}
	return c
}

// writeMultiSelectCell writes a multi-select picklist as Bulk Write reads
// it, "a;b;c" (docs/wire.md §7); a value holding ";" cannot be written so.
func writeMultiSelectCell(b []byte, v reflect.Value) ([]byte, error) {
	for i := range v.Len() {
		s := v.Index(i).String()
		switch {
		case !utf8.ValidString(s):
			return b, ErrInvalidUTF8
		case strings.Contains(s, ";"):
			return b, fmt.Errorf("[%d] %q holds \";\", which separates the values of a cell: %w", i, s, ErrNotImportable)
		}
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, s...)
	}
	return b, nil
}

// multiSelectCell reads a multi-select picklist, which Bulk Read writes
// "a;b;c".
func multiSelectCell(b []byte, cell string) ([]byte, error) {
	b = append(b, '[')
	for i, part := range strings.Split(cell, ";") {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendQuoted(b, part)
	}
	return append(b, ']'), nil
}

// structCodec handles a subform row: a struct whose fields carry zoho tags.
// A row with an id sends every field (empty ones as null, so they are
// cleared); a new row sends only its non-empty fields.
func structCodec(row *typeInfo) *codec {
	return &codec{
		decode: func(v reflect.Value, raw []byte) error {
			v.SetZero()
			return row.decodeInto(v, raw)
		},
		encode: func(b []byte, v reflect.Value) ([]byte, error) {
			mode := encodeInsert
			if row.idField != nil && !row.idField.codec.isZero(v.FieldByIndex(row.idField.index)) {
				mode = encodeFull
			}
			return row.encodeObject(b, v, mode, nil)
		},
		isZero:    reflectIsZero,
		cell:      jsonOrQuotedCell,
		writeCell: notImportable, // subforms are not imported with their record (docs/wire.md §7)
	}
}
