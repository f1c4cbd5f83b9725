package zohotest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// qualification is a small blueprint on Leads' Lead_Status.
var qualification = zohotest.WithBlueprint("Leads", zohotest.Blueprint{
	Name: "Qualification", Field: "Lead_Status",
	Transitions: []zohotest.Transition{
		{Name: "Reach out", From: []string{"Not Contacted"}, To: "Contacted", Fields: []string{"Description"}, Required: []string{"Phone"}},
		{Name: "Give up", From: []string{"Not Contacted", "Contacted"}, To: "Lost Lead"},
		{Name: "Qualify", From: []string{"Contacted"}, To: "Pre-Qualified"},
	},
})

// A record in a blueprint reads its state and transitions, each with the
// fields it asks for; a transition without a required field is refused
// with MANDATORY_NOT_FOUND and done once it is given; the blueprint's field
// changes only through transitions.
func TestBlueprintTransitions(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, qualification)
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Curie", "Lead_Status": "Not Contacted"}, map[string]any{"Last_Name": "Outside"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/crm/v8/Leads/" + ids[0] + "/actions/blueprint"
	st, m := c.do("GET", path, "")
	if st != 200 {
		t.Fatalf("GET blueprint: %d %v", st, m)
	}
	bp := m["blueprint"].(map[string]any)
	info := bp["process_info"].(map[string]any)
	if info["name"] != "Qualification" || info["api_name"] != "Lead_Status" || info["field_value"] != "Not Contacted" {
		t.Errorf("process_info %v", info)
	}
	ts := bp["transitions"].([]any)
	if len(ts) != 2 {
		t.Fatalf("%d transitions from Not Contacted, want 2: %v", len(ts), ts)
	}
	reach := ts[0].(map[string]any)
	fields := reach["fields"].([]any)
	var asked []string
	for _, f := range fields {
		f := f.(map[string]any)
		asked = append(asked, fmt.Sprintf("%s:%v", f["api_name"], f["mandatory"]))
	}
	if reach["name"] != "Reach out" || reach["next_field_value"] != "Contacted" || strings.Join(asked, " ") != "Description:false Phone:true" {
		t.Errorf("transition %v asks %v", reach["name"], asked)
	}
	if next := reach["next_transitions"].([]any); len(next) != 2 {
		t.Errorf("next transitions from Contacted: %v", next)
	}
	tid := reach["id"].(string)

	st, m = c.do("PUT", path, `{"blueprint":[{"transition_id":"`+tid+`","data":{"Description":"called"}}]}`)
	if st != 400 || m["code"] != "MANDATORY_NOT_FOUND" || m["details"].(map[string]any)["api_name"] != "Phone" {
		t.Errorf("transition without Phone: %d %v", st, m)
	}
	st, m = c.do("PUT", "/crm/v8/Leads/"+ids[0], `{"data":[{"Lead_Status":"Contacted"}]}`)
	if st != 400 || item(m, 0)["code"] != "RECORD_IN_BLUEPRINT" || details(m, 0)["api_name"] != "Lead_Status" {
		t.Errorf("update of Lead_Status outside a transition: %d %v", st, m)
	}
	if st, m := c.do("PUT", "/crm/v8/Leads/"+ids[0], `{"data":[{"Lead_Status":"Not Contacted","First_Name":"Marie"}]}`); st != 200 {
		t.Errorf("update that keeps Lead_Status: %d %v", st, m)
	}
	st, m = c.do("PUT", path, `{"blueprint":[{"transition_id":"`+tid+`","data":{"Phone":"555-0199"}}]}`)
	if st != 200 || m["message"] != "transition updated successfully" {
		t.Fatalf("transition with Phone: %d %v", st, m)
	}
	_, got := c.do("GET", "/crm/v8/Leads/"+ids[0], "")
	if r := item(got, 0); r["Lead_Status"] != "Contacted" || r["Phone"] != "555-0199" || r["First_Name"] != "Marie" {
		t.Errorf("after the transition: %v", r)
	}
	// Reach out is not available in Contacted any more.
	if st, m := c.do("PUT", path, `{"blueprint":[{"transition_id":"`+tid+`"}]}`); st != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("a transition not available: %d %v", st, m)
	}
	if st, m := c.do("PUT", path, `{"blueprint":[{"transition_id":"`+tid+`","data":{"Email":"x@example.com"}}]}`); st != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("data outside the transition: %d %v", st, m)
	}

	// A record whose field holds no state of the process is not in it, and
	// updates freely.
	if st, m := c.do("GET", "/crm/v8/Leads/"+ids[1]+"/actions/blueprint", ""); st != 400 || m["code"] != "RECORD_NOT_IN_PROCESS" {
		t.Errorf("GET blueprint of a record outside it: %d %v", st, m)
	}
	if st, m := c.do("PUT", "/crm/v8/Leads/"+ids[1], `{"data":[{"Lead_Status":"Junk Lead"}]}`); st != 200 {
		t.Errorf("update of a record outside the blueprint: %d %v", st, m)
	}
	if st, m := c.do("GET", "/crm/v8/Leads/1/actions/blueprint", ""); st != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("GET blueprint of no record: %d %v", st, m)
	}
}

// A module without a blueprint has no record in process; a blueprint that
// does not fit the metadata stops the server from starting.
func TestBlueprintConfiguration(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Plain", "Lead_Status": "Contacted"})
	if st, m := c.do("GET", "/crm/v8/Leads/"+ids[0]+"/actions/blueprint", ""); st != 400 || m["code"] != "RECORD_NOT_IN_PROCESS" {
		t.Errorf("no blueprint: %d %v", st, m)
	}
	for _, bp := range []struct {
		module string
		bp     zohotest.Blueprint
	}{
		{"Nope", zohotest.Blueprint{Field: "Lead_Status"}},
		{"Leads", zohotest.Blueprint{Field: "Last_Name"}},
		{"Leads", zohotest.Blueprint{Field: "Lead_Status", Transitions: []zohotest.Transition{{Name: "x", To: "Contacted"}}}},
		{"Leads", zohotest.Blueprint{Field: "Lead_Status", Transitions: []zohotest.Transition{{Name: "x", From: []string{"a"}, To: "b", Required: []string{"Nope"}}}}},
	} {
		if s, err := zohotest.Start(zohotest.WithBlueprint(bp.module, bp.bp)); err == nil {
			s.Close()
			t.Errorf("WithBlueprint(%s, %+v) started", bp.module, bp.bp)
		}
	}
}
