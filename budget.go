package zohohub

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// DefaultResponseBudget is the default bound on the bytes of Zoho's
// answers a Client holds at once, across all its requests in flight.
const DefaultResponseBudget = 128 << 20

// maxResponseBytes bounds one answer; a larger body is an error rather
// than memory exhausted. The response budget can only lower it.
const maxResponseBytes = 64 << 20

// bodyChunk is the first buffer of an answer of unknown length; the
// buffer doubles from there, taking budget as it grows.
const bodyChunk = 32 << 10

// WithResponseBudget bounds the bytes of answers the client holds at once,
// across all its requests in flight: an answer takes budget as its bytes
// are read and gives it back once it is decoded. An answer that would
// exceed what is left of the budget fails with an error matching
// ErrResponseTooLarge (retried, like a network error, when the request is
// safe to repeat), as does an answer larger than the whole budget (never
// retried). The default is DefaultResponseBudget, 128 MiB; one answer is
// never read beyond 64 MiB. Bulk Read results are written to a temporary
// file, not held, and do not count.
func WithResponseBudget(bytes int64) Option {
	return func(c *Client) error {
		if bytes < bodyChunk {
			return fmt.Errorf("zohohub: WithResponseBudget: %d bytes is less than the %d bytes of one read", bytes, bodyChunk)
		}
		c.budgetSize = bytes
		return nil
	}
}

// ResponseBudget returns the bound on the bytes of answers held at once.
func (c *Client) ResponseBudget() int64 { return c.budgetSize }

// readBody reads an answer of at most limit bytes into memory taken from
// the client's response budget; release gives the memory back and must be
// called once the body is decoded (it is a no-op after an error). The
// first part of the budget is waited for, holding nothing, so waiting
// cannot deadlock; growing beyond it while others hold the rest fails.
func (c *Client) readBody(ctx context.Context, hresp *http.Response, limit int64, method, path string) (data []byte, release func(), err error) {
	held := int64(0)
	release = func() {
		if held > 0 {
			c.budget.Release(held)
			held = 0
		}
	}
	tooLarge := func(why string, transient bool) error {
		release()
		e := badResponse(hresp.StatusCode, method, path, nil, why)
		e.tooLarge, e.transient = true, transient
		return e
	}
	// take makes the budget held n bytes.
	take := func(n int64) error {
		switch {
		case n > c.budgetSize:
			return tooLarge(fmt.Sprintf("response larger than the client's response budget of %d bytes (WithResponseBudget)", c.budgetSize), false)
		case held == 0:
			if err := c.budget.Acquire(ctx, n); err != nil {
				return fmt.Errorf("zohohub: %s %s: waiting for response budget: %w", method, path, err)
			}
		case !c.budget.TryAcquire(n - held):
			return tooLarge(fmt.Sprintf("response budget of %d bytes exhausted by answers in flight (WithResponseBudget)", c.budgetSize), true)
		}
		held = n
		return nil
	}
	size := int64(bodyChunk)
	if hresp.ContentLength > limit {
		return nil, func() {}, tooLarge(fmt.Sprintf("response of %d bytes, larger than %d", hresp.ContentLength, limit), false)
	}
	if hresp.ContentLength >= 0 {
		size = hresp.ContentLength + 1 // +1: room to see EOF without growing
	}
	size = min(size, limit+1)
	if err := take(size); err != nil {
		return nil, func() {}, err
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, func() {}, tooLarge(fmt.Sprintf("response larger than %d bytes", limit), false)
			}
			size = min(max(2*int64(cap(buf)), bodyChunk), limit+1)
			if err := take(size); err != nil {
				return nil, func() {}, err
			}
			buf = append(make([]byte, 0, size), buf...)
		}
		n, err := hresp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			release()
			return nil, func() {}, fmt.Errorf("zohohub: %s %s: reading response: %w", method, path, err)
		}
	}
	if int64(len(buf)) > limit {
		return nil, func() {}, tooLarge(fmt.Sprintf("response larger than %d bytes", limit), false)
	}
	return buf, release, nil
}
