package zohotest_test

import (
	"testing"
	"testing/fstest"

	"github.com/zohohub/zohohub/zohotest"
)

// Metadata of a few modules only, as zhgen -live -modules … -dump writes
// it, is enough: the listed modules without fields are not served, and the
// org and current user come from the defaults.
func TestPartialMetadata(t *testing.T) {
	dump := fstest.MapFS{
		"modules.json":         {Data: []byte(`{"modules":[{"api_name":"Projects","module_name":"Projects","api_supported":true,"generated_type":"custom"},{"api_name":"Leads","module_name":"Leads","api_supported":true}]}`)},
		"fields/Projects.json": {Data: []byte(`{"fields":[{"id":"1","api_name":"Name","data_type":"text","json_type":"string","length":120,"system_mandatory":true,"unique":{},"lookup":{}}]}`)},
	}
	_, c := newClient(t, zohotest.WithMetadata(dump))
	if code, m := c.do("POST", "/crm/v8/Projects", `{"data":[{"Name":"Apollo"}]}`); code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	if code, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name", ""); code != 400 || m["code"] != "INVALID_MODULE" {
		t.Fatalf("module without fields: %d %v", code, m)
	}
	if code, m := c.do("GET", "/crm/v8/org", ""); code != 200 || m["org"] == nil {
		t.Fatalf("org: %d %v", code, m)
	}
	if code, _ := c.do("GET", "/crm/v8/settings/layouts?module=Projects", ""); code != 204 {
		t.Fatalf("layouts: %d", code)
	}
}
