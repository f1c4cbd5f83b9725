package zohotest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// FuzzHandler sends arbitrary methods, paths, queries and bodies to the
// emulator's handler directly (no net/http server to recover a panic) and
// checks that every answer is a status with either no body, a zip, or
// JSON; and that an error status carries Zoho's envelope.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct{ method, target, body string }{
		{"POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Doe","Email":"x@y.z"}]}`},
		{"PUT", "/crm/v8/Leads", `{"data":[{"id":"1","Last_Name":null}],"trigger":["workflow"]}`},
		{"POST", "/crm/v8/Leads/upsert", `{"data":[{"Last_Name":"A"}],"duplicate_check_fields":["Email"]}`},
		{"GET", "/crm/v8/Leads/search?criteria=((Last_Name:equals:a\\,b)or(Email:starts_with:x))", ""},
		{"POST", "/crm/v8/coql", `{"select_query":"select COUNT(id), Lead_Source from Leads where Last_Name is not null group by Lead_Source"}`},
		{"GET", "/crm/v8/Leads?fields=Last_Name&page=11&per_page=200&sort_by=Created_Time", ""},
		{"POST", "/crm/bulk/v8/read", `{"query":{"module":{"api_name":"Leads"},"criteria":{"group_operator":"and","group":[{"field":{"api_name":"Last_Name"},"comparator":"between","value":["a","b"]}]}}}`},
		{"POST", "/crm/bulk/v8/write", `{"operation":"insert","resource":[{"type":"data","module":{"api_name":"Leads"},"file_id":"1","field_mappings":[{"api_name":"Last_Name","index":0}]}]}`},
		{"POST", "/crm/v8/Leads/1/Notes", `{"data":[{"Note_Content":"x"}]}`},
		{"DELETE", "/crm/v8/Leads?ids=1,,2&", ""},
		{"POST", "/oauth/v2/token?grant_type=refresh_token&refresh_token=x", ""},
		{"POST", "/crm/v8/Leads/actions/add_tags?over_write=true", `{"tags":[{"name":"Hot","color_code":"#F17574"},{"id":"1"}],"ids":["1",2]}`},
		{"POST", "/crm/v8/settings/tags/1/actions/merge", `{"tags":[{"conflict_id":"2"}]}`},
		{"POST", "/crm/v8/settings/tags/actions/mass_delete", `{"mass_delete":[{"module":{"api_name":"Leads","id":"1"},"tags":[{"id":"1"},{"id":2}]}]}`},
		{"PUT", "/crm/v8/settings/tags?module=Leads", `{"tags":[{"id":"1","name":"x"}]}`},
		{"POST", "/crm/v8/Leads/actions/mass_update", `{"data":[{"City":"x"}],"criteria":{"field":{"api_name":"City"},"comparator":"equal","value":"y"}}`},
		{"POST", "/crm/v8/Leads/actions/mass_change_owner", `{"cvid":"1","owner":{"id":"1"},"criteria":{"field":{"api_name":"City"},"comparator":"equal","value":"y"}}`},
		{"POST", "/crm/v8/Leads/actions/change_owner", `{"ids":["1"],"owner":{"id":"2"},"related_modules":[{"api_name":"Tasks"},null]}`},
	} {
		f.Add(seed.method, seed.target, seed.body)
	}
	srv, err := zohotest.NewHandler("http://zohotest.invalid")
	if err != nil {
		f.Fatal(err)
	}
	access, _ := srv.IssueToken()
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Email": "doe@example.com"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, target, body string) {
		if _, err := url.ParseRequestURI(target); err != nil || !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n#") || !isToken(method) {
			return // not a request line net/http would hand to a handler
		}
		req := httptest.NewRequest(method, "http://zohotest.invalid"+target, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		res := w.Result()
		data := w.Body.Bytes()
		switch {
		case len(data) == 0, bytes.HasPrefix(data, []byte("PK")), strings.HasPrefix(res.Header.Get("Content-Type"), "text/"):
		case !json.Valid(data):
			t.Fatalf("%s %s: %d with a body that is not JSON: %q", method, target, res.StatusCode, data)
		case res.StatusCode >= 400 && strings.HasPrefix(target, "/crm/"):
			var env map[string]any
			json.Unmarshal(data, &env)
			// The envelope at top level, or in data[] (a write), or tags[] (tags.json's Action_Wrapper).
			if env["status"] != "error" && env["data"] == nil && env["tags"] == nil && env["ERROR_CODE"] == nil {
				t.Fatalf("%s %s: %d without an error envelope: %s", method, target, res.StatusCode, data)
			}
		}
		if res.StatusCode < 200 || res.StatusCode > 599 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

func isToken(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

var _ http.Handler = (*zohotest.Server)(nil)
