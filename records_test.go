package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/zohotest"
)

// Hand-written record types with exact API names, standing in for the
// generated modules.

type tAccount struct {
	zohohub.Model
	AccountName   string         `zoho:"Account_Name"`
	Phone         string         `zoho:"Phone"`
	Industry      string         `zoho:"Industry"`
	AnnualRevenue float64        `zoho:"Annual_Revenue"`
	Employees     int            `zoho:"Employees"`
	ParentAccount zohohub.Lookup `zoho:"Parent_Account"`
}

func (tAccount) ZohoModule() string { return "Accounts" }

type tContact struct {
	zohohub.Model
	FirstName   string         `zoho:"First_Name"`
	LastName    string         `zoho:"Last_Name"`
	Email       string         `zoho:"Email"`
	AccountName zohohub.Lookup `zoho:"Account_Name"`
	DateOfBirth zohohub.Date   `zoho:"Date_of_Birth"`
	EmailOptOut bool           `zoho:"Email_Opt_Out"`
}

func (tContact) ZohoModule() string { return "Contacts" }

type tLead struct {
	zohohub.Model
	LastName   string `zoho:"Last_Name"`
	Company    string `zoho:"Company"`
	Email      string `zoho:"Email"`
	LeadSource string `zoho:"Lead_Source"`
	FullName   string `zoho:"Full_Name,readonly"`
}

func (tLead) ZohoModule() string { return "Leads" }

// myAccount is a user type embedding a module struct, with a translated
// field (table) and a custom field (tag).
type myAccount struct {
	tAccount
	ShippingContact string `zoho:"Main_Contact_Name"`
	Region          string // translated by ZohoTranslation
	Score           *int   `zoho:"Health_Score__c"`
}

func (myAccount) ZohoTranslation() map[string]string {
	return map[string]string{"Region": "Sales_Region_1"}
}

func TestCRUDStandardModules(t *testing.T) {
	ctx := context.Background()
	// The org's custom fields that myAccount maps.
	srv, c := emulatorClient(t, withFields("Accounts.Main_Contact_Name:text", "Accounts.Sales_Region_1:text", "Accounts.Health_Score__c:integer")...)

	t.Run("Accounts", func(t *testing.T) {
		crud(t, srv, zohohub.Records[tAccount](c),
			&tAccount{AccountName: "Zylker", Phone: "555-0100", Employees: 12},
			func(a *tAccount) { a.Phone = "555-0199" }, "Phone", `"555-0199"`,
			func(a *tAccount) bool { return a.Phone == "555-0199" && a.AccountName == "Zylker" && a.Employees == 12 })
	})
	t.Run("Contacts", func(t *testing.T) {
		crud(t, srv, zohohub.Records[tContact](c),
			&tContact{LastName: "Roe", Email: "jane@example.com", DateOfBirth: zohohub.Date{Year: 1990, Month: 2, Day: 28}},
			func(x *tContact) { x.DateOfBirth = zohohub.Date{} }, "Date_of_Birth", `null`,
			func(x *tContact) bool { return x.DateOfBirth.IsZero() && x.LastName == "Roe" })
	})
	t.Run("Leads", func(t *testing.T) {
		crud(t, srv, zohohub.Records[tLead](c),
			&tLead{LastName: "Daly", Company: "ABC"},
			func(x *tLead) { x.Company = "" }, "Company", `null`,
			func(x *tLead) bool { return x.Company == "" && x.LastName == "Daly" })
	})
	t.Run("embedded with translation", func(t *testing.T) {
		crud(t, srv, zohohub.Records[myAccount](c),
			&myAccount{tAccount: tAccount{AccountName: "Acme"}, ShippingContact: "Jane", Region: "EMEA"},
			func(x *myAccount) { x.Region = "APAC" }, "Sales_Region_1", `"APAC"`,
			func(x *myAccount) bool {
				return x.Region == "APAC" && x.ShippingContact == "Jane" && x.AccountName == "Acme"
			})
	})
	// The custom and translated fields went out under their API names.
	for _, rec := range srv.Records("Accounts") {
		if rec["Account_Name"] == "Acme" {
			t.Fatal("deleted record still stored")
		}
	}
	a := &myAccount{tAccount: tAccount{AccountName: "Kept"}, ShippingContact: "Jane", Region: "EMEA", Score: new(0)}
	if err := zohohub.Records[myAccount](c).Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	got := stored(srv, "Accounts", a.ID)
	for k, want := range map[string]string{"Main_Contact_Name": `"Jane"`, "Sales_Region_1": `"EMEA"`, "Health_Score__c": "0", "Account_Name": `"Kept"`} {
		if string(got[k]) != want {
			t.Errorf("stored %s = %s, want %s", k, got[k], want)
		}
	}
}

