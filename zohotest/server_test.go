package zohotest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub/zohotest"
)

// client is an independent HTTP client: plain net/http and JSON.
type client struct {
	t      *testing.T
	base   string
	access string
}

func newClient(t *testing.T, opts ...zohotest.Option) (*zohotest.Server, *client) {
	srv := zohotest.New(t, opts...)
	access, _ := srv.IssueToken()
	return srv, &client{t: t, base: srv.URL(), access: access}
}

func (c *client) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if c.access != "" {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+c.access)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func item(m map[string]any, i int) map[string]any { return m["data"].([]any)[i].(map[string]any) }

func details(m map[string]any, i int) map[string]any { return item(m, i)["details"].(map[string]any) }

func TestOAuthExchangeRefreshRevoke(t *testing.T) {
	t.Parallel()
	srv := zohotest.New(t)
	form := func(v url.Values) map[string]any {
		resp, err := http.PostForm(srv.URL()+"/oauth/v2/token", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("token endpoint answered %d; Zoho answers 200 even for errors", resp.StatusCode)
		}
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return m
	}
	grant := srv.NewGrantToken()
	creds := url.Values{"client_id": {srv.ClientID()}, "client_secret": {srv.ClientSecret()}}
	ex := url.Values{"grant_type": {"authorization_code"}, "code": {grant}}
	for k, v := range creds {
		ex[k] = v
	}
	tok := form(ex)
	if tok["access_token"] == nil || tok["refresh_token"] == nil || tok["api_domain"] != srv.URL() || tok["expires_in"] != 3600.0 {
		t.Fatalf("exchange: %v", tok)
	}
	if again := form(ex); again["error"] != "invalid_code" {
		t.Fatalf("grant reused: %v", again)
	}
	refresh := tok["refresh_token"].(string)
	rf := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}
	for k, v := range creds {
		rf[k] = v
	}
	next := form(rf)
	if next["access_token"] == nil || next["refresh_token"] != nil {
		t.Fatalf("refresh answer: %v", next)
	}
	c := &client{t: t, base: srv.URL(), access: next["access_token"].(string)}
	if code, _ := c.do("GET", "/crm/v8/org", ""); code != 200 {
		t.Fatalf("org: %d", code)
	}
	resp, _ := http.Post(srv.URL()+"/oauth/v2/token/revoke?token="+url.QueryEscape(refresh), "", nil)
	resp.Body.Close()
	if code, m := c.do("GET", "/crm/v8/org", ""); code != 401 || m["code"] != "INVALID_TOKEN" {
		t.Fatalf("after revoke: %d %v", code, m)
	}
	if m := form(rf); m["error"] != "invalid_code" {
		t.Fatalf("refresh after revoke: %v", m)
	}
	bad := url.Values{"grant_type": {"authorization_code"}, "client_id": {"nope"}, "client_secret": {"x"}, "code": {"x"}}
	if m := form(bad); m["error"] != "invalid_client" {
		t.Fatalf("bad client: %v", m)
	}
}

