package zohohub

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// validJSONCases are texts on both sides of each rule json.Valid checks.
var validJSONCases = []string{
	``, ` `, `null`, ` null `, `nul`, `nullx`, `true`, `false`, `tru`, `True`,
	`0`, `-0`, `01`, `-01`, `0.5`, `.5`, `1.`, `1e5`, `1E+5`, `1e-5`, `1e`, `-`, `+1`, `1.5e3.2`, `00`, `[01]`, `[0,1]`,
	`""`, `"a"`, `"a`, `"\n"`, "\"\n\"", "\"\t\"", "\"\x7f\"", "\"\xff\xfe\"", `"\u00e9"`, `"\u00g9"`, `"\u00e"`, `"\x"`, `"\/"`, `"\\"`, `"\"`,
	`{}`, `{ }`, `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `{"a":1 "b":2}`, `{"a":1}}`, `{"a":[1,2,{"b":null}]}`,
	`[]`, `[ ]`, `[1,]`, `[,1]`, `[1 2]`, `[[[]]]`, `[[[]]`, `{"a":1} {}`, "\t[\r\n]\n", `[1]x`,
	"\xef\xbb\xbf{}", // a byte-order mark is not white space
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	cases := append([]string{}, validJSONCases...)
	for _, n := range []int{maxStrictDepth - 1, maxStrictDepth, maxStrictDepth + 1} {
		cases = append(cases,
			strings.Repeat("[", n)+strings.Repeat("]", n),
			strings.Repeat("[", n)+"1"+strings.Repeat("]", n),
			strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n))
	}
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.60q) = %v, json.Valid says %v", c, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, c := range validJSONCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", s, got, want)
		}
	})
}

// BenchmarkValidJSON checks a 200-record page as every answer is checked,
// against json.Valid.
func BenchmarkValidJSON(b *testing.B) {
	var page strings.Builder
	page.WriteString(`{"data":[`)
	for i := range 200 {
		if i > 0 {
			page.WriteString(",")
		}
		page.WriteString(`{"Owner":{"name":"Patricia Boyle","id":"5725767000000411001","email":"p.boyle@zylker.com"},"$field_states":null,` +
			`"Description":"Renewal due in Q3; contact procurement.\nThanks","id":"5725767000000500001","$editable":true,` +
			`"Modified_Time":"2024-05-10T01:10:47-07:00","Employees":1200,"Annual_Revenue":-12.5e3,"Tag":[{"name":"vip","id":"57"}]}`)
	}
	page.WriteString(`],"info":{"per_page":200,"count":200,"page":1,"more_records":true}}`)
	body := []byte(page.String())
	b.Run("zohohub", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !validJSON(body) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
}

// unquoteCases are strings on both sides of each rule of JSON's strings:
// escapes, surrogate pairs and lone halves, control characters, bytes that
// are not UTF-8.
var unquoteCases = []string{
	`""`, `"a"`, `"\n\t\r\b\f\/\\\""`, `"\u00e9"`, `"\u00E9x"`, `"\u0000"`, `"\u001f"`, `"\ud83d\ude00"`, `"\ud83d"`,
	`"\ud83dx"`, `"\ude00"`, `"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\ud83d\uzzzz"`, `"\u00g9"`, `"\u00e"`, `"\x"`,
	`"\'"`, `"\"`, `"a\"`, "\"\x01\"", "\"\x7f\"", "\"\xff\xfe\"", "\"caf\xc3\xa9\"", "\"\xc3\"", "\"\xed\xa0\x80\"",
	"\"\xf4\x90\x80\x80\"", `"a"b"`, `"line\nnext"`, `"\u2028\u2029"`, `"\uFFFD"`, "\"\xef\xbf\xbd\"",
}

func TestUnquoteMatchesEncodingJSON(t *testing.T) {
	for _, c := range unquoteCases {
		checkUnquote(t, c)
	}
}

// checkUnquote compares unquote with encoding/json on b, a quoted text as
// the scanner hands it out.
func checkUnquote(t *testing.T, b string) {
	t.Helper()
	if end, err := skipString([]byte(b), 0); err != nil || end != len(b) {
		return // not one string: the scanner never hands it out
	}
	got, err := unquote([]byte(b))
	var want string
	werr := json.Unmarshal([]byte(b), &want)
	if (err == nil) != (werr == nil) || err == nil && got != want {
		t.Errorf("unquote(%q) = %q, %v; encoding/json %q, %v", b, got, err, want, werr)
	}
}

func FuzzUnquote(f *testing.F) {
	for _, c := range unquoteCases {
		f.Add(c[1 : len(c)-1])
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkUnquote(t, `"`+s+`"`)
	})
}

// quoteCases are texts with each kind of character encoding/json escapes.
var quoteCases = []string{
	"", "plain", "a\"b\\c", "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<a href=\"x\">&amp;</a>", "Müller café", "日本語",
	"\u2028\u2029x", "\xff", "a\xc3", "\xed\xa0\x80", "\uFFFD", "emoji 😀", "\\u00e9",
}

func TestAppendQuotedMatchesEncodingJSON(t *testing.T) {
	for _, c := range quoteCases {
		checkQuoted(t, c)
	}
}

func checkQuoted(t *testing.T, s string) {
	t.Helper()
	want, _ := json.Marshal(s)
	got := appendQuoted([]byte("x"), s)
	if string(got) == "x"+string(want) {
		return
	}
	// A byte that is not UTF-8 is \ufffd from encoding/json and U+FFFD
	// itself from its GOEXPERIMENT=jsonv2 engine: the same text.
	var gs, ws string
	if utf8.ValidString(s) || json.Unmarshal(got[1:], &gs) != nil || json.Unmarshal(want, &ws) != nil || gs != ws {
		t.Errorf("appendQuoted(%q) = %s, encoding/json %s", s, got[1:], want)
	}
}

func FuzzAppendQuoted(f *testing.F) {
	for _, c := range quoteCases {
		f.Add(c)
	}
	f.Fuzz(checkQuoted)
}

// BenchmarkUnquoteEscaped unquotes a description with line breaks and a
// quote, as Zoho writes them, against encoding/json (which unquoted such
// texts before, on whichever engine the build has).
func BenchmarkUnquoteEscaped(b *testing.B) {
	raw := []byte(`"Key account.\nRenewal due in Q3; contact \"procurement\" before the end of the month.\nCafé Müller"`)
	b.Run("zohohub", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := unquote(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
