package zohotest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// Regression tests for what an audit of zohotest against Zoho's documented behaviour (docs/wire.md) found,
// each driven as an outside client would, over plain HTTP.

func (c *client) doExact(method, path, body string, hdr map[string]string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Zoho-oauthtoken "+c.access)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	var m map[string]any
	dec := json.NewDecoder(&buf)
	dec.UseNumber() // compare numbers exactly as written
	dec.Decode(&m)
	return resp.StatusCode, m
}

func TestAuditUserEmailAndGrantScopes(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, zohotest.WithUserEmail("me@corp.example"))
	_, m := c.do("GET", "/crm/v8/users?type=CurrentUser", "")
	if u := m["users"].([]any)[0].(map[string]any); u["email"] != "me@corp.example" {
		t.Errorf("current user %v, want the WithUserEmail address", u)
	}
	_, m = c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Owned"}]}`)
	id := details(m, 0)["id"].(string)
	_, m = c.do("GET", "/crm/v8/Leads/"+id, "")
	if owner := item(m, 0)["Owner"].(map[string]any); owner["email"] != "me@corp.example" {
		t.Errorf("Owner %v", owner)
	}
	code := srv.NewGrantToken("ZohoCRM.modules.ALL", "ZohoCRM.coql.READ")
	resp, err := http.PostForm(srv.URL()+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"},
		"client_id": {srv.ClientID()}, "client_secret": {srv.ClientSecret()}, "code": {code}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	json.NewDecoder(resp.Body).Decode(&tok)
	if tok["scope"] != "ZohoCRM.modules.ALL ZohoCRM.coql.READ" {
		t.Errorf("scope %q, want the granted scopes space-separated", tok["scope"])
	}
	resp, err = http.PostForm(srv.URL()+"/oauth/v2/token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {srv.ClientID()}, "client_secret": {srv.ClientSecret()}, "refresh_token": {tok["refresh_token"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ref map[string]any
	json.NewDecoder(resp.Body).Decode(&ref)
	if ref["scope"] != "ZohoCRM.modules.ALL ZohoCRM.coql.READ" || ref["refresh_token"] != nil {
		t.Errorf("refresh answer %v, want the grant's scopes and no refresh_token", ref)
	}
}

func TestAuditSettingsOneModuleAndField(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	code, m := c.do("GET", "/crm/v8/settings/modules/Leads", "")
	mod := m["modules"].([]any)[0].(map[string]any)
	if code != 200 || mod["creatable"] != true || mod["api_name"] != "Leads" || mod["visibility"] == nil {
		t.Errorf("one module: %d %v, want the whole module object", code, mod)
	}
	_, m = c.do("GET", "/crm/v8/settings/fields?module=Leads", "")
	f0 := m["fields"].([]any)[0].(map[string]any)
	code, m = c.do("GET", "/crm/v8/settings/fields/"+f0["id"].(string)+"?module=Leads", "")
	if code != 200 || !reflect.DeepEqual(m["fields"].([]any)[0], f0) {
		t.Errorf("field by id: %d %v", code, m)
	}
	if code, m := c.do("GET", "/crm/v8/settings/fields/1?module=Leads", ""); code != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("unknown field id: %d %v", code, m)
	}
}

func TestAuditListParameters(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	recs := make([]map[string]any, 450)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": "p"}
	}
	srv.Seed("Leads", recs...)
	ids := strings.TrimSuffix(strings.Repeat("1,", 101), ",")
	if code, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&ids="+ids, ""); code != 400 || m["code"] != "LIMIT_EXCEEDED" {
		t.Errorf("101 ids: %d %v", code, m)
	}
	if code, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&cvid=5&sort_by=id", ""); code != 400 || m["code"] != "AMBIGUITY_DURING_PROCESSING" {
		t.Errorf("cvid with sort_by: %d %v", code, m["code"])
	}
	_, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&per_page=200&page=1", "")
	tok := m["info"].(map[string]any)["next_page_token"].(string)
	_, m = c.do("GET", "/crm/v8/Leads?fields=Last_Name&per_page=200&page_token="+tok, "")
	info := m["info"].(map[string]any)
	if info["page"] != 2.0 || info["next_page_token"] == nil {
		t.Errorf("page through a token: info %v, want page 2 and a next token", info)
	}
	code, _ := c.doExact("GET", "/crm/v8/Leads?fields=Last_Name", "", map[string]string{"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
	if code != 304 {
		t.Errorf("If-Modified-Since as an HTTP-date in the future: %d, want 304", code)
	}
	if code, m := c.do("GET", "/crm/v8/Leads/search?word=p", ""); code != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("one-character word search: %d %v", code, m["code"])
	}
}

