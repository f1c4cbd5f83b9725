package zohotest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// seedLead inserts a lead with a company and an email, a note and a link
// attachment, and returns its id.
func seedLead(t *testing.T, c *client, last, company, email string) string {
	t.Helper()
	st, m := c.do("POST", "/crm/v8/Leads", fmt.Sprintf(`{"data":[{"First_Name":"Ada","Last_Name":%q,"Company":%q,"Email":%q,"Phone":"555-0100"}]}`, last, company, email))
	if st != 201 {
		t.Fatalf("insert lead: %d %v", st, m)
	}
	id := details(m, 0)["id"].(string)
	if st, m := c.do("POST", "/crm/v8/Leads/"+id+"/Notes", `{"data":[{"Note_Title":"Met","Note_Content":"at the fair"}]}`); st != 201 {
		t.Fatalf("add note: %d %v", st, m)
	}
	if st, m := c.do("POST", "/crm/v8/Leads/"+id+"/Attachments?attachmentUrl="+url.QueryEscape("https://example.com/brief.pdf"), ""); st != 200 {
		t.Fatalf("attach: %d %v", st, m)
	}
	return id
}

// ids returns the ids of a listing's records (none for 204).
func ids(t *testing.T, c *client, path string) []string {
	t.Helper()
	st, m := c.do("GET", path, "")
	if st == 204 {
		return nil
	}
	if st != 200 {
		t.Fatalf("GET %s: %d %v", path, st, m)
	}
	var out []string
	for _, r := range m["data"].([]any) {
		out = append(out, r.(map[string]any)["id"].(string))
	}
	return out
}

func ref(rec map[string]any, field string) string {
	r, _ := rec[field].(map[string]any)
	id, _ := r["id"].(string)
	return id
}

