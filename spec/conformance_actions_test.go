package spec_test

import (
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// testConvert checks converting a lead, with and without a deal, and the
// errors of a conversion (docs/wire.md §12.1).
func (c *conformance) testConvert(t *testing.T) {
	ids, err := c.srv.Seed("Leads", map[string]any{"Last_Name": "Lovelace", "Company": "Engines", "Email": "ada@engines.example"},
		map[string]any{"Last_Name": "Babbage"})
	if err != nil {
		t.Fatal(err)
	}
	convert := func(id string) string { return "/crm/v8/Leads/" + id + "/actions/convert" }
	options := func(id string) string { return "/crm/v8/Leads/" + id + "/__conversion_options" }
	if _, err := c.srv.Seed("Contacts", map[string]any{"Last_Name": "Lovelace", "Email": "ada@engines.example"}); err != nil {
		t.Fatal(err)
	}
	c.crm(t, "GET", options(ids[0]), "", 200, "")
	c.crm(t, "GET", options(ids[1]), "", 204, "")
	c.crm(t, "GET", options("1"), "", 400, "INVALID_DATA")
	c.crm(t, "POST", convert(ids[0]), `{"data":[{"Deals":{"Deal_Name":"Engines","Stage":"Qualification"}}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", convert(ids[0]), `{"data":[{"Accounts":{"id":"1"}}]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", convert(ids[0]), `not json`, 400, "INVALID_DATA")
	c.crm(t, "POST", convert(ids[0]), `{"data":[{"overwrite":true,"notify_lead_owner":false,"notify_new_entity_owner":false,
		"move_attachments_to":{"api_name":"Deals"},"carry_over_tags":{"Contacts":["hot"]},
		"Deals":{"Deal_Name":"Engines","Closing_Date":"2030-01-31","Stage":"Qualification","Amount":100}}]}`, 200, "SUCCESS")
	c.crm(t, "POST", convert(ids[0]), `{"data":[{}]}`, 400, "ID_ALREADY_CONVERTED")
	c.crm(t, "GET", options(ids[0]), "", 400, "ID_ALREADY_CONVERTED")
	c.crm(t, "POST", convert(ids[1]), `{"data":[{}]}`, 200, "SUCCESS") // no company, no deal: a contact alone
	c.crm(t, "POST", convert("1"), `{"data":[{}]}`, 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&converted=true", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&converted=both&per_page=1", "", 200, "")
}

// testBlueprint checks a record's blueprint, a transition refused and
// done, an update refused for the blueprint, and their errors
// (docs/wire.md §12.2), on a server running a blueprint on Leads.
func (c *conformance) testBlueprint(t *testing.T) {
	bc := *c // the suite's checks and coverage, on a server with a blueprint
	bc.srv = zohotest.New(t, zohotest.WithBlueprint("Leads", zohotest.Blueprint{
		Name: "Qualification", Field: "Lead_Status",
		Transitions: []zohotest.Transition{
			{Name: "Reach out", From: []string{"Not Contacted"}, To: "Contacted", Fields: []string{"Description", "Lead_Source"}, Required: []string{"Phone"}},
			{Name: "Qualify", From: []string{"Contacted"}, To: "Pre-Qualified"},
		},
	}))
	bc.access, _ = bc.srv.IssueToken()
	ids, err := bc.srv.Seed("Leads", map[string]any{"Last_Name": "Curie", "Lead_Status": "Not Contacted"}, map[string]any{"Last_Name": "Outside"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/crm/v8/Leads/" + ids[0] + "/actions/blueprint"
	x := bc.crm(t, "GET", path, "", 200, "")
	bp, _ := x.json()["blueprint"].(map[string]any)
	ts, _ := bp["transitions"].([]any)
	if len(ts) != 1 {
		t.Fatalf("GET %s: %s", path, x.body)
	}
	tid, _ := ts[0].(map[string]any)["id"].(string)
	bc.crm(t, "PUT", path, `{"blueprint":[{"transition_id":"`+tid+`","data":{"Description":"called"}}]}`, 400, "MANDATORY_NOT_FOUND")
	bc.crm(t, "PUT", path, `{"blueprint":[{"transition_id":"1","data":{}}]}`, 400, "INVALID_DATA")
	bc.crm(t, "PUT", "/crm/v8/Leads/"+ids[0], `{"data":[{"Lead_Status":"Contacted"}]}`, 400, "RECORD_IN_BLUEPRINT")
	bc.crm(t, "PUT", path, `{"blueprint":[{"transition_id":"`+tid+`","data":{"Phone":"555-0199"}}]}`, 200, "SUCCESS")
	bc.crm(t, "GET", path, "", 200, "")
	bc.crm(t, "GET", "/crm/v8/Leads/"+ids[1]+"/actions/blueprint", "", 400, "RECORD_NOT_IN_PROCESS")
	bc.crm(t, "PUT", "/crm/v8/Leads/"+ids[1]+"/actions/blueprint", `{"blueprint":[{"transition_id":"1"}]}`, 400, "RECORD_NOT_IN_PROCESS")
	bc.crm(t, "GET", "/crm/v8/Leads/1/actions/blueprint", "", 400, "INVALID_DATA")
	bc.crm(t, "PUT", path, `not json`, 400, "INVALID_DATA")
}
