package zohotest

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zohohub/zohohub/internal/credits"
)

// API credits (docs/wire.md §9): with WithCredits, every CRM call that
// passes the token, scope and concurrency checks is charged what Zoho
// charges it, against an allowance over a rolling 24 hours. Once more than
// half is spent, answers carry the credits left in X-API-CREDITS-REMAINING
// (as Zoho is reported to do); a call the rest cannot pay for is answered
// 429 TOO_MANY_REQUESTS and not charged.

// creditWindow is the span over which credits are counted: each one
// spent ages out a day after.
const creditWindow = 24 * time.Hour

// WithCredits gives the org an allowance of API credits per rolling 24
// hours (Zoho's editions: 5,000 Free to 5,000,000 Enterprise). Without it
// calls are free and no answer reports credits.
func WithCredits(allowance int) Option { return func(c *config) { c.credits = allowance } }

// creditLedger is what the org spent in the window, oldest first.
type creditLedger struct {
	mu      sync.Mutex
	charges []creditCharge
	spent   int // the sum of charges
}

type creditCharge struct {
	at   time.Time
	cost int
}

// charge charges the call its cost, sets the credits header when due, and
// answers 429 itself when the allowance cannot pay; it reports whether the
// call may go on.
func (c *call) charge() bool {
	s := c.s
	allowance := s.cfg.credits
	if allowance <= 0 {
		return true
	}
	q, _ := url.ParseQuery(strings.TrimSuffix(c.r.URL.RawQuery, "&"))
	cost := credits.Cost(c.r.Method, c.r.URL.Path, q, c.body)
	l := &s.credits
	l.mu.Lock()
	defer l.mu.Unlock()
	now := s.cfg.now()
	l.expireLocked(now)
	if l.spent+cost > allowance {
		c.fail(newErr(429, "TOO_MANY_REQUESTS", "number of API requests for the 24 hour period is exceeded", nil))
		return false
	}
	l.charges = append(l.charges, creditCharge{now, cost})
	l.spent += cost
	if 2*l.spent > allowance {
		c.w.Header().Set(credits.RemainingHeader, strconv.Itoa(allowance-l.spent))
	}
	return true
}

func (l *creditLedger) expireLocked(now time.Time) {
	i := 0
	for i < len(l.charges) && !now.Before(l.charges[i].at.Add(creditWindow)) {
		l.spent -= l.charges[i].cost
		i++
	}
	l.charges = l.charges[i:]
}

// CreditsSpent returns the credits the org spent in the last 24 hours (0
// without WithCredits).
func (s *Server) CreditsSpent() int {
	s.credits.mu.Lock()
	defer s.credits.mu.Unlock()
	s.credits.expireLocked(s.cfg.now())
	return s.credits.spent
}
