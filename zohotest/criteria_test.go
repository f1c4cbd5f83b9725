package zohotest

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// escapeCriteriaValue escapes a value the way a careful client does: the
// documented ( ) , \ plus whitespace, so the value survives trimming.
func escapeCriteriaValue(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(`\(),`, r) || unicode.IsSpace(r) {
			b.WriteByte('\\')
		}
		b.WriteString(s[i : i+n]) // original bytes, even if not UTF-8
		i += n
	}
	return b.String()
}

func conditions(n int, cond string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = cond
	}
	return "(" + strings.Join(parts, "and") + ")"
}

func inList(n int) string {
	vals := make([]string, n)
	for i := range vals {
		vals[i] = strconv.Itoa(i)
	}
	return strings.Join(vals, ",")
}

func TestCriteriaMatches(t *testing.T) {
	recs, lookup := testStore(t)
	cases := []struct {
		criteria string
		want     []string
	}{
		// text: case-insensitive exact equals, prefix starts_with, escapes
		{"(Last_Name:equals:burns)", []string{"101"}},
		{"(Last_Name:equals:Burns\\,B)", []string{"102"}},
		{"(Last_Name:in:Burns,Burns\\,B)", []string{"101", "102"}},
		{"(Last_Name:in:Burns, O'Leary)", []string{"101", "104"}},
		{"(Last_Name:not_equal:Burns)", []string{"102", "103", "104"}},
		{"(Last_Name:starts_with:bur)", []string{"101", "102"}},
		{"(Last_Name:equals:x\\\\)", []string{"103"}},
		{"(Last_Name:equals:O'Leary)", []string{"104"}},
		{"(Last_Name:equals:\"Burns\")", []string{}},
		{"(Company:equals:a\\(b\\))", []string{"102"}},
		{"(Company:equals:ABC)", []string{}}, // Zoho would also return "ABC Inc": see criteria.go
		{"(Company:equals:müller gmbh)", []string{"103"}},
		{"(Company:equals:日本株式会社)", []string{"104"}},
		{"(First_Name:equals:SEÁN)", []string{"104"}},
		{"(Description:equals:50% off\\: now)", []string{"103"}},
		{"(Description:equals:50% off: now)", []string{"103"}},
		{"(Description:starts_with:line1)", []string{"101"}},
		{"(Email:equals:mike@x.com)", []string{"101"}},
		{"(Email:not_equal:mike@x.com)", []string{"102", "103", "104"}},
		{"(Email:starts_with:o@)", []string{"104"}},
		{"(Phone:equals:+1 555 0100)", []string{"101"}},
		{"(Website:starts_with:https://)", []string{"101"}},
		{"(Lead_Source:equals:Web)", []string{"101", "104"}},
		{"(Lead_Source:in:Trade Show,Nope)", []string{"102"}},
		{"(Lead_Source:not_equal:Web)", []string{"102", "103"}},
		{"(Lead_No:equals:L-001)", []string{"101"}},
		// multi-select: contains
		{"(Courses:equals:Analytics)", []string{"101", "104"}},
		{"(Courses:not_equal:Analytics)", []string{"102", "103"}},
		{"(Courses:in:Cloud,Big data)", []string{"101", "102"}},
		{"(Courses:starts_with:big)", []string{"101"}},
		// integer
		{"(No_of_Employees:equals:10)", []string{"101", "104"}},
		{"(No_of_Employees:not_equal:10)", []string{"102", "103"}},
		{"(No_of_Employees:greater_than:10)", []string{"102"}},
		{"(No_of_Employees:greater_equal:10)", []string{"101", "102", "104"}},
		{"(No_of_Employees:less_than:200)", []string{"101", "104"}},
		{"(No_of_Employees:less_equal:200)", []string{"101", "102", "104"}},
		{"(No_of_Employees:between:5,10)", []string{"101", "104"}},
		{"(No_of_Employees:between:10,200)", []string{"101", "102", "104"}}, // both bounds inclusive
		{"(No_of_Employees:in:200,7)", []string{"102"}},
		// bigint beyond float64 precision
		{"(EAN:equals:123456789012345678)", []string{"101"}},
		{"(EAN:greater_than:123456789012345678)", []string{"102", "104"}},
		{"(EAN:less_equal:123456789012345679)", []string{"101", "104"}},
		// double, currency, percent, decimal
		{"(Score:less_than:0)", []string{"102"}},
		{"(Score:between:4,5)", []string{"101"}},
		{"(Annual_Revenue:equals:250000.9)", []string{"101", "104"}},
		{"(Annual_Revenue:greater_equal:1000.00)", []string{"101", "102", "104"}},
		{"(Discount:equals:0)", []string{"102"}},
		{"(Discount:greater_than:20)", []string{"101"}},
		{"(Rate:equals:1.125)", []string{"101"}},
		// boolean
		{"(Email_Opt_Out:equals:true)", []string{"101"}},
		{"(Email_Opt_Out:equals:FALSE)", []string{"102", "103"}},
		{"(Email_Opt_Out:not_equal:true)", []string{"102", "103", "104"}},
		// date
		{"(Birth_Date:equals:1990-05-17)", []string{"101"}},
		{"(Birth_Date:greater_than:1990-05-17)", []string{"102", "104"}},
		{"(Birth_Date:less_than:2000-01-01)", []string{"101", "104"}},
		{"(Birth_Date:between:1990-01-01,1990-12-31)", []string{"101", "104"}},
		// datetime: instants, whatever the offset
		{"(Created_Time:equals:2023-04-19T05:58:06+05:30)", []string{"101", "102"}},
		{"(Created_Time:equals:2023-04-19T00:28:06Z)", []string{"101", "102"}},
		{"(Created_Time:greater_than:2023-04-19T00:28:06+00:00)", []string{"103"}},
		{"(Created_Time:less_equal:2023-01-01T05:29:59+05:30)", []string{"104"}},
		{"(Created_Time:less_than:2023-01-01T05:29:59+05:30)", []string{}},
		{"(Created_Time:between:2023-01-01T00:00:00+00:00,2024-01-01T08:00:00Z)", []string{"101", "102", "103"}},
		// lookups: by id or display name
		{"(Account_Name:equals:2000000000000000001)", []string{"101", "104"}},
		{"(Account_Name:equals:zylker)", []string{"101"}},
		{"(Account_Name:in:2000000000000000002,Zylker)", []string{"101", "102"}},
		{"(Account_Name:not_equal:2000000000000000001)", []string{"102", "103"}},
		{"(Account_Name.Industry:equals:Retail)", []string{"102"}},
		{"(Owner:equals:3000000000000000001)", []string{"101", "103"}},
		{"(Owner:in:Mark)", []string{"102"}},
		{"(id:equals:103)", []string{"103"}},
		{"(id:in:101,104)", []string{"101", "104"}},
		// logic, nesting, spacing, case
		{"((Last_Name:starts_with:Burns)and(No_of_Employees:equals:10))", []string{"101"}},
		{"((Last_Name:equals:Burns)or(Last_Name:equals:O'Leary))", []string{"101", "104"}},
		{"(((Lead_Source:equals:Web)and(No_of_Employees:equals:10))or(Email_Opt_Out:equals:false))",
			[]string{"101", "102", "103", "104"}},
		{"(Lead_Source:equals:Web)and(No_of_Employees:equals:10)or(Company:equals:a\\(b\\))",
			[]string{"101", "102", "104"}},
		{"(Lead_Source:equals:Web) OR (Company:equals:a\\(b\\)) AND (No_of_Employees:equals:7)",
			[]string{"101", "104"}},
		{"((((Last_Name:equals:Burns))))", []string{"101"}},
		{"Last_Name:equals:Burns", []string{"101"}},
		{"  ( ( Last_Name : equals : Burns ) AND ( First_Name:EQUALS:  Mike  ) )  ", []string{"101"}},
		{"(Last_Name:equals:\\ Burns)", []string{}},
		{conditions(10, "(Last_Name:starts_with:B)"), []string{"101", "102"}},
		{"(No_of_Employees:in:" + inList(100) + ")", []string{"101", "104"}},
	}
	for _, c := range cases {
		f, err := parseCriteria("Leads", c.criteria, testTypes)
		if err != nil {
			t.Errorf("parseCriteria(%q): %v", c.criteria, err)
			continue
		}
		if got := matchingIDs(f, recs, lookup); !sameIDs(got, c.want) {
			t.Errorf("criteria %q matched %v, want %v", c.criteria, got, c.want)
		}
	}
}

