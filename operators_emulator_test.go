package zohohub_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/zohotest"
)

// opLead maps the Leads fields the operator tests filter on; Courses and
// Start_Date are custom fields of the test org.
type opLead struct {
	zohohub.Model
	LastName   string       `zoho:"Last_Name"`
	Company    string       `zoho:"Company"`
	Email      string       `zoho:"Email"`
	Phone      string       `zoho:"Phone"`
	LeadSource string       `zoho:"Lead_Source"`
	Employees  int          `zoho:"No_of_Employees"`
	OptOut     bool         `zoho:"Email_Opt_Out"`
	Courses    []string     `zoho:"Courses"`
	StartDate  zohohub.Date `zoho:"Start_Date"`
}

func (opLead) ZohoModule() string { return "Leads" }

const (
	company   = zohohub.TextField("Company")
	email     = zohohub.TextField("Email")
	source    = zohohub.PicklistField[string]("Lead_Source")
	employees = zohohub.NumberField[int]("No_of_Employees")
	optOut    = zohohub.BoolField("Email_Opt_Out")
	courses   = zohohub.MultiSelectField[string]("Courses")
	startDate = zohohub.DateField("Start_Date")
)

func operatorLeads(t *testing.T) (*zohotest.Server, *zohohub.RecordSet[opLead]) {
	srv, c := exportClient(t, zohotest.WithCustomField("Leads", "Courses", "multiselectpicklist"),
		zohotest.WithCustomField("Leads", "Start_Date", "date"))
	_, err := srv.Seed("Leads",
		map[string]any{"Last_Name": "Alpha", "Company": "Zylker Inc", "Email": "alpha@zylker.com", "Phone": "+1 555 0100",
			"Lead_Source": "Web", "No_of_Employees": 10, "Email_Opt_Out": true, "Courses": []string{"Analytics", "Big data"}, "Start_Date": "2024-01-10"},
		map[string]any{"Last_Name": "Bravo", "Company": "50% Off Ltd", "Email": "bravo@acme.com", "Phone": "+1 555 0200",
			"Lead_Source": "Trade Show", "No_of_Employees": 200, "Email_Opt_Out": false, "Courses": []string{"Analytics"}, "Start_Date": "2024-06-01"},
		map[string]any{"Last_Name": "Charlie", "Company": "Acme_Co", "Email_Opt_Out": false, "Courses": []string{"Big Analytics"}},
		map[string]any{"Last_Name": "Delta", "Company": "Zylkerite", "Email": "delta@zylker.com", "Phone": "555 0300",
			"Lead_Source": "Web", "No_of_Employees": 50, "Email_Opt_Out": false, "Start_Date": "2025-01-01"},
		map[string]any{"Last_Name": "Echo", "Email": "echo@x.com", "Lead_Source": "Partner", "No_of_Employees": 7,
			"Email_Opt_Out": true, "Courses": []string{"Cloud"}, "Start_Date": "2023-12-31"},
	)
	if err != nil {
		t.Fatal(err)
	}
	return srv, zohohub.Records[opLead](c)
}

