package zohotest

import (
	"net/url"
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
// handler and the handler checks the method: where several patterns fit
// the path (/crm/v8/Leads/search also fits /crm/v8/{module}/{id}), the
// most specific wins (the most literal segments, then a query parameter
// it names), and the request is that route's only if the method matches.
func RouteOf(method, path string, query url.Values) (Route, bool) {
	routes := Routes()
	// A placeholder never stands for a word a pattern spells out at that
	// place: the router sends /crm/v8/settings/… to the settings handler
	// whatever follows. /crm/bulk/… is a router of its own, so its words
	// are not words of /crm/v8/… (/crm/v8/Leads/read is a record).
	literal := map[literalKey]map[string]bool{}
	for _, r := range routes {
		pat, _, _ := strings.Cut(r.Pattern, "?")
		for i, seg := range strings.Split(pat, "/") {
			if k := keyOf(pat, i); !strings.HasPrefix(seg, "{") {
				if literal[k] == nil {
					literal[k] = map[string]bool{}
				}
				literal[k][seg] = true
			}
		}
	}
	var best []Route
	bestScore := -1
	for _, r := range routes {
		score, ok := r.match(path, query, literal)
		switch {
		case !ok || score < bestScore:
		case score > bestScore:
			best, bestScore = []Route{r}, score
		default:
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

// literalKey is a place in a path: its segment index, in the bulk router
// or not.
type literalKey struct {
	bulk bool
	i    int
}

func keyOf(path string, i int) literalKey {
	return literalKey{strings.HasPrefix(path, "/crm/bulk/"), i}
}

// match reports whether r's pattern fits the path and query, and how
// specific it is. "?name=" names a parameter the handler reads without
// requiring it to match: a request without it is still this route's.
func (r Route) match(path string, query url.Values, literal map[literalKey]map[string]bool) (int, bool) {
	pat, q, hasQuery := strings.Cut(r.Pattern, "?")
	ps, xs := strings.Split(pat, "/"), strings.Split(strings.TrimSuffix(path, "/"), "/")
	if len(ps) != len(xs) {
		return 0, false
	}
	score := 0
	for i, p := range ps {
		switch {
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			if xs[i] == "" || literal[keyOf(pat, i)][xs[i]] {
				return 0, false
			}
		case p == xs[i]:
			score += 2
		default:
			return 0, false
		}
	}
	if name, value, _ := strings.Cut(q, "="); hasQuery && value != "" {
		if query.Get(name) != value {
			return 0, false
		}
		score++
	}
	return score, true
}
