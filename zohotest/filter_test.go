package zohotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Fixture shared by the criteria and COQL tests: a Leads module with a field
// of every filterable data type, Accounts behind a lookup, and Users known
// only as records (no field metadata, so owner dot paths use the fallback).

var testFields = map[string]map[string]string{
	"Leads": {
		"Last_Name":       "text",
		"First_Name":      "text",
		"Company":         "text",
		"Email":           "email",
		"Phone":           "phone",
		"Website":         "website",
		"Description":     "textarea",
		"Lead_Source":     "picklist",
		"Lead_No":         "autonumber",
		"Courses":         "multiselectpicklist",
		"No_of_Employees": "integer",
		"EAN":             "bigint",
		"Score":           "double",
		"Annual_Revenue":  "currency",
		"Discount":        "percent",
		"Rate":            "decimal",
		"Email_Opt_Out":   "boolean",
		"Birth_Date":      "date",
		"Created_Time":    "datetime",
		"Account_Name":    "lookup:Accounts",
		"Plain_Lookup":    "lookup",
		"Owner":           "ownerlookup",
		"Attachments":     "fileupload",
	},
	"Accounts": {
		"Account_Name":   "text",
		"Industry":       "picklist",
		"Employees":      "integer",
		"Parent_Account": "lookup:Accounts",
	},
	"Users": {},
}

func testTypes(module, apiName string) (string, bool) {
	dt, ok := testFields[module][apiName]
	return dt, ok
}

func testModuleExists(module string) bool {
	_, ok := testFields[module]
	return ok
}

const testRecordsJSON = `[
 {"id":"101","Last_Name":"Burns","First_Name":"Mike","Company":"ABC Inc","Email":"mike@x.com",
  "Phone":"+1 555 0100","Website":"https://abc.example","Description":"line1\nline2","Lead_Source":"Web",
  "Lead_No":"L-001","Courses":["Analytics","Big data"],"No_of_Employees":10,"EAN":"123456789012345678",
  "Score":4.5,"Annual_Revenue":250000.90,"Discount":25,"Rate":1.125,"Email_Opt_Out":true,
  "Birth_Date":"1990-05-17","Created_Time":"2023-04-19T05:58:06+05:30",
  "Account_Name":{"id":"2000000000000000001","name":"Zylker"},
  "Owner":{"id":"3000000000000000001","name":"Patricia Boyle","email":"p@zylker.com"}},
 {"id":"102","Last_Name":"Burns,B","First_Name":"Ann","Company":"a(b)","Email":null,
  "Lead_Source":"Trade Show","Courses":["Cloud"],"No_of_Employees":200,"EAN":"923456789012345678",
  "Score":-1,"Annual_Revenue":1000,"Discount":0,"Email_Opt_Out":false,"Birth_Date":"2001-01-01",
  "Created_Time":"2023-04-19T00:28:06Z","Account_Name":{"id":"2000000000000000002","name":"Acme"},
  "Owner":{"id":"3000000000000000002","name":"Mark"}},
 {"id":"103","Last_Name":"x\\","First_Name":"Zoë","Company":"Müller GmbH","Courses":[],
  "Email_Opt_Out":false,"Description":"50% off: now","Lead_Source":null,"Account_Name":null,
  "Created_Time":"2024-01-01T00:00:00-08:00","Owner":{"id":"3000000000000000001"}},
 {"id":"104","Last_Name":"O'Leary","First_Name":"Seán","Company":"日本株式会社","Email":"o@x.com",
  "No_of_Employees":10,"EAN":"123456789012345679","Annual_Revenue":250000.9,"Lead_Source":"web",
  "Birth_Date":"1990-05-18","Created_Time":"2022-12-31T23:59:59+00:00",
  "Account_Name":{"id":"2000000000000000001"},"Courses":["analytics"]}
]`

var testRelatedJSON = map[string]string{
	"Accounts": `[
 {"id":"2000000000000000001","Account_Name":"Zylker","Industry":"Technology","Employees":500},
 {"id":"2000000000000000002","Account_Name":"Acme","Industry":"Retail","Employees":50}]`,
	"Users": `[{"id":"3000000000000000001","full_name":"Patricia Boyle","email":"p@zylker.com"}]`,
}

