package zohotest

import (
	"strings"
	"testing"
)

// FuzzParseCOQL: any input either parses or fails with a complete error of a
// documented code; a parsed query filters, projects and sorts the fixture
// without panicking and within its limits.
func FuzzParseCOQL(f *testing.F) {
	seeds := []string{
		"select Last_Name, Email from Leads where Last_Name is not null order by Created_Time desc limit 0, 200",
		"select Last_Name from Leads where (No_of_Employees between 5 and 10 or Email_Opt_Out = false) and Courses like '%a%'",
		"select Account_Name.Account_Name, Owner.email from Leads where Account_Name.Industry in ('Retail', 'Tech') limit 5 offset 1",
		"select 'Last_Name' as 'n' from Leads order by n desc",
		"select Last_Name from Leads where Last_Name = 'O''Leary' or Last_Name = 'x\\\\'",
		"select Last_Name from Leads where Created_Time >= '2023-04-19T05:58:06+05:30' and EAN != 123456789012345678",
		"select COUNT(id) from Leads group by Last_Name",
		"select * from Leads",
		"select Last_Name from Leads where Last_Name not in ('a') and Score not between -1 and 2.5",
		"select",
		"'",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	recs, lookup := testStore(f)
	codes := map[string]bool{"SYNTAX_ERROR": true, "INVALID_QUERY": true, "LIMIT_EXCEEDED": true,
		"DUPLICATE_DATA": true, "DUPLICATE_ALIAS": true, "INVALID_ALIAS": true}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := parseCOQL(query, testTypes, testModuleExists)
		if err != nil {
			qe := asQueryError(t, err)
			if !codes[qe.Code] {
				t.Fatalf("code %s for %q", qe.Code, query)
			}
			return
		}
		if q.Limit < 1 || q.Limit > maxCOQLLimit || q.Offset < 0 || q.Offset+q.Limit > maxCOQLReachable ||
			(len(q.Fields) == 0 && len(q.aggs) == 0) || len(q.Fields) > maxCOQLFields || len(q.OrderBy) == 0 {
			t.Fatalf("%q parsed out of limits: %+v", query, q)
		}
		rs := append([]map[string]any(nil), recs...)
		rs = append(rs, map[string]any{"id": "1"})
		if q.aggregated() {
			q.sortRecords(rs, lookup)
			q.aggregateRows(rs, lookup)
			return
		}
		for _, r := range rs {
			q.Where.match(r, lookup)
			p := q.project(r, lookup)
			if _, ok := p["id"]; !ok {
				t.Fatalf("projection without id: %v", p)
			}
		}
		q.sortRecords(rs, lookup)
	})
}

// FuzzCOQLStringRoundTrip: a value quoted with doubled quotes and doubled
// backslashes parses back to itself.
func FuzzCOQLStringRoundTrip(f *testing.F) {
	for _, s := range []string{"O'Leary", `x\`, `\'`, "''", "日本", "a%b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return
		}
		lit := strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(v)
		query := "select Last_Name from Leads where Last_Name = '" + lit + "'"
		q, err := parseCOQL(query, testTypes, testModuleExists)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		if got := q.Where.root.cond.values[0].raw; got != v {
			t.Fatalf("%q parsed %q, want %q", query, got, v)
		}
		if !q.Where.match(map[string]any{"Last_Name": v}, nil) {
			t.Fatalf("%q does not match %q", query, v)
		}
	})
}
