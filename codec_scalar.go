package zohohub

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The codecs of single values: text, booleans, numbers, dates and times.

func reflectIsZero(v reflect.Value) bool { return v.IsZero() }

var stringCodec = &codec{
	decode:   func(v reflect.Value, raw []byte) error { return decodeString(nil, v, raw) },
	decodeIn: decodeString,
	encode:   func(b []byte, v reflect.Value) ([]byte, error) { return appendText(b, v.String()) },
	isZero:   func(v reflect.Value) bool { return v.Len() == 0 },
	// Equal valid text is the same JSON; checked without encoding it.
	same: func(a, b reflect.Value) bool { return a.String() == b.String() && utf8.ValidString(a.String()) },
	// A text held as it is is the text; an empty one differs from any
	// other, as changed has it.
	sameAsRaw: func(v reflect.Value, raw []byte) (bool, bool) {
		text, ok := plainString(raw)
		return ok && v.String() == string(text), ok
	},
	cell: quotedCell,
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		s := v.String()
		if !utf8.ValidString(s) {
			return b, ErrInvalidUTF8
		}
		return append(b, s...), nil
	},
	convert: func(v, x reflect.Value) bool { // a named string type
		if x.Kind() != reflect.String {
			return false
		}
		v.SetString(x.String())
		return true
	},
}

// appendText appends the JSON string of s; text that is not UTF-8 is
// refused (ErrInvalidUTF8).
func appendText(b []byte, s string) ([]byte, error) {
	if plainText(s) { // the usual text: ASCII, nothing to escape
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"'), nil
	}
	if !utf8.ValidString(s) {
		return b, ErrInvalidUTF8
	}
	return appendQuoted(b, s), nil
}

// decodeString sets a text field from a JSON string (its copy from in), or
// from a number or boolean read as text.
func decodeString(in *internTable, v reflect.Value, raw []byte) error {
	if raw[0] == '"' {
		s, err := unquoteIn(in, raw)
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
}

func quotedCell(b []byte, cell string) ([]byte, error) { return appendQuoted(b, cell), nil }

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
	encode:      func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendBool(b, v.Bool()), nil },
	isZero:      func(v reflect.Value) bool { return !v.Bool() },
	zeroIsValue: true, // false is a value, not "empty"
	same:        func(a, b reflect.Value) bool { return a.Bool() == b.Bool() },
	sameAsRaw: func(v reflect.Value, raw []byte) (bool, bool) {
		switch string(raw) {
		case "true", `"true"`:
			return v.Bool(), true
		case "false", `"false"`:
			return !v.Bool(), true
		}
		return false, false
	},
	cell: func(b []byte, cell string) ([]byte, error) {
		switch cell {
		case "true", "false":
			return append(b, cell...), nil
		}
		return b, fmt.Errorf("%q is not true or false", cell)
	},
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendBool(b, v.Bool()), nil },
	convert: func(v, x reflect.Value) bool {
		if x.Kind() != reflect.Bool {
			return false
		}
		v.SetBool(x.Bool())
		return true
	},
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

func isIntKind(k reflect.Kind) bool {
	return k == reflect.Int || k == reflect.Int8 || k == reflect.Int16 || k == reflect.Int32 || k == reflect.Int64
}

func isUintKind(k reflect.Kind) bool {
	return k == reflect.Uint || k == reflect.Uint8 || k == reflect.Uint16 || k == reflect.Uint32 || k == reflect.Uint64 || k == reflect.Uintptr
}

func isFloatKind(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }

// intOf returns x, an integer of any kind, as an int64 when it is one.
func intOf(x reflect.Value) (int64, bool) {
	switch k := x.Kind(); {
	case isIntKind(k):
		return x.Int(), true
	case isUintKind(k) && x.Uint() <= math.MaxInt64:
		return int64(x.Uint()), true
	}
	return 0, false
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
	same:   func(a, b reflect.Value) bool { return a.Int() == b.Int() },
	// 0 is empty and any other number is itself: equal numbers are the
	// same, as changed has it.
	sameAsRaw: sameIntAsRaw,
	cell: func(b []byte, cell string) ([]byte, error) {
		n, err := parseIntText(cell)
		if err != nil {
			return b, err
		}
		return strconv.AppendInt(b, n, 10), nil
	},
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendInt(b, v.Int(), 10), nil },
	convert: func(v, x reflect.Value) bool { // an integer it holds
		n, ok := intOf(x)
		if !ok || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
		return true
	},
}

// sameIntAsRaw compares an integer with a plain JSON integer (which
// parseSmallInt reads) that fits its type.
func sameIntAsRaw(v reflect.Value, raw []byte) (bool, bool) {
	n, ok := parseSmallInt(raw)
	if !ok || v.OverflowInt(n) {
		return false, false
	}
	return v.Int() == n, true
}

var int64Codec = &codec{
	decode:    intCodec.decode,
	sameAsRaw: sameIntAsRaw, // equal numbers are the same text
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		b = append(b, '"')
		b = strconv.AppendInt(b, v.Int(), 10)
		return append(b, '"'), nil
	},
	isZero:    intCodec.isZero,
	cell:      intCodec.cell,
	writeCell: intCodec.writeCell, // a cell is text: no quotes
	convert:   intCodec.convert,
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
	cell: func(b []byte, cell string) ([]byte, error) {
		n, err := parseUintText(cell)
		if err != nil {
			return b, err
		}
		return strconv.AppendUint(b, n, 10), nil
	},
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendUint(b, v.Uint(), 10), nil },
	convert: func(v, x reflect.Value) bool { // a non-negative integer it holds
		var n uint64
		switch k := x.Kind(); {
		case isUintKind(k):
			n = x.Uint()
		case isIntKind(k) && x.Int() >= 0:
			n = uint64(x.Int())
		default:
			return false
		}
		if v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
		return true
	},
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
	cell: func(b []byte, cell string) ([]byte, error) {
		f, err := strconv.ParseFloat(cell, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return b, fmt.Errorf("%q is not a number", cell)
		}
		return appendFloat(b, f, 64)
	},
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		return appendFloat(b, v.Float(), v.Type().Bits())
	},
	convert: func(v, x reflect.Value) bool { // a float, or an integer float64 holds exactly
		if isFloatKind(x.Kind()) {
			v.SetFloat(x.Float())
			return true
		}
		if n, ok := intOf(x); ok && n >= -1<<53 && n <= 1<<53 {
			v.SetFloat(float64(n))
			return true
		}
		return false
	},
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

var decimalCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		s, err := numberText(raw)
		if err != nil {
			return err
		}
		d, err := parseDecimal(s)
		if err != nil {
			return fmt.Errorf("%q is %w", s, err)
		}
		*v.Addr().Interface().(*Decimal) = d
		return nil
	},
	encode: func(b []byte, v reflect.Value) ([]byte, error) {
		return append(b, decimalOf(v).String()...), nil
	},
	isZero: func(v reflect.Value) bool { return decimalOf(v).IsZero() },
	same: func(a, b reflect.Value) bool { // 1.5 and 1.50 are one number to Zoho
		return decimalOf(a).Cmp(decimalOf(b)) == 0
	},
	// The text this Decimal is written as is the same number; any other
	// text is left to decode.
	sameAsRaw: func(v reflect.Value, raw []byte) (bool, bool) {
		return true, string(raw) == decimalOf(v).String()
	},
	cell: func(b []byte, cell string) ([]byte, error) {
		d, err := parseDecimal(cell)
		if err != nil {
			return b, fmt.Errorf("%q is %w", cell, err)
		}
		return append(b, d.String()...), nil
	},
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		return append(b, decimalOf(v).String()...), nil
	},
	convert: func(v, x reflect.Value) bool { // an integer, or a float as it prints
		var d Decimal
		switch k := x.Kind(); {
		case isFloatKind(k):
			var err error
			if d, err = decimalFromFloat(x.Float(), x.Type().Bits()); err != nil {
				return false
			}
		default:
			n, ok := intOf(x)
			if !ok {
				return false
			}
			d = NewDecimal(n, 0)
		}
		v.Set(reflect.ValueOf(d))
		return true
	},
}

