package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zohohub/zohohub/internal/testenv"
)

// TestBuiltBinaryJudgedFlow builds zhemu, runs it exactly as documented
// (go run ./cmd/zhemu -addr … -client-id … -client-secret … -grant-token …
// -user-email …) and walks the whole flow an outside client does, with
// plain net/http and nothing from this module: grant exchange, refresh,
// modules, fields, create, read, update, upsert, search, COQL, delete,
// Zoho's error envelopes for bad input, and revoke.
func TestBuiltBinaryJudgedFlow(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "zhemu")
	if out, err := exec.Command(testenv.GoTool(t), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Port 0, read back from the start-up line: a port found free
	// beforehand can be taken by a parallel test's socket first.
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-client-id", "ID", "-client-secret", "S", "-grant-token", "G", "-user-email", "e@example.com")
	cmd.Stderr = os.Stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{}) // closed when zhemu has exited; then waitErr is set
	var waitErr error
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	})
	first := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		lines.Scan()
		first <- lines.Text()
		io.Copy(io.Discard, stdout)
		waitErr = cmd.Wait()
		close(exited)
	}()
	var base string
	select {
	case line := <-first:
		rest, ok := strings.CutPrefix(line, "zhemu: API base URL http://127.0.0.1:")
		if !ok || !strings.HasSuffix(rest, "/crm/v8") {
			t.Fatalf("start-up line %q", line)
		}
		base = strings.TrimSuffix(strings.TrimPrefix(line, "zhemu: API base URL "), "/crm/v8")
	case <-time.After(10 * time.Second):
		t.Fatal("zhemu did not start")
	}

	// Accounts server: the grant exchange as a urlencoded form.
	tok := postToken(t, base+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {"ID"},
		"client_secret": {"S"}, "redirect_uri": {"http://localhost/cb"}, "code": {"G"}})
	if tok["access_token"] == nil || tok["refresh_token"] == nil || tok["api_domain"] != base || tok["token_type"] != "Bearer" || tok["expires_in"] != 3600.0 {
		t.Fatalf("exchange: %v", tok)
	}
	if again := postToken(t, base+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {"ID"}, "client_secret": {"S"}, "code": {"G"}}); again["error"] != "invalid_code" {
		t.Fatalf("grant used twice: %v", again)
	}
	// Refresh with the parameters in the query string, as Zoho also accepts.
	q := url.Values{"grant_type": {"refresh_token"}, "client_id": {"ID"}, "client_secret": {"S"}, "refresh_token": {tok["refresh_token"].(string)}}
	ref := postToken(t, base+"/oauth/v2/token?"+q.Encode(), nil)
	if ref["access_token"] == nil || ref["refresh_token"] != nil || ref["api_domain"] != base {
		t.Fatalf("refresh: %v", ref)
	}
	api := ref["api_domain"].(string) + "/crm/v8"
	z := &zclient{t: t, access: ref["access_token"].(string)}

	code, m := z.do("GET", api+"/settings/modules", "")
	var modules []string
	for _, mod := range list(m, "modules") {
		modules = append(modules, mod["api_name"].(string))
	}
	if code != 200 || !slices.Contains(modules, "Leads") {
		t.Fatalf("modules: %d %v", code, modules)
	}
	code, m = z.do("GET", api+"/settings/fields?module=Leads", "")
	var fields []string
	for _, f := range list(m, "fields") {
		fields = append(fields, f["api_name"].(string))
	}
	if code != 200 || !slices.Contains(fields, "Last_Name") || !slices.Contains(fields, "Email") {
		t.Fatalf("fields: %d %v", code, fields)
	}

	// Create: one good record and one without its mandatory field → 207.
	code, m = z.do("POST", api+"/Leads", `{"data":[{"Last_Name":"Doe","Company":"Acme","Email":"doe@acme.example","No_of_Employees":12},{"Company":"no name"}],"trigger":[]}`)
	if code != 207 {
		t.Fatalf("create: %d %v", code, m)
	}
	ok, bad := list(m, "data")[0], list(m, "data")[1]
	det := ok["details"].(map[string]any)
	id, _ := det["id"].(string)
	if ok["code"] != "SUCCESS" || ok["message"] != "record added" || ok["status"] != "success" || id == "" ||
		det["Created_Time"] == nil || det["Modified_Time"] == nil || det["Created_By"].(map[string]any)["name"] == nil {
		t.Fatalf("created item %v", ok)
	}
	if bad["code"] != "MANDATORY_NOT_FOUND" || bad["status"] != "error" || bad["details"].(map[string]any)["json_path"] != "$.data[1].Last_Name" {
		t.Fatalf("failed item %v", bad)
	}
	read := func() map[string]any {
		t.Helper()
		code, m := z.do("GET", api+"/Leads/"+id, "")
		if code != 200 {
			t.Fatalf("read: %d %v", code, m)
		}
		return list(m, "data")[0]
	}
	if r := read(); r["Last_Name"] != "Doe" || r["Email"] != "doe@acme.example" || r["No_of_Employees"] != 12.0 || r["Owner"].(map[string]any)["email"] != "e@example.com" {
		t.Fatalf("read: %v", r)
	}
	code, m = z.do("PUT", api+"/Leads/"+id, `{"data":[{"Company":"Acme 2"}]}`)
	if code != 200 || list(m, "data")[0]["message"] != "record updated" || read()["Company"] != "Acme 2" {
		t.Fatalf("update by id: %d %v", code, m)
	}
	code, m = z.do("PUT", api+"/Leads", `{"data":[{"id":"`+id+`","Company":"Acme 3"}]}`)
	if code != 200 || read()["Company"] != "Acme 3" {
		t.Fatalf("bulk update: %d %v", code, m)
	}
	code, m = z.do("POST", api+"/Leads/upsert", `{"data":[{"Last_Name":"Doe","Email":"doe@acme.example","Company":"Upserted"}],"duplicate_check_fields":["Email"]}`)
	if it := list(m, "data")[0]; code != 201 || it["action"] != "update" || it["duplicate_field"] != "Email" || read()["Company"] != "Upserted" {
		t.Fatalf("upsert: %d %v", code, m)
	}
	code, m = z.do("GET", api+"/Leads/search?criteria="+url.QueryEscape("(Email:equals:doe@acme.example)"), "")
	if code != 200 || len(list(m, "data")) != 1 || m["info"].(map[string]any)["more_records"] != false {
		t.Fatalf("search: %d %v", code, m)
	}
	code, m = z.do("POST", api+"/coql", `{"select_query":"select Last_Name, Company from Leads where Company = 'Upserted' limit 0, 10"}`)
	if code != 200 || list(m, "data")[0]["id"] != id || m["info"].(map[string]any)["count"] != 1.0 {
		t.Fatalf("coql: %d %v", code, m)
	}
	code, m = z.do("DELETE", api+"/Leads?ids="+id, "")
	if it := list(m, "data")[0]; code != 200 || it["message"] != "record deleted" || it["details"].(map[string]any)["id"] != id {
		t.Fatalf("delete: %d %v", code, m)
	}
	if code, _ := z.do("GET", api+"/Leads/"+id, ""); code != 204 {
		t.Fatalf("read deleted: %d", code)
	}

	// Bad input: Zoho's envelope, exactly its four keys, and status code.
	for _, tc := range []struct {
		method, url, body string
		status            int
		code              string
	}{
		{"GET", api + "/Leads", "", 400, "REQUIRED_PARAM_MISSING"},
		{"GET", api + "/Nope?fields=id", "", 400, "INVALID_MODULE"},
		{"GET", api + "/Leads/1/2/3/4", "", 404, "INVALID_URL_PATTERN"},
		{"PATCH", api + "/Leads", "", 400, "INVALID_REQUEST_METHOD"},
		{"GET", api + "/Leads?fields=Last_Name&page=11&per_page=200", "", 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED"},
		{"GET", api + "/Leads/search?criteria=" + url.QueryEscape("(Nope:equals:x)"), "", 400, "INVALID_QUERY"},
		{"GET", api + "/Leads/search", "", 400, "EXPECTED_PARAM_MISSING"},
		{"POST", api + "/coql", `{"select_query":"select from"}`, 400, "SYNTAX_ERROR"},
		{"POST", api + "/coql", `{"select_query":"select Last_Name from Leads where Last_Name is not null limit 2001"}`, 400, "LIMIT_EXCEEDED"},
		{"DELETE", api + "/Leads", "", 400, "REQUIRED_PARAM_MISSING"},
	} {
		code, m := z.do(tc.method, tc.url, tc.body)
		if code != tc.status || !envelope(m, tc.code) {
			t.Errorf("%s %s: %d %v, want %d %s", tc.method, tc.url, code, m, tc.status, tc.code)
		}
	}
	code, m = z.do("POST", api+"/Leads", `{"data":[{"Last_Name":"x","No_of_Employees":1.5}]}`)
	if it := list(m, "data")[0]; code != 400 || !envelope(it, "INVALID_DATA") || it["details"].(map[string]any)["expected_data_type"] != "integer" {
		t.Errorf("integer given as 1.5: %d %v", code, m)
	}
	noAuth := &zclient{t: t}
	if code, m := noAuth.do("GET", api+"/Leads?fields=Last_Name", ""); code != 401 || !envelope(m, "INVALID_TOKEN") {
		t.Errorf("no token: %d %v", code, m)
	}

	// Revoke the refresh token (form body): its access tokens stop working.
	if r := postToken(t, base+"/oauth/v2/token/revoke", url.Values{"token": {tok["refresh_token"].(string)}}); r["status"] != "success" {
		t.Fatalf("revoke: %v", r)
	}
	if code, m := z.do("GET", api+"/Leads?fields=Last_Name", ""); code != 401 || !envelope(m, "INVALID_TOKEN") {
		t.Errorf("after revoke: %d %v", code, m)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("zhemu exited with %v after SIGTERM", waitErr)
		}
	case <-time.After(10 * time.Second):
		t.Error("zhemu did not exit after SIGTERM")
	}
}

// zclient is a minimal outside client: Zoho-oauthtoken header, JSON out.
type zclient struct {
	t      *testing.T
	access string
}

func (z *zclient) do(method, u, body string) (int, map[string]any) {
	z.t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if z.access != "" {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+z.access)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		z.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func postToken(t *testing.T, u string, form url.Values) map[string]any {
	t.Helper()
	resp, err := http.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	if resp.StatusCode != 200 && !strings.HasSuffix(u, "/revoke") {
		t.Fatalf("token endpoint answered %d %v; Zoho answers 200, errors included", resp.StatusCode, m)
	}
	return m
}

func list(m map[string]any, key string) []map[string]any {
	arr, _ := m[key].([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// envelope reports whether m is Zoho's error object with that code:
// exactly code, details (an object), message and status "error".
func envelope(m map[string]any, code string) bool {
	_, isObj := m["details"].(map[string]any)
	msg, _ := m["message"].(string)
	return len(m) == 4 && m["code"] == code && isObj && msg != "" && m["status"] == "error"
}
