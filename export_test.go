package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// exportClient is emulatorClient with fast bulk read polling.
func exportClient(t testing.TB, opts ...zohotest.Option) (*zohotest.Server, *zohohub.Client) {
	t.Helper()
	srv := zohotest.New(t, opts...)
	c := signedInClient(t, srv, zohohub.WithExportPolling(time.Millisecond, 4*time.Millisecond))
	return srv, c
}

func collectExport[T any](t *testing.T, q zohohub.Query[T]) []*T {
	t.Helper()
	var out []*T
	for r, err := range q.Export(context.Background()) {
		if err != nil {
			t.Fatalf("after %d records: %v", len(out), err)
		}
		out = append(out, r)
	}
	return out
}

// exportCmp compares an exported record with what Find returns: Bulk Read
// writes lookups and users as ids only.
var exportCmp = cmp.Options{
	cmpopts.IgnoreUnexported(zohohub.Model{}),
	cmpopts.IgnoreFields(zohohub.User{}, "Name", "Email"),
	cmpopts.IgnoreFields(zohohub.Lookup{}, "Name"),
	cmpopts.EquateEmpty(),
}

func seedLeads(t testing.TB, srv *zohotest.Server, n int) {
	t.Helper()
	recs := make([]map[string]any, n)
	statuses := []string{"Contacted", "Not Contacted", "Junk Lead"}
	for i := range recs {
		company := "Other"
		if i%3 == 0 {
			company = "Acme"
		}
		recs[i] = map[string]any{
			"Last_Name": fmt.Sprintf("Doe %05d", i), "First_Name": "Jo, \"Q\"\nline", "Company": company,
			"Annual_Revenue": float64(i) * 1.5, "No_of_Employees": i % 50, "Email_Opt_Out": i%2 == 0,
			"Lead_Status": statuses[i%3], "Email": fmt.Sprintf("d%d@example.com", i),
		}
		if i%7 == 0 {
			delete(recs[i], "Annual_Revenue")
			recs[i]["City"] = ""
		}
	}
	seed(t, srv, "Leads", recs...)
}

