package zohohub

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON scanner: it walks the members of an object or the elements
// of an array and hands out the raw bytes of each value, without building
// maps or copying. Record decoding uses it so that a page of records costs
// one pass over the bytes plus the values themselves. It validates what it
// walks (a malformed value is an error, never a panic).

var errSyntax = errors.New("malformed JSON")

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && isSpace(b[i]) { // one comparison for the usual byte
		i++
	}
	return i
}

// trimJSON returns b without surrounding white space.
func trimJSON(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isNull(b []byte) bool {
	b = trimJSON(b)
	return len(b) == 0 || string(b) == "null"
}

// skipValue returns the index just past the JSON value starting at b[i]
// (after optional white space).
func skipValue(b []byte, i int) (int, error) {
	return skipValueDepth(b, i, 0, false)
}

// validJSON reports whether b is one JSON value, as json.Valid does (the
// same answer, TestValidJSONMatchesEncodingJSON), in a fraction of its time:
// every answer the client reads is checked with it.
func validJSON(b []byte) bool {
	end, err := skipValueDepth(b, 0, 0, true)
	return err == nil && skipSpace(b, end) == len(b)
}

// maxJSONDepth bounds the nesting a walk accepts; a strict scan accepts
// encoding/json's 10,000 open containers.
const (
	maxJSONDepth   = 1000
	maxStrictDepth = 10000
)

// skipValueDepth skips the value at b[i], depth containers deep. strict
// checks JSON's whole grammar as encoding/json does: a backslash in a
// string starts a valid escape, a number has no leading zero. A walk over
// members (not strict) leaves escapes to unquote and numbers to the
// codecs, which read only the values they need.
func skipValueDepth(b []byte, i, depth int, strict bool) (int, error) {
	if depth > maxJSONDepth && !strict {
		return 0, fmt.Errorf("%w: nested too deeply", errSyntax)
	}
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, fmt.Errorf("%w: unexpected end", errSyntax)
	}
	c := b[i]
	if (c == '{' || c == '[') && strict && depth >= maxStrictDepth {
		// encoding/json counts open containers; a scalar adds no depth.
		return 0, fmt.Errorf("%w: nested too deeply", errSyntax)
	}
	switch {
	case c == '"' && !strict:
		return skipString(b, i)
	case c == '"':
		return skipStringIn(b, i, strict)
	case c == '{':
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == '}' {
			return i + 1, nil
		}
		for {
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != '"' {
				return 0, fmt.Errorf("%w: object key expected at offset %d", errSyntax, i)
			}
			var err error
			if strict {
				i, err = skipStringIn(b, i, strict)
			} else {
				i, err = skipString(b, i)
			}
			if err != nil {
				return 0, err
			}
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return 0, fmt.Errorf("%w: ':' expected at offset %d", errSyntax, i)
			}
			if i, err = skipValueDepth(b, i+1, depth+1, strict); err != nil {
				return 0, err
			}
			if i < len(b) && b[i] == ',' { // compact JSON: no call
				i++
				continue
			}
			if i, err = afterValue(b, i, '}'); err != nil || b[i-1] == '}' {
				return i, err
			}
		}
	case c == '[':
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		for {
			var err error
			if i, err = skipValueDepth(b, i, depth+1, strict); err != nil {
				return 0, err
			}
			if i < len(b) && b[i] == ',' { // compact JSON: no call
				i++
				continue
			}
			if i, err = afterValue(b, i, ']'); err != nil || b[i-1] == ']' {
				return i, err
			}
		}
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return skipNumber(b, i, strict)
	default:
		return 0, fmt.Errorf("%w: unexpected %q at offset %d", errSyntax, c, i)
	}
}

func skipLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, fmt.Errorf("%w: bad literal at offset %d", errSyntax, i)
	}
	return i + len(lit), nil
}

