package zohohub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// TestRelatedListsPastPageWindow lists an account's 2,500 contacts through
// its related list: each once, pages of 200, page_token past 2,000.
func TestRelatedListsPastPageWindow(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	ids := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Big"}, map[string]any{"Account_Name": "Small"})
	contacts := make([]map[string]any, 2600)
	for i := range contacts {
		acct := ids[0]
		if i%26 == 25 { // 100 contacts of another account
			acct = ids[1]
		}
		contacts[i] = map[string]any{"Last_Name": fmt.Sprintf("C%04d", i), "Account_Name": map[string]any{"id": acct}}
	}
	seed(t, srv, "Contacts", contacts...)
	sent(srv)
	big := &modules.Account{Model: zohohub.Model{ID: ids[0]}}
	seen := map[string]bool{}
	for ct, err := range zohohub.Related(c, big, modules.AccountContacts).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[ct.ID] || ct.AccountName.ID != ids[0] {
			t.Fatalf("contact %s listed twice or of account %s", ct.ID, ct.AccountName.ID)
		}
		seen[ct.ID] = true
	}
	if len(seen) != 2500 {
		t.Fatalf("%d contacts, want 2500", len(seen))
	}
	checkPagedPast2000(t, sent(srv), 13, "/crm/v8/Accounts/"+ids[0]+"/Contacts", "") // ⌈2,500/200⌉

	// Count reads the ids; OrderBy sorts as Zoho sorts related records.
	if n, err := zohohub.Related(c, big, modules.AccountContacts).Count(ctx); err != nil || n != 2500 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	small := &modules.Account{Model: zohohub.Model{ID: ids[1]}}
	first, err := zohohub.Related(c, small, modules.AccountContacts).OrderByDesc("Created_Time").First(ctx)
	if err != nil || first.LastName != "C2599" {
		t.Fatalf("First by Created_Time desc: %+v %v", first, err)
	}
	// ModifiedSince is sent as If-Modified-Since, which the related records API honours.
	if got, err := zohohub.Related(c, small, modules.AccountContacts).ModifiedSince(time.Now().Add(-time.Hour)).Collect(ctx); err != nil || len(got) != 100 {
		t.Fatalf("modified in the last hour: %d %v", len(got), err)
	}
	if got, err := zohohub.Related(c, small, modules.AccountContacts).ModifiedSince(time.Now().Add(time.Hour)).Collect(ctx); err != nil || len(got) != 0 {
		t.Fatalf("modified in the next hour: %d %v", len(got), err)
	}
	limited, err := zohohub.Related(c, small, modules.AccountContacts).Select("Last_Name").Limit(5).Collect(ctx)
	if err != nil || len(limited) != 5 || limited[0].Email != "" {
		t.Fatalf("Limit 5: %d %v", len(limited), err)
	}
}

// checkPagedPast2000 checks the requests that listed a related list of
// more than 2,000 records: want of them, each to path with fields (any, if
// fields is ""), page numbers for the first 10 pages, page_token after.
func checkPagedPast2000(t *testing.T, reqs []zohotest.RequestRecord, want int, path, fields string) {
	t.Helper()
	if len(reqs) != want {
		t.Fatalf("%d requests, want %d", len(reqs), want)
	}
	for i, r := range reqs {
		v := url.Values(r.Query)
		if r.Path != path || v.Get("fields") == "" || fields != "" && v.Get("fields") != fields || (i >= 10) != v.Has("page_token") {
			t.Fatalf("request %d: %s?%s", i, r.Path, v.Encode())
		}
	}
}

// TestRelatedRefusesWhatZohoCannotSend: conditions, other orders, a
// record without an id and a list name that is not one fail before any
// request, saying why.
func TestRelatedRefusesWhatZohoCannotSend(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "A"})[0]}}
	sent(srv)
	cases := []struct {
		q    zohohub.Query[modules.Contact]
		want string
	}{
		{zohohub.Related(c, acct, modules.AccountContacts).Where(modules.ContactLastName.Equals("x")), "takes no conditions"},
		{zohohub.Related(c, acct, modules.AccountContacts).OrderBy("Last_Name"), "sorts related records by one of"},
		{zohohub.Related(c, &modules.Account{}, modules.AccountContacts), "empty record id"},
		{zohohub.Related(c, acct, zohohub.RelatedList[modules.Account, modules.Contact]("../Leads")), "not a related list API name"},
		{zohohub.Related(c, acct, modules.AccountContacts).Offset(2000), "page numbers reach"},
	}
	for _, tc := range cases {
		_, err := tc.q.Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// A list that holds nothing is empty, not an error (Zoho answers 204).
	got, err := zohohub.Related(c, acct, modules.AccountDeals).Collect(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty list: %v %v", got, err)
	}
}

