package zohotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// exchangeScoped exchanges a grant of the given scopes for an access token.
func exchangeScoped(t *testing.T, srv *zohotest.Server, scopes ...string) string {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"},
		"client_id": {srv.ClientID()}, "client_secret": {srv.ClientSecret()}, "code": {srv.NewGrantToken(scopes...)}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	access, _ := m["access_token"].(string)
	if access == "" {
		t.Fatalf("exchange: %v", m)
	}
	return access
}

// Every route checks the token's scopes like Zoho: 401 OAUTH_SCOPE_MISMATCH
// when none of the scopes that open it was granted. Scopes compare without
// regard to case.
func TestScopes(t *testing.T) {
	srv := zohotest.New(t)
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe"}); err != nil {
		t.Fatal(err)
	}
	narrow := &client{t: t, base: srv.URL(), access: exchangeScoped(t, srv, "ZohoCRM.modules.leads.READ", "ZohoCRM.settings.fields.READ", "zohocrm.users.read")}
	writer := &client{t: t, base: srv.URL(), access: exchangeScoped(t, srv, "ZohoCRM.modules.WRITE")}
	for _, tc := range []struct {
		c            *client
		method, path string
		body         string
		allowed      bool
	}{
		{narrow, "GET", "/crm/v8/Leads?fields=Last_Name", "", true},
		{narrow, "GET", "/crm/v8/Leads/search?word=Doe", "", true},
		{narrow, "GET", "/crm/v8/Contacts?fields=Last_Name", "", false},
		{narrow, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"X"}]}`, false},
		{narrow, "GET", "/crm/v8/settings/fields?module=Leads", "", true},
		{narrow, "GET", "/crm/v8/settings/modules", "", false},
		{narrow, "GET", "/crm/v8/users?type=CurrentUser", "", true},
		{narrow, "GET", "/crm/v8/org", "", false},
		{narrow, "POST", "/crm/v8/coql", `{"select_query":"select Last_Name from Leads where Last_Name is not null"}`, false},
		{writer, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Y"}]}`, true},
		{writer, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Z"}]}`, true},
		{writer, "GET", "/crm/v8/Leads?fields=Last_Name", "", false},
		{writer, "DELETE", "/crm/v8/Leads?ids=1", "", false},
	} {
		code, m := tc.c.do(tc.method, tc.path, tc.body)
		denied := code == 401 && m["code"] == "OAUTH_SCOPE_MISMATCH" && m["status"] == "error"
		if denied == tc.allowed {
			t.Errorf("%s %s: %d %v (allowed: %v)", tc.method, tc.path, code, m, tc.allowed)
		}
	}
}
