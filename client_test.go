package zohohub_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// countingTokens hands out "tok-N" and counts invalidations.
type countingTokens struct {
	mu          sync.Mutex
	n           int
	invalidated []string
}

func (s *countingTokens) AccessToken(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "secret-access-" + string(rune('0'+s.n)), nil
}

func (s *countingTokens) Invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok == "secret-access-"+string(rune('0'+s.n)) {
		s.n++
	}
	s.invalidated = append(s.invalidated, tok)
}

func newTestClient(t *testing.T, h http.Handler, opts ...zohohub.Option) (*zohohub.Client, *countingTokens) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/base/", http.StripPrefix("/base", h)) // a non-empty base path, as behind a proxy
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	env, err := auth.Custom(srv.URL+"/base", srv.URL+"/base", srv.URL+"/base")
	if err != nil {
		t.Fatal(err)
	}
	ts := &countingTokens{}
	all := append([]zohohub.Option{zohohub.WithEnvironment(env), zohohub.WithTokenSource(ts),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})}, opts...)
	c, err := zohohub.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, ts
}

func TestDoSendsZohoHeaderAndVersionedPath(t *testing.T) {
	var gotAuth, gotPath string
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path
		io.WriteString(w, `{"data":[]}`)
	}))
	if _, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads/1"}); err != nil {
		t.Fatal(err)
	}
	if gotAuth != "Zoho-oauthtoken secret-access-0" || gotPath != "/crm/v8/Leads/1" {
		t.Fatalf("auth %q path %q", gotAuth, gotPath)
	}
}

func TestDoInvalidTokenRefreshesOnceThenFails(t *testing.T) {
	var calls atomic.Int32
	c, ts := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(401)
		io.WriteString(w, `{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`)
	}))
	_, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
	if !errors.Is(err, zohohub.ErrInvalidToken) {
		t.Fatalf("err = %v, want ErrInvalidToken", err)
	}
	if calls.Load() != 2 || len(ts.invalidated) != 2 {
		t.Fatalf("calls %d invalidations %d, want 2 and 2 (one retry, no loop)", calls.Load(), len(ts.invalidated))
	}
	if strings.Contains(err.Error(), "secret-access") {
		t.Fatalf("error leaks the token: %v", err)
	}
}

func TestDoInvalidTokenRetrySucceeds(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Zoho-oauthtoken secret-access-0" {
			w.WriteHeader(401)
			io.WriteString(w, `{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	resp, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
	if err != nil || string(resp.Body) != `{"ok":true}` {
		t.Fatalf("resp %v err %v", resp, err)
	}
}

func TestDoRetries(t *testing.T) {
	cases := []struct {
		name      string
		method    string
		status    int
		retryable bool
		wantCalls int32
	}{
		{"GET 500 retried", "GET", 500, false, 3},
		{"GET 429 retried", "GET", 429, false, 3},
		{"POST 500 not retried", "POST", 500, false, 1},
		{"post 500 not retried either", "post", 500, false, 1},
		{"POST 429 retried", "POST", 429, false, 3},
		{"retryable POST 503 retried", "POST", 503, true, 3},
		{"GET 400 not retried", "GET", 400, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
				io.WriteString(w, `{"code":"X","details":{"api_name":"Email"},"message":"m","status":"error"}`)
			}))
			_, err := c.Do(context.Background(), &zohohub.Request{Method: tc.method, Path: "Leads", Body: map[string]any{"data": []any{}}, Retryable: tc.retryable})
			var apiErr *zohohub.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.APIName() != "Email" {
				t.Fatalf("err = %v", err)
			}
			if calls.Load() != tc.wantCalls {
				t.Fatalf("calls = %d, want %d", calls.Load(), tc.wantCalls)
			}
			if tc.status == 429 && !errors.Is(err, zohohub.ErrTooManyRequests) {
				t.Fatalf("429 not ErrTooManyRequests: %v", err)
			}
		})
	}
}

// A 429 with Retry-After waits as long as the server asked, however small
// the policy's backoff.
func TestDoHonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	var first time.Time
	var gap time.Duration
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			io.WriteString(w, `{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow down","status":"error"}`)
			return
		}
		gap = time.Since(first)
		io.WriteString(w, `{"data":[]}`)
	}))
	if _, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || gap < 900*time.Millisecond {
		t.Fatalf("calls %d, retried after %v; want 2 calls, about 1 s apart", calls.Load(), gap)
	}
}

func TestDoBadResponses(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"html 200": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Sign in</body></html>")
		},
		"truncated": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"data":[{"id":"1"`) },
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://accounts.zoho.com/signin", http.StatusFound)
		},
		"html 500": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, "<html>Bad gateway</html>")
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, h)
			_, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
			if !errors.Is(err, zohohub.ErrBadResponse) {
				t.Fatalf("err = %v, want ErrBadResponse", err)
			}
		})
	}
}

func TestDoEmptyResults(t *testing.T) {
	for _, status := range []int{204, 304} {
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
		resp, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
		if err != nil || resp.StatusCode != status || len(resp.Body) != 0 {
			t.Fatalf("%d: resp %+v err %v", status, resp, err)
		}
	}
}

func TestDoWrappedErrorEnvelope(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"data":[{"code":"INVALID_MODULE","details":{"resource_path_index":0},"message":"the module name given seems to be invalid","status":"error"}]}`)
	}))
	_, err := c.Do(context.Background(), &zohohub.Request{Path: "Nope"})
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "INVALID_MODULE" || apiErr.StatusCode != 400 {
		t.Fatalf("err = %v", err)
	}
}

func TestDoBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
		io.WriteString(w, `{}`)
	}), zohohub.WithConcurrency(3))
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			if _, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak.Load() > 3 || peak.Load() < 2 {
		t.Fatalf("peak in flight = %d, want ≤3 (and >1)", peak.Load())
	}
}

func TestDoLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, `{"code":"INTERNAL_ERROR","details":{},"message":"x","status":"error"}`)
	}), zohohub.WithLogger(logger))
	c.Do(context.Background(), &zohohub.Request{Path: "Leads"})
	if !strings.Contains(buf.String(), "retrying") || strings.Contains(buf.String(), "secret-access") {
		t.Fatalf("log:\n%s", buf.String())
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	if _, err := zohohub.New(); err == nil {
		t.Fatal("New without token source succeeded")
	}
	if _, err := zohohub.New(zohohub.WithTokenSource(&countingTokens{}), zohohub.WithAPIVersion("v9")); err == nil {
		t.Fatal("v9 accepted")
	}
	if _, err := zohohub.New(zohohub.WithTokenSource(&countingTokens{}), zohohub.WithConcurrency(0)); err == nil {
		t.Fatal("concurrency 0 accepted")
	}
}

// A Client not made by New (the zero value, or nil) reports that at once
// instead of blocking on its missing semaphore or panicking.
func TestZeroClientIsAnError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for name, c := range map[string]*zohohub.Client{"zero": {}, "nil": nil} {
		_, err := c.Do(ctx, &zohohub.Request{Path: "Leads"})
		if err == nil || ctx.Err() != nil {
			t.Errorf("%s client: Do = %v (ctx %v), want an immediate error", name, err, ctx.Err())
		}
		rs := zohohub.Records[tAccount](c)
		if rs.Err() == nil {
			t.Errorf("%s client: Records has no error", name)
		}
		if _, err := rs.FindMany(ctx, "1", "2"); err == nil || ctx.Err() != nil {
			t.Errorf("%s client: FindMany = %v (ctx %v), want an immediate error", name, err, ctx.Err())
		}
	}
}
