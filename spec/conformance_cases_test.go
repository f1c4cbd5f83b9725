package spec_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testAccounts obtains the suite's token through the real OAuth
// endpoints and checks their answers and errors (docs/wire.md §1).
func (c *conformance) testAccounts(t *testing.T) {
	id, secret := c.srv.ClientID(), c.srv.ClientSecret()
	token := func(v url.Values) exchange {
		return c.send(t, "POST", "/oauth/v2/token", v.Encode(), "")
	}
	grant := url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret}, "code": {c.srv.NewGrantToken()}}
	m := c.accounts(t, token(grant), 200, tokenGrantSchema())
	access, _ := m["access_token"].(string)
	refresh, _ := m["refresh_token"].(string)
	if refresh == "" {
		t.Fatalf("authorization-code exchange gave no refresh_token: %v", m)
	}
	m = c.accounts(t, token(url.Values{"grant_type": {"refresh_token"}, "client_id": {id}, "client_secret": {secret}, "refresh_token": {refresh}}), 200, tokenGrantSchema())
	if _, ok := m["refresh_token"]; ok {
		t.Errorf("refresh answered a refresh_token: %v", m)
	}
	c.access, _ = m["access_token"].(string)
	if access == "" || c.access == "" {
		t.Fatal("no access token")
	}

	for _, e := range []struct {
		v    url.Values
		want string
	}{
		{grant, "invalid_code"}, // a grant code is single use
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {"nobody"}, "client_secret": {secret}, "refresh_token": {refresh}}, "invalid_client"},
		{url.Values{"grant_type": {"refresh_token"}, "client_id": {id}, "client_secret": {"wrong"}, "refresh_token": {refresh}}, "invalid_client_secret"},
		{url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}, "unsupported_grant_type"},
	} {
		if m := c.accounts(t, token(e.v), 200, tokenErrorSchema()); m["error"] != e.want {
			t.Errorf("token error %v, want %s", m["error"], e.want)
		}
	}

	// Consent: the browser is sent back with a grant code and the DC.
	q := url.Values{"client_id": {id}, "response_type": {"code"}, "scope": {"ZohoCRM.modules.ALL"},
		"redirect_uri": {"http://127.0.0.1:9/cb"}, "state": {"st8"}, "access_type": {"offline"}}
	x := c.send(t, "GET", "/oauth/v2/auth?"+q.Encode(), "", "")
	c.mark(x)
	back, err := url.Parse(x.header.Get("Location"))
	if x.status != http.StatusFound || err != nil {
		t.Fatalf("consent: %d %q", x.status, x.header.Get("Location"))
	}
	bq := back.Query()
	if bq.Get("code") == "" || bq.Get("state") != "st8" || bq.Get("location") == "" || bq.Get("accounts-server") != c.srv.URL() {
		t.Errorf("consent redirect %s lacks code, state, location or accounts-server (docs/wire.md §1.2)", back)
	}
	m = c.accounts(t, token(url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret}, "code": {bq.Get("code")}}), 200, tokenGrantSchema())
	if x := c.send(t, "GET", "/oauth/v2/auth?"+strings.Replace(q.Encode(), "client_id="+url.QueryEscape(id), "client_id=nobody", 1), "", ""); x.status != http.StatusBadRequest {
		t.Errorf("consent for an unknown client: %d, want 400", x.status)
	}

	// Revoke the consent's refresh token: its access token dies with it.
	other, _ := m["refresh_token"].(string)
	otherAccess, _ := m["access_token"].(string)
	c.accounts(t, c.send(t, "POST", "/oauth/v2/token/revoke", url.Values{"token": {other}}.Encode(), ""), 200, revokeSchema(true))
	c.accounts(t, c.send(t, "POST", "/oauth/v2/token/revoke?token="+url.QueryEscape(other), "", ""), 400, revokeSchema(false))
	c.expect(t, c.send(t, "GET", "/crm/v8/Leads?fields=Last_Name", "", otherAccess), 401, "INVALID_TOKEN")
}

