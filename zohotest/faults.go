package zohotest

import (
	mrand "math/rand/v2"
	"strings"
	"sync"
)

// faults are the failures a test asks for: the next calls of a route
// (FailNext), and a rate of CRM calls (WithFailRate).
type faults struct {
	rate float64

	mu     sync.Mutex
	queued map[string][]fault // by route, "POST /crm/v8/Leads"
	rng    *mrand.Rand
}

type fault struct {
	status int
	code   string
}

func newFaults(rate float64, seed uint64) *faults {
	return &faults{rate: rate, queued: map[string][]fault{}, rng: mrand.New(mrand.NewPCG(seed, 1))}
}

// FailNext makes the next n calls of route, such as "POST /crm/v8/Leads"
// or "POST /oauth/v2/token", fail with status and Zoho error code.
func (s *Server) FailNext(route string, n, status int, code string) {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.queued[route] = append(f.queued[route], fault{status: status, code: code})
	}
}

// take returns the fault the call of route (method and path) must answer.
func (f *faults) take(method, path string) (fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queued) > 0 {
		route := method + " " + path
		if q := f.queued[route]; len(q) > 0 {
			f.queued[route] = q[1:]
			return q[0], true
		}
	}
	if f.rate > 0 && strings.HasPrefix(path, "/crm/") && f.rng.Float64() < f.rate {
		return fault{status: 500, code: "INTERNAL_ERROR"}, true
	}
	return fault{}, false
}