func TestRecordsCRUDEnvelopes(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	code, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Doe","Company":"Acme","Email":"doe@acme.example","No_of_Employees":12}]}`)
	if code != 201 || item(m, 0)["code"] != "SUCCESS" || item(m, 0)["message"] != "record added" {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := details(m, 0)["id"].(string)
	if len(id) != 19 || details(m, 0)["Created_Time"] == nil {
		t.Fatalf("details: %v", details(m, 0))
	}
	// Mixed batch: 207 with per-record errors in request order.
	code, m = c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Ok"},{"Company":"no last name"},{"Last_Name":"x","No_of_Employees":"many"},{"Last_Name":"y","Email":"doe@acme.example"},{"Last_Name":"z","Bogus_Field":1}]}`)
	if code != 207 {
		t.Fatalf("mixed: %d %v", code, m)
	}
	want := []struct{ code, api, expected string }{{"SUCCESS", "", ""}, {"MANDATORY_NOT_FOUND", "Last_Name", ""}, {"INVALID_DATA", "No_of_Employees", "integer"}, {"DUPLICATE_DATA", "Email", ""}, {"INVALID_DATA", "Bogus_Field", ""}}
	for i, w := range want {
		it := item(m, i)
		if it["code"] != w.code || (w.api != "" && details(m, i)["api_name"] != w.api) {
			t.Errorf("item %d: %v, want %v", i, it, w)
		}
		if w.expected != "" && details(m, i)["expected_data_type"] != w.expected {
			t.Errorf("item %d: expected_data_type %v", i, details(m, i)["expected_data_type"])
		}
		if w.code != "SUCCESS" && (it["status"] != "error" || details(m, i)["json_path"] != fmt.Sprintf("$.data[%d].%s", i, w.api)) {
			t.Errorf("item %d envelope: %v", i, it)
		}
	}
	if code, _ := c.do("POST", "/crm/v8/Leads", `{"data":[{"Company":"x"}]}`); code != 400 {
		t.Fatalf("all failed: %d", code)
	}
	code, m = c.do("PUT", "/crm/v8/Leads", `{"data":[{"id":"`+id+`","Company":"Acme 2"}]}`)
	if code != 200 || item(m, 0)["message"] != "record updated" {
		t.Fatalf("update: %d %v", code, m)
	}
	code, m = c.do("GET", "/crm/v8/Leads/"+id, "")
	if code != 200 || item(m, 0)["Company"] != "Acme 2" || item(m, 0)["Last_Name"] != "Doe" || item(m, 0)["No_of_Employees"] != 12.0 {
		t.Fatalf("get: %d %v", code, m)
	}
	code, m = c.do("POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Doe","Email":"doe@acme.example","Company":"Upserted"}],"duplicate_check_fields":["Email"]}`)
	if code != 201 || item(m, 0)["action"] != "update" || item(m, 0)["duplicate_field"] != "Email" {
		t.Fatalf("upsert: %d %v", code, m)
	}
	if code, m = c.do("DELETE", "/crm/v8/Leads?ids="+id, ""); code != 200 || item(m, 0)["message"] != "record deleted" {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, _ := c.do("GET", "/crm/v8/Leads/"+id, ""); code != 204 {
		t.Fatalf("get deleted: %d", code)
	}
	if code, m = c.do("DELETE", "/crm/v8/Leads/"+id, ""); code != 400 || item(m, 0)["code"] != "INVALID_DATA" {
		t.Fatalf("delete twice: %d %v", code, m)
	}
}

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/crm/v8/Leads", 400, "REQUIRED_PARAM_MISSING"},
		{"GET", "/crm/v8/Nope?fields=id", 400, "INVALID_MODULE"},
		{"GET", "/crm/v9/Leads", 404, "INVALID_URL_PATTERN"},
		{"GET", "/crm/v8/Leads/1/2/3/4", 404, "INVALID_URL_PATTERN"},
		{"PATCH", "/crm/v8/Leads", 400, "INVALID_REQUEST_METHOD"},
		{"GET", "/crm/v8/Leads?fields=Last_Name&page=11", 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED"},
		{"GET", "/crm/v8/Leads/search", 400, "EXPECTED_PARAM_MISSING"},
		{"GET", "/crm/v8/Leads/search?criteria=(Nope:equals:x)", 400, "INVALID_QUERY"},
		{"GET", "/crm/v8/Leads/search?criteria=(Last_Name:equals:x)&page=11", 400, "LIMIT_REACHED"},
	} {
		code, m := c.do(tc.method, tc.path, "")
		if code != tc.status || m["code"] != tc.code || m["status"] != "error" || m["message"] == nil || m["details"] == nil {
			t.Errorf("%s %s: %d %v, want %d %s", tc.method, tc.path, code, m, tc.status, tc.code)
		}
	}
	if code, _ := c.do("GET", "/crm/v2/Leads", ""); code != 204 {
		t.Errorf("v2 list without fields: %d, want 204 (fields optional, nothing stored)", code)
	}
	c.access = "1000.wrong"
	if code, m := c.do("GET", "/crm/v8/org", ""); code != 401 || m["code"] != "INVALID_TOKEN" {
		t.Errorf("bad token: %d %v", code, m)
	}
}

func TestCOQLAndSearch(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	srv.Seed("Leads", map[string]any{"Last_Name": "Burns,B", "Company": "A"}, map[string]any{"Last_Name": "Smith", "Company": "B"})
	code, m := c.do("GET", "/crm/v8/Leads/search?criteria="+url.QueryEscape(`(Last_Name:equals:Burns\,B)`), "")
	if code != 200 || len(m["data"].([]any)) != 1 {
		t.Fatalf("search: %d %v", code, m)
	}
	code, m = c.do("POST", "/crm/v8/coql", `{"select_query":"select Last_Name, Company from Leads where Company = 'B' limit 0, 10"}`)
	if code != 200 || item(m, 0)["Last_Name"] != "Smith" || m["info"].(map[string]any)["more_records"] != false {
		t.Fatalf("coql: %d %v", code, m)
	}
	if code, m = c.do("POST", "/crm/v8/coql", `{"select_query":"select from"}`); code != 400 || m["code"] != "SYNTAX_ERROR" {
		t.Fatalf("coql syntax: %d %v", code, m)
	}
}

func TestFaultsAndConcurrencyLimit(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, zohotest.WithConcurrencyLimit(2), zohotest.WithLatency(30*time.Millisecond))
	srv.FailNext("GET /crm/v8/org", 1, 500, "INTERNAL_ERROR")
	if code, m := c.do("GET", "/crm/v8/org", ""); code != 500 || m["code"] != "INTERNAL_ERROR" {
		t.Fatalf("injected: %d %v", code, m)
	}
	var limited atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if code, _ := c.do("GET", "/crm/v8/org", ""); code == 429 {
				limited.Add(1)
			}
		})
	}
	wg.Wait()
	if limited.Load() == 0 {
		t.Fatal("no 429 beyond the concurrency limit")
	}
}

func TestConcurrentWritersStayConsistent(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	var inserted, deleted atomic.Int32
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Go(func() {
			for i := range 6 {
				code, m := c.do("POST", "/crm/v8/Leads", fmt.Sprintf(`{"data":[{"Last_Name":"g%d-%d"}]}`, g, i))
				if code != 201 {
					t.Errorf("insert: %d %v", code, m)
					return
				}
				inserted.Add(1)
				if i%2 == 0 {
					id := details(m, 0)["id"].(string)
					if code, _ := c.do("DELETE", "/crm/v8/Leads/"+id, ""); code == 200 {
						deleted.Add(1)
					}
				}
				c.do("GET", "/crm/v8/Leads?fields=Last_Name&per_page=5", "")
			}
		})
	}
	wg.Wait()
	_, m := c.do("GET", "/crm/v8/Leads/actions/count", "")
	want := int(inserted.Load() - deleted.Load())
	if m["count"] != float64(want) || len(srv.Records("Leads")) != want || len(listAll(c, "Leads")) != want {
		t.Fatalf("count %v, records %d, listed %d, want %d", m["count"], len(srv.Records("Leads")), len(listAll(c, "Leads")), want)
	}
}