func TestAuditWritesAreNeverSilentlyAltered(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	_, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"First_Name":"Ann","Last_Name":"Lee"}]}`)
	id := details(m, 0)["id"].(string)
	// A read-only field: refused when it would change, accepted unchanged.
	code, m := c.do("PUT", "/crm/v8/Leads/"+id, `{"data":[{"Full_Name":"Someone Else"}]}`)
	if code != 400 || item(m, 0)["code"] != "INVALID_DATA" || details(m, 0)["api_name"] != "Full_Name" {
		t.Errorf("write to read-only Full_Name: %d %v", code, m)
	}
	if code, m := c.do("PUT", "/crm/v8/Leads/"+id, `{"data":[{"Full_Name":"Ann Lee","Company":"X"}]}`); code != 200 {
		t.Errorf("read-only value sent back unchanged: %d %v", code, m)
	}
	// An update may not empty a mandatory field.
	for _, body := range []string{`{"data":[{"Last_Name":null}]}`, `{"data":[{"Last_Name":""}]}`} {
		if code, m := c.do("PUT", "/crm/v8/Leads/"+id, body); code != 400 || item(m, 0)["code"] != "MANDATORY_NOT_FOUND" {
			t.Errorf("%s: %d %v", body, code, m)
		}
	}
	// Numbers: too many decimals for a currency, too many digits.
	for _, tc := range []struct{ body, key string }{
		{`{"data":[{"Name":"n1","Budget":10.005}]}`, "decimal_place"},
		{`{"data":[{"Name":"n2","Margin":1.234}]}`, "decimal_place"},
		{`{"data":[{"Name":"n3","Budget":12345678901234567}]}`, "maximum_length"},
	} {
		code, m := c.do("POST", "/crm/v8/Projects", tc.body)
		if code != 400 || item(m, 0)["code"] != "INVALID_DATA" || details(m, 0)[tc.key] == nil {
			t.Errorf("%s: %d %v", tc.body, code, m)
		}
	}
	// $append_values adds to a multi-select picklist.
	_, m = c.do("POST", "/crm/v8/Projects", `{"data":[{"Name":"tags","Tags_1":["Alpha"]}]}`)
	pid := details(m, 0)["id"].(string)
	c.do("PUT", "/crm/v8/Projects/"+pid, `{"data":[{"Tags_1":["Beta","Alpha"],"$append_values":{"Tags_1":true}}]}`)
	_, m = c.do("GET", "/crm/v8/Projects/"+pid, "")
	if got := item(m, 0)["Tags_1"]; !reflect.DeepEqual(got, []any{"Alpha", "Beta"}) {
		t.Errorf("$append_values: Tags_1 %v, want [Alpha Beta]", got)
	}
}

func TestAuditWriteRequestKeys(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	srv.Seed("Leads", map[string]any{"Last_Name": "Dup", "Email": "dup@x.example"})
	for _, body := range []string{`{"data":[{"Last_Name":"T"}],"trigger":"workflow"}`, `{"data":[{"Last_Name":"T"}],"trigger":["nope"]}`} {
		if code, m := c.do("POST", "/crm/v8/Leads", body); code != 400 || m["code"] != "INVALID_DATA" || m["status"] != "error" {
			t.Errorf("%s: %d %v", body, code, m)
		}
	}
	if code, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"T"}],"trigger":[]}`); code != 201 {
		t.Errorf("empty trigger: %d %v", code, m)
	}
	code, m := c.do("POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"T","Company":"C"}],"duplicate_check_fields":["Company"]}`)
	if code != 400 || m["code"] != "INVALID_DATA" || m["details"].(map[string]any)["api_name"] != "Company" {
		t.Errorf("upsert on a non-unique field: %d %v", code, m)
	}
	code, m = c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Two","Email":"DUP@x.example"}]}`)
	dr, _ := details(m, 0)["duplicate_record"].(map[string]any)
	if code != 400 || item(m, 0)["code"] != "DUPLICATE_DATA" || dr["Owner"] == nil || dr["Owner"].(map[string]any)["name"] == nil {
		t.Errorf("duplicate: %d %v, want duplicate_record with its Owner", code, m)
	}
}

func TestAuditNamesOfPeopleRecords(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, err := srv.Seed("Contacts", map[string]any{"First_Name": "Ann", "Last_Name": "Lee"})
	if err != nil {
		t.Fatal(err)
	}
	_, m := c.do("POST", "/crm/v8/Deals", `{"data":[{"Deal_Name":"D","Stage":"Qualification","Contact_Name":{"id":"`+ids[0]+`"}}]}`)
	did := details(m, 0)["id"].(string)
	_, m = c.do("GET", "/crm/v8/Deals/"+did, "")
	if ref := item(m, 0)["Contact_Name"].(map[string]any); ref["name"] != "Ann Lee" || ref["id"] != ids[0] {
		t.Errorf("lookup to a Contact: %v, want {name: Ann Lee, id}", ref)
	}
	if code, m := c.do("GET", "/crm/v8/Contacts/search?criteria="+url.QueryEscape("(Full_Name:equals:Ann Lee)"), ""); code != 200 || len(m["data"].([]any)) != 1 {
		t.Errorf("search on Full_Name: %d %v", code, m)
	}
	code, m := c.do("POST", "/crm/v8/coql", `{"select_query":"select Contact_Name.Full_Name from Deals where Contact_Name.Full_Name = 'Ann Lee'"}`)
	if code != 200 || item(m, 0)["Contact_Name.Full_Name"] != "Ann Lee" {
		t.Errorf("COQL through the lookup: %d %v", code, m)
	}
	c.do("DELETE", "/crm/v8/Contacts/"+ids[0], "")
	_, m = c.do("GET", "/crm/v8/Contacts/deleted", "")
	if d := item(m, 0); d["display_name"] != "Ann Lee" || d["deleted_by"] == nil || d["created_by"] == nil {
		t.Errorf("deleted entry %v, want display_name, deleted_by and created_by", d)
	}
}

