package zohotest

import (
	"net/url"
	"slices"
	"strings"
)

// Route is one kind of request the server answers: an HTTP method and a
// path pattern. In a pattern, {module} is a module API name, {id} a record
// or user id and {api_name} a module API name in a settings path. A
// pattern may end in "?name=value", a query parameter value that selects
// a distinct answer, or "?name=", a parameter the route requires. In a
// bulk pattern, {id} is a job id.
//
// CRM patterns are written for v8; the server answers the same routes
// under /crm/v2 … /crm/v7 (and /crm/bulk/v2 … /crm/bulk/v7).
type Route struct {
	Method  string
	Pattern string
}

// Routes returns every route the server answers, one line per route, in
// the order of the router in crm.go and server.go. The package's tests
// prove each one is answered by its handler, not by INVALID_URL_PATTERN
// or INVALID_REQUEST_METHOD; keep it in step with the router.
func Routes() []Route {
	return []Route{
		// Accounts server (oauth.go).
		{"POST", "/oauth/v2/token"},
		{"POST", "/oauth/v2/token/revoke"},
		{"GET", "/oauth/v2/auth"},

		// Metadata, users and org.
		{"GET", "/crm/v8/settings/modules"},
		{"GET", "/crm/v8/settings/modules/{api_name}"},
		{"GET", "/crm/v8/settings/fields?module="},
		{"GET", "/crm/v8/settings/fields/{id}?module="},
		{"GET", "/crm/v8/settings/layouts?module="},
		{"GET", "/crm/v8/settings/related_lists?module="},
		{"GET", "/crm/v8/settings/custom_views?module="},
		{"GET", "/crm/v8/settings/custom_views/{id}?module="},
		{"GET", "/crm/v8/users"},
		{"GET", "/crm/v8/users?type=CurrentUser"},
		{"GET", "/crm/v8/users/{id}"},
		{"GET", "/crm/v8/org"},
		{"POST", "/crm/v8/coql"},

		// Records.
		{"GET", "/crm/v8/{module}"},
		{"POST", "/crm/v8/{module}"},
		{"PUT", "/crm/v8/{module}"},
		{"DELETE", "/crm/v8/{module}"},
		{"POST", "/crm/v8/{module}/upsert"},
		{"GET", "/crm/v8/{module}/search"},
		{"GET", "/crm/v8/{module}/deleted"},
		{"GET", "/crm/v8/{module}/actions/count"},
		{"GET", "/crm/v8/{module}/{id}"},
		{"PUT", "/crm/v8/{module}/{id}"},
		{"DELETE", "/crm/v8/{module}/{id}"},

		// Notes of a record (notes.go).
		{"GET", "/crm/v8/{module}/{id}/Notes"},
		{"POST", "/crm/v8/{module}/{id}/Notes"},

		// Bulk read and bulk write (bulk.go); Zoho serves upload on its
		// content host.
		{"POST", "/crm/v8/upload"},
		{"POST", "/crm/bulk/v8/read"},
		{"GET", "/crm/bulk/v8/read/{id}"},
		{"GET", "/crm/bulk/v8/read/{id}/result"},
		{"POST", "/crm/bulk/v8/write"},
		{"GET", "/crm/bulk/v8/write/{id}"},
		{"GET", "/crm/bulk/v8/write/{id}/result"},
	}
}

// RouteOf returns the route of Routes that answers a request to a v8
// path, and false if none does. As in the router, the path picks the
// handler and the handler checks the method. Where several patterns fit
// the path, the one with a literal segment where the others have a
// placeholder, earliest in the path, wins, as the router dispatches
// (/crm/v8/users/search is a user id, /crm/v8/Leads/search a search,
// /crm/v8/Leads/fields a record id); then one whose query parameter value
// the request names (/users?type=CurrentUser).
func RouteOf(method, path string, query url.Values) (Route, bool) {
	xs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	routes := Routes()
	// The words a route spells where others have {module} (settings, users,
	// org, coql, upload) are never modules: the router answers them first.
	notModules := map[string]bool{}
	for _, r := range routes {
		pat, _, _ := strings.Cut(r.Pattern, "?")
		if ps := strings.Split(pat, "/"); len(ps) > modulePos && !isPlaceholder(ps[modulePos]) && strings.HasPrefix(pat, "/crm/v8/") {
			notModules[ps[modulePos]] = true
		}
	}
	var best []Route
	var bestRank []int
	for _, r := range routes {
		rank, ok := r.match(xs, query, notModules)
		if !ok {
			continue
		}
		switch c := slices.Compare(rank, bestRank); {
		case best == nil || c > 0:
			best, bestRank = []Route{r}, rank
		case c == 0:
			best = append(best, r)
		}
	}
	for _, r := range best {
		if r.Method == method {
			return r, true
		}
	}
	return Route{}, false
}

// modulePos is the index of {module} in "/crm/v8/{module}/…" split on "/".
const modulePos = 3

func isPlaceholder(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

// match reports whether r's pattern fits the path segments xs and query,
// and ranks it: per segment 1 for a literal, 0 for a placeholder, then 1
// if the request names the value of the pattern's query parameter. "?name="
// names a parameter the handler reads without requiring it to match: a
// request without it is still this route's.
func (r Route) match(xs []string, query url.Values, notModules map[string]bool) ([]int, bool) {
	pat, q, hasQuery := strings.Cut(r.Pattern, "?")
	ps := strings.Split(pat, "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	rank := make([]int, len(ps)+1)
	for i, p := range ps {
		switch {
		case isPlaceholder(p):
			if xs[i] == "" || (p == "{module}" && notModules[xs[i]]) {
				return nil, false
			}
		case p == xs[i]:
			rank[i] = 1
		default:
			return nil, false
		}
	}
	if name, value, _ := strings.Cut(q, "="); hasQuery && value != "" {
		if query.Get(name) != value {
			return nil, false
		}
		rank[len(ps)] = 1
	}
	return rank, true
}