// TestOperatorsFindTheRightRecords runs every operator through each form
// that can express it — search (a Limit within 2,000), COQL (ordered) and
// Bulk Read (Export) — against zohotest, and checks that each finds
// exactly the records it should, and that the others are refused.
func TestOperatorsFindTheRightRecords(t *testing.T) {
	_, leads := operatorLeads(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		cond  zohohub.Condition
		forms string // S search, C COQL, B Bulk Read
		want  string
	}{
		{"equals", zohohub.TextField("Last_Name").Equals("Alpha"), "SCB", "Alpha"},
		{"not_equal", source.NotEqual("Web"), "SCB", "Bravo Charlie Echo"},
		{"in", source.In("Web", "Partner"), "SCB", "Alpha Delta Echo"},
		{"not_in", source.NotIn("Web"), "CB", "Bravo Charlie Echo"},
		{"greater_than", employees.GreaterThan(10), "SCB", "Bravo Delta"},
		{"greater_equal", employees.GreaterEqual(10), "SCB", "Alpha Bravo Delta"},
		{"less_than", employees.LessThan(10), "SCB", "Echo"},
		{"less_equal", employees.LessEqual(10), "SCB", "Alpha Echo"},
		{"between", employees.Between(7, 10), "SCB", "Alpha Echo"},
		{"not_between", employees.NotBetween(7, 10), "CB", "Bravo Charlie Delta"},
		{"date before", startDate.Before(zohohub.Date{Year: 2024, Month: 1, Day: 1}), "SCB", "Echo"},
		{"date is null", startDate.IsNull(), "CB", "Charlie"},
		{"starts_with", company.StartsWith("Zylker"), "SCB", "Alpha Delta"},
		{"starts_with %", company.StartsWith("50%"), "SB", "Bravo"},
		{"not_starts_with", zohohub.Not(company.StartsWith("Zylker")), "C", "Bravo Charlie Echo"},
		{"ends_with", email.EndsWith("@zylker.com"), "CB", "Alpha Delta"},
		{"not_ends_with", zohohub.Not(email.EndsWith("@zylker.com")), "C", "Bravo Charlie Echo"},
		{"contains", company.Contains("ylker"), "CB", "Alpha Delta"},
		{"contains %", company.Contains("%"), "B", "Bravo"},
		{"contains _", company.Contains("_"), "B", "Charlie"},
		{"not_contains", company.NotContains("ylker"), "CB", "Bravo Charlie Echo"},
		{"like", company.Like("zyl%"), "SCB", "Alpha Delta"},
		{"like inside", company.Like("Z%e"), "C", "Delta"},
		{"not_like", company.NotLike("%ylker%"), "CB", "Bravo Charlie Echo"},
		{"is_null", email.IsNull(), "CB", "Charlie"},
		{"is_not_null", email.IsNotNull(), "CB", "Alpha Bravo Delta Echo"},
		{"bool", optOut.Is(true), "SCB", "Alpha Echo"},
		{"not bool", zohohub.Not(optOut.Is(true)), "SCB", "Bravo Charlie Delta"},
		{"multi contains", courses.Contains("Analytics"), "SCB", "Alpha Bravo"},
		{"multi not contains", courses.NotContains("Analytics"), "SCB", "Charlie Delta Echo"},
		{"multi in", courses.In("Cloud", "Big data"), "SCB", "Alpha Echo"},
		{"multi not in", courses.NotIn("Analytics"), "CB", "Charlie Delta Echo"},
		{"multi is not null", courses.IsNotNull(), "CB", "Alpha Bravo Charlie Echo"},
		{"not of a group", zohohub.Not(zohohub.Or(employees.GreaterThan(10), source.Equals("Web"))), "SCB", "Echo"},
		{"word", zohohub.SearchWord("zylker"), "S", "Alpha Delta"},
		{"email", zohohub.SearchEmail("bravo@acme.com"), "S", "Bravo"},
		{"phone", zohohub.SearchPhone("555 0300"), "S", "Delta"},
	}
	names := func(t *testing.T, recs []*opLead) string {
		t.Helper()
		var out []string
		for _, r := range recs {
			out = append(out, r.LastName)
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Search: a Limit within search's reach, no ordering.
			searchQ := leads.Where(tc.cond).Limit(100)
			plan, err := searchQ.Explain()
			switch {
			case strings.Contains(tc.forms, "S"):
				if err != nil || plan.Kind != zohohub.PlanSearch {
					t.Fatalf("search plan = %v, %v", plan, err)
				}
				recs, err := searchQ.Collect(ctx)
				if got := names(t, recs); err != nil || got != tc.want {
					t.Errorf("search found %q, %v; want %q", got, err, tc.want)
				}
			case err == nil && plan.Kind == zohohub.PlanSearch:
				t.Errorf("sent by search: %v", plan)
			}
			// COQL: ordering needs it.
			coqlQ := leads.Where(tc.cond).OrderBy("Last_Name")
			plan, err = coqlQ.Explain()
			if strings.Contains(tc.forms, "C") {
				if err != nil || plan.Kind != zohohub.PlanCOQL {
					t.Fatalf("COQL plan = %v, %v", plan, err)
				}
				recs, err := coqlQ.Collect(ctx)
				if got := names(t, recs); err != nil || got != tc.want {
					t.Errorf("COQL %s found %q, %v; want %q", plan.COQL, got, err, tc.want)
				}
			} else if err == nil {
				t.Errorf("sent by COQL: %v", plan)
			}
			// Bulk Read.
			var recs []*opLead
			var exportErr error
			for r, err := range leads.Where(tc.cond).Export(ctx) {
				if err != nil {
					exportErr = err
					break
				}
				recs = append(recs, r)
			}
			if strings.Contains(tc.forms, "B") {
				if got := names(t, recs); exportErr != nil || got != tc.want {
					t.Errorf("Export found %q, %v; want %q", got, exportErr, tc.want)
				}
			} else if exportErr == nil {
				t.Errorf("exported by Bulk Read: %q", names(t, recs))
			}
		})
	}
}

// TestPlannerPicksTheFormThatCan: a query without a Limit goes to COQL,
// unless only search can express it; a query no form can send is an
// error naming why, before any request.
func TestPlannerPicksTheFormThatCan(t *testing.T) {
	srv, leads := operatorLeads(t)
	srv.ResetRequests()
	for _, tc := range []struct {
		q    zohohub.Query[opLead]
		kind zohohub.PlanKind
		err  string
	}{
		{leads.Where(company.StartsWith("Zylker")), zohohub.PlanCOQL, ""},
		{leads.Where(company.StartsWith("50%")), zohohub.PlanSearch, ""},
		{leads.Where(zohohub.SearchWord("zylker")), zohohub.PlanSearch, ""},
		{leads.Where(company.StartsWith("50%")).OrderBy("Last_Name"), "", "not with OrderBy"},
		{leads.Where(company.StartsWith("50%")).Offset(2000), "", "first 2000 records"},
		{leads.Where(company.Contains("%")), "", "search cannot either"},
		{leads.Where(zohohub.SearchWord("zylker"), company.Contains("x")), "", "cannot be combined"},
		{leads.Where(zohohub.SearchWord("zylker")).ModifiedSince(time.Now()), "", "cannot be combined"},
	} {
		plan, err := tc.q.Explain()
		switch {
		case tc.err == "" && (err != nil || plan.Kind != tc.kind):
			t.Errorf("plan %v, %v; want %s", plan, err, tc.kind)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("plan %v, %v; want an error with %q", plan, err, tc.err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("Explain sent %d requests", n)
	}
	ctx := context.Background()
	if n, err := leads.Where(zohohub.SearchWord("zylker")).Count(ctx); err != nil || n != 2 {
		t.Errorf("Count of a word search = %d, %v; want 2", n, err)
	}
	if n, err := leads.Where(courses.NotIn("Analytics")).Count(ctx); err != nil || n != 3 {
		t.Errorf("Count through COQL = %d, %v; want 3", n, err)
	}
}
