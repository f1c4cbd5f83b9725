package zohotest

import (
	"strings"
	"testing"
)

// FuzzParseCriteria: any input either parses or fails with a complete
// INVALID_QUERY; a parsed filter evaluates every fixture record without
// panicking.
func FuzzParseCriteria(f *testing.F) {
	seeds := []string{
		"(Last_Name:equals:Burns)",
		"((Last_Name:equals:Burns)and(First_Name:starts_with:M))",
		"(Last_Name:equals:Burns\\,B)or(Company:equals:a\\(b\\))",
		"(Created_Time:between:2023-04-19T05:58:06+05:30,2024-01-01T00:00:00Z)",
		"(No_of_Employees:in:1,2,3)",
		"(Courses:starts_with:Big)",
		"(Account_Name.Industry:equals:Retail)",
		"(Owner:equals:3000000000000000001)",
		"Last_Name:equals:x\\\\",
		"((((Email_Opt_Out:equals:true))))",
		"(EAN:greater_than:123456789012345678) AND (Birth_Date:less_than:2000-01-01)",
		"(Last_Name:equals:日本)",
		"(",
		")",
		"\\",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	recs, lookup := testStore(f)
	f.Fuzz(func(t *testing.T, criteria string) {
		flt, err := parseCriteria("Leads", criteria, testTypes)
		if err != nil {
			qe := asQueryError(t, err)
			if qe.Code != "INVALID_QUERY" {
				t.Fatalf("code %s for %q", qe.Code, criteria)
			}
			return
		}
		if flt.conds < 1 || flt.conds > maxCriteriaConditions {
			t.Fatalf("parsed %q with %d conditions", criteria, flt.conds)
		}
		for _, r := range recs {
			flt.match(r, lookup)
			flt.match(r, nil)
		}
		flt.match(map[string]any{}, lookup)
	})
}

// FuzzCriteriaEscapeRoundTrip: every value, escaped as documented, parses
// back to itself and matches a record holding it.
func FuzzCriteriaEscapeRoundTrip(f *testing.F) {
	for _, s := range []string{"Burns,B", "a(b)", `x\`, "a:b", " x ", "日本", "%", "'\"", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return
		}
		for _, op := range []string{"equals", "in", "starts_with"} {
			crit := "(Last_Name:" + op + ":" + escapeCriteriaValue(v) + ")"
			flt, err := parseCriteria("Leads", crit, testTypes)
			if err != nil {
				t.Fatalf("%q: %v", crit, err)
			}
			if got := flt.root.cond.values; len(got) != 1 || got[0].raw != v {
				t.Fatalf("%q parsed %+v, want %q", crit, got, v)
			}
			if !flt.match(map[string]any{"Last_Name": v}, nil) {
				t.Fatalf("%q does not match %q", crit, v)
			}
			if !strings.Contains(crit, "\\") && strings.ContainsAny(v, `\(),`) {
				t.Fatalf("escaper left %q unescaped", v)
			}
		}
	})
}
