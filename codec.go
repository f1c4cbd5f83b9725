package zohohub

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// A codec converts one Go type to and from its Zoho wire form. One is
// chosen per struct field when the type is first seen (typeinfo.go), so
// decoding a record is a walk over its JSON members with no further type
// inspection.
type codec struct {
	// decode sets v (settable) from raw, which is never null: null is
	// handled by the caller by setting v to its zero value.
	decode func(v reflect.Value, raw []byte) error
	// encode appends the JSON of v. It writes the value itself; whether a
	// zero value is sent, omitted or sent as null is decided per record.
	encode func(b []byte, v reflect.Value) ([]byte, error)
	// isZero reports whether v is "empty": sent as null on update and
	// omitted on insert.
	isZero func(v reflect.Value) bool
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	dateType        = reflect.TypeFor[Date]()
	lookupType      = reflect.TypeFor[Lookup]()
	userType        = reflect.TypeFor[User]()
	fileType        = reflect.TypeFor[File]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	modelType       = reflect.TypeFor[Model]()
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// wireTimeLayout is how Zoho writes a datetime: seconds and a numeric
// offset, never "Z".
const wireTimeLayout = "2006-01-02T15:04:05-07:00"

func reflectIsZero(v reflect.Value) bool { return v.IsZero() }

// codecFor returns the codec for values of Go type t.
func (b *typeBuilder) codecFor(t reflect.Type) (*codec, error) {
	switch t {
	case timeType:
		return timeCodec, nil
	case dateType:
		return dateCodec, nil
	case lookupType:
		return lookupCodec, nil
	case userType:
		return userCodec, nil
	case fileType:
		return fileCodec, nil
	case rawMessageType:
		return rawCodec, nil
	}
	if t.Kind() != reflect.Pointer && (t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler)) {
		return jsonCodec(t), nil
	}
	switch t.Kind() {
	case reflect.String:
		return stringCodec, nil
	case reflect.Bool:
		return boolCodec, nil
	case reflect.Int64:
		// bigint: a string on the wire, exact beyond 2^53.
		return int64Codec, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return intCodec, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return uintCodec, nil
	case reflect.Float32, reflect.Float64:
		return floatCodec, nil
	case reflect.Pointer:
		elem, err := b.codecFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return pointerCodec(t, elem), nil
	case reflect.Slice:
		elem, err := b.codecFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return sliceCodec(t, elem), nil
	case reflect.Struct:
		if !hasZohoTags(t) {
			return jsonCodec(t), nil
		}
		row, err := b.rowInfo(t)
		if err != nil {
			return nil, err
		}
		return structCodec(row), nil
	case reflect.Map, reflect.Interface, reflect.Array:
		return jsonCodec(t), nil
	}
	return nil, fmt.Errorf("type %s cannot hold a Zoho field value", t)
}

// hasZohoTags reports whether a struct describes its fields with zoho tags
// (a subform row), as opposed to a plain struct left to encoding/json.
func hasZohoTags(t reflect.Type) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("zoho"); ok || f.Type == modelType {
			return true
		}
	}
	return false
}

var stringCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		if raw[0] == '"' {
			s, err := unquote(raw)
			if err != nil {
				return err
			}
			v.SetString(s)
			return nil
		}
		if raw[0] == '{' || raw[0] == '[' {
			return errors.New("expected a string")
		}
		v.SetString(string(raw)) // a number or boolean read as text
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) { return appendQuoted(b, v.String()), nil },
	isZero: func(v reflect.Value) bool { return v.Len() == 0 },
}

var boolCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		switch string(raw) {
		case "true", `"true"`:
			v.SetBool(true)
		case "false", `"false"`:
			v.SetBool(false)
		default:
			return errors.New("expected a boolean")
		}
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendBool(b, v.Bool()), nil },
	isZero: func(v reflect.Value) bool { return !v.Bool() },
}

// numberText returns the text of a JSON number, or of a number written as
// a JSON string (bigint, and numbers some endpoints quote).
func numberText(raw []byte) (string, error) {
	if raw[0] == '"' {
		return unquote(raw)
	}
	if raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9' {
		return string(raw), nil
	}
	return "", errors.New("expected a number")
}

func parseInt(raw []byte) (int64, error) {
	if n, ok := parseSmallInt(raw); ok {
		return n, nil
	}
	s, err := numberText(raw)
	if err != nil {
		return 0, err
	}
	return parseIntText(s)
}

// parseIntText parses the text of an integer; 12.0 or 1e3 is accepted when
// integral and exact.
func parseIntText(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		return n, nil
	}
	f, ferr := strconv.ParseFloat(s, 64)
	if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	return int64(f), nil
}

