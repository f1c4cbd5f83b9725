package zohotest

import (
	"reflect"
	"strings"
	"testing"
)

// parseJSON must read what decodeJSON (encoding/json) reads, and refuse
// what it refuses.
func FuzzParseJSON(f *testing.F) {
	for _, seed := range []string{
		`{"data":[{"Last_Name":"Doe","Email":"a@b.c","n":1.50,"x":null,"t":true,"l":{"id":"1"},"m":["a","b"]}]}`,
		`"\ud83d\ude00 \ud800 \udc00x \ud800\u0041 \u00e9 \/ \b\f\n\r\t"`, "\"M\xfcller \xe2\x82\"", `-0.5e+10`, `01`, `[1,]`, `{"a":1,}`, `{"a" 1}`,
		`nullx`, `tru`, `"\x"`, "\"\x01\"", `{"a":1,"a":2}`, `[[[]]]`, ` [ 1 , "2" ] trailing`, `-`, `1.`, `1e`, `"\u12"`, ``, ` `,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var want any
		wantErr := decodeJSON([]byte(in), &want)
		got, err := parseJSON([]byte(in))
		if (err == nil) != (wantErr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Fatalf("parseJSON(%q) = %#v, %v; encoding/json: %#v, %v", in, got, err, want, wantErr)
		}
	})
}

func TestParseJSONDepth(t *testing.T) {
	t.Parallel()
	for _, depth := range []int{maxJSONDepth, maxJSONDepth + 1} {
		in := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		var want any
		wantErr := decodeJSON([]byte(in), &want)
		_, err := parseJSON([]byte(in))
		if (err == nil) != (wantErr == nil) {
			t.Errorf("depth %d: parseJSON error %v, encoding/json %v", depth, err, wantErr)
		}
	}
}

// parseWriteBody must read a write's body as encoding/json reads it into
// writeBody.
func FuzzParseWriteBody(f *testing.F) {
	for _, seed := range []string{
		`{"data":[{"Last_Name":"Doe"},null],"duplicate_check_fields":["Email",null],"trigger":["workflow"]}`,
		`{"DATA":[{}]}`, `{"data":"x"}`, `{"data":[1]}`, `null`, `[]`, `{"duplicate_check_fields":[1]}`, `{"Trigger":{"a":1}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if v, err := parseJSON([]byte(in)); err == nil {
			if obj, ok := v.(map[string]any); ok && spellingsCollide(obj) {
				return // encoding/json lets the last in the body win, parseWriteBody the exact spelling
			}
		}
		var want writeBody
		wantErr := decodeJSON([]byte(in), &want)
		got, ok := parseWriteBody([]byte(in))
		if ok != (wantErr == nil) || (ok && !reflect.DeepEqual(got, want)) {
			t.Fatalf("parseWriteBody(%q) = %#v, %v; encoding/json: %#v, %v", in, got, ok, want, wantErr)
		}
	})
}

func spellingsCollide(obj map[string]any) bool {
	for _, name := range []string{"data", "duplicate_check_fields", "trigger"} {
		n := 0
		for k := range obj {
			if strings.EqualFold(k, name) {
				n++
			}
		}
		if n > 1 {
			return true
		}
	}
	return false
}
