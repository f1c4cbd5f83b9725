package credits

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCost(t *testing.T) {
	records := func(n int) string {
		return `{"data":[` + strings.TrimSuffix(strings.Repeat(`{"Last_Name":"x"},`, n), ",") + `]}`
	}
	coql := func(q string) string { return fmt.Sprintf(`{"select_query":%q}`, q) }
	for _, tc := range []struct {
		method, target, body string
		want                 int
	}{
		{"GET", "/crm/v8/Leads?fields=Last_Name", "", 1},
		{"GET", "/crm/v8/Leads?cvid=123", "", 3},
		{"GET", "/crm/v8/Leads/123", "", 1},
		{"GET", "/crm/v8/Leads/deleted?type=all", "", 2},
		{"GET", "/crm/v2/Leads/deleted", "", 2},
		{"GET", "/crm/v8/settings/fields?module=Leads", "", 1},
		{"POST", "/crm/v8/Leads", records(1), 1},
		{"POST", "/crm/v8/Leads", records(10), 1},
		{"POST", "/crm/v8/Leads", records(11), 2},
		{"PUT", "/crm/v8/Leads", records(100), 10},
		{"POST", "/crm/v8/Leads/upsert", records(35), 4},
		{"PUT", "/crm/v8/Leads/123", records(1), 1},
		{"DELETE", "/crm/v8/Leads?ids=1,2,3", "", 1},
		{"POST", "/crm/v8/Leads/123/actions/convert", `{"data":[{}]}`, 5},
		{"POST", "/crm/v8/Leads/actions/add_tags?ids=" + strings.Repeat("1,", 50) + "1", "", 2},
		{"POST", "/crm/v8/Leads/actions/remove_tags", `{"tags":[],"ids":["1","2"]}`, 1},
		{"POST", "/crm/v8/coql", coql("select Last_Name from Leads where id is not null"), 1},
		{"POST", "/crm/v8/coql", coql("select Last_Name from Leads where id is not null limit 0, 2000"), 3},
		{"POST", "/crm/v8/coql", coql("select Last_Name from Leads where id is not null LIMIT 500"), 2},
		{"POST", "/crm/v8/coql", coql("select Last_Name from Leads where id is not null limit 201 offset 10"), 2},
		{"POST", "/crm/v8/coql", coql("select Last_Name from Leads where Company = 'limit 5000'"), 1},
		{"POST", "/crm/bulk/v8/read", `{}`, 50},
		{"GET", "/crm/bulk/v8/read/123", "", 1},
		{"GET", "/crm/bulk/v8/read/123/result", "", 1},
		{"POST", "/crm/bulk/v8/write", `{}`, 500},
		{"POST", "/oauth/v2/token", "", 0},
	} {
		u, _ := url.Parse(tc.target)
		if got := Cost(tc.method, u.Path, u.Query(), []byte(tc.body)); got != tc.want {
			t.Errorf("%s %s: cost %d, want %d", tc.method, tc.target, got, tc.want)
		}
	}
}

func TestRemaining(t *testing.T) {
	for v, want := range map[string]int{"4500": 4500, " 12 ": 12, "": -1, "x": -1, "-3": -1} {
		h := http.Header{}
		if v != "" {
			h.Set("x-api-credits-remaining", v)
		}
		n, ok := Remaining(h)
		if (want < 0 && ok) || (want >= 0 && (!ok || n != want)) {
			t.Errorf("%q: %d, %v; want %d", v, n, ok, want)
		}
	}
}

func TestCharged(t *testing.T) {
	for status, want := range map[int]bool{200: true, 201: true, 204: true, 304: true, 400: true, 401: false, 404: false, 429: false, 500: false} {
		if Charged(status) != want {
			t.Errorf("Charged(%d) = %v", status, !want)
		}
	}
}