// A conversion with a deal makes one contact, one account and one deal,
// linked to each other, moves the lead's note to the contact and its
// attachment where asked, and leaves the lead converted: listed only on
// request, refused a second conversion and any update.
func TestConvertLeadWithDeal(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	lead := seedLead(t, c, "Lovelace", "Analytical Engines", "ada@example.com")
	st, m := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", `{"data":[{"overwrite":true,"notify_lead_owner":false,
		"move_attachments_to":{"api_name":"Deals"},
		"Deals":{"Deal_Name":"Engines","Closing_Date":"2030-01-31","Stage":"Qualification","Amount":1200.5}}]}`)
	if st != 200 || item(m, 0)["message"] != "The record has been converted successfully" {
		t.Fatalf("convert: %d %v", st, m)
	}
	d := details(m, 0)
	name := func(k string) (string, string) {
		r := d[k].(map[string]any)
		return r["id"].(string), fmt.Sprint(r["name"])
	}
	contact, cname := name("Contacts")
	account, aname := name("Accounts")
	deal, dname := name("Deals")
	if cname != "Ada Lovelace" || aname != "Analytical Engines" || dname != "Engines" {
		t.Errorf("names %q %q %q", cname, aname, dname)
	}
	for path, want := range map[string]string{"/crm/v8/Contacts?fields=Last_Name": contact, "/crm/v8/Accounts?fields=Account_Name": account,
		"/crm/v8/Deals?fields=Deal_Name": deal} {
		if got := ids(t, c, path); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want exactly %s", path, got, want)
		}
	}
	_, ct := c.do("GET", "/crm/v8/Contacts/"+contact, "")
	_, dl := c.do("GET", "/crm/v8/Deals/"+deal, "")
	if got := item(ct, 0); ref(got, "Account_Name") != account || got["Email"] != "ada@example.com" || got["Phone"] != "555-0100" {
		t.Errorf("contact %v", got)
	}
	if got := item(dl, 0); ref(got, "Account_Name") != account || ref(got, "Contact_Name") != contact || fmt.Sprint(got["Amount"]) != "1200.5" {
		t.Errorf("deal %v", got)
	}
	if got := ids(t, c, "/crm/v8/Contacts/"+contact+"/Notes?fields=Note_Title"); len(got) != 1 {
		t.Errorf("contact's notes %v, want the lead's one", got)
	}
	if got := ids(t, c, "/crm/v8/Leads/"+lead+"/Notes?fields=Note_Title"); len(got) != 0 {
		t.Errorf("lead's notes after conversion: %v", got)
	}
	if got := ids(t, c, "/crm/v8/Deals/"+deal+"/Attachments?fields=File_Name"); len(got) != 1 {
		t.Errorf("deal's attachments %v, want the lead's one", got)
	}

	// The lead is converted: listed only with converted=true or both.
	if got := ids(t, c, "/crm/v8/Leads?fields=Last_Name"); len(got) != 0 {
		t.Errorf("converted lead still listed: %v", got)
	}
	for _, q := range []string{"true", "both"} {
		if got := ids(t, c, "/crm/v8/Leads?fields=Last_Name&converted="+q); len(got) != 1 || got[0] != lead {
			t.Errorf("converted=%s: %v", q, got)
		}
	}
	if got := ids(t, c, "/crm/v8/Leads/search?email=ada@example.com&converted=true"); len(got) != 1 {
		t.Errorf("search converted=true: %v", got)
	}
	_, got := c.do("GET", "/crm/v8/Leads/"+lead, "")
	detail, _ := item(got, 0)["$converted_detail"].(map[string]any)
	if item(got, 0)["$converted"] != true || detail["contact"] != contact || detail["deal"] != deal || detail["account"] != account {
		t.Errorf("converted lead reads %v", item(got, 0))
	}
	st, m = c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", `{"data":[{}]}`)
	if st != 400 || m["code"] != "ID_ALREADY_CONVERTED" {
		t.Errorf("second conversion: %d %v", st, m)
	}
	st, m = c.do("PUT", "/crm/v8/Leads/"+lead, `{"data":[{"Phone":"1"}]}`)
	if st != 400 || item(m, 0)["code"] != "CONVERTED_RECORD" {
		t.Errorf("update of a converted lead: %d %v", st, m)
	}
	if st, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&converted=maybe", ""); st != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("converted=maybe: %d %v", st, m)
	}
}

// A lead whose company and email match an account and a contact joins
// them instead of making new ones; overwrite decides whether a contact of
// another account moves to the lead's.
func TestConvertLeadJoinsExisting(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	accts, err := srv.Seed("Accounts", map[string]any{"Account_Name": "Initech"}, map[string]any{"Account_Name": "Globex"})
	if err != nil {
		t.Fatal(err)
	}
	cts, err := srv.Seed("Contacts", map[string]any{"Last_Name": "Bolton", "Email": "mb@initech.example", "Account_Name": map[string]any{"id": accts[1]}})
	if err != nil {
		t.Fatal(err)
	}
	lead := seedLead(t, c, "Bolton", "INITECH", "MB@initech.example")
	st, m := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", `{"data":[{"overwrite":false}]}`)
	if st != 200 {
		t.Fatalf("convert: %d %v", st, m)
	}
	d := details(m, 0)
	if d["Deals"] != nil || d["Accounts"].(map[string]any)["id"] != accts[0] || d["Contacts"].(map[string]any)["id"] != cts[0] {
		t.Errorf("joined %v, want account %s and contact %s", d, accts[0], cts[0])
	}
	if n := len(srv.Records("Accounts")) + len(srv.Records("Contacts")); n != 3 {
		t.Errorf("%d accounts and contacts, want the 3 seeded", n)
	}
	if got := ref(srv.Records("Contacts")[0], "Account_Name"); got != accts[1] {
		t.Errorf("without overwrite the contact moved to %s", got)
	}

	// overwrite: the contact moves; an account given by id takes the
	// lead's company as its name, refused where another account has it.
	lead = seedLead(t, c, "Bolton", "Initech", "bolton@home.example") // a converted lead keeps its email
	body := fmt.Sprintf(`{"data":[{"overwrite":true,"Accounts":{"id":%q}}]}`, accts[1])
	if st, m := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", body); st != 400 || item(m, 0)["code"] != "DUPLICATE_DATA" {
		t.Fatalf("renaming Globex to Initech: %d %v", st, m)
	}
	body = fmt.Sprintf(`{"data":[{"overwrite":true,"Accounts":{"id":%q},"Contacts":{"id":%q}}]}`, accts[0], cts[0])
	if st, m := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", body); st != 200 {
		t.Fatalf("convert with overwrite: %d %v", st, m)
	}
	if got := ref(srv.Records("Contacts")[0], "Account_Name"); got != accts[0] {
		t.Errorf("with overwrite the contact stayed at %s", got)
	}
}

// A conversion's options are checked before anything is written.
func TestConvertLeadErrors(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	lead := seedLead(t, c, "Hopper", "Navy", "grace@example.com")
	contact, _ := srv.Seed("Contacts", map[string]any{"Last_Name": "Other"})
	for _, tc := range []struct {
		path, body string
		status     int
		code, jp   string
	}{
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"Deals":{"Deal_Name":"X","Stage":"Qualification"}}]}`, 400, "MANDATORY_NOT_FOUND", "$.data[0].Deals.Closing_Date"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"Deals":{"Deal_Name":"X","Closing_Date":"2030-01-01"}}]}`, 400, "MANDATORY_NOT_FOUND", "$.data[0].Deals.Stage"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"Accounts":{"id":"1"}}]}`, 400, "INVALID_DATA", "$.data[0].Accounts.id"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"overwrite":"yes"}]}`, 400, "INVALID_DATA", "$.data[0].overwrite"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"assign_to":{"id":"42"}}]}`, 400, "INVALID_DATA", "$.data[0].assign_to.id"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"move_attachments_to":{"api_name":"Deals"}}]}`, 400, "INVALID_DATA", "$.data[0].move_attachments_to.api_name"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{"carry_over_tags":{"Leads":["x"]}}]}`, 400, "INVALID_DATA", "$.data[0].carry_over_tags.Leads"},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `{"data":[{},{}]}`, 400, "LIMIT_EXCEEDED", ""},
		{"/crm/v8/Leads/" + lead + "/actions/convert", `not json`, 400, "INVALID_DATA", "$.data"},
		{"/crm/v8/Leads/1/actions/convert", `{"data":[{}]}`, 400, "INVALID_DATA", ""},
		{"/crm/v8/Contacts/" + contact[0] + "/actions/convert", `{"data":[{}]}`, 404, "INVALID_URL_PATTERN", ""},
	} {
		st, m := c.do("POST", tc.path, tc.body)
		e := m
		if items, ok := m["data"].([]any); ok {
			e = items[0].(map[string]any)
		}
		jp, _ := e["details"].(map[string]any)["json_path"].(string)
		if st != tc.status || e["code"] != tc.code || jp != tc.jp {
			t.Errorf("%s %s: %d %v, want %d %s at %q", tc.path, tc.body, st, m, tc.status, tc.code, tc.jp)
		}
	}
	if n := len(srv.Records("Deals")) + len(srv.Records("Accounts")) + len(srv.Records("Contacts")); n != 1 {
		t.Errorf("failed conversions wrote %d records", n-1)
	}
	if got := ids(t, c, "/crm/v8/Leads?fields=Last_Name"); len(got) != 1 {
		t.Errorf("the lead is no longer listed after failed conversions: %v", got)
	}
}

