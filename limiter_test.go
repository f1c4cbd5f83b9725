package zohohub_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/zohohub/zohohub"
)

// recordingLimiter is a Limiter that lets every call through and records
// the status each release was given.
type recordingLimiter struct {
	mu       sync.Mutex
	acquired int
	released []int
	fail     error
}

func (l *recordingLimiter) Acquire(context.Context) (func(int), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return nil, l.fail
	}
	l.acquired++
	return func(status int) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.released = append(l.released, status)
	}, nil
}

// The Client takes a slot of its Limiter around every attempt, retries
// included, and tells it each answer's status, so that a 429 can make
// every process sharing the limiter back off.
func TestLimiterAroundEveryAttempt(t *testing.T) {
	calls := 0
	lim := &recordingLimiter{}
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"code":"TOO_MANY_REQUESTS","details":{},"message":"limit","status":"error"}`)
			return
		}
		io.WriteString(w, `{"data":[]}`)
	}), zohohub.WithLimiter(lim))
	if _, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"}); err != nil {
		t.Fatal(err)
	}
	if lim.acquired != 2 || !slices.Equal(lim.released, []int{429, 200}) {
		t.Errorf("acquired %d, released with %v; want 2 and [429 200]", lim.acquired, lim.released)
	}
}

// A limiter that cannot give a slot fails the call without sending it.
func TestLimiterFailureStopsCall(t *testing.T) {
	sent := false
	lim := &recordingLimiter{fail: errors.New("redis down")}
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent = true }), zohohub.WithLimiter(lim))
	_, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
	if !errors.Is(err, lim.fail) || sent {
		t.Errorf("Do = %v, sent %v; want the limiter's error and nothing sent", err, sent)
	}
}