func decodeRecords(t testing.TB, s string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var recs []map[string]any
	if err := dec.Decode(&recs); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return recs
}

// testStore returns the Leads records and a lookup over the related modules.
func testStore(t testing.TB) ([]map[string]any, recordLookupFunc) {
	t.Helper()
	related := map[string]map[string]map[string]any{}
	for module, js := range testRelatedJSON {
		related[module] = map[string]map[string]any{}
		for _, r := range decodeRecords(t, js) {
			related[module][r["id"].(string)] = r
		}
	}
	lookup := func(module, id string) (map[string]any, bool) {
		r, ok := related[module][id]
		return r, ok
	}
	return decodeRecords(t, testRecordsJSON), lookup
}

// matchingIDs returns the ids of recs that f matches, in order.
func matchingIDs(f *filter, recs []map[string]any, lookup recordLookupFunc) []string {
	ids := []string{}
	for _, r := range recs {
		if f.match(r, lookup) {
			ids = append(ids, r["id"].(string))
		}
	}
	return ids
}

func asQueryError(t *testing.T, err error) *queryError {
	t.Helper()
	var qe *queryError
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T) is not a *queryError", err, err)
	}
	if qe.Code == "" || qe.Message == "" || qe.Details == nil {
		t.Fatalf("incomplete queryError %#v", qe)
	}
	return qe
}

func TestQueryErrorWrapsAndFormats(t *testing.T) {
	base := newQueryError("INVALID_QUERY", "column given seems to be invalid", map[string]any{"column_name": "X"})
	err := fmt.Errorf("coql: %w", base)
	qe := asQueryError(t, err)
	if qe != base {
		t.Fatalf("errors.As found %p, want %p", qe, base)
	}
	if got := err.Error(); !strings.Contains(got, "INVALID_QUERY") || !strings.Contains(got, "column_name:X") {
		t.Fatalf("Error() = %q", got)
	}
	// Details must encode as a JSON object even when empty.
	b, _ := json.Marshal(newQueryError("SYNTAX_ERROR", "m", nil).Details)
	if !bytes.Equal(b, []byte("{}")) {
		t.Fatalf("empty details encode as %s", b)
	}
}

func TestLikeMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"ab%", "abcd", true},
		{"%cd", "abcd", true},
		{"%bc%", "abcd", true},
		{"%", "", true},
		{"%%", "x", true},
		{"a%c%e", "abcde", true},
		{"a%c%e", "abcdef", false},
		{"a%a", "a", false}, // prefix and suffix may not overlap
		{"a_c", "abc", false},
		{"a_c", "a_c", true},
		{"50%", "50% off", true},
	}
	for _, c := range cases {
		if got := likeMatch(strings.Split(c.pattern, "%"), c.s); got != c.want {
			t.Errorf("likeMatch(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestCompareValuesOrdersNullsFirstAndByKind(t *testing.T) {
	cases := []struct {
		kind valueKind
		a, b any
		want int
	}{
		{kindNumber, json.Number("9"), json.Number("10"), -1},
		{kindNumber, "923456789012345678", "123456789012345679", 1},
		{kindNumber, nil, json.Number("1"), -1},
		{kindText, "apple", "Banana", -1},
		{kindText, "", "a", -1},
		{kindDateTime, "2023-04-19T05:58:06+05:30", "2023-04-19T00:28:06Z", 0},
		{kindDateTime, "2023-04-19T05:58:07+05:30", "2023-04-19T00:28:06Z", 1},
		{kindDate, "1990-05-18", "1990-05-17", 1},
		{kindBool, false, true, -1},
		{kindLookup, map[string]any{"id": "2", "name": "Acme"}, map[string]any{"id": "1", "name": "Zylker"}, -1},
	}
	for _, c := range cases {
		if got := compareValues(c.kind, c.a, c.b); got != c.want {
			t.Errorf("compareValues(%v, %v, %v) = %d, want %d", c.kind, c.a, c.b, got, c.want)
		}
	}
}

func TestDeepCopyDoesNotAlias(t *testing.T) {
	orig := map[string]any{"a": []any{"x", map[string]any{"id": "1"}}}
	cp := deepCopy(orig).(map[string]any)
	cp["a"].([]any)[0] = "changed"
	cp["a"].([]any)[1].(map[string]any)["id"] = "2"
	if orig["a"].([]any)[0] != "x" || orig["a"].([]any)[1].(map[string]any)["id"] != "1" {
		t.Fatalf("copy aliases the original: %v", orig)
	}
}

func TestSplitDataType(t *testing.T) {
	cases := []struct{ in, base, target string }{
		{"lookup:Accounts", "lookup", "Accounts"},
		{"lookup", "lookup", ""},
		{"ownerlookup", "ownerlookup", "Users"},
		{"userlookup:Users", "userlookup", "Users"},
		{"Text", "text", ""},
	}
	for _, c := range cases {
		b, tg := splitDataType(c.in)
		if b != c.base || tg != c.target {
			t.Errorf("splitDataType(%q) = %q, %q; want %q, %q", c.in, b, tg, c.base, c.target)
		}
	}
}

func sameIDs(got, want []string) bool {
	return slices.Equal(got, want)
}

// The emulator may hold values in shapes other than UseNumber decoding
// produces (Go literals in seeds, strings for numbers); matching tolerates
// them rather than silently missing.
func TestMatchToleratesStoredValueShapes(t *testing.T) {
	rec := map[string]any{
		"id":              "7",
		"No_of_Employees": 10,                          // int
		"Score":           4.5,                         // float64
		"EAN":             int64(123456789012345678),   // int64
		"Discount":        "25",                        // number as string
		"Email_Opt_Out":   "true",                      // bool as string
		"Birth_Date":      "1990-05-17T23:30:00-05:00", // datetime in a date field: its civil day
		"Created_Time":    "2023-04-19",                // date in a datetime field: UTC midnight
		"Courses":         []string{"Analytics"},
		"Account_Name":    "2000000000000000001", // bare id
		"Owner":           map[string]any{"id": json.Number("3000000000000000001")},
		"Lead_Source":     json.Number("5"),
	}
	for _, crit := range []string{
		"(No_of_Employees:equals:10)",
		"(Score:between:4.4,4.6)",
		"(EAN:equals:123456789012345678)",
		"(Discount:greater_equal:25)",
		"(Email_Opt_Out:equals:true)",
		"(Birth_Date:equals:1990-05-17)",
		"(Created_Time:equals:2023-04-19T00:00:00Z)",
		"(Courses:equals:analytics)",
		"(Account_Name:equals:2000000000000000001)",
		"(Owner:equals:3000000000000000001)",
		"(Lead_Source:equals:5)",
	} {
		f, err := parseCriteria("Leads", crit, testTypes)
		if err != nil {
			t.Fatalf("%s: %v", crit, err)
		}
		if !f.match(rec, nil) {
			t.Errorf("%s does not match %v", crit, rec)
		}
	}
	// Values that cannot be read as the field's type never match.
	bad := map[string]any{"No_of_Employees": "ten", "Birth_Date": "someday", "Email_Opt_Out": 1}
	for _, crit := range []string{"(No_of_Employees:equals:10)", "(No_of_Employees:not_equal:10)",
		"(Birth_Date:less_than:2100-01-01)", "(Email_Opt_Out:equals:true)"} {
		f, _ := parseCriteria("Leads", crit, testTypes)
		if f.match(bad, nil) && !strings.Contains(crit, "not_equal") {
			t.Errorf("%s matched unreadable values", crit)
		}
	}
	q, err := parseCOQL("select Account_Name from Leads", testTypes, testModuleExists)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.project(rec, nil)["Account_Name"]; !reflect.DeepEqual(got, map[string]any{"id": "2000000000000000001"}) {
		t.Errorf("bare-id lookup projects as %#v", got)
	}
}
