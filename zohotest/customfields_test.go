package zohotest_test

import (
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// A declared custom field is served as metadata and validated in records
// like any other; an undeclared one is still rejected.
func TestWithCustomField(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, zohotest.WithCustomField("Accounts", "Rating__c", "double"),
		zohotest.WithCustomField("Accounts", "Partner__c", "lookup:Accounts"),
		zohotest.WithCustomField("Accounts", "Employees", "text")) // an admin changed its type
	code, m := c.do("GET", "/crm/v8/settings/fields?module=Accounts", "")
	if code != 200 {
		t.Fatalf("fields: %d", code)
	}
	types := map[string]string{}
	for _, f := range m["fields"].([]any) {
		f := f.(map[string]any)
		types[f["api_name"].(string)] = f["data_type"].(string) + "/" + f["json_type"].(string)
		if f["api_name"] == "Rating__c" && (f["custom_field"] != true || f["field_label"] != "Rating" || f["id"] == "") {
			t.Errorf("Rating__c metadata: %v", f)
		}
	}
	if types["Rating__c"] != "double/double" || types["Partner__c"] != "lookup/jsonobject" || types["Employees"] != "text/string" {
		t.Fatalf("types: %v", types)
	}

	code, m = c.do("POST", "/crm/v8/Accounts", `{"data":[{"Account_Name":"Zylker","Rating__c":4.5,"Employees":"many"}]}`)
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := item(m, 0)["details"].(map[string]any)["id"].(string)
	for body, wantField := range map[string]string{
		`{"data":[{"Account_Name":"Acme","Rating__c":"high"}]}`:               "Rating__c",
		`{"data":[{"Account_Name":"Acme","Partner__c":{"id":"1234567890"}}]}`: "Partner__c",
		`{"data":[{"Account_Name":"Acme","Undeclared__c":1}]}`:                "Undeclared__c",
	} {
		code, m := c.do("POST", "/crm/v8/Accounts", body)
		if d, _ := item(m, 0)["details"].(map[string]any); code != 400 || d["api_name"] != wantField {
			t.Errorf("%s: %d %v", body, code, m)
		}
	}
	code, m = c.do("POST", "/crm/v8/Accounts", `{"data":[{"Account_Name":"Acme","Partner__c":{"id":"`+id+`"}}]}`)
	if code != 201 {
		t.Fatalf("lookup to an existing account: %d %v", code, m)
	}
}

func TestWithCustomFieldUnknownModule(t *testing.T) {
	t.Parallel()
	_, err := zohotest.Start(zohotest.WithCustomField("Nope", "X__c", "text"))
	if err == nil || !strings.Contains(err.Error(), `"Nope"`) {
		t.Fatalf("err = %v", err)
	}
}