// parseUintText parses the text of an unsigned integer.
func parseUintText(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an unsigned integer", s)
	}
	return n, nil
}

// parseSmallInt parses a plain JSON integer (optionally quoted) of up to 18
// digits without allocating; anything else is left to parseInt.
func parseSmallInt(raw []byte) (int64, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 || len(raw) > 1 && raw[0] == '0' {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

var intCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		n, err := parseInt(raw)
		if err != nil {
			return err
		}
		if v.OverflowInt(n) {
			return fmt.Errorf("%d overflows %s", n, v.Type())
		}
		v.SetInt(n)
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendInt(b, v.Int(), 10), nil },
	isZero: func(v reflect.Value) bool { return v.Int() == 0 },
}

var int64Codec = &codec{
	decode: intCodec.decode,
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		b = append(b, '"')
		b = strconv.AppendInt(b, v.Int(), 10)
		return append(b, '"'), nil
	},
	isZero: intCodec.isZero,
}

var uintCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		s, err := numberText(raw)
		if err != nil {
			return err
		}
		n, err := parseUintText(s)
		if err != nil {
			return err
		}
		if v.OverflowUint(n) {
			return fmt.Errorf("%d overflows %s", n, v.Type())
		}
		v.SetUint(n)
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendUint(b, v.Uint(), 10), nil },
	isZero: func(v reflect.Value) bool { return v.Uint() == 0 },
}

var floatCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		s, err := numberText(raw)
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		return appendFloat(b, v.Float(), v.Type().Bits())
	},
	isZero: func(v reflect.Value) bool { return v.Float() == 0 },
}

// appendFloat writes f the way encoding/json does: shortest exact form,
// exponent only for very large or small magnitudes.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("%v cannot be sent to Zoho", f)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, bits), nil
}

var timeCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		s, err := unquote(raw)
		if err != nil {
			return errors.New("expected a datetime string")
		}
		t, err := parseDateTime(s)
		if err != nil {
			return err
		}
		*v.Addr().Interface().(*time.Time) = t // no boxing: v is addressable
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		t := v.Interface().(time.Time)
		b = append(b, '"')
		b = t.AppendFormat(b, wireTimeLayout)
		return append(b, '"'), nil
	},
	isZero: func(v reflect.Value) bool { return v.Interface().(time.Time).IsZero() },
}

// parseDateTime reads Zoho's "2006-01-02T15:04:05+05:30", keeping the
// offset. RFC 3339 variants ("Z", fractions) and a bare date (midnight UTC)
// are accepted too.
func parseDateTime(s string) (time.Time, error) {
	if len(s) == len(time.DateOnly) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, nil
		}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a datetime (want 2006-01-02T15:04:05-07:00)", s)
	}
	return t, nil
}

var dateCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		s, err := unquote(raw)
		if err != nil {
			return errors.New("expected a date string")
		}
		if len(s) > len(time.DateOnly) && s[len(time.DateOnly)] == 'T' {
			s = s[:len(time.DateOnly)] // a datetime where a date was expected: keep its calendar date
		}
		d, err := ParseDate(s)
		if err != nil {
			return err
		}
		*v.Addr().Interface().(*Date) = d
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		d := v.Interface().(Date)
		if !d.Valid() {
			return b, fmt.Errorf("invalid date %d-%02d-%02d", d.Year, int(d.Month), d.Day)
		}
		b = append(b, '"')
		b = d.appendTo(b)
		return append(b, '"'), nil
	},
	isZero: reflectIsZero,
}

// memberString decodes a string-ish member of a small object (ids may come
// as numbers from some endpoints).
func memberString(raw []byte) (string, error) {
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		return unquote(raw)
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return string(raw), nil
	}
	return "", errors.New("expected a string")
}

var lookupCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		l := v.Addr().Interface().(*Lookup)
		*l = Lookup{}
		return eachMember(raw, func(key, val []byte) (err error) {
			switch string(key) {
			case `"id"`:
				l.ID, err = memberString(val)
			case `"name"`:
				l.Name, err = memberString(val)
			}
			return err
		})
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
}

var userCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		u := v.Addr().Interface().(*User)
		*u = User{}
		return eachMember(raw, func(key, val []byte) (err error) {
			switch string(key) {
			case `"id"`:
				u.ID, err = memberString(val)
			case `"name"`:
				u.Name, err = memberString(val)
			case `"email"`:
				u.Email, err = memberString(val)
			}
			return err
		})
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
}

var fileCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		f := v.Addr().Interface().(*File)
		*f = File{}
		return json.Unmarshal(raw, f)
	},
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
			b = append(b, `,"Description__s":`...)
			b = appendQuoted(b, f.Description)
		}
		return append(b, '}'), nil
	},
	isZero: reflectIsZero,
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
		if !json.Valid(raw) {
			return b, errors.New("raw value is not valid JSON")
		}
		return append(b, trimJSON(raw)...), nil
	},
	isZero: func(v reflect.Value) bool { return v.Len() == 0 },
}

// jsonCodec leaves a type to encoding/json: maps (Record), interfaces,
// plain structs and types with their own JSON methods.
func jsonCodec(t reflect.Type) *codec {
	return &codec{
		decode: func(v reflect.Value, raw []byte) error {
			v.SetZero()
			return json.Unmarshal(raw, v.Addr().Interface())
		},
		encode: func(b []byte, v reflect.Value) ([]byte, error) {
			out, err := json.Marshal(v.Interface())
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
		isZero: func(v reflect.Value) bool { return v.IsNil() },
	}
}

// sliceCodec: multi-select picklists ([]string or a named string type),
// multi-select lookups ([]Record), file fields ([]File), subforms ([]Row).
// nil is null on the wire; an empty non-nil slice is [].
func sliceCodec(t reflect.Type, elem *codec) *codec {
	return &codec{
		decode: func(v reflect.Value, raw []byte) error {
			n := 0
			if err := eachElement(raw, func([]byte) error { n++; return nil }); err != nil {
				return err
			}
			s := reflect.MakeSlice(t, n, n)
			i := 0
			err := eachElement(raw, func(e []byte) error {
				if !isNull(e) {
					if err := elem.decode(s.Index(i), e); err != nil {
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
		},
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
	}
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
		isZero: reflectIsZero,
	}
}

// decodeInto sets the mapped fields of the struct v from the JSON object
// raw. Members the type does not map are skipped here; a record keeps them
// in its raw snapshot (see Model).
func (ti *typeInfo) decodeInto(v reflect.Value, raw []byte) error {
	return eachMember(raw, func(key, val []byte) error {
		var f *fieldInfo
		if name, plain := plainKey(key); plain {
			f = ti.byName[string(name)]
		} else {
			s, err := unquote(key)
			if err != nil {
				return err
			}
			f = ti.byName[s]
		}
		if f == nil {
			return nil
		}
		fv := v.FieldByIndex(f.index)
		if string(val) == "null" {
			fv.SetZero()
			return nil
		}
		if err := f.codec.decode(fv, val); err != nil {
			return &FieldError{APIName: f.apiName, GoName: f.goName, Type: f.typ, Err: err}
		}
		return nil
	})
}

// eachUnmapped calls fn for the members of the JSON object raw that the
// type does not map.
func (ti *typeInfo) eachUnmapped(raw []byte, fn func(name string, val []byte) bool) {
	stop := errors.New("stop")
	_ = eachMember(raw, func(key, val []byte) error {
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
// wrong type read from Zoho, or a value that cannot be sent.
type FieldError struct {
	APIName string
	GoName  string
	Type    reflect.Type
	Err     error
}

// Error names the field, its Go type and what was wrong with the value.
func (e *FieldError) Error() string {
	return fmt.Sprintf("zohohub: field %s (%s %s): %v", e.APIName, e.GoName, e.Type, e.Err)
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

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

// fieldJSON appends the wire form of field f of struct v: an empty
// non-pointer value (other than false) becomes null, so that saving a
// field set to its zero value clears it in Zoho.
func (f *fieldInfo) appendJSON(b []byte, fv reflect.Value) ([]byte, error) {
	if !f.nullable && !f.isBool && f.codec.isZero(fv) {
		return append(b, "null"...), nil
	}
	out, err := f.codec.encode(b, fv)
	if err != nil {
		return b, &FieldError{APIName: f.apiName, GoName: f.goName, Type: f.typ, Err: err}
	}
	return out, nil
}

// encodeObject appends a JSON object of the fields of v chosen by mode.
// include, when not nil, restricts the fields written to those it accepts.
func (ti *typeInfo) encodeObject(b []byte, v reflect.Value, mode encodeMode, include func(*fieldInfo) bool) ([]byte, error) {
	b = append(b, '{')
	first := true
	for _, f := range ti.fields {
		if mode != encodeSnapshot && (f.readonly && f != ti.idField) {
			continue
		}
		if include != nil && !include(f) {
			continue
		}
		fv := v.FieldByIndex(f.index)
		if (mode == encodeInsert || f == ti.idField) && f.codec.isZero(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if b, err = f.appendJSON(b, fv); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}