// testMetadata checks the settings, users and org routes.
func (c *conformance) testMetadata(t *testing.T) {
	c.crm(t, "GET", "/crm/v8/settings/modules", "", 200, "")
	c.crm(t, "GET", "/crm/v8/settings/modules/Leads", "", 200, "")
	c.crm(t, "GET", "/crm/v8/settings/modules/Nope", "", 400, "INVALID_MODULE")
	for _, kind := range []string{"fields", "layouts", "related_lists", "custom_views"} {
		c.crm(t, "GET", "/crm/v8/settings/"+kind+"?module=Leads", "", 200, "")
		c.crm(t, "GET", "/crm/v8/settings/"+kind+"?module=Nope", "", 400, "INVALID_MODULE")
		c.crm(t, "GET", "/crm/v8/settings/"+kind, "", 400, "REQUIRED_PARAM_MISSING")
	}
	fieldID := c.firstID(t, "/crm/v8/settings/fields?module=Leads", "fields")
	c.crm(t, "GET", "/crm/v8/settings/fields/"+fieldID+"?module=Leads", "", 200, "")
	c.crm(t, "GET", "/crm/v8/settings/fields/1?module=Leads", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/settings/fields/"+fieldID, "", 400, "REQUIRED_PARAM_MISSING")
	viewID := c.firstID(t, "/crm/v8/settings/custom_views?module=Leads", "custom_views")
	c.crm(t, "GET", "/crm/v8/settings/custom_views/"+viewID+"?module=Leads", "", 200, "")
	c.crm(t, "GET", "/crm/v8/settings/custom_views/1?module=Leads", "", 204, "")
	uid := c.firstID(t, "/crm/v8/users", "users")
	c.crm(t, "GET", "/crm/v8/users?type=CurrentUser", "", 200, "")
	c.crm(t, "GET", "/crm/v8/users?type=ActiveUsers&page=1&per_page=200", "", 200, "")
	c.crm(t, "GET", "/crm/v8/users?type=DeletedUsers", "", 204, "")
	c.crm(t, "GET", "/crm/v8/users?type=Nobody", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/users/"+uid, "", 200, "")
	c.crm(t, "GET", "/crm/v8/users/1", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/org", "", 200, "")
}

// firstID is the id of the first item of the list key in the 200 answer
// to a GET of target; an empty list fails t.
func (c *conformance) firstID(t *testing.T, target, key string) string {
	t.Helper()
	x := c.crm(t, "GET", target, "", 200, "")
	list, _ := x.json()[key].([]any)
	if len(list) == 0 {
		t.Fatalf("no %s: %s", key, x.body)
	}
	id, _ := list[0].(map[string]any)["id"].(string)
	return id
}

// testRecords checks list, get, insert, update, upsert, delete, deleted
// and count.
func (c *conformance) testRecords(t *testing.T) {
	ids, err := c.srv.Seed("Leads",
		map[string]any{"Last_Name": "Ada", "Company": "A", "Email": "ada@a.example"},
		map[string]any{"Last_Name": "Bob", "Company": "B"},
		map[string]any{"Last_Name": "Cy", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Hour).Format(time.RFC3339)
	after := time.Now().Add(time.Hour).Format(time.RFC3339)

	// List: pages, page tokens, 204, 304 and the parameter errors.
	x := c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name,Email&per_page=2", "", 200, "")
	info, _ := x.json()["info"].(map[string]any)
	tok, _ := info["next_page_token"].(string)
	if tok == "" {
		t.Fatalf("no next_page_token: %s", x.body)
	}
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name,Email&per_page=2&page_token="+tok, "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&per_page=2&page_token="+tok, "", 400, "TOKEN_BOUND_DATA_MISMATCH")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&page_token=nope", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&page=1&page_token="+tok, "", 400, "AMBIGUITY_DURING_PROCESSING")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&page=2", "", 204, "")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&page=11", "", 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED")
	c.crm(t, "GET", "/crm/v8/Leads", "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Nope", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&per_page=201", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&sort_by=Company", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name&ids="+ids[0], "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name", "", 200, "", "If-Modified-Since", before)
	c.crm(t, "GET", "/crm/v8/Leads?fields=Last_Name", "", 304, "", "If-Modified-Since", after)
	c.crm(t, "GET", "/crm/v8/Vendors?fields=Vendor_Name", "", 204, "")
	c.crm(t, "GET", "/crm/v8/Nope?fields=Last_Name", "", 400, "INVALID_MODULE")

	// One record.
	c.crm(t, "GET", "/crm/v8/Leads/"+ids[0], "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/1", "", 204, "")

	// Insert: 201, 207 with per-record errors, 400, and body errors.
	c.crm(t, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Dee","Company":"D"}]}`, 201, "SUCCESS")
	x = c.crm(t, "POST", "/crm/v8/Leads",
		`{"data":[{"Last_Name":"Eve"},{"Company":"no last name"},{"Last_Name":"F","No_of_Employees":"many"},{"Last_Name":"G","Email":"ada@a.example"}]}`,
		207, "SUCCESS,MANDATORY_NOT_FOUND,INVALID_DATA,DUPLICATE_DATA")
	for i, keys := range [][]string{nil, {"api_name", "json_path"}, {"api_name", "json_path", "expected_data_type"}, {"api_name", "json_path"}} {
		d, _ := x.json()["data"].([]any)[i].(map[string]any)["details"].(map[string]any)
		for _, k := range keys {
			if d[k] == nil {
				t.Errorf("insert item %d: details lack %s: %v", i, k, d)
			}
		}
	}
	c.crm(t, "POST", "/crm/v8/Leads", `{"data":[{"Company":"x"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", "/crm/v8/Leads", `not json`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads", `{"data":[]}`, 400, "EXPECTED_FIELD_MISSING")
	c.crm(t, "POST", "/crm/v8/Leads", `{"data":[`+strings.Repeat(`{"Last_Name":"n"},`, 100)+`{"Last_Name":"n"}]}`, 400, "LIMIT_EXCEEDED")

	// Update by body and by path.
	c.crm(t, "PUT", "/crm/v8/Leads", `{"data":[{"id":"`+ids[1]+`","Company":"B2"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", "/crm/v8/Leads", `{"data":[{"id":"`+ids[1]+`","Company":"B3"},{"Company":"no id"}]}`, 207, "SUCCESS,MANDATORY_NOT_FOUND")
	c.crm(t, "PUT", "/crm/v8/Leads", `{"data":[{"id":"1","Company":"x"}]}`, 400, "INVALID_DATA")
	c.crm(t, "PUT", "/crm/v8/Leads/"+ids[1], `{"data":[{"Company":"B4"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", "/crm/v8/Leads/1", `{"data":[{"Company":"x"}]}`, 400, "INVALID_DATA")

	// Upsert: an insert, then an update found by the duplicate check.
	c.crm(t, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Hal","Email":"hal@h.example"}]}`, 201, "SUCCESS")
	c.crm(t, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Hal2","Email":"hal@h.example"}],"duplicate_check_fields":["Email"]}`, 201, "SUCCESS")
	c.crm(t, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Company":"none"}]}`, 400, "MANDATORY_NOT_FOUND")

	// Count, then delete, then the recycle bin.
	c.crm(t, "GET", "/crm/v8/Leads/actions/count", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/actions/count?criteria=(Company:equals:A)", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/actions/count?criteria=(Nope:equals:A)", "", 400, "INVALID_QUERY")
	c.crm(t, "GET", "/crm/v8/Leads/deleted", "", 204, "")
	c.crm(t, "DELETE", "/crm/v8/Leads/"+ids[2], "", 200, "SUCCESS")
	c.crm(t, "DELETE", "/crm/v8/Leads/"+ids[2], "", 400, "INVALID_DATA")
	c.crm(t, "DELETE", "/crm/v8/Leads?ids="+ids[1], "", 200, "SUCCESS")
	c.crm(t, "DELETE", "/crm/v8/Leads?ids="+ids[0]+","+ids[1], "", 207, "SUCCESS,INVALID_DATA")
	c.crm(t, "DELETE", "/crm/v8/Leads?ids=1", "", 400, "INVALID_DATA")
	c.crm(t, "DELETE", "/crm/v8/Leads", "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", "/crm/v8/Leads/deleted", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/deleted?type=recycle&page=1&per_page=1", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/deleted?page=4&per_page=1", "", 204, "")
	c.crm(t, "GET", "/crm/v8/Leads/deleted?per_page=201", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads/deleted", "", 200, "", "If-Modified-Since", "2000-01-01T00:00:00+00:00")
	c.crm(t, "GET", "/crm/v8/Leads/deleted", "", 304, "", "If-Modified-Since", "2100-01-01T00:00:00+00:00")
	c.crm(t, "GET", "/crm/v8/Leads/deleted", "", 400, "INVALID_DATA", "If-Modified-Since", "yesterday")
}

// testSearch checks search by criteria, email, phone and word.
func (c *conformance) testSearch(t *testing.T) {
	if _, err := c.srv.Seed("Contacts", map[string]any{"Last_Name": "Burns", "Email": "burns@b.example"}); err != nil {
		t.Fatal(err)
	}
	c.crm(t, "GET", "/crm/v8/Contacts/search?criteria="+url.QueryEscape("(Last_Name:equals:Burns)"), "", 200, "")
	c.crm(t, "GET", "/crm/v8/Contacts/search?email=burns@b.example&fields=Last_Name", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Contacts/search?word=burn", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Contacts/search?criteria="+url.QueryEscape("(Last_Name:equals:Nobody)"), "", 204, "")
	c.crm(t, "GET", "/crm/v8/Contacts/search?criteria="+url.QueryEscape("(Nope:equals:x)"), "", 400, "INVALID_QUERY")
	c.crm(t, "GET", "/crm/v8/Contacts/search", "", 400, "EXPECTED_PARAM_MISSING")
	c.crm(t, "GET", "/crm/v8/Contacts/search?word=burn&page=11", "", 400, "LIMIT_REACHED")
	c.crm(t, "GET", "/crm/v8/Nope/search?word=burn", "", 400, "INVALID_MODULE")
}

// testCOQL checks COQL answers and errors.
func (c *conformance) testCOQL(t *testing.T) {
	c.crm(t, "POST", "/crm/v8/coql", `{"select_query":"select Last_Name, Email from Contacts where Last_Name = 'Burns' limit 0, 10"}`, 200, "")
	c.crm(t, "POST", "/crm/v8/coql", `{"select_query":"select Last_Name from Contacts where Last_Name = 'Nobody'"}`, 204, "")
	c.crm(t, "POST", "/crm/v8/coql", `{"select_query":"select from where"}`, 400, "SYNTAX_ERROR")
	c.crm(t, "POST", "/crm/v8/coql", `{"select_query":"select Nope from Contacts where Last_Name is not null"}`, 400, "INVALID_QUERY")
	c.crm(t, "POST", "/crm/v8/coql", `{}`, 400, "REQUIRED_PARAM_MISSING")
}

// testErrors checks the request-level errors every route shares.
func (c *conformance) testErrors(t *testing.T) {
	c.expect(t, c.send(t, "GET", "/crm/v8/Leads?fields=Last_Name", "", ""), 401, "INVALID_TOKEN")
	c.expect(t, c.send(t, "GET", "/crm/v8/org", "", "bogus"), 401, "INVALID_TOKEN")
	c.crm(t, "GET", "/crm/v8/Leads/1/Notes/2/3", "", 404, "INVALID_URL_PATTERN")
	c.crm(t, "GET", "/crm/v99/Leads", "", 404, "INVALID_URL_PATTERN")
	c.crm(t, "PATCH", "/crm/v8/Leads", "", 400, "INVALID_REQUEST_METHOD")
	c.crm(t, "POST", "/crm/v8/settings/modules", "", 400, "INVALID_REQUEST_METHOD")
	c.crm(t, "GET", "/crm/v8/coql", "", 400, "INVALID_REQUEST_METHOD")
	c.srv.FailNext("GET /crm/v8/org", 1, 500, "INTERNAL_ERROR")
	c.crm(t, "GET", "/crm/v8/org", "", 500, "INTERNAL_ERROR")
}
