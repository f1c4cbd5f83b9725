package zohotest_test

import (
	"fmt"
	"testing"
)

// TestIDsAsJSONNumbers: Zoho's official SDKs send every id as a JSON
// number (lookups, Owner, a note's Parent_Id, the ids of a bulk update);
// Zoho takes them, all 19 digits exact, and answers with strings.
func TestIDsAsJSONNumbers(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	st, m := c.do("POST", "/crm/v8/Accounts", `{"data":[{"Account_Name":"Acme"}]}`)
	if st != 201 {
		t.Fatalf("account: %d %v", st, m)
	}
	acct := details(m, 0)["id"].(string)
	owner := srv.Records("Accounts")[0]["Owner"].(map[string]any)["id"].(string)

	st, m = c.do("POST", "/crm/v8/Contacts", fmt.Sprintf(`{"data":[{"Last_Name":"Ng","Account_Name":{"id":%s},"Owner":{"id":%s}}]}`, acct, owner))
	if st != 201 {
		t.Fatalf("contact with numeric ids: %d %v", st, m)
	}
	contact := details(m, 0)["id"].(string)
	_, got := c.do("GET", "/crm/v8/Contacts/"+contact, "")
	rec := item(got, 0)
	if rec["Account_Name"].(map[string]any)["id"] != acct || rec["Owner"].(map[string]any)["id"] != owner {
		t.Fatalf("read back %v %v, want the strings %s %s", rec["Account_Name"], rec["Owner"], acct, owner)
	}

	// A bulk update names its records by number.
	if st, m := c.do("PUT", "/crm/v8/Contacts", fmt.Sprintf(`{"data":[{"id":%s,"Last_Name":"Ngo"}]}`, contact)); st != 200 || item(m, 0)["code"] != "SUCCESS" {
		t.Fatalf("update by numeric id: %d %v", st, m)
	}
	if srv.Records("Contacts")[0]["Last_Name"] != "Ngo" {
		t.Fatal("not updated")
	}

	// A note's Parent_Id, as the Python SDK adds a note.
	st, m = c.do("POST", "/crm/v8/Notes", fmt.Sprintf(`{"data":[{"Note_Content":"hi","Parent_Id":{"module":{"api_name":"Contacts"},"id":%s}}]}`, contact))
	if st != 201 {
		t.Fatalf("note with a numeric Parent_Id: %d %v", st, m)
	}
	if _, notes := c.do("GET", "/crm/v8/Contacts/"+contact+"/Notes?fields=Note_Content", ""); len(notes["data"].([]any)) != 1 {
		t.Fatalf("notes of the contact: %v", notes)
	}

	// Not ids: a fraction, an exponent, 20 digits, a negative number.
	for _, bad := range []string{acct + ".0", "5.725767000001e18", "57257670000010000261", "-5"} {
		st, m := c.do("POST", "/crm/v8/Contacts", fmt.Sprintf(`{"data":[{"Last_Name":"X","Account_Name":{"id":%s}}]}`, bad))
		if st != 400 || item(m, 0)["code"] != "INVALID_DATA" || details(m, 0)["api_name"] != "Account_Name" {
			t.Errorf("id %s: %d %v", bad, st, m)
		}
	}
}
