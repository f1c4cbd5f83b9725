package zohotest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func wideTypes(module, apiName string) (string, bool) {
	if module == "Wide" && strings.HasPrefix(apiName, "F") {
		return "text", true
	}
	return testTypes(module, apiName)
}

func wideModuleExists(m string) bool { return m == "Wide" || testModuleExists(m) }

func fieldList(n int) string {
	f := make([]string, n)
	for i := range f {
		f[i] = fmt.Sprintf("F%d", i)
	}
	return strings.Join(f, ", ")
}

func repeatJoin(n int, s, sep string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

func TestParseCOQLClauses(t *testing.T) {
	cases := []struct {
		query   string
		fields  []string
		order   []orderTerm
		limit   int
		offset  int
		noWhere bool
	}{
		{"select Last_Name, Email from Leads where Last_Name is not null order by Created_Time desc limit 0, 200",
			[]string{"Last_Name", "Email"}, []orderTerm{{"Created_Time", true}}, 200, 0, false},
		{"SELECT Last_Name FROM Leads WHERE Last_Name = 'a' LIMIT 10 OFFSET 20",
			[]string{"Last_Name"}, []orderTerm{{"id", false}}, 10, 20, false},
		{"select Last_Name from Leads limit 20, 10",
			[]string{"Last_Name"}, []orderTerm{{"id", false}}, 10, 20, true},
		{"select Last_Name from Leads",
			[]string{"Last_Name"}, []orderTerm{{"id", false}}, defaultCOQLLimit, 0, true},
		{"select Last_Name from Leads offset 5",
			[]string{"Last_Name"}, []orderTerm{{"id", false}}, defaultCOQLLimit, 5, true},
		{"  select\n\tLast_Name ,Account_Name.Account_Name\nfrom   Leads\nwhere Account_Name.Industry='Retail'\norder by Last_Name asc, No_of_Employees DESC ;  ",
			[]string{"Last_Name", "Account_Name.Account_Name"},
			[]orderTerm{{"Last_Name", false}, {"No_of_Employees", true}}, defaultCOQLLimit, 0, false},
		{"select 'Last_Name' as 'Name', Email AS mail from Leads order by Name, mail desc",
			[]string{"Last_Name", "Email"}, []orderTerm{{"Last_Name", false}, {"Email", true}}, defaultCOQLLimit, 0, true},
		{"select Last_Name from Leads order by Account_Name.Account_Name limit 2000",
			[]string{"Last_Name"}, []orderTerm{{"Account_Name.Account_Name", false}}, 2000, 0, true},
		{"select Last_Name from Leads limit 98000, 2000",
			[]string{"Last_Name"}, []orderTerm{{"id", false}}, 2000, 98000, true},
		{"select id, Owner.email from Leads where id in ('101', 104)",
			[]string{"id", "Owner.email"}, []orderTerm{{"id", false}}, defaultCOQLLimit, 0, false},
		{"select " + fieldList(50) + " from Wide",
			strings.Split(fieldList(50), ", "), []orderTerm{{"id", false}}, defaultCOQLLimit, 0, true},
	}
	for _, c := range cases {
		q, err := parseCOQL(c.query, wideTypes, wideModuleExists)
		if err != nil {
			t.Errorf("parseCOQL(%q): %v", c.query, err)
			continue
		}
		if !reflect.DeepEqual(q.Fields, c.fields) || !reflect.DeepEqual(q.OrderBy, c.order) ||
			q.Limit != c.limit || q.Offset != c.offset || (q.Where == nil) != c.noWhere {
			t.Errorf("parseCOQL(%q) = fields %v order %v limit %d offset %d where %v", c.query,
				q.Fields, q.OrderBy, q.Limit, q.Offset, q.Where != nil)
		}
		if q.Module != "Leads" && q.Module != "Wide" {
			t.Errorf("parseCOQL(%q) module %q", c.query, q.Module)
		}
	}
}

func TestParseCOQLErrors(t *testing.T) {
	const sel = "select Last_Name from Leads "
	cases := []struct {
		query   string
		code    string
		details map[string]any // entries that must be present
	}{
		{"", "SYNTAX_ERROR", map[string]any{"clause": "select"}},
		{"delete from Leads", "SYNTAX_ERROR", map[string]any{"near": "delete", "line": 1, "column": 1}},
		{"select * from Leads", "SYNTAX_ERROR", map[string]any{"near": "*", "column": 8}},
		{"select Last_Name", "SYNTAX_ERROR", map[string]any{"clause": "from"}},
		{"select Last_Name Leads", "SYNTAX_ERROR", map[string]any{"near": "Leads"}},
		{"select Last_Name, from Leads", "SYNTAX_ERROR", map[string]any{"near": "from"}},
		{"select from Leads", "SYNTAX_ERROR", map[string]any{"near": "from"}},
		{"select Last_Name from", "SYNTAX_ERROR", map[string]any{"near": "end of query"}},
		{"select Last_Name from Leads where Last_Name = Boyle", "SYNTAX_ERROR",
			map[string]any{"near": "Boyle", "line": 1, "column": 47}},
		{"select Last_Name\nfrom Leads\nwhere Last_Name = Boyle", "SYNTAX_ERROR",
			map[string]any{"near": "Boyle", "line": 3, "column": 19}},
		{sel + "where Last_Name = 'Boyle", "SYNTAX_ERROR", map[string]any{"near": "'Boyle"}},
		{sel + "where (Last_Name = 'a'", "SYNTAX_ERROR", map[string]any{"near": "end of query"}},
		{sel + "where Last_Name = 'a' and", "SYNTAX_ERROR", map[string]any{"near": "end of query"}},
		{sel + "where", "SYNTAX_ERROR", map[string]any{"near": "end of query"}},
		{sel + "where Last_Name 'a'", "SYNTAX_ERROR", map[string]any{"near": "'a'"}},
		{sel + "where Last_Name == 'a'", "SYNTAX_ERROR", nil},
		{sel + "where Last_Name like Boyle", "SYNTAX_ERROR", map[string]any{"near": "Boyle"}},
		{sel + "where Last_Name in 'a'", "SYNTAX_ERROR", nil},
		{sel + "where Last_Name in ('a' 'b')", "SYNTAX_ERROR", nil},
		{sel + "where No_of_Employees between 1 or 2", "SYNTAX_ERROR", nil},
		{sel + "where Last_Name is 'a'", "SYNTAX_ERROR", nil},
		{sel + "where Last_Name = 'a' order Last_Name", "SYNTAX_ERROR", map[string]any{"near": "Last_Name"}},
		{sel + "order by", "SYNTAX_ERROR", nil},
		{sel + "limit", "SYNTAX_ERROR", nil},
		{sel + "limit -1", "SYNTAX_ERROR", map[string]any{"near": "-1"}},
		{sel + "limit 1.5", "SYNTAX_ERROR", nil},
		{sel + "limit ten", "SYNTAX_ERROR", nil},
		{sel + "limit 10 extra", "SYNTAX_ERROR", map[string]any{"near": "extra"}},
		{sel + "where No_of_Employees = 12abc", "SYNTAX_ERROR", map[string]any{"near": "12abc"}},
		{sel + "where Last_Name = 'a' # comment", "SYNTAX_ERROR", map[string]any{"near": "#"}},
		{"select Last_Name from Leads; select Email from Leads", "SYNTAX_ERROR", nil},

		{"select Last_Name from Nope", "INVALID_QUERY", map[string]any{"module": "Nope"}},
		{"select Nope from Leads", "INVALID_QUERY", map[string]any{"column_name": "Nope", "clause": "select"}},
		{sel + "where Nope = 'x'", "INVALID_QUERY", map[string]any{"column_name": "Nope", "clause": "where"}},
		{sel + "order by Nope", "INVALID_QUERY", map[string]any{"column_name": "Nope", "clause": "order by"}},
		{"select Account_Name.Nope from Leads", "INVALID_QUERY", map[string]any{"column_name": "Account_Name.Nope"}},
		{"select Last_Name.Foo from Leads", "INVALID_QUERY", map[string]any{"column_name": "Last_Name.Foo"}},
		{"select Plain_Lookup.Name from Leads", "INVALID_QUERY", map[string]any{"column_name": "Plain_Lookup.Name"}},
		{"select Account_Name.Parent_Account.Account_Name from Leads", "INVALID_QUERY", nil},
		{"select LOWER(Last_Name) from Leads", "INVALID_QUERY", map[string]any{"clause": "select"}},
		{"select Last_Name, COUNT(id) from Leads", "INVALID_QUERY", map[string]any{"clause": "group by"}},
		{"select SUM(Last_Name) from Leads", "INVALID_QUERY", map[string]any{"clause": "select"}},
		{"select COUNT(Nope) from Leads", "INVALID_QUERY", map[string]any{"clause": "select"}},
		{sel + "where What_Id->Leads.Last_Name = 'x'", "INVALID_QUERY", nil},
		{sel + "where No_of_Employees like '1%'", "INVALID_QUERY", map[string]any{"operator": "like"}},
		{sel + "where Last_Name > 'a'", "INVALID_QUERY", map[string]any{"operator": ">"}},
		{sel + "where Last_Name between 'a' and 'b'", "INVALID_QUERY", map[string]any{"operator": "between"}},
		{sel + "where Account_Name like '1%'", "INVALID_QUERY", map[string]any{"operator": "like"}},
		{sel + "where Account_Name > '1'", "INVALID_QUERY", map[string]any{"operator": ">"}},
		{sel + "where Email_Opt_Out > true", "INVALID_QUERY", map[string]any{"operator": ">"}},
		{sel + "where Email_Opt_Out is null", "INVALID_QUERY", map[string]any{"operator": "is null"}},
		{sel + "where Courses not between 'a' and 'b'", "INVALID_QUERY", map[string]any{"operator": "not between"}},
		{sel + "where Attachments = 'x'", "INVALID_QUERY", map[string]any{"data_type": "fileupload"}},
		{sel + "where No_of_Employees = 'ten'", "INVALID_QUERY", map[string]any{"column_name": "No_of_Employees"}},
		{sel + "where No_of_Employees = true", "INVALID_QUERY", map[string]any{"expected_data_type": "integer"}},
		{sel + "where Birth_Date = '17-05-1990'", "INVALID_QUERY", map[string]any{"expected_data_type": "date"}},
		{sel + "where Birth_Date = 19900517", "INVALID_QUERY", map[string]any{"expected_data_type": "date"}},
		{sel + "where Created_Time > '2023-04-19'", "INVALID_QUERY", map[string]any{"expected_data_type": "datetime"}},
		{sel + "where Account_Name = 'Zylker'", "INVALID_QUERY", map[string]any{"expected_data_type": "lookup"}},
		{sel + "where Email_Opt_Out = 'yes'", "INVALID_QUERY", map[string]any{"expected_data_type": "boolean"}},
		{sel + "where Email_Opt_Out = 1", "INVALID_QUERY", map[string]any{"expected_data_type": "boolean"}},
		{sel + "where Last_Name = true", "INVALID_QUERY", map[string]any{"expected_data_type": "text"}},
		{sel + "where Last_Name = null", "INVALID_QUERY", map[string]any{"column_name": "Last_Name"}},
		{sel + "where Last_Name in ('a', null)", "INVALID_QUERY", map[string]any{"column_name": "Last_Name"}},
		{sel + "limit 0", "INVALID_QUERY", map[string]any{"clause": "limit"}},

		{"select Last_Name, Email, Last_Name from Leads", "DUPLICATE_DATA", map[string]any{"column_name": "Last_Name"}},
		{"select Last_Name as n, Email as N from Leads", "DUPLICATE_ALIAS", map[string]any{"alias": "N"}},
		{"select Last_Name as id from Leads", "INVALID_ALIAS", map[string]any{"alias": "id"}},
		{"select Last_Name as Email from Leads", "INVALID_ALIAS", map[string]any{"alias": "Email"}},

		{"select " + fieldList(51) + " from Wide", "LIMIT_EXCEEDED", map[string]any{"clause": "select", "limit": 50}},
		{sel + "limit 2001", "LIMIT_EXCEEDED", map[string]any{"clause": "limit", "limit": 2000}},
		{sel + "limit 99000, 2000", "LIMIT_EXCEEDED", map[string]any{"limit": 100000}},
		{sel + "limit 10 offset 100000", "LIMIT_EXCEEDED", map[string]any{"limit": 100000}},
		{sel + "where " + repeatJoin(26, "Last_Name = 'a'", " and "), "LIMIT_EXCEEDED",
			map[string]any{"clause": "where", "limit": 25}},
		{sel + "order by " + repeatJoin(11, "Last_Name", ", "), "LIMIT_EXCEEDED",
			map[string]any{"clause": "order by", "limit": 10}},
		{sel + "where No_of_Employees in (" + inList(101) + ")", "LIMIT_EXCEEDED",
			map[string]any{"clause": "where", "limit": 100}},
	}
	for _, c := range cases {
		q, err := parseCOQL(c.query, wideTypes, wideModuleExists)
		if err == nil {
			t.Errorf("parseCOQL(%q) = %+v, want %s", c.query, q, c.code)
			continue
		}
		qe := asQueryError(t, err)
		if qe.Code != c.code {
			t.Errorf("parseCOQL(%q) = %v, want code %s", c.query, qe, c.code)
			continue
		}
		for k, want := range c.details {
			if got, ok := qe.Details[k]; !ok || got != want {
				t.Errorf("parseCOQL(%q) details %v, want %s=%v", c.query, qe.Details, k, want)
			}
		}
		if c.code == "SYNTAX_ERROR" {
			if _, clause := qe.Details["clause"]; !clause {
				for _, k := range []string{"line", "column", "near"} {
					if _, ok := qe.Details[k]; !ok {
						t.Errorf("parseCOQL(%q) syntax details %v lack %s", c.query, qe.Details, k)
					}
				}
				if !strings.Contains(qe.Message, "column") {
					t.Errorf("parseCOQL(%q) message %q does not name the position", c.query, qe.Message)
				}
			}
		}
	}
}

func TestCOQLWhereMatches(t *testing.T) {
	recs, lookup := testStore(t)
	cases := []struct {
		where string
		want  []string
	}{
		{"Last_Name = 'burns'", []string{"101"}},
		{"Last_Name = 'O''Leary'", []string{"104"}},
		{`Last_Name = 'O\'Leary'`, []string{"104"}},
		{`Last_Name = 'x\\'`, []string{"103"}},
		{"Last_Name = 'Burns,B'", []string{"102"}},
		{"Last_Name != 'Burns'", []string{"102", "103", "104"}},
		{"Last_Name <> 'Burns'", []string{"102", "103", "104"}},
		{"Last_Name like 'bur%'", []string{"101", "102"}},
		{"Last_Name like '%s'", []string{"101"}},
		{"Last_Name like '%urn%'", []string{"101", "102"}},
		{"Last_Name like 'Burns'", []string{"101"}},
		{"Last_Name not like 'Bur%'", []string{"103", "104"}},
		{"Last_Name in ('Burns', 'o''leary')", []string{"101", "104"}},
		{"Last_Name not in ('Burns')", []string{"102", "103", "104"}},
		{"Description like '50%'", []string{"103"}},
		{"Description like '%: now'", []string{"103"}},
		{"Company like '%gmbh'", []string{"103"}},
		{"Company = '日本株式会社'", []string{"104"}},
		{"Company = 'a(b)'", []string{"102"}},
		{"Email is null", []string{"102", "103"}},
		{"Email IS NOT NULL", []string{"101", "104"}},
		{"Email != 'mike@x.com'", []string{"104"}}, // SQL nulls: 102 and 103 have none
		{"Phone = '+1 555 0100'", []string{"101"}},
		{"Website like 'https://%'", []string{"101"}},
		{"Lead_Source in ('web', 'Trade Show')", []string{"101", "102", "104"}},
		{"Lead_Source not in ('Web')", []string{"102"}},
		{"Lead_No = 'L-001'", []string{"101"}},
		{"Courses = 'Analytics'", []string{"101", "104"}},
		// like reads a multi-select as Zoho stores it: its values joined by ";".
		{"Courses like 'big%'", []string{}},
		{"Courses like '%;big%'", []string{"101"}},
		{"Courses like 'analytics;%'", []string{"101"}},
		{"Courses like 'analytics'", []string{"104"}},
		{"Courses like '%lytics%'", []string{"101", "104"}},
		{"Courses not like '%;big data'", []string{"102", "104"}},
		{"Courses in ('Cloud')", []string{"102"}},
		{"Courses is null", []string{"103"}},
		{"No_of_Employees = 10", []string{"101", "104"}},
		{"No_of_Employees = '10'", []string{"101", "104"}},
		{"No_of_Employees != 10", []string{"102"}},
		{"No_of_Employees > 10", []string{"102"}},
		{"No_of_Employees >= 10", []string{"101", "102", "104"}},
		{"No_of_Employees < 200", []string{"101", "104"}},
		{"No_of_Employees <= 10", []string{"101", "104"}},
		{"No_of_Employees between 5 and 10", []string{"101", "104"}},
		{"No_of_Employees between 10 and 200", []string{"101", "102", "104"}},
		{"No_of_Employees not between 5 and 10", []string{"102"}},
		{"No_of_Employees in (200, 7)", []string{"102"}},
		{"No_of_Employees not in (10)", []string{"102"}},
		{"No_of_Employees is null", []string{"103"}},
		{"EAN = '123456789012345678'", []string{"101"}},
		{"EAN > 123456789012345678", []string{"102", "104"}},
		{"Score < 0", []string{"102"}},
		{"Score = -1", []string{"102"}},
		{"Score between -1.5 and 4.5", []string{"101", "102"}},
		{"Annual_Revenue = 250000.90", []string{"101", "104"}},
		{"Discount >= 25", []string{"101"}},
		{"Rate = 1.125", []string{"101"}},
		{"Email_Opt_Out = true", []string{"101"}},
		{"Email_Opt_Out = false", []string{"102", "103"}},
		{"Email_Opt_Out = 'false'", []string{"102", "103"}},
		{"Email_Opt_Out != true", []string{"102", "103"}},
		{"Birth_Date = '1990-05-17'", []string{"101"}},
		{"Birth_Date between '1990-01-01' and '1990-12-31'", []string{"101", "104"}},
		{"Birth_Date > '2000-01-01'", []string{"102"}},
		{"Birth_Date in ('1990-05-18', '2001-01-01')", []string{"102", "104"}},
		{"Created_Time = '2023-04-19T00:28:06Z'", []string{"101", "102"}},
		{"Created_Time >= '2023-04-19T05:58:06+05:30'", []string{"101", "102", "103"}},
		{"Created_Time < '2023-01-01T00:00:00+00:00'", []string{"104"}},
		{"Created_Time not between '2023-01-01T00:00:00+00:00' and '2023-12-31T00:00:00+00:00'", []string{"103", "104"}},
		{"Account_Name = '2000000000000000001'", []string{"101", "104"}},
		{"Account_Name = 2000000000000000001", []string{"101", "104"}},
		{"Account_Name != '2000000000000000001'", []string{"102"}},
		{"Account_Name in ('2000000000000000002')", []string{"102"}},
		{"Account_Name is null", []string{"103"}},
		{"Account_Name.Account_Name = 'Zylker'", []string{"101", "104"}},
		{"Account_Name.Industry like 'tech%'", []string{"101", "104"}},
		{"Account_Name.Employees > 100", []string{"101", "104"}},
		{"Account_Name.id = '2000000000000000002'", []string{"102"}},
		{"Owner = '3000000000000000001'", []string{"101", "103"}},
		{"Owner.email = 'p@zylker.com'", []string{"101", "103"}},
		{"Owner.name = 'mark'", []string{"102"}},
		{"Owner.name like 'Patricia%'", []string{"101"}}, // 103's owner has no embedded name and Users lacks it
		{"id = '103'", []string{"103"}},
		{"id in ('101', 104)", []string{"101", "104"}},
		{"'Last_Name' = 'Burns'", []string{"101"}},
		// logic
		{"(Last_Name like 'Burns%' and No_of_Employees = 10) or Email_Opt_Out = false", []string{"101", "102", "103"}},
		{"((Last_Name like 'Burns%' and No_of_Employees = 10) and Lead_Source = 'Web')", []string{"101"}},
		{"Last_Name = 'Burns' or Last_Name = 'O''Leary' and No_of_Employees = 7", []string{"101"}},
		{"(Last_Name = 'Burns' or Last_Name = 'O''Leary') and No_of_Employees = 10", []string{"101", "104"}},
		{"((((Last_Name = 'Burns'))))", []string{"101"}},
		{"LAST_NAME = 'Burns'", nil}, // api names are case-sensitive in this fixture: rejected below
	}
	for _, c := range cases {
		query := "select Last_Name from Leads where " + c.where
		q, err := parseCOQL(query, testTypes, testModuleExists)
		if c.want == nil {
			if err == nil {
				t.Errorf("parseCOQL(%q) accepted", query)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseCOQL(%q): %v", query, err)
			continue
		}
		if got := matchingIDs(q.Where, recs, lookup); !sameIDs(got, c.want) {
			t.Errorf("where %s matched %v, want %v", c.where, got, c.want)
		}
	}
}

func TestCOQLProject(t *testing.T) {
	recs, lookup := testStore(t)
	q, err := parseCOQL("select Last_Name, Account_Name, Account_Name.Account_Name, Owner, Courses, "+
		"No_of_Employees, Email as mail, Owner.email from Leads", testTypes, testModuleExists)
	if err != nil {
		t.Fatal(err)
	}
	got := q.project(recs[0], lookup)
	want := map[string]any{
		"id":                        "101",
		"Last_Name":                 "Burns",
		"Account_Name":              map[string]any{"id": "2000000000000000001", "name": "Zylker"},
		"Account_Name.Account_Name": "Zylker",
		"Owner":                     map[string]any{"id": "3000000000000000001", "name": "Patricia Boyle"},
		"Courses":                   []any{"Analytics", "Big data"},
		"No_of_Employees":           json.Number("10"),
		"mail":                      "mike@x.com",
		"Owner.email":               "p@zylker.com",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("project(r1) =\n%#v\nwant\n%#v", got, want)
	}
	got = q.project(recs[2], lookup)
	want = map[string]any{
		"id": "103", "Last_Name": `x\`, "Account_Name": nil, "Account_Name.Account_Name": nil,
		"Owner": map[string]any{"id": "3000000000000000001"}, "Courses": []any{}, "No_of_Employees": nil,
		"mail": nil, "Owner.email": "p@zylker.com",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("project(r3) =\n%#v\nwant\n%#v", got, want)
	}
	// A lookup known only by id resolves its dot path through the lookup function.
	if got := q.project(recs[3], lookup)["Account_Name.Account_Name"]; got != "Zylker" {
		t.Fatalf("dot path through lookup = %v", got)
	}
	// Projections are copies.
	p := q.project(recs[0], lookup)
	p["Courses"].([]any)[0] = "changed"
	p["Account_Name"].(map[string]any)["id"] = "changed"
	if recs[0]["Courses"].([]any)[0] != "Analytics" || recs[0]["Account_Name"].(map[string]any)["id"] == "changed" {
		t.Fatal("project aliases the stored record")
	}
	// Encodes like Zoho's response row.
	b, err := json.Marshal(q.project(recs[1], lookup))
	if err != nil || !strings.Contains(string(b), `"Account_Name.Account_Name":"Acme"`) {
		t.Fatalf("encoded projection %s, %v", b, err)
	}
}

func TestCOQLSortRecords(t *testing.T) {
	recs, lookup := testStore(t)
	ids := func(rs []map[string]any) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r["id"].(string)
		}
		return out
	}
	cases := []struct {
		order string
		want  []string
	}{
		{"", []string{"101", "102", "103", "104"}},
		{"order by id desc", []string{"104", "103", "102", "101"}},
		{"order by No_of_Employees desc, Last_Name", []string{"102", "101", "104", "103"}},
		{"order by No_of_Employees, Last_Name desc", []string{"103", "104", "101", "102"}},
		{"order by EAN", []string{"103", "101", "104", "102"}},
		{"order by Created_Time", []string{"104", "101", "102", "103"}},
		{"order by Account_Name.Account_Name desc", []string{"101", "104", "102", "103"}},
		{"order by Email_Opt_Out desc", []string{"101", "102", "103", "104"}},
	}
	for _, c := range cases {
		q, err := parseCOQL("select Last_Name from Leads "+c.order, testTypes, testModuleExists)
		if err != nil {
			t.Fatalf("%s: %v", c.order, err)
		}
		rs := []map[string]any{recs[3], recs[1], recs[2], recs[0]}
		q.sortRecords(rs, lookup)
		if got := ids(rs); !sameIDs(got, c.want) {
			t.Errorf("%q sorted %v, want %v", c.order, got, c.want)
		}
	}
	// Numeric ids of different lengths sort numerically.
	q, _ := parseCOQL("select Last_Name from Leads", testTypes, testModuleExists)
	rs := []map[string]any{{"id": "1000"}, {"id": "999"}, {"id": "5"}}
	q.sortRecords(rs, nil)
	if got := ids(rs); !sameIDs(got, []string{"5", "999", "1000"}) {
		t.Fatalf("id order %v", got)
	}
}
