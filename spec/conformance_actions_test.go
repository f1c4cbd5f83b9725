package spec_test

import (
	"encoding/json"
	"fmt"
	"strings"
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

// seedLeads stores n leads and returns their ids.
func (c *conformance) seedLeads(t *testing.T, n int) []string {
	t.Helper()
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("Action %d", i), "City": "Lyon"}
	}
	ids, err := c.srv.Seed("Leads", recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// idList is ids as a JSON array.
func idList(ids ...string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// tagID is the id of the first tag of a settings answer.
func tagID(t *testing.T, x exchange) string {
	t.Helper()
	tags, _ := x.json()["tags"].([]any)
	if len(tags) == 0 {
		t.Fatalf("no tags in %s", x.body)
	}
	tag, _ := tags[0].(map[string]any)
	if d, ok := tag["details"].(map[string]any); ok {
		tag = d
	}
	id, _ := tag["id"].(string)
	return id
}

// testTags checks a module's tags (list, create, update, merge, count,
// delete) and the tags of records (add and remove, for one and many),
// with their errors (docs/wire.md §12).
func (c *conformance) testTags(t *testing.T) {
	ids := c.seedLeads(t, 3)
	const settings = "/crm/v8/settings/tags"
	c.crm(t, "GET", settings+"?module=Leads", "", 200, "")
	hot := tagID(t, c.crm(t, "POST", settings+"?module=Leads", `{"tags":[{"name":"Hot","color_code":"#F17574"}]}`, 201, "SUCCESS"))
	warm := tagID(t, c.crm(t, "POST", settings+"?module=Leads", `{"tags":[{"name":"Warm"}]}`, 201, "SUCCESS"))
	c.crm(t, "POST", settings+"?module=Leads", `{"tags":[{"name":"hot"}]}`, 400, "DUPLICATE_DATA")
	c.crm(t, "POST", settings+"?module=Leads", `{"tags":[{"name":"`+strings.Repeat("x", 26)+`"}]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", settings+"?module=Leads", `{"tags":[{"color_code":"#F17574"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", settings+"?module=Leads", `{"tags":[]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", settings+"?module=Nope", `{"tags":[{"name":"X"}]}`, 400, "INVALID_MODULE")
	c.crm(t, "GET", settings, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", settings+"?module=Leads", "", 200, "")

	many := "/crm/v8/Leads/actions/add_tags"
	c.crm(t, "POST", many, `{"tags":[{"id":"`+hot+`"},{"name":"Spring"}],"ids":`+idList(ids...)+`,"over_write":false}`, 200, "SUCCESS,SUCCESS,SUCCESS")
	c.crm(t, "POST", many, `{"tags":[{"id":"`+warm+`"}],"ids":`+idList(ids[0], "1")+`}`, 207, "SUCCESS,INVALID_DATA")
	c.crm(t, "POST", many, `{"tags":[{"name":"Hot"}],"ids":["1"]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", many, `{"tags":[{"id":"1"}],"ids":`+idList(ids[0])+`}`, 400, "INVALID_DATA")
	c.crm(t, "POST", many, `{"tags":[{"name":"Hot"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", many, `{"ids":`+idList(ids[0])+`}`, 400, "MANDATORY_NOT_FOUND")
	tooMany := make([]string, 501)
	for i := range tooMany {
		tooMany[i] = ids[0]
	}
	c.crm(t, "POST", many, `{"tags":[{"name":"Hot"}],"ids":`+idList(tooMany...)+`}`, 400, "LIMIT_EXCEEDED")
	one := "/crm/v8/Leads/" + ids[1] + "/actions/add_tags"
	c.crm(t, "POST", one+"?over_write=true", `{"tags":[{"name":"Summer"}]}`, 200, "SUCCESS")
	c.crm(t, "POST", "/crm/v8/Leads/1/actions/add_tags", `{"tags":[{"name":"Summer"}]}`, 400, "INVALID_DATA")
	var eleven []string
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf(`{"name":"T%d"}`, i))
	}
	c.crm(t, "POST", one, `{"tags":[`+strings.Join(eleven, ",")+`]}`, 400, "LIMIT_EXCEEDED")

	c.crm(t, "GET", settings+"/"+hot+"/actions/records_count?module=Leads", "", 200, "")
	c.crm(t, "GET", settings+"/1/actions/records_count?module=Leads", "", 400, "INVALID_DATA")
	c.crm(t, "PUT", settings+"?module=Leads", `{"tags":[{"id":"`+hot+`","name":"Scorching"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", settings+"/"+hot+"?module=Leads", `{"tags":[{"name":"Hot","color_code":"#57B1FD"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", settings+"?module=Leads", `{"tags":[{"name":"NoID"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "PUT", settings+"?module=Leads", `{"tags":[{"id":"`+hot+`","name":"Warm"}]}`, 400, "DUPLICATE_DATA")
	c.crm(t, "POST", settings+"/"+hot+"/actions/merge", `{"tags":[{"conflict_id":"`+warm+`"}]}`, 200, "SUCCESS")
	c.crm(t, "POST", settings+"/"+hot+"/actions/merge", `{"tags":[{"conflict_id":"`+warm+`"}]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", settings+"/"+hot+"/actions/merge", `{"tags":[{}]}`, 400, "MANDATORY_NOT_FOUND")

	remove := "/crm/v8/Leads/actions/remove_tags"
	c.crm(t, "POST", remove, `{"tags":[{"id":"`+hot+`"}],"ids":`+idList(ids...)+`}`, 200, "SUCCESS,SUCCESS,SUCCESS")
	c.crm(t, "POST", remove+"?ids="+ids[0], `{"tags":[{"name":"Spring"}]}`, 200, "SUCCESS")
	c.crm(t, "POST", remove, `{"tags":[{"name":"Nope"}],"ids":`+idList(ids[0])+`}`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads/"+ids[1]+"/actions/remove_tags", `{"tags":[{"name":"Summer"}]}`, 200, "SUCCESS")
	c.crm(t, "DELETE", settings+"/"+hot, "", 200, "SUCCESS")
	c.crm(t, "DELETE", settings+"/"+hot, "", 400, "INVALID_DATA")
}

// testMassUpdate checks a mass update by ids (one result per id, a bad id
// among them), scheduled by criteria and by view, its status, and errors.
func (c *conformance) testMassUpdate(t *testing.T) {
	ids := c.seedLeads(t, 2)
	const path = "/crm/v8/Leads/actions/mass_update"
	c.crm(t, "POST", path, `{"data":[{"City":"Nice"}],"ids":`+idList(ids...)+`}`, 200, "SUCCESS,SUCCESS")
	c.crm(t, "POST", path, `{"data":[{"City":"Nice"}],"ids":`+idList(ids[0], "1")+`}`, 200, "SUCCESS,INVALID_DATA")
	c.crm(t, "POST", path, `{"data":[{"City":"Nice"}],"ids":["1"]}`, 400, "INVALID_DATA")
	x := c.crm(t, "POST", path, `{"data":[{"Rating":"Active"}],"criteria":{"field":{"api_name":"City"},"comparator":"equal","value":"Nice"}}`, 200, "SUCCESS")
	items, _ := x.json()["data"].([]any)
	job, _ := items[0].(map[string]any)["details"].(map[string]any)["job_id"].(string)
	if job == "" {
		t.Fatalf("no job_id: %s", x.body)
	}
	c.crm(t, "GET", path+"?job_id="+job, "", 200, "")
	views := c.crm(t, "GET", "/crm/v8/settings/custom_views?module=Leads", "", 200, "").json()["custom_views"].([]any)
	cvid, _ := views[0].(map[string]any)["id"].(string)
	c.crm(t, "POST", path, `{"data":[{"Rating":"Active"}],"cvid":"`+cvid+`"}`, 200, "SUCCESS")
	c.crm(t, "POST", path, `{"data":[{"Rating":"Active"}],"cvid":"1"}`, 400, "INVALID_DATA")
	c.crm(t, "POST", path, `{"data":[{"Email":"a@example.com"}],"ids":`+idList(ids[0])+`}`, 400, "INVALID_DATA")
	c.crm(t, "POST", path, `{"ids":`+idList(ids[0])+`}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", path, `{"data":[{"City":"Nice"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "GET", path, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", path+"?job_id=1", "", 400, "INVALID_DATA")
	narrow := c.tokenWith(t, "ZohoCRM.modules.ALL")
	c.expect(t, c.send(t, "POST", path, `{"data":[{"City":"Nice"}],"ids":`+idList(ids[0])+`}`, narrow), 401, "OAUTH_SCOPE_MISMATCH")
}

// testChangeOwner checks a change of owner of one record and of many,
// with related modules, and its errors.
func (c *conformance) testChangeOwner(t *testing.T) {
	ids := c.seedLeads(t, 2)
	users := c.crm(t, "GET", "/crm/v8/users", "", 200, "").json()["users"].([]any)
	john, _ := users[len(users)-1].(map[string]any)["id"].(string)
	owner := `"owner":{"id":"` + john + `"}`
	c.crm(t, "POST", "/crm/v8/Leads/"+ids[0]+"/actions/change_owner", `{`+owner+`,"notify":true,"related_modules":[{"api_name":"Tasks"}]}`, 202, "SUCCESS")
	c.crm(t, "POST", "/crm/v8/Leads/1/actions/change_owner", `{`+owner+`}`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{"ids":`+idList(ids...)+`,`+owner+`}`, 202, "SUCCESS,SUCCESS")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{"ids":`+idList(ids[0], "1")+`,`+owner+`}`, 202, "SUCCESS,INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{"ids":`+idList(ids...)+`,"owner":{"id":"1"}}`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{"ids":`+idList(ids...)+`}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{`+owner+`}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", "/crm/v8/Leads/actions/change_owner", `{"ids":`+idList(ids...)+`,`+owner+`,"related_modules":[{"api_name":"Deals"}]}`, 400, "INVALID_DATA")
}

// testMassChangeOwner checks a change of owner of a custom view's records
// as a job, narrowed by a criteria, its status, and errors.
func (c *conformance) testMassChangeOwner(t *testing.T) {
	c.seedLeads(t, 2)
	users := c.crm(t, "GET", "/crm/v8/users", "", 200, "").json()["users"].([]any)
	john, _ := users[len(users)-1].(map[string]any)["id"].(string)
	owner := `"owner":{"id":"` + john + `"}`
	views := c.crm(t, "GET", "/crm/v8/settings/custom_views?module=Leads", "", 200, "").json()["custom_views"].([]any)
	cvid, _ := views[0].(map[string]any)["id"].(string)
	const path = "/crm/v8/Leads/actions/mass_change_owner"
	x := c.crm(t, "POST", path, `{"cvid":"`+cvid+`",`+owner+`}`, 200, "SUCCESS")
	items, _ := x.json()["data"].([]any)
	job, _ := items[0].(map[string]any)["details"].(map[string]any)["job_id"].(string)
	if job == "" {
		t.Fatalf("no job_id: %s", x.body)
	}
	c.crm(t, "GET", path+"?job_id="+job, "", 200, "")
	c.crm(t, "POST", path, `{"cvid":"`+cvid+`",`+owner+`,"criteria":{"field":{"api_name":"Last_Name"},"comparator":"equal","value":"x"}}`, 200, "SUCCESS")
	c.crm(t, "POST", path, `{"cvid":"1",`+owner+`}`, 400, "INVALID_DATA")
	c.crm(t, "POST", path, `{"cvid":"`+cvid+`","owner":{"id":"1"}}`, 400, "INVALID_DATA")
	c.crm(t, "POST", path, `{`+owner+`}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", path, `{"cvid":"`+cvid+`"}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "GET", path, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", path+"?job_id=1", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads/actions/mass_update?job_id="+job, "", 400, "INVALID_DATA") // another action's job
}

// testMassDeleteTags checks a mass deletion of a module's tags as a job,
// its status, and errors.
func (c *conformance) testMassDeleteTags(t *testing.T) {
	made := c.crm(t, "POST", "/crm/v8/settings/tags?module=Leads", `{"tags":[{"name":"Gone1"},{"name":"Gone2"}]}`, 201, "SUCCESS,SUCCESS").json()["tags"].([]any)
	id := func(i int) string { return made[i].(map[string]any)["details"].(map[string]any)["id"].(string) }
	modules := c.crm(t, "GET", "/crm/v8/settings/modules/Leads", "", 200, "").json()["modules"].([]any)
	module := `"module":{"api_name":"Leads","id":"` + modules[0].(map[string]any)["id"].(string) + `"}`
	const path = "/crm/v8/settings/tags/actions/mass_delete"
	x := c.crm(t, "POST", path, `{"mass_delete":[{`+module+`,"tags":[{"id":"`+id(0)+`"},{"id":"`+id(1)+`"}]}]}`, 202, "SCHEDULED")
	job, _ := x.json()["details"].(map[string]any)["job_id"].(string)
	if job == "" {
		t.Fatalf("no job_id: %s", x.body)
	}
	c.crm(t, "GET", path+"?job_id="+job, "", 200, "")
	c.crm(t, "POST", path, `{"mass_delete":[]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", path, `{"mass_delete":[{"tags":[{"id":"1"}]}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", path, `{"mass_delete":[{`+module+`}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", path, `{"mass_delete":[{"module":{"api_name":"Nope"},"tags":[{"id":"1"}]}]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", path, `{"mass_delete":[{`+module+`,"tags":[{"id":"1"}]},{`+module+`,"tags":[{"id":"1"}]}]}`, 400, "NOT_ALLOWED")
	c.crm(t, "GET", path, "", 400, "REQUIRED_PARAM_MISSING")
}
