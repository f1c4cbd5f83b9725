package zohotest_test

import (
	"fmt"
	"testing"
)

// newLead inserts a lead and returns its id.
func newLead(t *testing.T, c *client, last string) string {
	t.Helper()
	st, m := c.do("POST", "/crm/v8/Leads", fmt.Sprintf(`{"data":[{"Last_Name":%q,"First_Name":"Ada"}]}`, last))
	if st != 201 {
		t.Fatalf("insert lead: %d %v", st, m)
	}
	return details(m, 0)["id"].(string)
}

func TestMultiModuleLookupWithSeModule(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	lead := newLead(t, c, "Lovelace")
	st, m := c.do("POST", "/crm/v8/Calls", fmt.Sprintf(`{"data":[
		{"Subject":"Intro","Call_Type":"Outbound","Call_Start_Time":"2024-05-01T10:00:00+02:00","What_Id":{"id":%q},"$se_module":"Leads"},
		{"Subject":"No module","Call_Type":"Outbound","Call_Start_Time":"2024-05-01T10:00:00+02:00","What_Id":{"id":%q}},
		{"Subject":"No record","Call_Type":"Outbound","Call_Start_Time":"2024-05-01T10:00:00+02:00","What_Id":{"id":"123"},"$se_module":"Leads"},
		{"Subject":"Wrong module","Call_Type":"Outbound","Call_Start_Time":"2024-05-01T10:00:00+02:00","What_Id":{"id":%q},"$se_module":"Accounts"}]}`, lead, lead, lead))
	if st != 207 {
		t.Fatalf("status %d: %v", st, m)
	}
	for i, want := range []string{"SUCCESS", "INVALID_DATA", "INVALID_DATA", "INVALID_DATA"} {
		if got := item(m, i)["code"]; got != want {
			t.Errorf("record %d: %v, want %s (%v)", i, got, want, item(m, i))
		}
	}
	if api := details(m, 1)["api_name"]; api != "$se_module" {
		t.Errorf("missing $se_module blamed on %v", api)
	}
	if api := details(m, 2)["api_name"]; api != "What_Id" {
		t.Errorf("missing record blamed on %v", api)
	}
	id := details(m, 0)["id"].(string)
	_, got := c.do("GET", "/crm/v8/Calls/"+id, "")
	rec := item(got, 0)
	ref, _ := rec["What_Id"].(map[string]any)
	if ref["id"] != lead || ref["name"] != "Ada Lovelace" || rec["$se_module"] != "Leads" || len(ref) != 2 {
		t.Fatalf("read back What_Id %v, $se_module %v", rec["What_Id"], rec["$se_module"])
	}
	// A list asked for What_Id alone still carries $se_module.
	_, list := c.do("GET", "/crm/v8/Calls?fields=What_Id", "")
	if r := item(list, 0); r["$se_module"] != "Leads" || r["What_Id"] == nil {
		t.Fatalf("list: %v", r)
	}
	// Clearing the lookup clears its module.
	if st, m := c.do("PUT", "/crm/v8/Calls/"+id, `{"data":[{"What_Id":null}]}`); st != 200 {
		t.Fatalf("clear: %d %v", st, m)
	}
	_, got = c.do("GET", "/crm/v8/Calls/"+id, "")
	if rec := item(got, 0); rec["What_Id"] != nil || rec["$se_module"] != nil {
		t.Fatalf("after clearing: %v %v", rec["What_Id"], rec["$se_module"])
	}
}

func TestEventParticipantsValidated(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	lead := newLead(t, c, "Hopper")
	st, m := c.do("POST", "/crm/v8/Events", fmt.Sprintf(`{"data":[
		{"Event_Title":"Demo","Start_DateTime":"2024-05-01T10:00:00+02:00","End_DateTime":"2024-05-01T11:00:00+02:00",
		 "Participants":[{"type":"lead","participant":%q},{"type":"email","participant":"x@example.com"}]},
		{"Event_Title":"Bad","Start_DateTime":"2024-05-01T10:00:00+02:00","End_DateTime":"2024-05-01T11:00:00+02:00",
		 "Participants":[{"type":"robot","participant":"1"}]},
		{"Event_Title":"No end","Start_DateTime":"2024-05-01T10:00:00+02:00"}]}`, lead))
	if st != 207 {
		t.Fatalf("status %d: %v", st, m)
	}
	for i, want := range []string{"SUCCESS", "INVALID_DATA", "MANDATORY_NOT_FOUND"} {
		if got := item(m, i)["code"]; got != want {
			t.Errorf("record %d: %v, want %s", i, got, want)
		}
	}
}

