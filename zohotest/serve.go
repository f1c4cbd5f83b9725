package zohotest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// recorder adds the request to the log, with its answer's status, as the
// answer starts: before any byte of it can reach the client, so a client
// that has its answer always finds its request in Server.Requests (a large
// answer is flushed while the handler still runs).
type recorder struct {
	http.ResponseWriter
	status int
	logged bool
	s      *Server
	r      *http.Request
	body   []byte
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.log()
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.log()
	return r.ResponseWriter.Write(b)
}

// log adds the request once; ServeHTTP calls it too for an answer that
// wrote nothing.
func (r *recorder) log() {
	if !r.logged {
		r.logged = true
		r.s.log.add(r.r, r.body, r.status)
	}
}

// ServeHTTP serves the accounts server and the CRM API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e, routed, ok := routes().match(routingRequest(r))
	var body []byte
	if !e.streamsBody() { // file uploads are read by their handlers, as they arrive
		body = readBody(r)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if routed != nil {
			routed.Body = r.Body
		}
	}
	rec := &recorder{ResponseWriter: w, status: 200, s: s, r: r, body: body}
	defer rec.log()
	if f, ok := s.faults.take(r.Method, r.URL.Path); ok {
		writeErr(rec, newErr(f.status, f.code, "injected failure", nil))
		return
	}
	c := &call{s: s, w: rec, r: r, body: body}
	if ok && e.accounts {
		c.r = routed
		e.serve(c)
		return
	}
	s.crm(c, e, routed)
}

// maxBody bounds the request body the server reads.
const maxBody = 32 << 20

// readBody reads r's body, up to maxBody, into a buffer of the size the
// request announced.
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(max(r.ContentLength, 0), maxBody)+bytes.MinRead))
	buf.ReadFrom(io.LimitReader(r.Body, maxBody))
	return buf.Bytes()
}

// routingRequest is r with its path's trailing slashes dropped: the
// server has always answered /crm/v8/Leads/ as /crm/v8/Leads.
func routingRequest(r *http.Request) *http.Request {
	p := r.URL.Path
	trimmed := strings.TrimRight(p, "/")
	if trimmed == p || trimmed == "" {
		return r
	}
	u := *r.URL
	u.Path, u.RawPath = trimmed, ""
	r = r.WithContext(r.Context())
	r.URL = &u
	return r
}

// crm answers a CRM API call: e is its route, routed the request with its
// path values, or e is nil when no route fits. Zoho's checks come in its
// order: the URL's version, the token, the route and method, the token's
// scopes, the concurrency limit, the module.
func (s *Server) crm(c *call, e *routeEntry, routed *http.Request) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	if d := time.Duration(s.latency.Load()); d > 0 {
		time.Sleep(d)
	}
	ver, ok := apiVersion(c.r.URL.Path)
	if !ok {
		c.noRoute()
		return
	}
	scopes, ok := s.authorized(c.r)
	if !ok {
		c.fail(newErr(401, "INVALID_TOKEN", "invalid oauth token", nil))
		return
	}
	if e == nil {
		c.noRoute()
		return
	}
	c.r, c.version = routed, ver
	c.moduleName, c.pathID = routed.PathValue("module"), routed.PathValue("id")
	if missing := scopes.missing(e.scope(c)); len(missing) > 0 {
		c.fail(scopeMismatch(missing))
		return
	}
	if limit := s.cfg.concurrency; limit > 0 && int(n) > limit {
		c.fail(newErr(429, "TOO_MANY_REQUESTS", "concurrency limit of the user for the app is exceeded", nil))
		return
	}
	if !c.charge() {
		return
	}
	c.major = 8
	if ver == "v2" || ver == "v2.1" {
		c.major = 2
	} else {
		c.major, _ = strconv.Atoi(ver[1:])
	}
	// Lenient like Zoho: a trailing & and a missing Content-Type are fine.
	c.q, _ = url.ParseQuery(strings.TrimSuffix(c.r.URL.RawQuery, "&"))
	if strings.Contains(e.Pattern, "{module}") && !c.module(c.moduleName) {
		return
	}
	e.serve(c)
}

// apiVersion returns the version of a CRM path, /crm/{v}/… or
// /crm/bulk/{v}/…, and false if it names none the server serves.
func apiVersion(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/crm/")
	if !ok {
		return "", false
	}
	rest = strings.TrimPrefix(rest, "bulk/")
	ver, more, _ := strings.Cut(rest, "/")
	return ver, slices.Contains(versions, ver) && strings.Trim(more, "/") != ""
}

// noRoute answers a request no route fits: INVALID_REQUEST_METHOD when a
// route answers its path with another method, else INVALID_URL_PATTERN.
func (c *call) noRoute() {
	if routes().methodFits(routingRequest(c.r)) {
		c.fail(newErr(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one", nil))
		return
	}
	c.fail(errURLPattern())
}

// call is one CRM API request being answered.
type call struct {
	s          *Server
	w          http.ResponseWriter
	r          *http.Request // with the path values of its route
	q          url.Values
	body       []byte
	major      int         // of the version: 2 for v2 and v2.1
	version    string      // of the path: v2, v2.1, … v8
	moduleName string      // the path's {module}
	pathID     string      // the path's {id}
	dones      []writeDone // room for a write's items (done)
}

func (c *call) fail(e *zerr) { writeErr(c.w, e) }

// module checks that the org has a module of that name.
func (c *call) module(name string) bool {
	if _, ok := c.s.meta.modules[name]; ok {
		return true
	}
	c.fail(errInvalidModule(map[string]any{"resource_path_index": 0}))
	return false
}

// moduleParam is the module named by the settings APIs' module parameter:
// an error names the parameter, as param_name and param (Zoho's files use
// both: fields.json param_name, layouts.json, related_lists.json and
// common.json param), not a path segment.
func (c *call) moduleParam() (string, bool) {
	m := c.q.Get("module")
	details := map[string]any{"param_name": "module", "param": "module"}
	if m == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", details))
		return "", false
	}
	if _, ok := c.s.meta.modules[m]; !ok {
		c.fail(errInvalidModule(details))
		return "", false
	}
	return m, true
}
