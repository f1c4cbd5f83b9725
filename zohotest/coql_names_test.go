package zohotest_test

import "testing"

// From v7 on COQL answers lookup and user columns with the display name
// beside the id; before, with the id alone.
func TestCOQLLookupNamesByVersion(t *testing.T) {
	srv, c := newClient(t)
	acct, err := srv.Seed("Accounts", map[string]any{"Account_Name": "Zylker"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Seed("Contacts", map[string]any{"Last_Name": "Roe", "Account_Name": map[string]any{"id": acct[0]}}); err != nil {
		t.Fatal(err)
	}
	query := `{"select_query":"select Last_Name, Account_Name, Owner from Contacts where Last_Name = 'Roe'"}`
	for _, tc := range []struct {
		version  string
		withName bool
	}{{"v6", false}, {"v7", true}, {"v8", true}} {
		code, m := c.do("POST", "/crm/"+tc.version+"/coql", query)
		row := item(m, 0)
		a, _ := row["Account_Name"].(map[string]any)
		o, _ := row["Owner"].(map[string]any)
		if code != 200 || a["id"] != acct[0] || o["id"] == nil {
			t.Fatalf("%s: %d %v", tc.version, code, m)
		}
		if _, named := a["name"]; named != tc.withName || (tc.withName && (a["name"] != "Zylker" || o["name"] == nil)) {
			t.Errorf("%s: Account_Name %v, Owner %v", tc.version, a, o)
		}
	}
}
