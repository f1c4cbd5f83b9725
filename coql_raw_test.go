package zohohub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

func collectCOQL(t *testing.T, rs *zohohub.RecordSet[qLead], stmt string, args ...any) ([]*qLead, error) {
	t.Helper()
	var out []*qLead
	for r, err := range rs.COQL(context.Background(), stmt, args...) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func TestCOQLPlaceholdersAreQuoted(t *testing.T) {
	srv, c := emulatorClient(t)
	if _, err := srv.Seed("Leads",
		map[string]any{"Last_Name": "O'Leary", "Company": `a\b`},
		map[string]any{"Last_Name": "Burns", "Company": "Zylker"},
	); err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[qLead](c)
	for _, tc := range []struct {
		stmt string
		args []any
		want string
	}{
		{"select Last_Name from Leads where Last_Name = ?", []any{"O'Leary"}, "O'Leary"},
		{"select Last_Name from Leads where Company = ?", []any{`a\b`}, "O'Leary"},
		{"select Last_Name from Leads where Last_Name = ?", []any{"x' or Last_Name != '"}, ""},
		{"select Last_Name from Leads where Last_Name = '?' or Company like ?;", []any{"Zyl%"}, "Burns"},
		{"select Last_Name, Company from Leads where (Last_Name in (?, ?) and Company != ?) order by Last_Name desc",
			[]any{"Burns", "O'Leary", "nobody"}, "O'Leary Burns"},
	} {
		srv.ResetRequests()
		recs, err := collectCOQL(t, leads, tc.stmt, tc.args...)
		var got []string
		for _, r := range recs {
			got = append(got, r.LastName)
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%s %q: %q, %v; want %q", tc.stmt, tc.args, got, err, tc.want)
		}
		var body struct {
			SelectQuery string `json:"select_query"`
		}
		if reqs := srv.Requests(); len(reqs) != 1 || json.Unmarshal(reqs[0].Body, &body) != nil || !strings.HasSuffix(body.SelectQuery, " limit 0, 2000") {
			t.Errorf("%s: sent %+v", tc.stmt, reqs)
		}
	}
}

func TestCOQLRefusesBadStatementsBeforeSending(t *testing.T) {
	srv, c := emulatorClient(t)
	leads := zohohub.Records[qLead](c)
	for _, tc := range []struct {
		stmt string
		args []any
		want string
	}{
		{"select Last_Name from Leads where Last_Name = ?", nil, "more ?"},
		{"select Last_Name from Leads where Last_Name = ?", []any{"a", "b"}, "2 args given for 1"},
		{"select Last_Name from Leads where Last_Name = '?'", []any{"a"}, "1 args given for 0"},
		{"select Last_Name from Leads where Last_Name = ?", []any{struct{}{}}, "arg 1"},
		{"select Last_Name from Leads where Last_Name = ?", []any{"\xff"}, "UTF-8"},
		{"select Last_Name from Contacts where Last_Name = 'x'", nil, "must select from Leads"},
		{"select Last_Name from Leads where Last_Name = 'x", nil, "inside a quoted literal"},
		{"delete from Leads", nil, "only a select"},
	} {
		if _, err := collectCOQL(t, leads, tc.stmt, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: %v; want an error with %q", tc.stmt, tc.args, err, tc.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestCOQLPagesUnlessTheStatementLimits(t *testing.T) {
	srv, c := emulatorClient(t)
	recs := make([]map[string]any, 4500)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("L%05d", i), "Company": "Acme"}
	}
	if _, err := srv.Seed("Leads", recs...); err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[qLead](c)
	srv.ResetRequests()
	got, err := collectCOQL(t, leads, "select Last_Name from Leads where Company = ?", "Acme")
	if err != nil || len(got) != 4500 || len(srv.Requests()) != 3 {
		t.Fatalf("paged: %d records in %d calls, %v; want 4500 in 3", len(got), len(srv.Requests()), err)
	}
	seen := map[string]bool{}
	for _, r := range got {
		if seen[r.ID] {
			t.Fatalf("record %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	srv.ResetRequests()
	got, err = collectCOQL(t, leads, "select Last_Name from Leads where Company = ? order by Last_Name desc limit 10 offset 5", "Acme")
	if err != nil || len(got) != 10 || got[0].LastName != "L04494" || len(srv.Requests()) != 1 {
		t.Fatalf("own limit: %d records in %d calls, %v", len(got), len(srv.Requests()), err)
	}
	srv.ResetRequests()
	got, err = collectCOQL(t, leads, "select Last_Name from Leads where Company = 'Acme' offset 4000")
	if err != nil || len(got) != 200 || len(srv.Requests()) != 1 {
		t.Fatalf("own offset: %d records in %d calls, %v; want Zoho's default 200 in 1", len(got), len(srv.Requests()), err)
	}
}
