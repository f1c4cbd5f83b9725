package zohotest_test

import "testing"

// Unique fields are checked case-insensitively against the values records
// hold now: a value an update or a delete gave up is free again, and an
// upsert finds its record whatever the case.
func TestUniqueFieldFollowsWrites(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	insert := func(email string) (int, map[string]any) {
		return c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"L","Email":"`+email+`"}]}`)
	}
	code, m := insert("a@example.com")
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := details(m, 0)["id"].(string)
	if code, m := insert("A@Example.COM"); code != 400 || item(m, 0)["code"] != "DUPLICATE_DATA" || details(m, 0)["duplicate_record"].(map[string]any)["id"] != id {
		t.Fatalf("same email, other case: %d %v", code, m)
	}
	if code, m := c.do("PUT", "/crm/v8/Leads", `{"data":[{"id":"`+id+`","Email":"b@example.com"}]}`); code != 200 {
		t.Fatalf("update: %d %v", code, m)
	}
	if code, m := c.do("PUT", "/crm/v8/Leads", `{"data":[{"id":"`+id+`","Email":"B@example.com"}]}`); code != 200 {
		t.Fatalf("a record keeping its own value: %d %v", code, m)
	}
	code, m = insert("a@example.com")
	if code != 201 {
		t.Fatalf("the value an update gave up: %d %v", code, m)
	}
	second := details(m, 0)["id"].(string)
	if code, m := insert("b@EXAMPLE.com"); code != 400 || item(m, 0)["code"] != "DUPLICATE_DATA" {
		t.Fatalf("the value an update took: %d %v", code, m)
	}
	code, m = c.do("POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Up","Email":"B@EXAMPLE.COM"}],"duplicate_check_fields":["Email"]}`)
	if code != 200 && code != 201 || item(m, 0)["action"] != "update" || details(m, 0)["id"] != id {
		t.Fatalf("upsert by email: %d %v", code, m)
	}
	if code, m := c.do("DELETE", "/crm/v8/Leads?ids="+second, ""); code != 200 {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, m := insert("A@EXAMPLE.COM"); code != 201 {
		t.Fatalf("the value a delete gave up: %d %v", code, m)
	}
}
