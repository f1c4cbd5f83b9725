package zohotest_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// concrete turns a route pattern into a request path and query against
// a seeded Leads record and the first user.
func concrete(pattern, recordID string) (string, url.Values) {
	path, q, _ := strings.Cut(pattern, "?")
	if strings.HasPrefix(path, "/crm/v8/users/") {
		recordID = "5725767000000411001"
	}
	path = strings.NewReplacer("{module}", "Leads", "{api_name}", "Leads", "{id}", recordID).Replace(path)
	query := url.Values{}
	if name, value, ok := strings.Cut(q, "="); ok {
		if value == "" {
			value = "Leads"
		}
		query.Set(name, value)
	}
	return path, query
}

// TestRoutesAreServed proves the list of Routes and the router agree:
// every listed route is answered by its handler, and every other method
// on a listed path is refused with INVALID_REQUEST_METHOD.
func TestRoutesAreServed(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Routed"})
	if err != nil {
		t.Fatal(err)
	}
	routes := zohotest.Routes()
	seen := map[zohotest.Route]bool{}
	for _, r := range routes {
		if seen[r] {
			t.Errorf("%s %s listed twice", r.Method, r.Pattern)
		}
		seen[r] = true
		path, query := concrete(r.Pattern, ids[0])
		if got, ok := zohotest.RouteOf(r.Method, path, query); !ok || got != r {
			t.Errorf("RouteOf(%s %s?%s) = %v, %v; want %v", r.Method, path, query.Encode(), got, ok, r)
		}
		if !strings.HasPrefix(path, "/crm/") {
			continue // the accounts server has no method or URL errors
		}
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			body, query := "", maps.Clone(query)
			if m == "POST" || m == "PUT" {
				body = `{"data":[{"id":"` + ids[0] + `","Last_Name":"Routed"}]}`
			}
			if m == "DELETE" && !query.Has("ids") {
				query.Set("ids", "1") // not a record: answered, not deleted
			}
			target := path
			if len(query) > 0 {
				target += "?" + query.Encode()
			}
			status, resp := c.do(m, target, body)
			code, _ := resp["code"].(string)
			_, listed := zohotest.RouteOf(m, path, query)
			switch {
			case listed && slices.Contains([]string{"INVALID_URL_PATTERN", "INVALID_REQUEST_METHOD"}, code):
				t.Errorf("%s %s: listed, but answered %d %s", m, target, status, code)
			case !listed && code != "INVALID_REQUEST_METHOD":
				t.Errorf("%s %s: not listed, but answered %d %q; list it in Routes", m, target, status, code)
			}
		}
	}
}

// TestRouteOfUnknown shows a path no route fits is not attributed.
func TestRouteOfUnknown(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/crm/v8/Leads/1/Notes/2/3", "/crm/v8/settings/pipeline", "/other"} {
		if r, ok := zohotest.RouteOf(http.MethodGet, path, nil); ok {
			t.Errorf("RouteOf(GET %s) = %v", path, r)
		}
	}
	if _, status := get(t, "/crm/v8/settings/pipeline"); status != 404 {
		t.Errorf("GET /crm/v8/settings/pipeline: %d, want 404", status)
	}
}

func get(t *testing.T, path string) (map[string]any, int) {
	t.Helper()
	_, c := newClient(t)
	status, m := c.do("GET", path, "")
	return m, status
}

// TestRouteOfBulk shows the bulk router's words do not shadow record ids
// and that upload is not a module.
func TestRouteOfBulk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/crm/v8/Leads/read", "/crm/v8/{module}/{id}"},
		{"GET", "/crm/bulk/v8/read/1", "/crm/bulk/v8/read/{id}"},
		{"GET", "/crm/bulk/v8/write/1/result", "/crm/bulk/v8/write/{id}/result"},
		{"POST", "/crm/v8/upload", "/crm/v8/upload"},
		{"GET", "/crm/v8/upload", ""},
		{"GET", "/crm/bulk/v8/Leads", ""},
	} {
		r, ok := zohotest.RouteOf(tc.method, tc.path, nil)
		if r.Pattern != tc.want || ok != (tc.want != "") {
			t.Errorf("RouteOf(%s %s) = %v, %v; want %q", tc.method, tc.path, r, ok, tc.want)
		}
	}
}

