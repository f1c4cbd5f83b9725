package zohotest

import (
	"net/http"
	"strings"
	"sync"
)

// maxRequests bounds the request log.
const maxRequests = 10000

// requestLog is the requests the server answered, the last maxRequests.
type requestLog struct {
	mu      sync.Mutex
	entries []RequestRecord
}

// add logs an answered request; the accounts server's bodies hold secrets
// and are left out.
func (l *requestLog) add(r *http.Request, body []byte, status int) {
	if strings.HasPrefix(r.URL.Path, "/oauth/") {
		body = nil
	}
	rec := RequestRecord{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body, Status: status}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= maxRequests {
		l.entries = l.entries[1:]
	}
	l.entries = append(l.entries, rec)
}

// Requests returns the requests answered so far (the last 10,000).
func (s *Server) Requests() []RequestRecord {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return append([]RequestRecord(nil), s.log.entries...)
}

// ResetRequests forgets the requests answered so far.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.entries = nil
}
