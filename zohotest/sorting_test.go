package zohotest_test

import "testing"

// Search orders like Get Records: sort_by and sort_order, default id desc,
// and says so in info.
func TestSearchSortOrder(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe A"}, map[string]any{"Last_Name": "Doe B"}, map[string]any{"Last_Name": "Doe C"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		first string
		order string
	}{{"", ids[2], "desc"}, {"&sort_order=asc", ids[0], "asc"}, {"&sort_by=Created_Time&sort_order=desc", ids[2], "desc"}} {
		code, m := c.do("GET", "/crm/v8/Leads/search?word=Doe"+tc.query, "")
		info, _ := m["info"].(map[string]any)
		if code != 200 || item(m, 0)["id"] != tc.first || info["sort_order"] != tc.order {
			t.Errorf("%q: %d first %v info %v", tc.query, code, item(m, 0)["id"], info)
		}
	}
	if code, m := c.do("GET", "/crm/v8/Leads/search?word=Doe&sort_order=up", ""); code != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("bad sort_order: %d %v", code, m)
	}
}
