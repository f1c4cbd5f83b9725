package zohohub

import (
	"context"
	"fmt"
	"net/http"
)

// Limiter bounds the calls in flight beyond one Client, such as across the
// processes of one organisation, whose concurrency and credit limits Zoho
// counts per org, not per process. Acquire blocks until the call may be
// sent or ctx is done; Release gives the slot back, and is told the
// answer's HTTP status (0 when no answer came) so that a 429 can make
// every process back off. Limiter/redislimit implements it over Redis.
type Limiter interface {
	Acquire(ctx context.Context) (release func(status int), err error)
}

// WithLimiter makes the Client take a slot of l around every request, in
// addition to its own concurrency bound. Without it the bound is per
// Client.
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		c.limiter = l
		return nil
	}
}

// acquireShared takes a slot of the shared limiter, if the Client has one.
// The done it returns is never nil; it gives the slot back, with the
// status of the answer (nil when none came).
func (c *Client) acquireShared(ctx context.Context, method, path string) (done func(*http.Response), err error) {
	if c.limiter == nil {
		return func(*http.Response) {}, nil
	}
	release, err := c.limiter.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("zohohub: %s %s: waiting for the shared limiter: %w", method, path, err)
	}
	return func(hresp *http.Response) {
		status := 0
		if hresp != nil {
			status = hresp.StatusCode
		}
		if release != nil {
			release(status)
		}
	}, nil
}
