package zohohub

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/zohohub/zohohub/internal/credits"
)

// Credits is what Zoho last reported of the org's API credits: those left
// in the rolling 24 hours (docs/wire.md §9), and when the answer saying so
// came.
type Credits struct {
	Remaining int
	At        time.Time
}

// Credits returns the credits Zoho last reported left, from the
// X-API-CREDITS-REMAINING header of the Client's answers, and false when
// no answer carried it yet: Zoho is reported to send it only once half of
// the org's credits are spent.
func (c *Client) Credits() (Credits, bool) {
	if p := c.credits.Load(); p != nil {
		return *p, true
	}
	return Credits{}, false
}

// noteCredits keeps the credits an answer reports, if it reports them.
func (c *Client) noteCredits(h http.Header) {
	if n, ok := credits.Remaining(h); ok {
		c.credits.Store(&Credits{Remaining: n, At: time.Now()})
	}
}

// lastCredits is the Client's record of the last Credits reported.
type lastCredits = atomic.Pointer[Credits]