func TestCriteriaErrors(t *testing.T) {
	cases := []struct {
		criteria   string
		detail     string // a key that must be in details
		detailWant any    // its value, when not nil
	}{
		{"", "reason", nil},
		{"   ", "reason", nil},
		{"(Nope:equals:x)", "api_name", "Nope"},
		{"(Last_Name:equals:a)and(Nope:equals:b)", "api_name", "Nope"},
		{"(Last_Name:contains:x)", "operator", "contains"},
		{"(Last_Name:greater_than:x)", "operator", "greater_than"},
		{"(Description:in:a,b)", "operator", "in"},
		{"(Lead_Source:starts_with:W)", "operator", "starts_with"},
		{"(Email_Opt_Out:starts_with:t)", "operator", "starts_with"},
		{"(Owner:starts_with:P)", "operator", "starts_with"},
		{"(No_of_Employees:starts_with:1)", "operator", "starts_with"},
		{"(Attachments:equals:x)", "operator", "equals"},
		{"(Last_Name.Foo:equals:x)", "api_name", "Last_Name.Foo"},
		{"(Plain_Lookup.Name:equals:x)", "api_name", "Plain_Lookup.Name"},
		{"(Last_Name:equals:)", "api_name", "Last_Name"},
		{"(Last_Name:equals:   )", "api_name", "Last_Name"},
		{"(Last_Name:equals)", "reason", nil},
		{"(Last_Name)", "reason", nil},
		{"()", "reason", nil},
		{"(Last_Name:equals:Burns", "position", nil},
		{"(Last_Name:equals:x\\)", "position", nil}, // a trailing backslash must be doubled
		{"(Last_Name:equals:a(b)", "position", nil},
		{"((Last_Name:equals:a)", "position", nil},
		{"(Last_Name:equals:a))", "position", nil},
		{"(Last_Name:equals:a)(First_Name:equals:b)", "position", nil},
		{"(Last_Name:equals:a)xor(First_Name:equals:b)", "position", nil},
		{"(Last_Name:equals:a)andor(First_Name:equals:b)", "position", nil},
		{"(Last_Name:equals:a)and", "position", nil},
		{"(Last_Name:equals:a) or ", "position", nil},
		{"(Last_Name:equals:a)and Last_Name:equals:b", "position", nil},
		{conditions(11, "(Last_Name:equals:B)"), "limit", maxCriteriaConditions},
		{"(No_of_Employees:in:" + inList(101) + ")", "limit", maxCriteriaInValues},
		{"(No_of_Employees:greater_than:ten)", "expected_data_type", "integer"},
		{"(No_of_Employees:equals:1/2)", "expected_data_type", "integer"},
		{"(EAN:equals:0x10)", "expected_data_type", "bigint"},
		{"(Birth_Date:equals:17-05-1990)", "expected_data_type", "date"},
		{"(Created_Time:equals:2023-04-19)", "expected_data_type", "datetime"},
		{"(Created_Time:equals:2023-04-19T05:58:06 05:30)", "expected_data_type", "datetime"}, // '+' not URL-encoded
		{"(Email_Opt_Out:equals:yes)", "expected_data_type", "boolean"},
		{"(No_of_Employees:between:1)", "operator", "between"},
		{"(No_of_Employees:between:1,2,3)", "operator", "between"},
		{"(No_of_Employees:in:1,,2)", "operator", "in"},
		{strings.Repeat("(", 70) + "(Last_Name:equals:a)" + strings.Repeat(")", 70), "position", nil},
	}
	for _, c := range cases {
		f, err := parseCriteria("Leads", c.criteria, testTypes)
		if err == nil {
			t.Errorf("parseCriteria(%q) = %v, want an error", c.criteria, f)
			continue
		}
		qe := asQueryError(t, err)
		if qe.Code != "INVALID_QUERY" {
			t.Errorf("parseCriteria(%q) code %s, want INVALID_QUERY", c.criteria, qe.Code)
		}
		got, ok := qe.Details[c.detail]
		if !ok || (c.detailWant != nil && got != c.detailWant) {
			t.Errorf("parseCriteria(%q) details %v, want %s=%v", c.criteria, qe.Details, c.detail, c.detailWant)
		}
	}
}

