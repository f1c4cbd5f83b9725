package zohotest_test

import (
	"testing"
)

// Regression tests for what running Zoho's official Node.js SDK for CRM v8
// (@zohocrm/nodejs-sdk-8.0) against zhemu showed, driven over plain HTTP.

// The SDK types checkbox fields Boolean; Zoho never answers null for one.
func TestSDKCheckboxReadsFalseWhenUnset(t *testing.T) {
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
