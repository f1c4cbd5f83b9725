package zohohub

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// A codec converts values of one Go type between their Go form and the
// forms Zoho writes them in. codecFor chooses one per struct field when the
// type is first seen (attributes.go); it is the one place that maps Go types
// to Zoho's forms, so decoding a record is a walk over its JSON members with
// no further type inspection, and a form added later (a SQL column for a
// local mirror: value and scan functions) is one more group of functions
// here, set by the same constructors, rather than one more type switch.
type codec struct {
	// The JSON form: a field's value in the REST API.

	// decode sets v (settable) from raw, which is never null: null is
	// handled by the caller by setting v to its zero value.
	decode func(v reflect.Value, raw []byte) error
	// decodeIn, when set, is decode taking the texts it copies from in, a
	// table the records of one page share.
	decodeIn func(in *internTable, v reflect.Value, raw []byte) error
	// encode appends the JSON of v. It writes the value itself; whether a
	// zero value is sent, omitted or sent as null is decided per record.
	encode func(b []byte, v reflect.Value) ([]byte, error)
	// isZero reports whether v is "empty": sent as null on update and
	// omitted on insert (unless zeroIsValue).
	isZero func(v reflect.Value) bool
	// zeroIsValue says the zero value is sent as itself (false), not as
	// null.
	zeroIsValue bool
	// same, when set, reports whether two non-empty values are the same to
	// Zoho, so that a save does not send a value Zoho would store as it
	// is. Without it, values are the same when their JSON is.
	same func(a, b reflect.Value) bool
	// sameAsRaw, when set, tells without decoding raw (never null) whether
	// v is the same as the value raw decodes to, as changed would; ok is
	// false for a form it leaves to decode.
	sameAsRaw func(v reflect.Value, raw []byte) (same, ok bool)

	// The CSV form: a field's value in a Bulk Read result.

	// cell appends the JSON that decode reads for a non-empty CSV cell,
	// checking what decode would not (a number is a number).
	cell cellFunc

	// The CSV form of a Bulk Write file: a field's value imported.

	// writeCell appends the CSV cell of a non-empty value, the text Bulk
	// Write reads for it (what cell reads back); ErrNotImportable for a
	// value Bulk Write cannot take.
	writeCell func(b []byte, v reflect.Value) ([]byte, error)
	// cellFormat is the format a Bulk Write field mapping gives for these
	// cells, "" for none: the pattern of a date.
	cellFormat string

	// The Go form: a value given to Model.Set.

	// convert sets v from x, a value of another type (a named string type,
	// a number held exactly), reporting whether it could. nil: only values
	// assignable to the field's type fit.
	convert func(v, x reflect.Value) bool
}

// cellFunc appends the JSON of a non-empty CSV cell.
type cellFunc func(b []byte, cell string) ([]byte, error)

var (
	timeType        = reflect.TypeFor[time.Time]()
	dateType        = reflect.TypeFor[Date]()
	decimalType     = reflect.TypeFor[Decimal]()
	lookupType      = reflect.TypeFor[Lookup]()
	userType        = reflect.TypeFor[User]()
	fileType        = reflect.TypeFor[File]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	modelType       = reflect.TypeFor[Model]()
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// fieldOptions are the options of a field's tag that change its codec.
type fieldOptions struct {
	// places is the number of decimal places the field keeps (the tag's
	// decimals=N, from Zoho's decimal_place), -1 when unknown.
	places int
	// placesUsed is set by codecFor when the type is a number that places
	// applies to.
	placesUsed bool
}

// codecFor returns the codec for values of Go type t: the one switch from
// Go types to codecs.
func (b *typeBuilder) codecFor(t reflect.Type, opts *fieldOptions) (*codec, error) {
	switch t {
	case timeType:
		return timeCodec, nil
	case dateType:
		return dateCodec, nil
	case decimalType:
		return limitPlaces(decimalCodec, opts, decimalPlaces), nil
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
		return limitPlaces(floatCodec, opts, floatPlaces), nil
	case reflect.Pointer:
		elem, err := b.codecFor(t.Elem(), opts)
		if err != nil {
			return nil, err
		}
		return pointerCodec(t, elem), nil
	case reflect.Slice:
		elem, err := b.codecFor(t.Elem(), opts)
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

// assignTo sets v to x when x fits v's type: assignable to it, or
// converted by the codec c of that type.
func assignTo(c *codec, v, x reflect.Value) bool {
	if x.Type().AssignableTo(v.Type()) {
		v.Set(x)
		return true
	}
	return c.convert != nil && c.convert(v, x)
}

// sameValue reports whether a and b are the same to Zoho, by c's same or
// by their JSON. A value that cannot be encoded is never the same, so that
// the save that would send it reports why it cannot.
func sameValue(c *codec, a, b reflect.Value) bool {
	if c.same != nil {
		return c.same(a, b)
	}
	ea, err1 := c.encode(nil, a)
	eb, err2 := c.encode(nil, b)
	return err1 == nil && err2 == nil && string(ea) == string(eb)
}

// ErrNotImportable is the cause of a *FieldError for a value Bulk Write
// cannot take (RecordSet.Import): a file, a subform, a multi-select lookup,
// JSON that is not a single value, or a multi-select value holding ";",
// which separates the values of a cell. Save and SaveAll send them.
var ErrNotImportable = errors.New("Bulk Write cannot import this value (files, subforms, multi-select lookups and lists of objects are not CSV cells): leave it empty, or write it with Save or SaveAll")

// ErrInvalidUTF8 is the cause of a *FieldError for text that is not valid
// UTF-8: Zoho would store U+FFFD in place of the bad bytes without an
// error, so such text is refused before anything is sent.
var ErrInvalidUTF8 = errors.New("text is not valid UTF-8 (Zoho would store U+FFFD in its place)")