// TestEveryServedPathIsListed is the other half of TestRoutesAreServed:
// every path up to three segments deep, built from the words of the
// routes' patterns, that the router answers with anything but INVALID_URL_PATTERN or
// INVALID_REQUEST_METHOD (or INVALID_MODULE, a word taken as a module
// name) must be a route of Routes, so a route added to
// the router without a line in Routes (and so without a conformance case)
// fails here.
func TestEveryServedPathIsListed(t *testing.T) {
	t.Parallel()
	srv, err := zohotest.NewHandler("http://zohotest.invalid")
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Routed"})
	if err != nil {
		t.Fatal(err)
	}
	// The words of the routes' patterns, and values for their placeholders.
	words := []string{"Leads", ids[0], "1"}
	for _, r := range zohotest.Routes() {
		path, _, _ := strings.Cut(r.Pattern, "?")
		for _, seg := range strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "/crm/bulk/v8/"), "/crm/v8/"), "/") {
			if !strings.HasPrefix(seg, "{") && !slices.Contains(words, seg) && !strings.HasPrefix(path, "/oauth/") {
				words = append(words, seg)
			}
		}
	}
	var paths [][]string
	var grow func(prefix []string)
	grow = func(prefix []string) {
		if len(prefix) > 0 {
			paths = append(paths, prefix)
		}
		if len(prefix) == 3 {
			return
		}
		for _, w := range words {
			grow(append(slices.Clone(prefix), w))
		}
	}
	grow(nil)
	query := url.Values{"module": {"Leads"}, "fields": {"Last_Name"}, "word": {"Routed"}}
	for _, base := range []string{"/crm/v8/", "/crm/bulk/v8/"} {
		for _, segs := range paths {
			path := base + strings.Join(segs, "/")
			for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
				req := httptest.NewRequest(m, path+"?"+query.Encode(), strings.NewReader(`{}`))
				req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				var env struct{ Code string }
				json.Unmarshal(w.Body.Bytes(), &env)
				if env.Code == "INVALID_URL_PATTERN" || env.Code == "INVALID_REQUEST_METHOD" || env.Code == "INVALID_MODULE" {
					continue
				}
				if _, ok := zohotest.RouteOf(m, path, query); !ok {
					t.Errorf("%s %s answered %d %s but is no route of Routes", m, path, w.Code, env.Code)
				}
			}
		}
	}
}

// The router is net/http's ServeMux, which answers paths it cannot match
// with text (404 page not found, 405, redirects to a cleaned path); the
// server answers them all in Zoho's envelope. The words the API spells
// where others have {module} are never modules.
func TestUnroutedRequestsAnswerZohoErrors(t *testing.T) {
	t.Parallel()
	srv, err := zohotest.NewHandler("http://zohotest.invalid")
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	for _, tc := range []struct{ method, path, code string }{
		{"GET", "/crm/v8//Leads", "INVALID_URL_PATTERN"},
		{"GET", "/crm/v8/Leads/../org", "INVALID_URL_PATTERN"},
		{"GET", "/crm/v8/settings", "INVALID_URL_PATTERN"},
		{"GET", "/crm/v8/org/1", "INVALID_URL_PATTERN"},
		{"GET", "/crm/v8/users/1/Notes", "INVALID_URL_PATTERN"},
		{"GET", "/crm/v9/Leads", "INVALID_URL_PATTERN"},
		{"GET", "/nowhere", "INVALID_URL_PATTERN"},
		{"CONNECT", "/crm/v8/org", "INVALID_REQUEST_METHOD"},
		{"HEAD", "/crm/v8/org", "INVALID_REQUEST_METHOD"},
		{"OPTIONS", "/crm/v8/Leads", "INVALID_REQUEST_METHOD"},
		{"DELETE", "/crm/v8/users/search", "INVALID_REQUEST_METHOD"},
		{"GET", "/oauth/v2/token", "INVALID_REQUEST_METHOD"},
	} {
		req := httptest.NewRequest(tc.method, "http://zohotest.invalid/", nil)
		req.URL.Path = tc.path // as sent, not cleaned
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		var env map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env["code"] != tc.code || env["status"] != "error" || w.Code < 400 {
			t.Errorf("%s %s: %d %s %q, want %s in Zoho's envelope", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"), w.Body.String(), tc.code)
		}
	}
	// Every version from v2 on answers every route.
	for _, v := range []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"} {
		req := httptest.NewRequest("GET", "/crm/"+v+"/Leads/actions/count", nil)
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			t.Errorf("GET /crm/%s/Leads/actions/count: %d %s", v, w.Code, w.Body.String())
		}
	}
}