// A conversion notifies the channels watching the modules it changed, and
// so does a blueprint transition.
func TestActionsNotify(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, qualification)
	got := make(chan map[string]any, 10)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		got <- body
	}))
	defer hs.Close()
	if code, m := c.do("POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7","events":["Contacts.create","Deals.create","Leads.edit"],"notify_url":"`+hs.URL+`"}]}`); code != 201 {
		t.Fatalf("enable: %d %v", code, m)
	}
	st, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Noether","Company":"Erlangen","Lead_Status":"Not Contacted"}]}`)
	if st != 201 {
		t.Fatalf("insert: %d %v", st, m)
	}
	lead := details(m, 0)["id"].(string)
	_, bp := c.do("GET", "/crm/v8/Leads/"+lead+"/actions/blueprint", "")
	tid := bp["blueprint"].(map[string]any)["transitions"].([]any)[0].(map[string]any)["id"].(string)
	if st, m := c.do("PUT", "/crm/v8/Leads/"+lead+"/actions/blueprint", `{"blueprint":[{"transition_id":"`+tid+`","data":{"Phone":"1"}}]}`); st != 200 {
		t.Fatalf("transition: %d %v", st, m)
	}
	if st, m := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", `{"data":[{"Deals":{"Deal_Name":"Rings","Stage":"Qualification","Closing_Date":"2030-01-01"}}]}`); st != 200 {
		t.Fatalf("convert: %d %v", st, m)
	}
	seen := map[string]int{}
	for range 4 { // the transition's edit, the conversion's contact, deal and lead
		select {
		case cb := <-got:
			seen[fmt.Sprint(cb["module"], " ", cb["operation"])]++
		case <-time.After(2 * time.Second):
			t.Fatalf("callbacks so far %v", seen)
		}
	}
	if seen["Leads update"] != 2 || seen["Contacts insert"] != 1 || seen["Deals insert"] != 1 {
		t.Errorf("callbacks %v", seen)
	}
}