func TestCriteriaEscapesRoundTrip(t *testing.T) {
	values := []string{
		"Burns,B", "a(b)", `x\`, `\\`, `(`, `)`, `,`, `a\(b`, "  padded  ", "tab\there",
		"2023-04-19T05:58:06+05:30", "a:b:c", "100%", `"quoted"`, "O'Leary", "Zoë", "日本", "and", "or)and(",
	}
	for _, v := range values {
		crit := "(Last_Name:equals:" + escapeCriteriaValue(v) + ")"
		f, err := parseCriteria("Leads", crit, testTypes)
		if err != nil {
			t.Errorf("parseCriteria(%q) for value %q: %v", crit, v, err)
			continue
		}
		got := f.root.cond.values[0].raw
		if got != v {
			t.Errorf("criteria %q parsed value %q, want %q", crit, got, v)
		}
		if !f.match(map[string]any{"Last_Name": v}, nil) {
			t.Errorf("criteria %q does not match its own value %q", crit, v)
		}
	}
	// Lenient: an escaped character that needs no escaping stands for itself.
	f, err := parseCriteria("Leads", `(Last_Name:equals:\B\u\r\n\s)`, testTypes)
	if err != nil || f.root.cond.values[0].raw != "Burns" {
		t.Fatalf(`\x escapes: %v, %+v`, err, f)
	}
	// in splits only on unescaped commas.
	f, err = parseCriteria("Leads", `(Last_Name:in:a\,b,c\\,d)`, testTypes)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range f.root.cond.values {
		got = append(got, o.raw)
	}
	if want := []string{"a,b", `c\`, "d"}; !sameIDs(got, want) {
		t.Fatalf("in values %q, want %q", got, want)
	}
}

func TestCriteriaNilLookupAndMissingTargets(t *testing.T) {
	recs, _ := testStore(t)
	f, err := parseCriteria("Leads", "(Account_Name.Account_Name:equals:Zylker)", testTypes)
	if err != nil {
		t.Fatal(err)
	}
	// Without a lookup function only embedded lookup values are visible;
	// nothing panics.
	if got := matchingIDs(f, recs, nil); len(got) != 0 {
		t.Fatalf("matched %v without a lookup function", got)
	}
	var nilFilter *filter
	if !nilFilter.match(recs[0], nil) {
		t.Fatal("a nil filter must match everything")
	}
}
