package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// lastBody returns the JSON body of the last request of method.
func lastBody(t *testing.T, srv *zohotest.Server, method string) map[string]any {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method {
			var m map[string]any
			if err := json.Unmarshal(reqs[i].Body, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no %s request", method)
	return nil
}

func checkUpdateSent(t *testing.T, srv *zohotest.Server, id, field string) {
	t.Helper()
	rec := lastBody(t, srv, "PUT")["data"].([]any)[0].(map[string]any)
	if len(rec) != 2 || rec["id"] != id || rec[field] == nil {
		t.Fatalf("update sent %v, want only id and %s", rec, field)
	}
}

func TestGeneratedModulesLifecycle(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()

	accounts := zohohub.Records[modules.Account](c)
	a := &modules.Account{AccountName: "Zylker", Industry: modules.AccountIndustryValueStorageEquipment, Employees: 10}
	if err := accounts.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := accounts.Find(ctx, a.ID)
	if err != nil || got.AccountName != "Zylker" || got.Employees != 10 || got.CreatedTime.IsZero() {
		t.Fatalf("find: %+v %v", got, err)
	}
	got.Employees = 11
	if err := accounts.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	checkUpdateSent(t, srv, a.ID, "Employees")
	if again, _ := accounts.Find(ctx, a.ID); again.Employees != 11 {
		t.Fatalf("after update: %d", again.Employees)
	}

	contacts := zohohub.Records[modules.Contact](c)
	ct := &modules.Contact{LastName: "Roe", Email: "roe@example.com", AccountName: zohohub.Lookup{ID: a.ID}}
	if err := contacts.Save(ctx, ct); err != nil {
		t.Fatal(err)
	}
	ctGot, err := contacts.Find(ctx, ct.ID)
	if err != nil || ctGot.AccountName.ID != a.ID || ctGot.AccountName.Name != "Zylker" {
		t.Fatalf("contact lookup: %+v %v", ctGot.AccountName, err)
	}
	ctGot.Title = "CTO"
	if err := contacts.Save(ctx, ctGot); err != nil {
		t.Fatal(err)
	}
	checkUpdateSent(t, srv, ct.ID, "Title")

	leads := zohohub.Records[modules.Lead](c)
	l := &modules.Lead{LastName: "Doe", Company: "Acme"}
	if err := leads.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	l.Company = "Acme 2"
	if err := leads.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	checkUpdateSent(t, srv, l.ID, "Company")

	for _, del := range []func() error{
		func() error { return contacts.Delete(ctx, ctGot) },
		func() error { return leads.Delete(ctx, l) },
		func() error { return accounts.Delete(ctx, got) },
	} {
		if err := del(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := accounts.Find(ctx, a.ID); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("find deleted account: %v", err)
	}
	if _, err := leads.Find(ctx, l.ID); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("find deleted lead: %v", err)
	}
}

// A user type embedding a generated struct, with a translated field and a
// custom field unknown to the metadata of the struct.
type myContact struct {
	modules.Contact
	Role string `zoho:"Title"` // shadows the embedded Title: the outer field wins
}

func TestUserTypeEmbeddingModule(t *testing.T) {
	_, c := emulatorClient(t)
	ctx := context.Background()
	rs := zohohub.Records[myContact](c)
	mc := &myContact{Role: "CEO"}
	mc.LastName = "Lee"
	if err := rs.Save(ctx, mc); err != nil {
		t.Fatal(err)
	}
	got, err := rs.Find(ctx, mc.ID)
	if err != nil || got.Role != "CEO" || got.LastName != "Lee" {
		t.Fatalf("got %+v %v", got, err)
	}
}

func TestSaveAllThousandInTenRequests(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()
	leads := zohohub.Records[modules.Lead](c)
	recs := make([]*modules.Lead, 1000)
	for i := range recs {
		recs[i] = &modules.Lead{LastName: "L", Company: "C"}
	}
	recs[250].Email = "not an email" // chunk 3
	srv.ResetRequests()
	res, err := leads.SaveAll(ctx, recs)
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	if posts != 10 {
		t.Fatalf("%d insert requests, want 10", posts)
	}
	var be *zohohub.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want *BatchError", err)
	}
	failed := res.Failed()
	var apiErr *zohohub.APIError
	if len(failed) != 1 || failed[0].Index != 250 || !errors.As(failed[0].Err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.APIName() != "Email" {
		t.Fatalf("failures %+v", failed)
	}
	if n := len(srv.Records("Leads")); n != 999 {
		t.Fatalf("%d leads stored, want 999", n)
	}
}