// TestAuditEveryTypeReadsBackAsWritten writes one value of every data
// type and reads it back through get, list, search and COQL: each must
// equal, exactly, what was sent.
func TestAuditEveryTypeReadsBackAsWritten(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	acct, _ := srv.Seed("Accounts", map[string]any{"Account_Name": `Zylker "Q" ü`})
	user := srv.Records("Accounts")[0]["Owner"].(map[string]any)["id"].(string)
	written := `{"Name":"Pröject \"q\" 'x' \\ \n\t😀 <b>&amp; (a,b)","Project_description":"line1\nline2",` +
		`"Portal_Session_URL":"https://x.example/a?b=c&d=e","Live_CCJs":-999999999,"Budget":1234.5,` +
		`"Tracking_Number":"900719925474099312","Score":0.30000000000000004,"Completion":99.5,"Margin":12.34,` +
		`"Is_Active":false,"Start_Date":"2024-02-29","Kickoff_At":"2024-03-10T02:30:00+05:30","Stage":"R&D / Prototype",` +
		`"Tags_1":["Gamma","Alpha"],"Contact_Email":"a.b+c@x.example","Contact_Phone":"+1 (555) 010-0000",` +
		`"Attachments_1":[{"File_Id__s":"abc"}]}`
	var want map[string]any
	dec := json.NewDecoder(strings.NewReader(written))
	dec.UseNumber()
	dec.Decode(&want)
	body := `{"data":[` + strings.TrimSuffix(written, "}") + `,"Account":{"id":"` + acct[0] + `"},"Reviewer":{"id":"` + user + `"}}]}`
	code, m := c.do("POST", "/crm/v8/Projects", body)
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := details(m, 0)["id"].(string)
	check := func(how string, got map[string]any) {
		t.Helper()
		for k, v := range want {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("%s: %s = %#v, wrote %#v", how, k, got[k], v)
			}
		}
	}
	_, m = c.doExact("GET", "/crm/v8/Projects/"+id, "", nil)
	got := m["data"].([]any)[0].(map[string]any)
	check("get", got)
	if a := got["Account"].(map[string]any); a["id"] != acct[0] || a["name"] != `Zylker "Q" ü` {
		t.Errorf("lookup read back as %v, want {name, id}", a)
	}
	fields := make([]string, 0, len(want))
	for k := range want {
		fields = append(fields, k)
	}
	_, m = c.doExact("GET", "/crm/v8/Projects?fields="+strings.Join(fields, ","), "", nil)
	check("list", m["data"].([]any)[0].(map[string]any))
	_, m = c.doExact("GET", "/crm/v8/Projects/search?criteria="+url.QueryEscape(`(Name:equals:Pröject "q" 'x' \\ `+"\n\t"+`😀 <b>&amp; \(a\,b\))`), "", nil)
	if m["data"] == nil {
		t.Errorf("search by the exact name found nothing")
	} else {
		check("search", m["data"].([]any)[0].(map[string]any))
	}
	_, m = c.doExact("POST", "/crm/v8/coql", `{"select_query":"select `+strings.Join(fields, ", ")+` from Projects where id = '`+id+`'"}`, nil)
	check("coql", m["data"].([]any)[0].(map[string]any))
}

func TestAuditGetOneHonoursFields(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Lee", "Company": "Acme"})
	code, m := c.do("GET", "/crm/v8/Leads/"+ids[0]+"?fields=Company", "")
	if r := item(m, 0); code != 200 || len(r) != 2 || r["Company"] != "Acme" || r["id"] != ids[0] {
		t.Errorf("get with fields: %d %v, want only id and Company", code, r)
	}
	if code, m := c.do("GET", "/crm/v8/Leads/"+ids[0]+"?fields=Nope", ""); code != 400 || m["code"] != "INVALID_DATA" {
		t.Errorf("get with an unknown field: %d %v", code, m)
	}
}

func TestAuditIDsListLeniency(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "A"}, map[string]any{"Last_Name": "B"})
	if code, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&ids="+ids[0]+",,"+ids[1]+",&", ""); code != 200 || len(m["data"].([]any)) != 2 {
		t.Errorf("list by ids with stray commas: %d %v", code, m)
	}
	code, m := c.do("DELETE", "/crm/v8/Leads?ids="+ids[0]+","+ids[1]+",", "")
	if code != 200 || len(m["data"].([]any)) != 2 {
		t.Errorf("delete with a trailing comma: %d %v", code, m)
	}
	if code, m := c.do("DELETE", "/crm/v8/Leads?ids=,", ""); code != 400 || m["code"] != "REQUIRED_PARAM_MISSING" {
		t.Errorf("delete with no ids: %d %v", code, m)
	}
}
