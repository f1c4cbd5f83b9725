package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// TestIncludeCostsOneFindManyPerPage loads 1,000 contacts over 40
// accounts with their accounts included, and counts the requests: one per
// page of 200 contacts, plus one per 100 accounts a page introduces.
func TestIncludeCostsOneFindManyPerPage(t *testing.T) {
	ctx := context.Background()
	layouts := []struct {
		name     string
		accounts int
		of       func(i int) int // the account of contact i
	}{
		{"interleaved", 40, func(i int) int { return i % 40 }},  // page 1 meets every account
		{"blocked", 40, func(i int) int { return i / 25 }},      // each page meets 8 new accounts
		{"wide", 300, func(i int) int { return (i * 7) % 300 }}, // pages meet up to 200 new accounts
	}
	for _, lay := range layouts {
		t.Run(lay.name, func(t *testing.T) {
			srv, c := emulatorClient(t)
			accts := make([]map[string]any, lay.accounts)
			for i := range accts {
				accts[i] = map[string]any{"Account_Name": fmt.Sprintf("Acct %03d", i)}
			}
			acctIDs := seed(t, srv, "Accounts", accts...)
			contacts := make([]map[string]any, 1000)
			for i := range contacts {
				contacts[i] = map[string]any{"Last_Name": fmt.Sprintf("C%04d", i), "Account_Name": map[string]any{"id": acctIDs[lay.of(i)]}}
			}
			seed(t, srv, "Contacts", contacts...)
			sent(srv)

			var got []*modules.Contact
			byID := map[string]*modules.Account{}
			q := zohohub.Records[modules.Contact](c).Query().Include(modules.ContactAccountName)
			for ct, err := range q.All(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				acct, err := zohohub.Loaded(ct, modules.ContactAccountName)
				if err != nil {
					t.Fatalf("contact %s: %v", ct.LastName, err)
				}
				if acct == nil || acct.ID != ct.AccountName.ID || acct.AccountName != ct.AccountName.Name {
					t.Fatalf("contact %s: account %+v for lookup %+v", ct.LastName, acct, ct.AccountName)
				}
				if prev, ok := byID[acct.ID]; ok && prev != acct {
					t.Fatalf("account %s read twice", acct.ID)
				}
				byID[acct.ID] = acct
				got = append(got, ct)
			}
			if len(got) != 1000 || len(byID) != lay.accounts {
				t.Fatalf("%d contacts, %d accounts", len(got), len(byID))
			}
			// What Include may cost: the pages, then per page ⌈new accounts / 100⌉.
			want := 0
			seen := map[string]bool{}
			for start := 0; start < len(got); start += 200 {
				want++
				fresh := 0
				for _, ct := range got[start:min(start+200, len(got))] {
					if !seen[ct.AccountName.ID] {
						seen[ct.AccountName.ID] = true
						fresh++
					}
				}
				want += (fresh + 99) / 100
			}
			reqs := sent(srv)
			if len(reqs) != want {
				t.Fatalf("%d requests, want %d", len(reqs), want)
			}
			for _, r := range reqs {
				v := url.Values(r.Query)
				if ids := v.Get("ids"); ids != "" && (r.Path != "/crm/v8/Accounts" || strings.Count(ids, ",") >= 100) {
					t.Fatalf("lookup request %s?%s", r.Path, v.Encode())
				}
			}
		})
	}
}