// crud runs create → find → update one field → find → delete → find.
func crud[T any](t *testing.T, srv *zohotest.Server, rs *zohohub.RecordSet[T], rec *T, change func(*T), field, wire string, check func(*T) bool) {
	t.Helper()
	ctx := context.Background()
	sent(srv)
	if err := rs.Save(ctx, rec); err != nil {
		t.Fatalf("insert: %v", err)
	}
	m := modelOf(rec)
	if m.ID == "" || m.CreatedTime.IsZero() || m.ModifiedBy.ID == "" {
		t.Fatalf("insert did not set id and system fields: %+v", m)
	}
	reqs := sent(srv)
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/crm/v8/"+rs.Module() {
		t.Fatalf("insert requests = %+v", reqs)
	}
	got, err := rs.Find(ctx, m.ID)
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	change(got)
	sent(srv)
	if err := rs.Save(ctx, got); err != nil {
		t.Fatalf("update: %v", err)
	}
	reqs = sent(srv)
	if len(reqs) != 1 || reqs[0].Method != http.MethodPut {
		t.Fatalf("update requests = %+v", reqs)
	}
	want := `{"data":[{"id":"` + m.ID + `","` + field + `":` + wire + `}]}`
	if string(reqs[0].Body) != want {
		t.Fatalf("update body\n got %s\nwant %s", reqs[0].Body, want)
	}
	// Nothing changed: nothing sent.
	if err := rs.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("save without changes sent %d requests", len(reqs))
	}
	again, err := rs.Find(ctx, m.ID)
	if err != nil {
		t.Fatalf("find after update: %v", err)
	}
	if !check(again) {
		t.Fatalf("after update: %+v", again)
	}
	if err := rs.Delete(ctx, again); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := rs.Find(ctx, m.ID); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("find after delete: err = %v, want ErrNotFound", err)
	}
	if err := rs.Delete(ctx, again); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
}

func modelOf(rec any) *zohohub.Model {
	switch r := rec.(type) {
	case *tAccount:
		return &r.Model
	case *tContact:
		return &r.Model
	case *tLead:
		return &r.Model
	case *myAccount:
		return &r.Model
	case *tProject:
		return &r.Model
	}
	panic("modelOf: unknown type")
}

// Fields the org has and the struct does not map come back from Find, are
// not sent by a Save that did not touch them, and are still in Zoho after.
func TestUnknownFieldsSurviveRoundTrip(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t, withFields("Accounts.Custom_Rating__c:double", "Accounts.Record_Status__s:picklist",
		"Accounts.Tag:multiselectlookup")...) // Tag: Zoho's tags, an array of {name, id}
	id := seed(t, srv, "Accounts", map[string]any{
		"Account_Name": "Zylker", "Phone": "1",
		"Custom_Rating__c": 4.5, "$approved": true, "Tag": []any{map[string]any{"name": "vip", "id": "9"}},
		"Record_Status__s": "Available",
	})[0]
	rs := zohohub.Records[tAccount](c)
	a, err := rs.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := a.Get("Custom_Rating__c")
	if !ok || string(raw) != "4.5" {
		t.Fatalf("Get(Custom_Rating__c) = %s, %v", raw, ok)
	}
	for _, name := range []string{"$approved", "Custom_Rating__c", "Record_Status__s", "Tag"} {
		if !slices.Contains(a.Unmapped(), name) {
			t.Fatalf("Unmapped = %v, lacks %s", a.Unmapped(), name)
		}
	}
	a.Phone = "2"
	sent(srv)
	if err := rs.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if body := string(sent(srv)[0].Body); body != `{"data":[{"id":"`+id+`","Phone":"2"}]}` {
		t.Fatalf("update body = %s", body)
	}
	after := stored(srv, "Accounts", id)
	for k, want := range map[string]string{"Custom_Rating__c": "4.5", "$approved": "true", "Record_Status__s": `"Available"`,
		"Tag": `[{"id":"9","name":"vip"}]`, "Phone": `"2"`} {
		if string(after[k]) != want {
			t.Errorf("after save %s = %s, want %s", k, after[k], want)
		}
	}
	// Still readable after the save.
	if raw, ok := a.Get("Record_Status__s"); !ok || string(raw) != `"Available"` {
		t.Fatalf("Get after save = %s", raw)
	}
	// Set on an unmapped field sends it, once.
	if err := a.Set("Custom_Rating__c", 5); err != nil {
		t.Fatal(err)
	}
	if err := rs.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if body := string(sent(srv)[0].Body); body != `{"data":[{"id":"`+id+`","Custom_Rating__c":5}]}` {
		t.Fatalf("update body = %s", body)
	}
	if got := string(stored(srv, "Accounts", id)["Custom_Rating__c"]); got != "5" {
		t.Fatalf("Set value not stored: %s", got)
	}
	if err := rs.Save(ctx, a); err != nil || len(sent(srv)) != 0 {
		t.Fatalf("second save: %v", err)
	}
}