func TestExportMatchesFind(t *testing.T) {
	srv, c := exportClient(t)
	seedLeads(t, srv, 5000)
	leads := zohohub.Records[modules.Lead](c)
	q := leads.Where(modules.LeadCompany.Equals("Acme"), zohohub.Or(
		modules.LeadNoOfEmployees.GreaterEqual(40), modules.LeadLastName.StartsWith("Doe 000")))
	srv.ResetRequests()
	got := collectExport(t, q)

	reqs := sent(srv)
	if len(reqs) != 3 {
		t.Errorf("%d requests, want 3 (create, status, download): %v", len(reqs), reqs)
	}
	var want []string
	for i := range 5000 {
		if i%3 == 0 && (i%50 >= 40 || i < 100) {
			want = append(want, fmt.Sprintf("Doe %05d", i))
		}
	}
	var names []string
	for _, r := range got {
		names = append(names, r.LastName)
	}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Fatalf("exported %d records, want %d", len(names), len(want))
	}
	// The criteria sent are the query's, in Bulk Read's JSON.
	var body struct {
		Query struct {
			Criteria json.RawMessage `json:"criteria"`
			Fields   []string        `json:"fields"`
		} `json:"query"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	const crit = `{"group_operator":"and","group":[{"field":{"api_name":"Company"},"comparator":"equal","value":"Acme"},` +
		`{"group_operator":"or","group":[{"field":{"api_name":"No_of_Employees"},"comparator":"greater_equal","value":40},` +
		`{"field":{"api_name":"Last_Name"},"comparator":"starts_with","value":"Doe 000"}]}]}`
	if string(body.Query.Criteria) != crit {
		t.Errorf("criteria %s\nwant     %s", body.Query.Criteria, crit)
	}
	if len(body.Query.Fields) == 0 || slices.Contains(body.Query.Fields, "id") {
		t.Errorf("fields %v", body.Query.Fields)
	}

	for i := 0; i < len(got); i += len(got) / 40 {
		found, err := leads.Find(context.Background(), got[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(found, got[i], exportCmp); d != "" {
			t.Fatalf("record %s differs from Find (-find +export):\n%s", got[i].ID, d)
		}
		if got[i].Owner.ID == "" || got[i].CreatedTime.IsZero() {
			t.Fatalf("system fields not exported: %+v", got[i].Model)
		}
	}
	// An exported record saves only what changed.
	r := got[0]
	r.City = "Springfield"
	if ch, err := leads.Changes(r); err != nil || !slices.Equal(ch, []string{"City"}) {
		t.Fatalf("changes %v, %v", ch, err)
	}
	if err := leads.Save(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	checkUpdateSent(t, srv, r.ID, "City")
}

// exportRow is a record type of every kind of value Bulk Read writes.
type exportRow struct {
	zohohub.Model
	LastName  string          `zoho:"Last_Name"`
	Account   zohohub.Lookup  `zoho:"Account_Name"`
	Born      zohohub.Date    `zoho:"Date_of_Birth"`
	Hobbies   []string        `zoho:"Hobbies__c"`
	Seen      time.Time       `zoho:"Seen__c"`
	Big       int64           `zoho:"Big__c"`
	Score     *float64        `zoho:"Score__c"`
	Count     *int            `zoho:"Count__c"`
	VIP       bool            `zoho:"VIP__c"`
	Raw       json.RawMessage `zoho:"Department"`
	NotInFile string          `zoho:"Title"`
}

func (exportRow) ZohoModule() string { return "Contacts" }

func TestExportValueTypes(t *testing.T) {
	srv, c := exportClient(t, withFields("Contacts.Hobbies__c:multiselectpicklist", "Contacts.Seen__c:datetime",
		"Contacts.Big__c:bigint", "Contacts.Score__c:double", "Contacts.Count__c:integer", "Contacts.VIP__c:boolean")...)
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Zylker"})[0]
	seed(t, srv, "Contacts",
		map[string]any{"Last_Name": "Full", "Account_Name": map[string]any{"id": acct}, "Date_of_Birth": "1990-02-28",
			"Hobbies__c": []string{"Chess", "Go; with semicolon?"}, "Seen__c": "2024-03-01T10:20:30+05:30",
			"Big__c": "9007199254740993", "Score__c": 2.5, "Count__c": 7, "VIP__c": true, "Department": "R&D", "Title": "Dr"},
		map[string]any{"Last_Name": "Empty"})
	contacts := zohohub.Records[exportRow](c)
	got := collectExport(t, contacts.Query().Select("Last_Name", "Account_Name", "Date_of_Birth", "Hobbies__c", "Seen__c",
		"Big__c", "Score__c", "Count__c", "VIP__c", "Department", "Owner", "Created_By", "Modified_By", "Created_Time", "Modified_Time"))
	if len(got) != 2 {
		t.Fatalf("%d records", len(got))
	}
	slices.SortFunc(got, func(a, b *exportRow) int { return strings.Compare(a.LastName, b.LastName) })
	for _, r := range got {
		found, err := contacts.Find(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		found.NotInFile = "" // not selected
		// A multi-select value holding ";" cannot survive Bulk Read's CSV.
		if r.LastName == "Full" {
			if !slices.Equal(r.Hobbies, []string{"Chess", "Go", " with semicolon?"}) {
				t.Errorf("hobbies %q", r.Hobbies)
			}
			r.Hobbies = found.Hobbies
		}
		r.Raw = found.Raw
		// A raw JSON field holds the JSON string of the cell.
		var raw string
		if len(r.Raw) > 0 {
			if err := json.Unmarshal(r.Raw, &raw); err != nil {
				t.Fatal(err)
			}
		}
		if want := map[string]string{"Full": "R&D", "Empty": ""}[r.LastName]; raw != want {
			t.Errorf("raw %s, want %s", r.Raw, want)
		}
		if d := cmp.Diff(found, r, exportCmp); d != "" {
			t.Errorf("%s differs from Find (-find +export):\n%s", r.LastName, d)
		}
	}
	full := got[1]
	if full.Account.ID != acct || full.Big != 9007199254740993 || full.Score == nil || *full.Score != 2.5 || !full.VIP ||
		full.Seen.Format(time.RFC3339) != "2024-03-01T10:20:30+05:30" || full.Born.String() != "1990-02-28" {
		t.Errorf("full: %+v", full)
	}
	if got[0].Score != nil || got[0].Count != nil {
		t.Errorf("empty: %+v", got[0])
	}
}

func TestExportCellThatDoesNotFit(t *testing.T) {
	srv, c := exportClient(t)
	seed(t, srv, "Leads", map[string]any{"Last_Name": "Smith", "Company": "Acme"})
	leads := zohohub.Records[badLeadRecord](c)
	var err error
	for _, err = range leads.Query().Export(context.Background()) {
		if err != nil {
			break
		}
	}
	var fe *zohohub.FieldError
	if !errors.As(err, &fe) || fe.APIName != "Last_Name" || !strings.Contains(err.Error(), `"Smith" is not an integer`) {
		t.Fatalf("error %v, want a *FieldError for Last_Name", err)
	}
}

type badLeadRecord struct {
	zohohub.Model `zoho:",module=Leads"`
	LastName      int `zoho:"Last_Name"`
}

// stepClock is a server clock that moves one second each time it is read.
type stepClock struct{ ns atomic.Int64 }

func (c *stepClock) now() time.Time {
	return time.Unix(0, c.ns.Add(int64(time.Second))).UTC()
}

func TestExportPollsUntilDone(t *testing.T) {
	clk := &stepClock{}
	clk.ns.Store(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	srv, c := exportClient(t, zohotest.WithClock(clk.now), zohotest.WithBulkJobDelay(20*time.Second))
	seedLeads(t, srv, 30)
	srv.ResetRequests()
	got := collectExport(t, zohohub.Records[modules.Lead](c).Where(modules.LeadCompany.Equals("Acme")))
	if len(got) != 10 {
		t.Fatalf("%d records, want 10", len(got))
	}
	polls := 0
	for _, r := range sent(srv) {
		if r.Method == http.MethodGet && !strings.HasSuffix(r.Path, "/result") {
			polls++
		}
	}
	if polls < 2 {
		t.Fatalf("%d status calls, want the job polled while IN PROGRESS", polls)
	}
}

func TestExportHonoursContextWhilePolling(t *testing.T) {
	srv, c := exportClient(t, zohotest.WithBulkJobDelay(time.Hour))
	seedLeads(t, srv, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var err error
	for _, err = range zohohub.Records[modules.Lead](c).Query().Export(ctx) {
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the context's", err)
	}
}

func TestExportStopsEarly(t *testing.T) {
	srv := zohotest.New(t)
	// One request in flight at a time: a slot not given back would block
	// the second export.
	c := signedInClient(t, srv, zohohub.WithConcurrency(1), zohohub.WithExportPolling(time.Millisecond, time.Millisecond))
	seedLeads(t, srv, 500)
	leads := zohohub.Records[modules.Lead](c)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n := 0
	for _, err := range leads.Query().Export(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	srv.ResetRequests()
	limited := 0
	for _, err := range leads.Query().Select("Last_Name").Limit(7).Export(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		limited++
	}
	if n != 10 || limited != 7 || len(sent(srv)) != 3 {
		t.Fatalf("broke at %d, limit gave %d", n, limited)
	}
}

func TestExportRefusesBeforeSending(t *testing.T) {
	srv, c := exportClient(t)
	leads := zohohub.Records[modules.Lead](c)
	many := make([]string, 201)
	for i := range many {
		many[i] = "Last_Name"
	}
	cases := map[string]struct {
		q    zohohub.Query[modules.Lead]
		want string
	}{
		"like with inner wildcard": {leads.Where(modules.LeadLastName.Like("Sm%th")), "wildcard inside"},
		"unknown condition field":  {leads.Where(zohohub.Field("Nope__c").Equals("x")), `no field "Nope__c"`},
		"unknown selected field":   {leads.Query().Select("Nope__c"), `no field "Nope__c"`},
		"bad condition":            {leads.Where(modules.LeadNoOfEmployees.In()), "at least one value"},
		"offset":                   {leads.Query().Offset(10), "Offset"},
		"order":                    {leads.Query().OrderBy("Last_Name"), "OrderBy"},
		"too many fields":          {leads.Query().Select(many...), "at most 200"},
	}
	for name, tc := range cases {
		var err error
		for _, err = range tc.q.Export(context.Background()) {
			break
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Fatalf("sent %d requests", len(reqs))
	}
}

func TestExportTranslatesOperators(t *testing.T) {
	srv, c := exportClient(t)
	seedLeads(t, srv, 300)
	leads := zohohub.Records[modules.Lead](c)
	count := func(conds ...zohohub.Condition) int {
		t.Helper()
		n := 0
		for _, err := range leads.Where(conds...).Select("Last_Name").Export(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	all := func(conds ...zohohub.Condition) int {
		t.Helper()
		n, err := leads.Where(conds...).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for name, cond := range map[string]zohohub.Condition{
		"contains":     modules.LeadLastName.Contains("01"),
		"like prefix":  modules.LeadLastName.Like("doe 002%"),
		"like suffix":  modules.LeadLastName.Like("%9"),
		"is null":      modules.LeadAnnualRevenue.IsNull(),
		"is not null":  modules.LeadCity.IsNotNull(),
		"between":      modules.LeadAnnualRevenue.Between(zohohub.NewDecimal(30, 0), zohohub.NewDecimal(90, 0)),
		"in":           modules.LeadLeadStatus.In("Contacted", "Junk Lead"),
		"not equal":    modules.LeadCompany.NotEqual("Acme"),
		"bool":         modules.LeadEmailOptOut.Is(true),
		"less than":    modules.LeadNoOfEmployees.LessThan(5),
		"untyped":      zohohub.Field("No_of_Employees").LessEqual(3),
		"owner":        modules.LeadOwner.Equals(leadOwner(t, leads)),
		"created time": modules.LeadCreatedTime.After(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)),
	} {
		if got, want := count(cond), all(cond); got != want || want == 0 && name != "is not null" {
			t.Errorf("%s: exported %d, All counts %d", name, got, want)
		}
	}
}

func leadOwner(t *testing.T, leads *zohohub.RecordSet[modules.Lead]) string {
	l, err := leads.Query().First(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l.Owner.ID
}

func TestExportErrorAnswers(t *testing.T) {
	srv, c := exportClient(t)
	seedLeads(t, srv, 5)
	leads := zohohub.Records[modules.Lead](c)
	first := func(q zohohub.Query[modules.Lead]) error {
		for _, err := range q.Export(context.Background()) {
			if err != nil {
				return err
			}
		}
		return nil
	}
	// A comparator the field does not take is refused by Zoho.
	var apiErr *zohohub.APIError
	err := first(leads.Where(zohohub.Field("Annual_Revenue").StartsWith("1")))
	if !errors.As(err, &apiErr) || apiErr.Code != "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE" {
		t.Fatalf("error %v, want Zoho's", err)
	}
	// An error answer to the create call is an *APIError; a 429 is retried.
	srv.FailNext("POST /crm/bulk/v8/read", 1, http.StatusInternalServerError, "INTERNAL_ERROR")
	if err := first(leads.Query()); !errors.As(err, &apiErr) || apiErr.Code != "INTERNAL_ERROR" {
		t.Fatalf("error %v, want INTERNAL_ERROR", err)
	}
	srv.FailNext("POST /crm/bulk/v8/read", 1, http.StatusTooManyRequests, "TOO_MANY_REQUESTS")
	if err := first(leads.Query()); err != nil {
		t.Fatalf("after one 429: %v", err)
	}
	// A module Zoho does not have.
	if err := first2(zohohub.Records[noSuchModule](c).Query()); !errors.As(err, &apiErr) || apiErr.Code != "MODULE_NOT_AVAILABLE" {
		t.Fatalf("error %v, want MODULE_NOT_AVAILABLE", err)
	}
}

type noSuchModule struct {
	zohohub.Model `zoho:",module=Nope"`
}

func first2[T any](q zohohub.Query[T]) error {
	for _, err := range q.Export(context.Background()) {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestExportFollowsMoreRecords(t *testing.T) {
	srv, c := exportClient(t, zohotest.WithBulkReadPageSize(120))
	seedLeads(t, srv, 1000)
	srv.ResetRequests()
	got := collectExport(t, zohohub.Records[modules.Lead](c).Where(modules.LeadCompany.Equals("Other")).Select("Last_Name"))
	seen := map[string]bool{}
	for _, r := range got {
		if seen[r.ID] {
			t.Fatalf("record %s exported twice", r.ID)
		}
		seen[r.ID] = true
	}
	if len(got) != 666 {
		t.Fatalf("%d records, want 666", len(got))
	}
	var pages []float64
	for _, r := range sent(srv) {
		if r.Method == http.MethodPost {
			var b struct {
				Query struct {
					Page *float64 `json:"page"`
				} `json:"query"`
			}
			if err := json.Unmarshal(r.Body, &b); err != nil {
				t.Fatal(err)
			}
			if b.Query.Page == nil {
				pages = append(pages, 1)
			} else {
				pages = append(pages, *b.Query.Page)
			}
		}
	}
	if !slices.Equal(pages, []float64{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("jobs for pages %v", pages)
	}
}

// BenchmarkExport10000 reads 10,000 records with Export and with All,
// against zohotest with 20 ms of latency a call, and reports the requests
// each sends.
func BenchmarkExport10000(b *testing.B) {
	srv := zohotest.New(b, zohotest.WithLatency(syncLatency), zohotest.WithConcurrencyLimit(syncLimit))
	c := signedInClient(b, srv, zohohub.WithExportPolling(time.Millisecond, 10*time.Millisecond))
	seedLeads(b, srv, syncRecords)
	q := zohohub.Records[modules.Lead](c).Query()
	for _, mode := range []struct {
		name string
		read func(context.Context) iter.Seq2[*modules.Lead, error]
	}{{"Export", q.Export}, {"All", q.All}} {
		b.Run(mode.name, func(b *testing.B) {
			requests := 0
			for b.Loop() {
				requests += readCounted(b, srv, mode.read(context.Background()), syncRecords)
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}

// TestExportFailedJob serves zohotest behind a handler that reports every
// bulk read job as failed, the one state zohotest never reaches.
func TestExportFailedJob(t *testing.T) {
	srv, c := frontedClient(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/crm/bulk/v8/read/") || strings.HasSuffix(r.URL.Path, "/result") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[{"id":"1","operation":"read","state":"FAILURE","result":{"error_message":`+
			`{"status":"error","code":"INTERNAL_ERROR","message":"export failed","details":{}}}}]}`)
		return true
	})
	seedLeads(t, srv, 3)
	var apiErr *zohohub.APIError
	for _, err := range zohohub.Records[modules.Lead](c).Query().Export(context.Background()) {
		if !errors.As(err, &apiErr) || apiErr.Code != "INTERNAL_ERROR" || !strings.Contains(err.Error(), "export failed") {
			t.Fatalf("error %v, want the job's failure", err)
		}
		return
	}
	t.Fatal("no error")
}