func TestNotesOfARecord(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	lead := newLead(t, c, "Curie")
	other := newLead(t, c, "Noether")

	// v8 form of Parent_Id, through /Notes.
	st, m := c.do("POST", "/crm/v8/Notes", fmt.Sprintf(`{"data":[{"Parent_Id":{"module":{"api_name":"Leads"},"id":%q},"Note_Title":"First","Note_Content":"one"}]}`, lead))
	if st != 201 {
		t.Fatalf("POST /Notes: %d %v", st, m)
	}
	first := details(m, 0)["id"].(string)
	// Through the record: Parent_Id and $se_module come from the path.
	st, m = c.do("POST", "/crm/v8/Leads/"+lead+"/Notes", fmt.Sprintf(`{"data":[{"Note_Content":"two","Parent_Id":{"id":%q},"$se_module":"Leads"}]}`, other))
	if st != 201 {
		t.Fatalf("POST /Leads/{id}/Notes: %d %v", st, m)
	}
	second := details(m, 0)["id"].(string)
	if st, m = c.do("POST", "/crm/v8/Leads/"+other+"/Notes", `{"data":[{"Note_Title":"no content"}]}`); st != 400 || item(m, 0)["code"] != "MANDATORY_NOT_FOUND" {
		t.Fatalf("note without content: %d %v", st, m)
	}

	_, got := c.do("GET", "/crm/v8/Notes/"+first, "")
	n := item(got, 0)
	ref := n["Parent_Id"].(map[string]any)
	mod, _ := ref["module"].(map[string]any)
	if ref["id"] != lead || ref["name"] != "Ada Curie" || mod["api_name"] != "Leads" || n["$se_module"] != "Leads" || n["Note_Content"] != "one" {
		t.Fatalf("note read back: %v", n)
	}

	st, list := c.do("GET", "/crm/v8/Leads/"+lead+"/Notes?fields=Note_Title,Note_Content,Parent_Id", "")
	if st != 200 || len(list["data"].([]any)) != 2 {
		t.Fatalf("notes of the lead: %d %v", st, list)
	}
	if item(list, 0)["id"] != second || item(list, 1)["id"] != first {
		t.Fatalf("order: %v", list["data"])
	}
	if st, _ := c.do("GET", "/crm/v8/Leads/"+other+"/Notes?fields=Note_Title", ""); st != 204 {
		t.Fatalf("a lead without notes: %d, want 204", st)
	}
	if st, m := c.do("GET", "/crm/v8/Leads/"+lead+"/Notes", ""); st != 400 || m["code"] != "REQUIRED_PARAM_MISSING" {
		t.Fatalf("without fields: %d %v", st, m)
	}
	if st, m := c.do("GET", "/crm/v8/Leads/999/Notes?fields=Note_Title", ""); st != 400 || m["code"] != "INVALID_DATA" {
		t.Fatalf("notes of a missing lead: %d %v", st, m)
	}
	if st, m := c.do("POST", "/crm/v8/Leads/999/Notes", `{"data":[{"Note_Content":"x"}]}`); st != 400 || m["code"] != "INVALID_DATA" {
		t.Fatalf("note on a missing lead: %d %v", st, m)
	}
	if st, m := c.do("POST", "/crm/v8/Notes", `{"data":[{"Note_Content":"x","Parent_Id":{"id":"999"},"$se_module":"Leads"}]}`); st != 400 || item(m, 0)["code"] != "INVALID_DATA" {
		t.Fatalf("POST /Notes to a missing lead: %d %v", st, m)
	}
	if st, m := c.do("DELETE", "/crm/v8/Notes/"+first, ""); st != 200 {
		t.Fatalf("delete note: %d %v", st, m)
	}
}