func skipNumber(b []byte, i int, strict bool) (int, error) {
	start := i
	if b[i] == '-' {
		i++
	}
	if strict && i+1 < len(b) && b[i] == '0' && b[i+1] >= '0' && b[i+1] <= '9' {
		return 0, fmt.Errorf("%w: number with a leading zero at offset %d", errSyntax, start)
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return 0, fmt.Errorf("%w: bad number at offset %d", errSyntax, start)
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return 0, fmt.Errorf("%w: bad number at offset %d", errSyntax, start)
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return 0, fmt.Errorf("%w: bad number at offset %d", errSyntax, start)
		}
	}
	return i, nil
}

// skipString returns the index just past the string starting at b[i]=='"'.
// It finds the closing quote, one not escaped, and checks nothing else:
// whoever reads the text unquotes it, and every answer was checked whole
// (validJSON) before it is walked.
func skipString(b []byte, i int) (int, error) {
	start := i
	for i++; ; {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return 0, fmt.Errorf("%w: unterminated string at offset %d", errSyntax, start)
		}
		i += q
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		run := 0
		for j := i - 1; j > start && b[j] == '\\'; j-- {
			run++
		}
		if run%2 == 0 {
			return i + 1, nil
		}
		i++
	}
}

func skipStringIn(b []byte, i int, strict bool) (int, error) {
	start := i
	for i++; ; {
		for i < len(b) && !stringStop[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, fmt.Errorf("%w: unterminated string at offset %d", errSyntax, start)
		}
		switch b[i] {
		case '"':
			return i + 1, nil
		case '\\':
			if strict && !validEscape(b, i) {
				return 0, fmt.Errorf("%w: bad escape in string at offset %d", errSyntax, i)
			}
			i += 2
		default:
			return 0, fmt.Errorf("%w: control character in string at offset %d", errSyntax, i)
		}
	}
}

// stringStop marks the bytes that end a plain run inside a JSON string:
// the quote, the backslash and the control characters. It is never
// written after its initialisation.
var stringStop = [256]bool{
	0x00: true, 0x01: true, 0x02: true, 0x03: true, 0x04: true, 0x05: true, 0x06: true, 0x07: true,
	0x08: true, 0x09: true, 0x0a: true, 0x0b: true, 0x0c: true, 0x0d: true, 0x0e: true, 0x0f: true,
	0x10: true, 0x11: true, 0x12: true, 0x13: true, 0x14: true, 0x15: true, 0x16: true, 0x17: true,
	0x18: true, 0x19: true, 0x1a: true, 0x1b: true, 0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true,
	'"': true, '\\': true,
}

// validEscape reports whether the backslash at b[i] starts a JSON escape.
func validEscape(b []byte, i int) bool {
	if i+1 >= len(b) {
		return false
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return true
	case 'u':
		if i+6 > len(b) {
			return false
		}
		for _, h := range b[i+2 : i+6] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return false
			}
		}
		return true
	}
	return false
}

// eachMember calls fn for every member of the JSON object b, with the raw
// key (quotes included) and the raw value.
func eachMember(b []byte, fn func(key, val []byte) error) error {
	end, err := walkObject(b, 0, func(key []byte, vs int) (int, error) {
		ve, err := skipValue(b, vs)
		if err != nil {
			return 0, err
		}
		return ve, fn(key, b[vs:ve])
	})
	if err != nil {
		return err
	}
	return checkTrailing(b, end)
}

// eachElement calls fn for every element of the JSON array b.
func eachElement(b []byte, fn func(elem []byte) error) error {
	end, err := walkArray(b, 0, func(vs int) (int, error) {
		ve, err := skipValue(b, vs)
		if err != nil {
			return 0, err
		}
		return ve, fn(b[vs:ve])
	})
	if err != nil {
		return err
	}
	return checkTrailing(b, end)
}

