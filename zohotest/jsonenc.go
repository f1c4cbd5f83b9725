package zohotest

import (
	"encoding/json"
	"slices"
)

// appendJSON appends v as encoding/json's Encoder writes it (sorted keys,
// HTML characters escaped), byte for byte, and reports whether it could.
// Answers are JSON-shaped values (map[string]any, []any, strings,
// json.Number, bool, nil) and encoding/json spends most of a page's time
// reflecting on and sorting them; this walks them directly and hands
// anything else (floats, structs, strings that need escaping) to
// encoding/json. TestAppendJSONMatchesEncodingJSON holds it to that.
func appendJSON(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		if x {
			return append(buf, "true"...), nil
		}
		return append(buf, "false"...), nil
	case string:
		return appendString(buf, x)
	case json.Number:
		if x == "" {
			return append(buf, '0'), nil // as encoding/json writes the zero Number
		}
		if !validNumber(string(x)) {
			return appendMarshal(buf, x) // encoding/json's error
		}
		return append(buf, x...), nil
	case map[string]any:
		return appendObject(buf, x)
	case []any:
		return appendArray(buf, x, appendJSON)
	case interface{ appendJSON([]byte) ([]byte, error) }:
		return x.appendJSON(buf)
	case []map[string]any:
		return appendArray(buf, x, appendObject)
	}
	return appendMarshal(buf, v)
}

// appendArray appends x, each element written by appendElem.
func appendArray[E any](buf []byte, x []E, appendElem func([]byte, E) ([]byte, error)) ([]byte, error) {
	if x == nil {
		return append(buf, "null"...), nil
	}
	buf = append(buf, '[')
	for i, e := range x {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendElem(buf, e); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

func appendMarshal(buf []byte, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	return append(buf, data...), err
}

func appendObject(buf []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(buf, "null"...), nil
	}
	var room [48]string // a record's keys fit: no allocation for them
	keys := room[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendString(buf, k); err != nil {
			break
		}
		buf = append(buf, ':')
		if buf, err = appendJSON(buf, m[k]); err != nil {
			break
		}
	}
	return append(buf, '}'), err
}

// appendString quotes s; a string with a character encoding/json escapes
// (quotes, backslashes, controls, <, >, &, non-ASCII) goes to it.
func appendString(buf []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if plainByte[s[i]] == 0 {
			return appendMarshal(buf, s)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"'), nil
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// plainByte is 1 for the bytes appendString writes as they are: ASCII but
// controls, quotes, backslashes, <, > and &. A string, so that it is a
// constant.
const plainByte = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x00
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x10
	"\x01\x01\x00\x01\x01\x01\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x20: " &
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x01\x00\x01" + // 0x30: < >
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x40
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x01\x01\x01" + // 0x50: \\
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x60
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x70
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x80…
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
