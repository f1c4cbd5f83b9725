package zohotest_test

import "testing"

// Zoho's own $ members of a seeded record come back on reads and survive
// updates; an API write cannot set them.
func TestSeedKeepsDollarMembers(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "$approved": false, "$state": "save"})
	if err != nil {
		t.Fatal(err)
	}
	if code, m := c.do("PUT", "/crm/v8/Leads/"+ids[0], `{"data":[{"Company":"Acme","$approved":true}]}`); code != 200 {
		t.Fatalf("update: %d %v", code, m)
	}
	code, m := c.do("GET", "/crm/v8/Leads/"+ids[0], "")
	if rec := item(m, 0); code != 200 || rec["$approved"] != false || rec["$state"] != "save" || rec["Company"] != "Acme" {
		t.Fatalf("get: %d %v", code, rec)
	}
	if code, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"New","$approved":false}]}`); code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	if recs := srv.Records("Leads"); len(recs) != 2 || recs[1]["$approved"] != nil {
		t.Fatalf("an API insert stored $approved: %v", recs[1])
	}
}
