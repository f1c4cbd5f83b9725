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

// TestLinkAndUnlinkCampaignLeads links 250 leads to a campaign with their
// Member_Status and unlinks them: 3 requests each way, a result per lead.
func TestLinkAndUnlinkCampaignLeads(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	camp := &modules.Campaign{Model: zohohub.Model{ID: seed(t, srv, "Campaigns", map[string]any{"Campaign_Name": "Spring"})[0]}}
	leads := make([]map[string]any, 250)
	for i := range leads {
		leads[i] = map[string]any{"Last_Name": fmt.Sprintf("L%03d", i), "Company": "Acme"}
	}
	ids := seed(t, srv, "Leads", leads...)
	sent(srv)
	rels := make([]zohohub.Relation, len(ids))
	for i, id := range ids {
		rels[i] = zohohub.Relation{ID: id, Fields: map[string]any{"Member_Status": "Invited"}}
	}
	res, err := zohohub.Link(ctx, c, camp, modules.CampaignLeads, rels...)
	if err != nil || res.Count(zohohub.ActionLinked) != 250 {
		t.Fatalf("Link: %v, %d linked", err, res.Count(zohohub.ActionLinked))
	}
	reqs := sent(srv)
	if len(reqs) != 3 {
		t.Fatalf("%d link requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != "PUT" || r.Path != "/crm/v8/Campaigns/"+camp.ID+"/Leads" || !strings.Contains(string(r.Body), `"Member_Status":"Invited"`) {
			t.Fatalf("%s %s %.80s", r.Method, r.Path, r.Body)
		}
	}

	// The relation reads from both sides, with its field.
	linked, err := zohohub.Related(c, camp, modules.CampaignLeads).Collect(ctx)
	if err != nil || len(linked) != 250 {
		t.Fatalf("linked leads: %d %v", len(linked), err)
	}
	if st, _ := linked[0].Get("Member_Status"); string(st) != `"Invited"` {
		t.Fatalf("Member_Status %s", st)
	}
	lead := &modules.Lead{Model: zohohub.Model{ID: ids[7]}}
	camps, err := zohohub.Related(c, lead, modules.LeadCampaigns).Collect(ctx)
	if err != nil || len(camps) != 1 || camps[0].ID != camp.ID {
		t.Fatalf("campaigns of a lead: %v %v", camps, err)
	}

	// Unlinking 250 (one of them never linked: its own error).
	sent(srv)
	unlink := append(ids[:249:249], seed(t, srv, "Leads", map[string]any{"Last_Name": "Stranger", "Company": "X"})...)
	sent(srv)
	res, err = zohohub.Unlink(ctx, c, camp, modules.CampaignLeads, unlink...)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 249 || res.Count(zohohub.ActionUnlinked) != 249 {
		t.Fatalf("Unlink: %v, %d unlinked", err, res.Count(zohohub.ActionUnlinked))
	}
	reqs = sent(srv)
	if len(reqs) != 3 {
		t.Fatalf("%d unlink requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != "DELETE" || strings.Count(url.Values(r.Query).Get("ids"), ",") >= 100 {
			t.Fatalf("%s %s", r.Method, r.Path)
		}
	}
	if n, err := zohohub.Related(c, camp, modules.CampaignLeads).Count(ctx); err != nil || n != 1 {
		t.Fatalf("left linked: %d %v", n, err)
	}
}

// TestLinkRefusesRelationsZohoDoesNotLink: an account's contacts follow
// their lookup; linking them is refused before any request.
func TestLinkRefusesRelationsZohoDoesNotLink(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "A"})[0]}}
	ct := seed(t, srv, "Contacts", map[string]any{"Last_Name": "C"})[0]
	sent(srv)
	_, err := zohohub.Link(ctx, c, acct, modules.AccountContacts, zohohub.Relation{ID: ct})
	if err == nil || !strings.Contains(err.Error(), "does not link Accounts with Contacts") {
		t.Fatalf("Link: %v", err)
	}
	if _, err := zohohub.Unlink(ctx, c, acct, modules.AccountContacts, ct); err == nil {
		t.Fatal("Unlink of a lookup list accepted")
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// zohotest refuses it too, as Zoho does.
	resp, err := c.Do(ctx, &zohohub.Request{Method: "PUT", Path: "Accounts/" + acct.ID + "/Contacts", Body: map[string]any{"data": []any{map[string]any{"id": ct}}}})
	var ae *zohohub.APIError
	if !errors.As(err, &ae) || ae.Code != "NOT_SUPPORTED" {
		t.Fatalf("zohotest answered %v %v", resp, err)
	}
}

// TestRelatedSelectsRelationFields: Select on a linked list may name the
// relation's own field, sent as Zoho's Node SDK sends it
// (fields=Last_Name,Member_Status); on a lookup list it is still refused.
func TestRelatedSelectsRelationFields(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	camp := &modules.Campaign{Model: zohohub.Model{ID: seed(t, srv, "Campaigns", map[string]any{"Campaign_Name": "Spring"})[0]}}
	lead := seed(t, srv, "Leads", map[string]any{"Last_Name": "L", "Company": "Co"})[0]
	if _, err := zohohub.Link(ctx, c, camp, modules.CampaignLeads, zohohub.Relation{ID: lead, Fields: map[string]any{"Member_Status": "Responded"}}); err != nil {
		t.Fatal(err)
	}
	sent(srv)
	leads, err := zohohub.Related(c, camp, modules.CampaignLeads).Select("Last_Name", "Member_Status").Collect(ctx)
	if err != nil || len(leads) != 1 {
		t.Fatalf("%d leads, %v", len(leads), err)
	}
	if st, _ := leads[0].Get("Member_Status"); string(st) != `"Responded"` || leads[0].LastName != "L" {
		t.Errorf("lead %s, Member_Status %s", leads[0].LastName, st)
	}
	if r := sent(srv); url.Values(r[0].Query).Get("fields") != "Last_Name,Member_Status" {
		t.Errorf("fields=%s", url.Values(r[0].Query).Get("fields"))
	}
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "A"})[0]}}
	if _, err := zohohub.Related(c, acct, modules.AccountContacts).Select("Member_Status").Collect(ctx); err == nil || !strings.Contains(err.Error(), `no field "Member_Status"`) {
		t.Errorf("Member_Status on a lookup list: %v", err)
	}
}