func TestSetMappedField(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	id := seed(t, srv, "Accounts", map[string]any{"Account_Name": "A", "Employees": 3})[0]
	rs := zohohub.Records[tAccount](c)
	a, err := rs.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Set("Employees", 40); err != nil {
		t.Fatal(err)
	}
	if a.Employees != 40 {
		t.Fatalf("Set did not update the field: %d", a.Employees)
	}
	if err := a.Set("Employees", "forty"); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("Set with a string into an int field: err = %v", err)
	}
	if err := a.Set("Annual_Revenue", 1.5); err != nil || a.AnnualRevenue != 1.5 {
		t.Fatalf("Set float: %v", err)
	}
	if err := a.Set("Created_Time", time.Now()); err == nil {
		t.Fatal("Set on a read-only field succeeded")
	}
	if err := a.Set("bad name!", 1); err == nil {
		t.Fatal("Set with a bad API name succeeded")
	}
	changes, err := rs.Changes(a)
	if err != nil || !slices.Equal(changes, []string{"Annual_Revenue", "Employees"}) {
		t.Fatalf("Changes = %v, %v", changes, err)
	}

	// On a new record the check happens at Save, before any request.
	n := &tAccount{AccountName: "New"}
	if err := n.Set("Employees", "many"); err != nil {
		t.Fatalf("Set on an unbound record: %v", err)
	}
	sent(srv)
	if err := rs.Save(ctx, n); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("Save with a badly typed Set: err = %v", err)
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("a request was sent: %+v", reqs)
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[tAccount](c)
	if err := rs.Save(ctx, nil); err == nil || !strings.Contains(err.Error(), "nil record") {
		t.Errorf("Save(nil): %v", err)
	}
	if err := rs.Delete(ctx, nil); err == nil {
		t.Error("Delete(nil) succeeded")
	}
	if err := rs.Delete(ctx, &tAccount{}); err == nil || !strings.Contains(err.Error(), "empty record id") {
		t.Errorf("Delete without id: %v", err)
	}
	if _, err := rs.Find(ctx, ""); err == nil || !strings.Contains(err.Error(), "empty record id") {
		t.Errorf("Find(\"\"): %v", err)
	}
	if _, err := rs.Find(ctx, "1/../../x"); err == nil {
		t.Error("Find with a path in the id succeeded")
	}
	if _, err := rs.SaveAll(ctx, []*tAccount{{AccountName: "a"}, nil}); err == nil || !strings.Contains(err.Error(), "record 1 is nil") {
		t.Errorf("SaveAll with nil: %v", err)
	}
	if _, err := rs.DeleteAll(ctx, []*tAccount{{}}); err == nil {
		t.Error("DeleteAll without ids succeeded")
	}
	// A lookup without an id cannot be sent.
	bad := &tAccount{AccountName: "x", ParentAccount: zohohub.Lookup{Name: "Parent"}}
	if err := rs.Save(ctx, bad); err == nil || !strings.Contains(err.Error(), "Parent_Account") {
		t.Errorf("Save with an id-less lookup: %v", err)
	}
	var noClient *zohohub.Client
	if err := zohohub.Records[tAccount](noClient).Save(ctx, &tAccount{}); err == nil {
		t.Error("Save through a nil client succeeded")
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("bad input sent %d requests: %+v", len(reqs), reqs)
	}
}

func TestFindMany(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	recs := make([]map[string]any, 250)
	for i := range recs {
		recs[i] = map[string]any{"Account_Name": fmt.Sprint("A", i), "Website": "not mapped"}
	}
	ids := seed(t, srv, "Accounts", recs...)
	rs := zohohub.Records[tAccount](c)
	// An id that is no record is left out; the others come in the order asked.
	slices.Reverse(ids)
	got, err := rs.FindMany(ctx, append([]string{"5725767000000000404"}, ids...)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("got %d records", len(got))
	}
	for i, a := range got {
		if a.ID != ids[i] || a.AccountName != fmt.Sprint("A", 249-i) {
			t.Fatalf("record %d = %+v", i, a)
		}
		// Only the mapped fields are asked for.
		if _, ok := a.Get("Website"); ok {
			t.Fatalf("record %d has unrequested Website", i)
		}
	}
	reqs := sent(srv)
	if len(reqs) != 3 {
		t.Fatalf("%d requests for 251 ids, want 3", len(reqs))
	}
	for _, r := range reqs {
		fields := strings.Split(url.Values(r.Query).Get("fields"), ",")
		if n := len(strings.Split(url.Values(r.Query).Get("ids"), ",")); r.Method != http.MethodGet || n > 100 ||
			!slices.Contains(fields, "Owner") || !slices.Contains(fields, "Account_Name") || !slices.Contains(fields, "Phone") {
			t.Fatalf("request %s %s?%v", r.Method, r.Path, r.Query)
		}
	}
}

