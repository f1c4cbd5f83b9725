package zohotest_test

import (
	"encoding/json"
	"reflect"
	"testing"
)

// Regression tests for what running Zoho's official Node.js SDK for CRM v8
// (@zohocrm/nodejs-sdk-8.0) against zhemu showed, driven over plain HTTP.

// The SDK types checkbox fields Boolean; Zoho never answers null for one.
func TestSDKCheckboxReadsFalseWhenUnset(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	_, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Unset"},{"Last_Name":"Set","Email_Opt_Out":true}]}`)
	unset, set := details(m, 0)["id"].(string), details(m, 1)["id"].(string)
	_, m = c.do("GET", "/crm/v8/Leads/"+unset, "")
	if v, ok := item(m, 0)["Email_Opt_Out"]; !ok || v != false {
		t.Errorf("unset Email_Opt_Out = %#v (present %v), want false", v, ok)
	}
	// Clearing with null makes it false too.
	c.do("PUT", "/crm/v8/Leads/"+set, `{"data":[{"Email_Opt_Out":null}]}`)
	_, m = c.do("GET", "/crm/v8/Leads?fields=Email_Opt_Out&ids="+unset+","+set, "")
	for i := range 2 {
		if v := item(m, i)["Email_Opt_Out"]; v != false {
			t.Errorf("record %v Email_Opt_Out = %#v, want false", item(m, i)["id"], v)
		}
	}
	code, m := c.do("POST", "/crm/v8/coql", `{"select_query":"select Last_Name from Leads where Email_Opt_Out = false"}`)
	if code != 200 || len(m["data"].([]any)) != 2 {
		t.Errorf("COQL Email_Opt_Out = false: %d %v, want both records", code, m)
	}
}

// COQL aggregates, which an SDK passes through as a select_query: one row
// per group, keyed "FUNC(column)" or by alias, with no id.
func TestSDKCOQLAggregates(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	c.do("POST", "/crm/v8/Leads", `{"data":[
		{"Last_Name":"A","Lead_Source":"Web Download","No_of_Employees":10,"Annual_Revenue":100.5},
		{"Last_Name":"B","Lead_Source":"Web Download","No_of_Employees":30},
		{"Last_Name":"C","Lead_Source":"Cold Call","No_of_Employees":5,"Annual_Revenue":1}]}`)
	coql := func(q string) (int, map[string]any) {
		return c.doExact("POST", "/crm/v8/coql", `{"select_query":"`+q+`"}`, nil)
	}
	code, m := coql("select COUNT(id), SUM(No_of_Employees), MAX(No_of_Employees), AVG(Annual_Revenue) from Leads where Last_Name is not null")
	if code != 200 {
		t.Fatalf("aggregate without GROUP BY: %d %v", code, m)
	}
	row := item(m, 0)
	want := map[string]any{"COUNT(id)": json.Number("3"), "SUM(No_of_Employees)": json.Number("45"),
		"MAX(No_of_Employees)": json.Number("30"), "AVG(Annual_Revenue)": json.Number("50.75")}
	if !reflect.DeepEqual(row, want) {
		t.Errorf("row = %v, want %v", row, want)
	}
	if info := m["info"].(map[string]any); info["count"] != json.Number("1") || info["more_records"] != false {
		t.Errorf("info = %v", info)
	}

	code, m = coql("select Lead_Source, COUNT(id) as 'n' from Leads where Last_Name is not null group by Lead_Source")
	if code != 200 || len(m["data"].([]any)) != 2 {
		t.Fatalf("group by: %d %v", code, m)
	}
	got := []any{item(m, 0)["Lead_Source"], item(m, 0)["n"], item(m, 1)["Lead_Source"], item(m, 1)["n"]}
	if !reflect.DeepEqual(got, []any{"Cold Call", json.Number("1"), "Web Download", json.Number("2")}) {
		t.Errorf("groups = %v", m["data"])
	}

	code, m = coql("select Last_Name, COUNT(id) from Leads where Last_Name is not null")
	if code != 400 || m["code"] != "INVALID_QUERY" {
		t.Errorf("ungrouped column: %d %v, want 400 INVALID_QUERY", code, m)
	}
}