// walkObject walks the JSON object at b[i] (after white space) and returns
// the index just past it. For each member it calls fn with the raw key
// (quotes included) and the index of the value, which fn reads or skips:
// it returns the index just past the value. Reading a value in place, a
// caller walks nested objects in one pass, where eachMember would find
// each value's end before its caller reads it again.
func walkObject(b []byte, i int, fn func(key []byte, vs int) (int, error)) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '{' {
		return 0, fmt.Errorf("%w: object expected", errSyntax)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return 0, fmt.Errorf("%w: object key expected at offset %d", errSyntax, i)
		}
		ke, err := skipString(b, i)
		if err != nil {
			return 0, err
		}
		key := b[i:ke]
		i = skipSpace(b, ke)
		if i >= len(b) || b[i] != ':' {
			return 0, fmt.Errorf("%w: ':' expected at offset %d", errSyntax, i)
		}
		vs := skipSpace(b, i+1)
		if vs >= len(b) {
			return 0, fmt.Errorf("%w: unexpected end", errSyntax)
		}
		if i, err = fn(key, vs); err != nil {
			return 0, err
		}
		if i < len(b) && b[i] == ',' { // compact JSON: no call
			i++
			continue
		}
		if i, err = afterValue(b, i, '}'); err != nil || b[i-1] == '}' {
			return i, err
		}
	}
}

// walkArray walks the JSON array at b[i] (after white space) as
// walkObject walks an object: fn reads or skips the element at vs and
// returns the index just past it.
func walkArray(b []byte, i int, fn func(vs int) (int, error)) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '[' {
		return 0, fmt.Errorf("%w: array expected", errSyntax)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		vs := skipSpace(b, i)
		if vs >= len(b) {
			return 0, fmt.Errorf("%w: unexpected end", errSyntax)
		}
		var err error
		if i, err = fn(vs); err != nil {
			return 0, err
		}
		if i < len(b) && b[i] == ',' { // compact JSON: no call
			i++
			continue
		}
		if i, err = afterValue(b, i, ']'); err != nil || b[i-1] == ']' {
			return i, err
		}
	}
}

// afterValue reads what follows a member or an element that ends at b[i],
// the close of its object or array or a comma, and returns the index past
// it: b[next-1] tells which. Compact JSON takes the inlined first test.
func afterValue(b []byte, i int, close byte) (next int, err error) {
	if i < len(b) && (b[i] == ',' || b[i] == close) {
		return i + 1, nil
	}
	return afterSpace(b, i, close)
}

// afterSpace is afterValue past white space.
func afterSpace(b []byte, i int, close byte) (int, error) {
	i = skipSpace(b, i)
	switch {
	case i >= len(b):
		return 0, fmt.Errorf("%w: unexpected end", errSyntax)
	case b[i] != ',' && b[i] != close:
		return 0, fmt.Errorf("%w: ',' or '%c' expected at offset %d", errSyntax, close, i)
	}
	return i + 1, nil
}

func checkTrailing(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return fmt.Errorf("%w: data after the value", errSyntax)
	}
	return nil
}

// unquote decodes a raw JSON string (quotes included). Strings without
// escapes, the common case, cost one allocation.
func unquote(b []byte) (string, error) { return unquoteIn(nil, b) }

// unquoteIn is unquote taking the copy of an unescaped string from in (nil:
// a new copy).
func unquoteIn(in *internTable, b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", fmt.Errorf("%w: string expected", errSyntax)
	}
	inner := b[1 : len(b)-1]
	ascii := true
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			return unquoteSlow(b)
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(inner) {
		return unquoteSlow(b) // encoding/json replaces invalid UTF-8
	}
	return in.text(inner), nil
}

// An internTable hands out one copy of each short text it is asked for, so
// that decoding a page allocates a text the records repeat (an owner's
// name, a picklist value) once. It is used by one goroutine at a time.
type internTable struct {
	m map[string]string
}

const (
	// internMaxLen bounds the texts kept: long ones rarely repeat.
	internMaxLen = 48
	// internMaxTexts bounds the table, so that a pooled table stays small;
	// a full table is emptied.
	internMaxTexts = 2048
)

// text returns a string with the bytes of b, the same one for equal bytes.
// A nil table copies every time.
func (in *internTable) text(b []byte) string {
	if in == nil || len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if len(in.m) >= internMaxTexts {
		clear(in.m) // unique texts filled it: start over with the ones that repeat now
	}
	in.m[s] = s
	return s
}