// The conversion options name the contact and account a conversion would
// join, and the fields they matched on; 204 when it would join none.
func TestConversionOptions(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	acct, _ := srv.Seed("Accounts", map[string]any{"Account_Name": "Initech"})
	ct, _ := srv.Seed("Contacts", map[string]any{"Last_Name": "Bolton", "Email": "mb@initech.example"})
	lead := seedLead(t, c, "Bolton", "Initech", "MB@initech.example")
	st, m := c.do("GET", "/crm/v8/Leads/"+lead+"/__conversion_options", "")
	if st != 200 {
		t.Fatalf("options: %d %v", st, m)
	}
	opts := m["__conversion_options"].(map[string]any)
	first := func(v any) map[string]any { return v.([]any)[0].(map[string]any) }
	matched := opts["preference_field_matched_value"].(map[string]any)
	if opts["module_preference"].(map[string]any)["api_name"] != "Contacts" || first(opts["Contacts"])["id"] != ct[0] ||
		first(opts["Accounts"])["id"] != acct[0] || opts["Deals"] != nil {
		t.Errorf("options %v", opts)
	}
	if f := first(matched["Contacts"]); f["field"].(map[string]any)["api_name"] != "Email" || f["matched_lead_value"] != "MB@initech.example" {
		t.Errorf("contact matched on %v", f)
	}
	if f := first(matched["Accounts"]); f["field"].(map[string]any)["api_name"] != "Account_Name" {
		t.Errorf("account matched on %v", f)
	}
	other := seedLead(t, c, "Nobody", "Nowhere", "nobody@nowhere.example")
	if st, m := c.do("GET", "/crm/v8/Leads/"+other+"/__conversion_options", ""); st != 204 {
		t.Errorf("a lead matching nothing: %d %v", st, m)
	}
	if st, m := c.do("GET", "/crm/v8/Leads/1/__conversion_options", ""); st != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("no lead: %d %v", st, m)
	}
	if st, _ := c.do("POST", "/crm/v8/Leads/"+lead+"/actions/convert", `{"data":[{}]}`); st != 200 {
		t.Fatal("convert")
	}
	if st, m := c.do("GET", "/crm/v8/Leads/"+lead+"/__conversion_options", ""); st != 400 || m["code"] != "ID_ALREADY_CONVERTED" {
		t.Errorf("a converted lead: %d %v", st, m)
	}
}
