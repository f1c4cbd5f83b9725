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
// when none of the scopes that open it was granted, naming in its details
// (oauth_scope, as Zoho's API listing names a route's scope) the narrowest
// scope that would. Scopes compare without regard to case.
func TestScopes(t *testing.T) {
	t.Parallel()
	srv := zohotest.New(t)
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe"}); err != nil {
		t.Fatal(err)
	}
	narrow := &client{t: t, base: srv.URL(), access: exchangeScoped(t, srv, "ZohoCRM.modules.leads.READ", "ZohoCRM.settings.fields.READ", "zohocrm.users.read")}
	writer := &client{t: t, base: srv.URL(), access: exchangeScoped(t, srv, "ZohoCRM.modules.WRITE", "ZohoCRM.bulk.READ")}
	for _, tc := range []struct {
		c            *client
		method, path string
		body         string
		needs        string // empty: allowed
	}{
		{narrow, "GET", "/crm/v8/Leads?fields=Last_Name", "", ""},
		{narrow, "GET", "/crm/v8/Leads/search?word=Doe", "", ""},
		{narrow, "GET", "/crm/v8/Contacts?fields=Last_Name", "", "ZohoCRM.modules.Contacts.READ"},
		{narrow, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"X"}]}`, "ZohoCRM.modules.Leads.CREATE"},
		{narrow, "GET", "/crm/v8/settings/fields?module=Leads", "", ""},
		{narrow, "GET", "/crm/v8/settings/modules", "", "ZohoCRM.settings.modules.READ"},
		{narrow, "GET", "/crm/v8/users?type=CurrentUser", "", ""},
		{narrow, "GET", "/crm/v8/org", "", "ZohoCRM.org.READ"},
		{narrow, "POST", "/crm/v8/coql", `{"select_query":"select Last_Name from Leads where Last_Name is not null"}`, "ZohoCRM.coql.READ"},
		{narrow, "POST", "/crm/v8/Leads/1/Notes", `{"data":[{"Note_Content":"x"}]}`, "ZohoCRM.modules.notes.CREATE"},
		{writer, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Y"}]}`, ""},
		{writer, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Z"}]}`, ""},
		{writer, "GET", "/crm/v8/Leads?fields=Last_Name", "", "ZohoCRM.modules.Leads.READ"},
		{writer, "DELETE", "/crm/v8/Leads?ids=1", "", "ZohoCRM.modules.Leads.DELETE"},
		{writer, "POST", "/crm/bulk/v8/write", `{}`, "ZohoCRM.bulk.CREATE"},
		{narrow, "POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"Z"}]}`, "ZohoCRM.modules.Leads.CREATE,ZohoCRM.modules.Leads.UPDATE"},
	} {
		code, m := tc.c.do(tc.method, tc.path, tc.body)
		denied := code == 401 && m["code"] == "OAUTH_SCOPE_MISMATCH" && m["status"] == "error"
		switch {
		case denied != (tc.needs != ""):
			t.Errorf("%s %s: %d %v (needs %q)", tc.method, tc.path, code, m, tc.needs)
		case denied && m["details"].(map[string]any)["oauth_scope"] != tc.needs:
			t.Errorf("%s %s: details %v, want oauth_scope %q", tc.method, tc.path, m["details"], tc.needs)
		}
	}
}
