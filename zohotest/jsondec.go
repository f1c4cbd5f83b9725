package zohotest

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSON decodes the first JSON value of data as decodeJSON does into
// an any (maps, slices, strings, json.Number, bools and nils; trailing
// data ignored, as json.Decoder leaves it), and fails where it fails. It
// exists for speed: encoding/json spends most of a 100-record insert's
// decoding on reflection and on growing maps. FuzzParseJSON holds it to
// encoding/json.
func parseJSON(data []byte) (any, error) { return parseJSONRoom(data, 0) }

// parseJSONRoom is parseJSON making the objects of the top value's
// arrays' elements ({"data":[{…}]}: a write's records) with room for
// recordRoom members more than they hold: the members a write adds to a
// record it stores, without the map growing (validateInsert).
func parseJSONRoom(data []byte, recordRoom int) (any, error) {
	p := jsonParser{data: data, text: string(data), recordRoom: recordRoom}
	p.space()
	if p.i == len(data) {
		return nil, errJSONSyntax
	}
	return p.value(0)
}

// errJSONSyntax is parseJSON's one error: the server answers every
// malformed body alike.
var errJSONSyntax = errors.New("zohotest: malformed JSON")

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

type jsonParser struct {
	data []byte
	// text is data as a string, copied once: the strings and numbers
	// read without escapes are slices of it, not an allocation each (the
	// values of a 100-record write share its one copy).
	text string
	i    int
	// Members and elements of the objects and arrays being read, stacked:
	// each is built at its exact size once its end is seen.
	members  []member
	elements []any
	keys     map[string]string // the object keys read so far: records repeat theirs
	values   map[string]any    // short string values read first, boxed: records repeat many (stringValue)
	// recordRoom is the room made in the objects at recordDepth (parseJSONRoom).
	recordRoom int
}

// recordDepth is the depth of a record in a write's body: in the data
// array (depth 2) of the body's object (depth 1).
const recordDepth = 3

// Bounds of the string values a parser shares: short ones, the first
// maxSharedValues read (a batch's repeated values, a city or a picklist
// value, appear in its first records).
const (
	maxSharedValueLen = 32
	maxSharedValues   = 64
)

// stringValue reads a string as a value, sharing the string and its
// boxing of an earlier equal short value: both are immutable, and a
// 100-record write repeats many.
func (p *jsonParser) stringValue() (any, error) {
	start := p.i + 1
	if end := start + bytesIndexQuote(p.data[start:]); end >= start && end-start <= maxSharedValueLen && p.values != nil {
		if v, ok := p.values[string(p.data[start:end])]; ok { // no allocation: the compiler reads the bytes in place
			p.i = end + 1
			return v, nil
		}
	}
	s, err := p.string()
	if err != nil {
		return nil, err
	}
	var v any = s
	if len(s) <= maxSharedValueLen && len(p.values) < maxSharedValues {
		if p.values == nil {
			p.values = make(map[string]any, maxSharedValues)
		}
		p.values[s] = v
	}
	return v, nil
}

type member struct {
	key   string
	value any
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if p.i >= len(p.data) {
		return nil, errJSONSyntax
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.stringValue()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range [...]struct {
			text string
			v    any
		}{{"true", true}, {"false", false}, {"null", nil}} {
			if len(p.data)-p.i >= len(lit.text) && string(p.data[p.i:p.i+len(lit.text)]) == lit.text {
				p.i += len(lit.text)
				return lit.v, nil
			}
		}
		return nil, errJSONSyntax
	}
}

func (p *jsonParser) object(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errJSONSyntax
	}
	p.i++ // {
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return map[string]any{}, nil
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, errJSONSyntax
		}
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, errJSONSyntax
		}
		p.i++
		p.space()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, member{k, v})
		done, err := p.afterValue('}')
		if err != nil {
			return nil, err
		}
		if done {
			size := len(p.members) - base
			if depth == recordDepth {
				size += p.recordRoom
			}
			m := make(map[string]any, size)
			for _, kv := range p.members[base:] {
				m[kv.key] = kv.value // a repeated key: the last wins, as in encoding/json
			}
			return m, nil
		}
	}
}

func (p *jsonParser) array(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errJSONSyntax
	}
	p.i++ // [
	base := len(p.elements)
	defer func() { p.elements = p.elements[:base] }()
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return []any{}, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		p.elements = append(p.elements, v)
		done, err := p.afterValue(']')
		if err != nil {
			return nil, err
		}
		if done {
			return slices.Clone(p.elements[base:]), nil
		}
	}
}

// afterValue reads what follows a member or an element: a comma, and the
// white space after it, or close (done).
func (p *jsonParser) afterValue(close byte) (done bool, err error) {
	p.space()
	if p.i >= len(p.data) || p.data[p.i] != ',' && p.data[p.i] != close {
		return false, errJSONSyntax
	}
	p.i++
	if p.data[p.i-1] == close {
		return true, nil
	}
	p.space()
	return false, nil
}

func (p *jsonParser) number() (any, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case digits() == 0:
		return nil, errJSONSyntax
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, errJSONSyntax
		}
	}
	return json.Number(p.text[start:p.i]), nil
}

// key reads an object's key, sharing the string of an earlier equal key.
func (p *jsonParser) key() (string, error) {
	start := p.i + 1
	if end := start + bytesIndexQuote(p.data[start:]); end >= start && p.keys != nil {
		if k, ok := p.keys[string(p.data[start:end])]; ok { // no allocation: the compiler reads the bytes in place
			p.i = end + 1
			return k, nil
		}
	}
	k, err := p.string()
	if err == nil {
		if p.keys == nil {
			p.keys = map[string]string{}
		}
		p.keys[k] = k
	}
	return k, err
}

// bytesIndexQuote is the index of the first '"' of b if no escape or
// control comes before it, else -1.
func bytesIndexQuote(b []byte) int {
	for i, c := range b {
		switch {
		case c == '"':
			return i
		case c == '\\' || c < 0x20:
			return -1
		}
	}
	return -1
}

// string reads a quoted string as encoding/json unquotes it: escapes
// decoded, bad UTF-8 and lone surrogates as U+FFFD.
func (p *jsonParser) string() (string, error) {
	p.i++ // "
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			s := p.text[start:p.i]
			p.i++
			return s, nil
		case c == '\\' || c >= utf8.RuneSelf:
			return p.slowString(start)
		case c < 0x20:
			return "", errJSONSyntax
		}
		p.i++
	}
	return "", errJSONSyntax
}

func (p *jsonParser) slowString(start int) (string, error) {
	b := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", errJSONSyntax
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.i:])
			b = utf8.AppendRune(b, r) // RuneError for a bad byte, as encoding/json
			p.i += size
		case c != '\\':
			b = append(b, c)
			p.i++
		default:
			if p.i+1 >= len(p.data) {
				return "", errJSONSyntax
			}
			esc := p.data[p.i+1]
			p.i += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4(p.i)
				if !ok {
					return "", errJSONSyntax
				}
				p.i += 4
				if utf16.IsSurrogate(r) {
					// A pair decodes to one rune; anything else is U+FFFD and
					// the next escape is read on its own.
					r2, ok := rune(0), false
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						r2, ok = p.hex4(p.i + 2)
					}
					if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
						p.i += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", errJSONSyntax
			}
		}
	}
	return "", errJSONSyntax
}

// hex4 reads the four hex digits at i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[i:i+4]), 16, 32)
	return rune(n), err == nil
}