// TestIncludeReportsMissingRecords: a looked-up record deleted since it
// was linked is reported by Loaded, and the iteration goes on.
func TestIncludeReportsMissingRecords(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acctIDs := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Kept"}, map[string]any{"Account_Name": "Gone"})
	seed(t, srv, "Contacts",
		map[string]any{"Last_Name": "A", "Account_Name": map[string]any{"id": acctIDs[0]}},
		map[string]any{"Last_Name": "B", "Account_Name": map[string]any{"id": acctIDs[1]}},
		map[string]any{"Last_Name": "C"})
	gone := &modules.Account{Model: zohohub.Model{ID: acctIDs[1]}}
	if err := zohohub.Records[modules.Account](c).Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	contacts, err := zohohub.Records[modules.Contact](c).Query().OrderBy("id").Include(modules.ContactAccountName).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(contacts) != 3 {
		t.Fatalf("%d contacts", len(contacts))
	}
	for _, ct := range contacts {
		acct, err := zohohub.Loaded(ct, modules.ContactAccountName)
		switch ct.LastName {
		case "A":
			if err != nil || acct.AccountName != "Kept" {
				t.Fatalf("A: %v %v", acct, err)
			}
		case "B":
			if acct != nil || !errors.Is(err, zohohub.ErrNotFound) || !strings.Contains(err.Error(), acctIDs[1]) {
				t.Fatalf("B: %v %v", acct, err)
			}
		case "C":
			if acct != nil || err != nil {
				t.Fatalf("C (no account): %v %v", acct, err)
			}
		}
	}
	// A lookup changed since it was loaded no longer has its record.
	contacts[0].AccountName = zohohub.Lookup{ID: acctIDs[1]}
	if _, err := zohohub.Loaded(contacts[0], modules.ContactAccountName); !errors.Is(err, zohohub.ErrNotLoaded) {
		t.Fatalf("changed lookup: %v", err)
	}
	// Without Include, Loaded says so.
	ct, err := zohohub.Records[modules.Contact](c).Find(ctx, contacts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zohohub.Loaded(ct, modules.ContactAccountName); !errors.Is(err, zohohub.ErrNotLoaded) {
		t.Fatalf("not included: %v", err)
	}
}

// TestIncludeMultiModuleLookup loads a task's What_Id per module, as its
// $se_module names it.
func TestIncludeMultiModuleLookup(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Acme"})[0]
	deal := seed(t, srv, "Deals", map[string]any{"Deal_Name": "Big", "Stage": "Qualification"})[0]
	seed(t, srv, "Tasks",
		map[string]any{"Subject": "on account", "What_Id": map[string]any{"id": acct}, "$se_module": "Accounts"},
		map[string]any{"Subject": "on deal", "What_Id": map[string]any{"id": deal}, "$se_module": "Deals"})
	sent(srv)
	tasks, err := zohohub.Records[modules.Task](c).Query().
		Include(zohohub.LookupTo[modules.Account](modules.TaskWhatID), zohohub.LookupTo[modules.Deal](modules.TaskWhatID)).
		Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sent(srv)); n != 3 {
		t.Fatalf("%d requests, want 3 (list, Accounts, Deals)", n)
	}
	for _, tk := range tasks {
		a, aerr := zohohub.Loaded(tk, zohohub.LookupTo[modules.Account](modules.TaskWhatID))
		d, derr := zohohub.Loaded(tk, zohohub.LookupTo[modules.Deal](modules.TaskWhatID))
		switch tk.Subject {
		case "on account":
			if aerr != nil || a.AccountName != "Acme" || derr == nil {
				t.Fatalf("account task: %v %v / %v", a, aerr, derr)
			}
		case "on deal":
			if derr != nil || d.DealName != "Big" || aerr == nil {
				t.Fatalf("deal task: %v %v / %v", d, derr, aerr)
			}
		}
	}
}

// TestIncludeRefusesWhatIsNotALookup: a field that is not a Lookup, or a
// target that is not a record type, fails before any request.
func TestIncludeRefusesWhatIsNotALookup(t *testing.T) {
	srv, c := emulatorClient(t)
	sent(srv)
	contacts := zohohub.Records[modules.Contact](c)
	for _, inc := range []zohohub.Includer{
		zohohub.LookupTo[modules.Account]("Last_Name"),
		zohohub.LookupTo[modules.Account]("No_Such_Field"),
		zohohub.LookupTo[struct{}]("Account_Name"),
	} {
		_, err := contacts.Query().Include(inc).Collect(context.Background())
		if err == nil || !strings.Contains(err.Error(), "Include") {
			t.Fatalf("%v: %v", inc, err)
		}
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
