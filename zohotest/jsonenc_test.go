package zohotest

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// encodingJSON is what json.Encoder writes for v, without its newline.
func encodingJSON(t testing.TB, v any) (string, bool) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return "", false
	}
	return strings.TrimSuffix(buf.String(), "\n"), true
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, v := range []any{
		nil, true, false, "", "plain", `quote " and \ backslash`, "<html> & co", "tab\tnew\nline", "Müller ☃ \u2028", "\xff bad utf-8",
		json.Number("12.50"), json.Number("-1e3"), json.Number(""), json.Number("1.2.3"), 1.5, 3, int64(1) << 60,
		[]any{}, []any(nil), []any{"a", json.Number("1"), nil, map[string]any{"z": 1, "a": []any{true}}},
		map[string]any{}, map[string]any(nil), map[string]any{"b": "x", "a": nil, "<": ">", "é": "e", "Z": "z", "$se_module": "Leads"},
		[]map[string]any{{"id": "1"}, nil}, []map[string]any(nil), []string{"a", "b"}, struct{ A string }{"x"},
		map[string]any{"data": []any{map[string]any{"code": "SUCCESS", "details": map[string]any{"id": "5725767000001000001"}}}},
	} {
		want, ok := encodingJSON(t, v)
		got, err := appendJSON(nil, v)
		if (err == nil) != ok || (ok && string(got) != want) {
			t.Errorf("appendJSON(%#v) = %s, %v; encoding/json writes %s (ok %v)", v, got, err, want, ok)
		}
	}
}

// FuzzAppendJSON decodes JSON as the server does (numbers exact) and
// checks that appendJSON writes it back as encoding/json would.
func FuzzAppendJSON(f *testing.F) {
	for _, seed := range []string{`{"data":[{"Last_Name":"Doe","Email":"a@b.c","n":1.50,"x":null,"t":true}]}`, `["<>&\u2028", "\ud83d\ude00", 1e400]`, `"\u0000"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		if decodeJSON([]byte(in), &v) != nil {
			return
		}
		want, ok := encodingJSON(t, v)
		got, err := appendJSON(nil, v)
		if (err == nil) != ok || (ok && string(got) != want) {
			t.Fatalf("appendJSON = %s, %v; encoding/json writes %s", got, err, want)
		}
	})
}

// A record picked to fields is encoded from the stored record as the
// picked copy of it would be.
func TestRecordViewMatchesPickedCopy(t *testing.T) {
	t.Parallel()
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := s.Seed("Accounts", map[string]any{"Account_Name": "Zylker <Labs>"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.Seed("Contacts", map[string]any{"Last_Name": "Roe", "First_Name": "Jane", "Account_Name": map[string]any{"id": acct[0]}, "$approved": true})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := s.records.get("Contacts", ids[0])
	before := copyRecord(rec)
	for _, fields := range [][]string{{"Last_Name"}, {"Full_Name", "Account_Name", "Owner", "Email", "id", "Last_Name", "Last_Name"}} {
		full := s.present("Contacts", rec)
		picked := map[string]any{"id": full["id"], "$approved": full["$approved"]}
		for _, f := range fields {
			picked[f] = full[f]
		}
		want, _ := encodingJSON(t, picked)
		got, err := appendJSON(nil, s.presentFields("Contacts", rec, answerKeys(fields)))
		if err != nil || string(got) != want {
			t.Errorf("fields %v: view %s, %v; picked copy %s", fields, got, err, want)
		}
	}
	if !maps.EqualFunc(before, rec, func(a, b any) bool { return sameJSON(a, b) }) {
		t.Errorf("presenting changed the stored record")
	}
}
