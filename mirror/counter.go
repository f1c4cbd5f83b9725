package mirror

import (
	"io"
	"net/http"
	"sync"

	"github.com/zohohub/zohohub/internal/credits"
)

// RequestCounter is an http.RoundTripper that counts the requests it
// sends, and the API credits Zoho charges for them, in all and by the
// module a mirror pass sent them for. Make it the transport of the
// client's http.Client and give it to WithRequestCounter.
//
// Credits are an estimate from Zoho's price list (docs/wire.md §9): a list
// page 1, deleted records 2, a Bulk Read job 50, COQL by its LIMIT; a call
// refused (401, 404, 429) or failed on Zoho's side (5xx) counts none.
type RequestCounter struct {
	next http.RoundTripper

	mu       sync.Mutex
	total    tally
	byModule map[string]tally
}

// tally is what was counted for a module, or in all.
type tally struct{ requests, credits int }

// setCounts sets the stats' requests and credits: what was counted from
// before to now.
func (st *ModuleStats) setCounts(now, before tally) {
	st.Requests, st.Credits = now.requests-before.requests, now.credits-before.credits
}

// NewRequestCounter counts the requests next sends
// (http.DefaultTransport when nil).
func NewRequestCounter(next http.RoundTripper) *RequestCounter {
	if next == nil {
		next = http.DefaultTransport
	}
	return &RequestCounter{next: next, byModule: map[string]tally{}}
}

// RoundTrip counts the request and sends it; the credits are counted once
// the answer says whether Zoho charged them.
func (rc *RequestCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	module, _ := req.Context().Value(moduleKey{}).(string)
	cost := credits.Cost(req.Method, req.URL.Path, req.URL.Query(), bodyCopy(req))
	rc.count(module, tally{requests: 1})
	resp, err := rc.next.RoundTrip(req)
	if err == nil && credits.Charged(resp.StatusCode) {
		rc.count(module, tally{credits: cost})
	}
	return resp, err
}

func (rc *RequestCounter) count(module string, t tally) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.total.requests += t.requests
	rc.total.credits += t.credits
	if module != "" {
		m := rc.byModule[module]
		m.requests += t.requests
		m.credits += t.credits
		rc.byModule[module] = m
	}
}

// maxCostBody bounds the body read to price a call: a COQL statement or a
// write of 100 records.
const maxCostBody = 1 << 20

// bodyCopy returns the body a POST or PUT will send, read from a copy of
// it (GetBody), or nil.
func bodyCopy(req *http.Request) []byte {
	if (req.Method != http.MethodPost && req.Method != http.MethodPut) || req.GetBody == nil {
		return nil
	}
	rd, err := req.GetBody()
	if err != nil {
		return nil
	}
	defer rd.Close()
	b, _ := io.ReadAll(io.LimitReader(rd, maxCostBody))
	return b
}

// Total is the number of requests sent so far.
func (rc *RequestCounter) Total() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.total.requests
}

// Module is the number of requests sent so far by passes over module.
func (rc *RequestCounter) Module(module string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.byModule[module].requests
}

// Credits is the API credits the requests sent so far cost.
func (rc *RequestCounter) Credits() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.total.credits
}

// ModuleCredits is the API credits the requests of passes over module cost
// so far.
func (rc *RequestCounter) ModuleCredits(module string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.byModule[module].credits
}