// floatPlaces and decimalPlaces return the decimal places a value needs:
// 2 for 1250.25 and for 1250.250.
func floatPlaces(v reflect.Value) int {
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], v.Float(), 'f', -1, v.Type().Bits())
	if i := strings.IndexByte(string(s), '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

func decimalPlaces(v reflect.Value) int { return decimalOf(v).significantPlaces() }

// decimalOf returns the Decimal v holds, without boxing it.
func decimalOf(v reflect.Value) Decimal { return Decimal{s: v.Field(0).String()} }

// limitPlaces returns c refusing to encode a value that needs more decimal
// places than the field keeps, when the field's places are known: Zoho
// would round it without a word.
func limitPlaces(c *codec, opts *fieldOptions, places func(reflect.Value) int) *codec {
	opts.placesUsed = true
	if opts.places < 0 {
		return c
	}
	limited := *c
	keep := opts.places
	check := func(encode func([]byte, reflect.Value) ([]byte, error)) func([]byte, reflect.Value) ([]byte, error) {
		return func(b []byte, v reflect.Value) ([]byte, error) {
			if n := places(v); n > keep {
				return b, &PlacesError{Value: fmt.Sprint(v.Interface()), Places: n, FieldPlaces: keep}
			}
			return encode(b, v)
		}
	}
	limited.encode, limited.writeCell = check(c.encode), check(c.writeCell)
	return &limited
}

// PlacesError is the cause of a *FieldError for a number with more decimal
// places than its field keeps (the tag's decimals=N, from the field's
// metadata): Zoho would round it without an error, so it is refused before
// anything is sent. Round the value first, or hold it in a Decimal.
type PlacesError struct {
	Value       string // the value as Go prints it
	Places      int    // the decimal places it needs
	FieldPlaces int    // the decimal places the field keeps
}

// Error says which value needs how many places.
func (e *PlacesError) Error() string {
	return fmt.Sprintf("%s has %d decimal places; the field keeps %d, and Zoho would round it", e.Value, e.Places, e.FieldPlaces)
}

// wireTimeLayout is how Zoho writes a datetime: seconds and a numeric
// offset, never "Z".
const wireTimeLayout = "2006-01-02T15:04:05-07:00"

var timeCodec = &codec{
	decode: func(v reflect.Value, raw []byte) error {
		if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
			if t, ok := parseWireTime(raw[1 : len(raw)-1]); ok {
				*v.Addr().Interface().(*time.Time) = t
				return nil
			}
		}
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
	// Zoho keeps whole seconds, whatever the offset: two times in the same
	// second are the same datetime to it.
	same: func(a, b reflect.Value) bool {
		return a.Interface().(time.Time).Truncate(time.Second).Equal(b.Interface().(time.Time).Truncate(time.Second))
	},
	cell: quotedCell,
	// ISO 8601 with the offset, as in JSON: Bulk Write reads it without a
	// format (docs/wire.md §7).
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		return v.Interface().(time.Time).AppendFormat(b, wireTimeLayout), nil
	},
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
	cell:   quotedCell,
	writeCell: func(b []byte, v reflect.Value) ([]byte, error) {
		d := v.Interface().(Date)
		if !d.Valid() {
			return b, fmt.Errorf("invalid date %d-%02d-%02d", d.Year, int(d.Month), d.Day)
		}
		return d.appendTo(b), nil
	},
	// Bulk Write's default date pattern is MM/dd/yyyy by one of Zoho's
	// pages and yyyy-MM-dd by another: the mapping says which (docs/wire.md
	// §7).
	cellFormat: "yyyy-MM-dd",
}