// TestRelatedAnyRecordPastPageWindow lists an account's 2,100 projects
// (the custom module Projects) as *AnyRecord, as for a module with no Go
// type: each once, page_token past 2,000, Select of any field,
// OrderBy, Limit, First and Count as for a typed list.
func TestRelatedAnyRecordPastPageWindow(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "Big"})[0]}}
	projects := make([]map[string]any, 2100)
	for i := range projects {
		projects[i] = map[string]any{"Name": fmt.Sprintf("P%04d", i), "Score": float64(i), "Account": map[string]any{"id": acct.ID}}
	}
	seed(t, srv, "Projects", projects...)
	sent(srv)
	list := zohohub.RelatedList[modules.Account, zohohub.AnyRecord]("Projects")
	seen := map[string]bool{}
	for p, err := range zohohub.Related(c, acct, list).Select("Name", "Account").All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		var name string
		var account struct{ ID string }
		if err := json.Unmarshal(p.Fields()["Name"], &name); err != nil || seen[name] {
			t.Fatalf("Name %q (%v) missing or listed twice", name, err)
		}
		if raw, _ := p.Get("Account"); json.Unmarshal(raw, &account) != nil || account.ID != acct.ID {
			t.Fatalf("project %s of account %s", p.ID, raw)
		}
		seen[name] = true
	}
	if len(seen) != 2100 {
		t.Fatalf("%d projects, want 2100", len(seen))
	}
	checkPagedPast2000(t, sent(srv), 11, "/crm/v8/Accounts/"+acct.ID+"/Projects", "Name,Account") // ⌈2,100/200⌉

	// Without Select, Model's fields are read.
	first, err := zohohub.Related(c, acct, list).OrderByDesc("Created_Time").First(ctx)
	if err != nil || first.ID == "" || first.CreatedTime.IsZero() || first.Owner.ID == "" {
		t.Fatalf("First: %+v %v", first, err)
	}
	if _, has := first.Get("Name"); has {
		t.Errorf("Name read without being selected")
	}
	if r := sent(srv); url.Values(r[0].Query).Get("fields") != "Owner,Created_By,Modified_By,Created_Time,Modified_Time" {
		t.Errorf("fields without Select: %v", r[0].Query)
	}
	top, err := zohohub.Related(c, acct, list).Select("Name").OrderByDesc("Created_Time").Limit(3).Collect(ctx)
	if err != nil || len(top) != 3 || top[0].ID != first.ID {
		t.Fatalf("Limit 3: %d records, %v", len(top), err)
	}
	if n, err := zohohub.Related(c, acct, list).Count(ctx); err != nil || n != 2100 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	// A record read so saves through RecordsOf with its module.
	top[0].Set("Name", "Renamed")
	if err := zohohub.RecordsOf(c, "Projects").Save(ctx, top[0]); err != nil {
		t.Fatal(err)
	}
	if got := stored(srv, "Projects", top[0].ID)["Name"]; string(got) != `"Renamed"` {
		t.Errorf("saved Name = %s", got)
	}
	// Conditions are refused as for a typed list, before sending.
	sent(srv)
	if _, err := zohohub.Related(c, acct, list).Where(zohohub.Field("Name").Equals("P0001")).Collect(ctx); err == nil || !strings.Contains(err.Error(), "takes no conditions") {
		t.Errorf("Where: %v", err)
	}
	if _, err := zohohub.Related(c, acct, zohohub.RelatedList[modules.Account, zohohub.AnyRecord]("Pro jects")).Collect(ctx); err == nil {
		t.Errorf("a list name with a space was accepted")
	}
	if n := len(sent(srv)); n != 0 {
		t.Errorf("%d requests sent for refused queries", n)
	}
}

// TestRelatedAnyRecordActivities reads the Activities list, which mixes
// tasks, events and calls, as *AnyRecord: each says its module in
// Activity_Type.
func TestRelatedAnyRecordActivities(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "A"})[0]}}
	what := map[string]any{"id": acct.ID}
	seed(t, srv, "Tasks", map[string]any{"Subject": "Call back", "What_Id": what, "$se_module": "Accounts"})
	seed(t, srv, "Calls", map[string]any{"Subject": "Intro", "Call_Type": "Outbound", "Call_Start_Time": "2024-01-02T10:00:00+00:00",
		"What_Id": what, "$se_module": "Accounts"})
	got, err := zohohub.Related(c, acct, modules.AccountActivities).Select("Subject", "Activity_Type").Collect(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("%d activities, %v", len(got), err)
	}
	kinds := map[string]string{}
	for _, a := range got {
		subject, _ := a.Get("Subject")
		typ, _ := a.Get("Activity_Type")
		kinds[string(subject)] = string(typ)
	}
	if want := map[string]string{`"Call back"`: `"Tasks"`, `"Intro"`: `"Calls"`}; !maps.Equal(kinds, want) {
		t.Errorf("activities %v, want %v", kinds, want)
	}
}
