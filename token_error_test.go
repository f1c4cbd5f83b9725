package zohohub_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/zohohub/zohohub"
)

// refusingTokens fails every AccessToken call with err.
type refusingTokens struct {
	calls atomic.Int32
	err   error
}

func (s *refusingTokens) AccessToken(context.Context) (string, error) {
	s.calls.Add(1)
	return "", s.err
}

func (s *refusingTokens) Invalidate(string) {}

// tokenFailure is an error of a token source that says whether it may pass.
type tokenFailure struct{ temporary bool }

func (e tokenFailure) Error() string   { return "token source failed" }
func (e tokenFailure) Temporary() bool { return e.temporary }

// A token source's permanent failure (a revoked refresh token) is not
// retried with backoff; one that says it is temporary is, like a network
// error.
func TestTokenSourceFailureRetriedOnlyWhenTemporary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		temporary bool
		calls     int32
	}{{false, 1}, {true, 3}} {
		ts := &refusingTokens{err: tokenFailure{tc.temporary}}
		var served atomic.Int32
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }),
			zohohub.WithTokenSource(ts))
		_, err := c.Do(context.Background(), &zohohub.Request{Method: http.MethodGet, Path: "/crm/v8/Leads"})
		if !errors.As(err, new(tokenFailure)) {
			t.Fatalf("temporary=%v: error %v does not wrap the token source's", tc.temporary, err)
		}
		if got := ts.calls.Load(); got != tc.calls || served.Load() != 0 {
			t.Errorf("temporary=%v: %d token calls and %d requests, want %d and 0", tc.temporary, got, served.Load(), tc.calls)
		}
	}
}
