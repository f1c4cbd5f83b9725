package zohotest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// emailPattern is the rule validEmail implements without a regular
// expression.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"a@b.c", "jane.doe@acme.example", "@b.c", "a@.c", "a@b.", "a@b", "a@@b.c", "a b@c.d", "a@b.c\n", "a@b..c", "ü@ß.de", "a@b.c@d.e", "\xff@b.c", "a\t@b.c", "a@b\v.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validEmail(s), emailPattern.MatchString(s); got != want {
			t.Fatalf("validEmail(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

// Unique fields compare text by foldKey: equal keys exactly when
// strings.EqualFold says equal.
func FuzzFoldKey(f *testing.F) {
	for _, p := range [][2]string{{"Jane@Acme.example", "jane@acme.EXAMPLE"}, {"K", "\u212a"}, {"s", "\u017f"}, {"straße", "STRASSE"}, {"\xff", "\ufffd"}, {"İ", "i"}, {"ǅ", "ǆ"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := foldKey("", a) == foldKey("", b), strings.EqualFold(a, b); got != want {
			t.Fatalf("foldKey(%q) == foldKey(%q) is %v; EqualFold says %v", a, b, got, want)
		}
	})
}

// validateInsert stores an insert's record in the map it was parsed into
// when it can; it must answer as validate does, record and error, for
// records it takes and records it hands to validate.
func TestValidateInsertIsValidate(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{
		`{"Last_Name":"Doe","First_Name":"Jane","Company":"Acme","Email":"jane@acme.example","No_of_Employees":12,"Annual_Revenue":1500.5,"City":"Austin"}`,
		`{"Last_Name":"Doe","Company":"Acme","Email_Opt_Out":true,"Owner":{"id":"` + s.meID["id"].(string) + `"}}`,
		`{"Last_Name":"Doe"}`, // Company missing
		`{"Last_Name":"Doe","Company":"Acme","Email":"not an address"}`, // invalid email
		`{"Last_Name":"Doe","Company":"Acme","No_of_Employees":"12"}`,   // a string for an integer
		`{"Last_Name":"` + strings.Repeat("x", 300) + `","Company":"Acme"}`,
		`{"Last_Name":"Doe","Company":"Acme","Annual_Revenue":12345678901234567890}`,
		`{"Last_Name":"Doe","Company":"Acme","Owner":{"id":"1"}}`,          // no such user
		`{"Last_Name":"Doe","Company":"Acme","id":"1","Created_Time":"x"}`, // system fields: validate's
		`{"Last_Name":"Doe","Company":"Acme","$approved":true}`,
		`{"Last_Name":"Doe","Company":"Acme","City":null}`,
		`{"Last_Name":"Doe","Company":"Acme","Full_Name":"Jane Doe"}`, // read only
		`{"Last_Name":"Doe","Company":"Acme","No_Such_Field":1}`,
	}
	for n, body := range bodies {
		want, wantErr := s.validate("Leads", parseRecord(t, body), 0, true, nil)
		in := parseRecord(t, body)
		got, gotErr := s.validateInsert("Leads", in, 0)
		if inPlace := fmt.Sprintf("%p", got) == fmt.Sprintf("%p", in); n < 2 && !inPlace {
			t.Errorf("%s: not stored in the map it was parsed into", body)
		}
		if g, w := jsonText(t, gotErr), jsonText(t, wantErr); g != w {
			t.Errorf("%s: error %s, validate's %s", body, g, w)
		}
		if g, w := jsonText(t, got), jsonText(t, want); g != w {
			t.Errorf("%s: record %s, validate's %s", body, g, w)
		}
	}
}

func parseRecord(t *testing.T, body string) map[string]any {
	t.Helper()
	b, ok := parseWriteBodyRoom([]byte(`{"data":[`+body+`]}`), 8)
	if !ok || len(b.Data) != 1 {
		t.Fatalf("%s: not parsed", body)
	}
	return b.Data[0]
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// setFullName's Full_Name is the trimmed join of the names, whichever way
// it is made.
func TestSetFullName(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	fields := s.meta.fields["Leads"]
	for _, names := range [][2]any{{nil, "Doe"}, {"", "Doe"}, {"Jane", "Doe"}, {nil, " Doe "}, {"Jane", nil}, {" ", "Doe"}, {nil, nil}} {
		rec := map[string]any{}
		if names[0] != nil {
			rec["First_Name"] = names[0]
		}
		if names[1] != nil {
			rec["Last_Name"] = names[1]
		}
		first, _ := names[0].(string)
		last, _ := names[1].(string)
		setFullName(fields, rec)
		if got, want := rec["Full_Name"], strings.TrimSpace(first+" "+last); got != want {
			t.Errorf("names %q: Full_Name %q, want %q", names, got, want)
		}
	}
}