// internTable returns a table from ti's pool; give it back with putInterns.
func (ti *typeInfo) internTable() *internTable {
	if in, ok := ti.interns.Get().(*internTable); ok {
		return in
	}
	return &internTable{m: make(map[string]string, 64)}
}

func (ti *typeInfo) putInterns(in *internTable) { ti.interns.Put(in) }

// unquoteSlow decodes a JSON string holding escapes, control characters or
// bytes that are not UTF-8 as encoding/json decodes it (TestUnquoteMatches
// EncodingJSON, FuzzUnquote): a lone surrogate escape or a byte that is not
// UTF-8 becomes U+FFFD; a control character, a quote or a bad escape is an
// error. It does not call encoding/json, whose engine (and cost) changes
// with GOEXPERIMENT=jsonv2, so that every build decodes with the same code.
func unquoteSlow(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", fmt.Errorf("%w: string expected", errSyntax)
	}
	inner := b[1 : len(b)-1]
	out := make([]byte, 0, len(inner))
	for i := 0; i < len(inner); {
		switch c := inner[i]; {
		case c == '\\':
			if i+1 >= len(inner) {
				return "", fmt.Errorf("%w: bad escape in string", errSyntax)
			}
			if e := escapeByte[inner[i+1]]; e != 0 {
				out = append(out, e)
				i += 2
				continue
			}
			r, ok := hex4(inner, i)
			if !ok {
				return "", fmt.Errorf("%w: bad escape in string", errSyntax)
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A pair is one character; anything else makes the first
				// half U+FFFD, and what follows is read on its own.
				if r2, ok := hex4(inner, i); ok {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		case c < 0x20 || c == '"':
			return "", fmt.Errorf("%w: unescaped %q in string", errSyntax, c)
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(inner[i:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, inner[i:i+size]...)
			}
			i += size
		}
	}
	return string(out), nil
}

// escapeByte maps the letter of a one-letter JSON escape to the byte it
// stands for (0: not one). It is never written after its initialisation.
var escapeByte = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads the escape \uXXXX at b[i].
func hex4(b []byte, i int) (rune, bool) {
	if len(b)-i < 6 || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, h := range b[i+2 : i+6] {
		switch {
		case '0' <= h && h <= '9':
			h -= '0'
		case 'a' <= h && h <= 'f':
			h -= 'a' - 10
		case 'A' <= h && h <= 'F':
			h -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(h)
	}
	return r, true
}

// setJSONText sets *dst from a JSON string as encoding/json sets a string
// field: null leaves it as it is, anything but a string is an error.
func setJSONText(dst *string, val []byte) error {
	switch {
	case string(val) == "null":
		return nil
	case len(val) == 0 || val[0] != '"':
		return errors.New("expected a string")
	}
	s, err := unquote(val)
	if err == nil {
		*dst = s
	}
	return err
}

// plainKey reports whether a raw key (quotes included) has no escapes, so
// that its inner bytes are its value.
func plainKey(key []byte) ([]byte, bool) {
	inner := key[1 : len(key)-1]
	for _, c := range inner {
		if c == '\\' {
			return nil, false
		}
	}
	return inner, true
}

// appendQuoted appends s as a JSON string, as encoding/json writes it.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	if plainText(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	return append(appendEscaped(b, s), '"')
}

// appendEscaped appends the inside of the JSON string of s as
// encoding/json writes it (TestAppendQuotedMatchesEncodingJSON): <, > and
// & escaped for HTML, U+2028 and U+2029 for JavaScript, a byte that is not
// UTF-8 as \ufffd. It does not call encoding/json, whose engine changes
// with GOEXPERIMENT=jsonv2.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0 // s[start:i] is yet to be appended as it is
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if textPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default: // a control character, <, > or &
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), `\u202`...)
			b = append(b, hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

// plainText reports whether s is ASCII that encoding/json writes as it is
// between quotes: no control character, quote, backslash, or <, > and &
// (which it escapes for HTML).
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if !textPlain[s[i]] {
			return false
		}
	}
	return true
}

// textPlain marks the bytes plainText accepts. It is never written after
// its initialisation.
var textPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
