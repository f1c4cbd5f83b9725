package zohotest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// maxRequests bounds the request log.
const maxRequests = 10000

// requestLog is the requests the server answered, the last maxRequests.
type requestLog struct {
	mu      sync.Mutex
	entries []loggedRequest
}

// loggedRequest is a RequestRecord as the log keeps it: its query as
// sent, parsed only when Requests is called, not once more for every
// request answered.
type loggedRequest struct {
	method, path, rawQuery string
	body                   []byte
	status                 int
}

// add logs an answered request; the accounts server's bodies hold secrets
// and are left out.
func (l *requestLog) add(r *http.Request, body []byte, status int) {
	if strings.HasPrefix(r.URL.Path, "/oauth/") {
		body = nil
	}
	e := loggedRequest{method: r.Method, path: r.URL.Path, rawQuery: r.URL.RawQuery, body: body, status: status}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= maxRequests {
		l.entries = l.entries[1:]
	}
	l.entries = append(l.entries, e)
}

// Requests returns the requests answered so far (the last 10,000).
func (s *Server) Requests() []RequestRecord {
	s.log.mu.Lock()
	entries := append([]loggedRequest(nil), s.log.entries...)
	s.log.mu.Unlock()
	out := make([]RequestRecord, len(entries))
	for i, e := range entries {
		q, _ := url.ParseQuery(e.rawQuery) // as r.URL.Query() reads it
		out[i] = RequestRecord{Method: e.method, Path: e.path, Query: q, Body: e.body, Status: e.status}
	}
	return out
}

// ResetRequests forgets the requests answered so far.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.entries = nil
}
