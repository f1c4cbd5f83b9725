package zohotest

import (
	"net/http"
	"slices"
	"strings"
	"sync"
)

// versions are the API versions served: each CRM route of the table under
// /crm/{version}/ and /crm/bulk/{version}/.
var versions = []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"}

// router matches requests to the route table with net/http's ServeMux
// (method and wildcard patterns). ServeMux refuses two patterns that both
// fit a path unless one is more specific, and /crm/v8/users/{id} and
// /crm/v8/{module}/search both fit /crm/v8/users/search; Zoho reads such a
// path by the word (users is never a module). So the routes that spell a
// word where others have {module} are in one mux, the record routes in
// another, and a path whose word is one of those never reaches the second.
// ServeMux only matches: its own 404 and 405 answers never reach a client
// (the server answers INVALID_URL_PATTERN and INVALID_REQUEST_METHOD).
type router struct {
	words, records *http.ServeMux
	reserved       map[string]bool          // the words at {module}'s place: settings, users, org, coql, upload
	siblings       map[string][]*routeEntry // by key: the entries that differ only in their query
	methods        []string                 // every method a route answers
}

// routes is the router of routeTable, built once: it holds no state of a
// server.
var routes = sync.OnceValue(func() *router {
	rt := &router{words: http.NewServeMux(), records: http.NewServeMux(), reserved: map[string]bool{}, siblings: map[string][]*routeEntry{}}
	for i := range routeTable {
		e := &routeTable[i]
		key := e.key()
		rt.siblings[key] = append(rt.siblings[key], e)
		if !slices.Contains(rt.methods, e.Method) {
			rt.methods = append(rt.methods, e.Method)
		}
		if len(rt.siblings[key]) > 1 {
			continue // registered with its first sibling
		}
		path, _, _ := strings.Cut(e.Pattern, "?")
		mux := rt.words
		if segs := strings.Split(path, "/"); len(segs) > modulePos && segs[modulePos] == "{module}" {
			mux = rt.records
		} else if strings.HasPrefix(path, "/crm/v8/") && len(segs) > modulePos {
			rt.reserved[segs[modulePos]] = true
		}
		for _, p := range versioned(path) {
			mux.Handle(e.Method+" "+p, e)
		}
	}
	return rt
})

// modulePos is the index of {module} in "/crm/v8/{module}/…" split on "/".
const modulePos = 3

// versioned returns a v8 path under every version.
func versioned(path string) []string {
	for _, prefix := range []string{"/crm/v8/", "/crm/bulk/v8/"} {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			out := make([]string, len(versions))
			for i, v := range versions {
				out[i] = strings.Replace(prefix, "v8", v, 1) + rest
			}
			return out
		}
	}
	return []string{path}
}

// ServeHTTP makes an entry the handler ServeMux finds: it reports itself
// to the matcher instead of answering.
func (e *routeEntry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m, ok := w.(*matched); ok {
		m.entry, m.r = e, r
	}
}

// matched is the ResponseWriter the router hands ServeMux: the handler of
// the matching pattern records itself and the request, which now carries
// the path's wildcard values. Whatever ServeMux writes itself is dropped.
type matched struct {
	entry *routeEntry
	r     *http.Request
}

func (*matched) Header() http.Header         { return http.Header{} }
func (*matched) Write(b []byte) (int, error) { return len(b), nil }
func (*matched) WriteHeader(int)             {}

// match returns the entry that answers r, and r with its path values set.
func (rt *router) match(r *http.Request) (e *routeEntry, withValues *http.Request, ok bool) {
	if r.Method == http.MethodHead {
		return nil, nil, false // ServeMux lets GET patterns answer HEAD; Zoho does not
	}
	var m matched
	rt.words.ServeHTTP(&m, r)
	if m.entry == nil && !rt.reserved[segment(r.URL.Path, modulePos)] {
		rt.records.ServeHTTP(&m, r)
	}
	return m.entry, m.r, m.entry != nil
}

// methodFits reports whether some route answers r's path with another
// method than r's.
func (rt *router) methodFits(r *http.Request) bool {
	for _, method := range rt.methods {
		if method == r.Method {
			continue
		}
		if _, _, ok := rt.match(&http.Request{Method: method, URL: r.URL, Host: r.Host}); ok {
			return true
		}
	}
	return false
}

// segment returns the i-th "/"-separated segment of path, or "".
func segment(path string, i int) string {
	for range i {
		_, rest, ok := strings.Cut(path, "/")
		if !ok {
			return ""
		}
		path = rest
	}
	seg, _, _ := strings.Cut(path, "/")
	return seg
}