func TestTriggers(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[tLead](c)
	if err := rs.NoTriggers().Save(ctx, &tLead{LastName: "A"}); err != nil {
		t.Fatal(err)
	}
	if err := rs.WithTriggers(zohohub.TriggerWorkflow, zohohub.TriggerBlueprint).Save(ctx, &tLead{LastName: "B"}); err != nil {
		t.Fatal(err)
	}
	l := &tLead{LastName: "C"}
	if err := rs.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := rs.NoTriggers().Delete(ctx, l); err != nil {
		t.Fatal(err)
	}
	reqs := sent(srv)
	wants := []string{`"trigger":[]`, `"trigger":["workflow","blueprint"]`, ``}
	for i, w := range wants {
		has := strings.Contains(string(reqs[i].Body), `"trigger"`)
		if w == "" && has || w != "" && !strings.Contains(string(reqs[i].Body), w) {
			t.Errorf("request %d body %s, want %q", i, reqs[i].Body, w)
		}
	}
	if reqs[3].Method != http.MethodDelete || url.Values(reqs[3].Query).Get("wf_trigger") != "false" {
		t.Errorf("delete without triggers: %+v", reqs[3])
	}
}

func TestUpsert(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[tLead](c)
	l := &tLead{LastName: "Doe", Email: "d@example.com"}
	created, err := rs.Upsert(ctx, l, "Email")
	if err != nil || !created || l.ID == "" {
		t.Fatalf("first upsert: created=%v err=%v id=%q", created, err, l.ID)
	}
	l2 := &tLead{LastName: "Doe2", Email: "d@example.com"}
	created, err = rs.Upsert(ctx, l2, "Email")
	if err != nil || created || l2.ID != l.ID {
		t.Fatalf("second upsert: created=%v err=%v id=%q want %q", created, err, l2.ID, l.ID)
	}
	reqs := sent(srv)
	if reqs[1].Path != "/crm/v8/Leads/upsert" || !strings.Contains(string(reqs[1].Body), `"duplicate_check_fields":["Email"]`) {
		t.Fatalf("upsert request %+v", reqs[1])
	}
	if got := srv.Records("Leads"); len(got) != 1 || got[0]["Last_Name"] != "Doe2" {
		t.Fatalf("stored %v, want the one lead, updated", got)
	}
	if _, err := rs.Upsert(ctx, l, "not valid"); err == nil {
		t.Fatal("bad duplicate check field accepted")
	}
}

// A RecordSet or Query not made by Records (nil, or the zero value) is an
// error, not a nil-pointer panic.
func TestZeroRecordSetAndQueryAreErrors(t *testing.T) {
	ctx := context.Background()
	for name, rs := range map[string]*zohohub.RecordSet[tAccount]{"nil": nil, "zero": {}} {
		if rs.Err() == nil {
			t.Errorf("%s RecordSet: Err() = nil", name)
		}
		if _, err := rs.Find(ctx, "1"); err == nil {
			t.Errorf("%s RecordSet: Find succeeded", name)
		}
		if err := rs.Save(ctx, &tAccount{}); err == nil {
			t.Errorf("%s RecordSet: Save succeeded", name)
		}
		if _, err := rs.SaveAll(ctx, []*tAccount{{}}); err == nil {
			t.Errorf("%s RecordSet: SaveAll succeeded", name)
		}
		if _, err := rs.Query().Collect(ctx); err == nil {
			t.Errorf("%s RecordSet: Collect succeeded", name)
		}
	}
	var q zohohub.Query[tAccount]
	if _, err := q.First(ctx); err == nil {
		t.Error("zero Query: First succeeded")
	}
	if _, err := q.Count(ctx); err == nil {
		t.Error("zero Query: Count succeeded")
	}
}

// The methods of a nil *Model (a record type holding a nil pointer to a
// generated struct, say) answer instead of panicking.
func TestNilModel(t *testing.T) {
	var m *zohohub.Model
	if !m.IsNew() {
		t.Error("nil Model is not new")
	}
	if v, ok := m.Get("Phone"); ok || v != nil {
		t.Errorf("nil Model: Get = %s, %v", v, ok)
	}
	if names := m.Unmapped(); len(names) != 0 {
		t.Errorf("nil Model: Unmapped = %v", names)
	}
	if err := m.Set("Phone", "1"); err == nil {
		t.Error("nil Model: Set succeeded")
	}
}
