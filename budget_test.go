package zohohub

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub/auth"
)

// budgetClient is a client of srv with the given response budget.
func budgetClient(t *testing.T, srv *httptest.Server, budget int64, opts ...Option) *Client {
	t.Helper()
	env, err := auth.Custom(srv.URL, srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(append([]Option{WithEnvironment(env), WithTokenSource(auth.StaticToken("t")), WithResponseBudget(budget),
		WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 50 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// jsonOfSize is a JSON document of n bytes.
func jsonOfSize(n int) string { return `"` + strings.Repeat("a", n-2) + `"` }

// chunked answers body without a Content-Length, as a gzip'd or streamed
// answer comes.
func chunked(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for len(body) > 0 {
			n := min(len(body), 16<<10)
			w.Write([]byte(body[:n]))
			w.(http.Flusher).Flush()
			body = body[n:]
		}
	}
}

// chunkedServer answers every request with a JSON document of n bytes,
// chunked, and counts the requests; it stops when the test ends.
func chunkedServer(t *testing.T, n int) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		chunked(jsonOfSize(n))(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// budgetFree reports whether the whole budget is free.
func budgetFree(c *Client) bool {
	if !c.budget.TryAcquire(c.budgetSize) {
		return false
	}
	c.budget.Release(c.budgetSize)
	return true
}

func TestBudgetRefusesAnAnswerLargerThanItAll(t *testing.T) {
	srv, calls := chunkedServer(t, 3<<20)
	c := budgetClient(t, srv, 1<<20)
	_, err := c.Do(context.Background(), &Request{Path: "Accounts"})
	if !errors.Is(err, ErrResponseTooLarge) || !errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), "response budget of 1048576 bytes") {
		t.Fatalf("3 MiB answer, 1 MiB budget: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("an answer larger than the budget was asked for %d times (retrying cannot help)", n)
	}
	if !budgetFree(c) {
		t.Error("the budget was not given back")
	}
}

func TestBudgetContentLengthIsTakenAtOnce(t *testing.T) {
	body := jsonOfSize(900 << 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write([]byte(body))
	}))
	defer srv.Close()
	c := budgetClient(t, srv, 1<<20)
	// Someone holds most of the budget; the answer waits for it, holding
	// nothing, and is read once it is given back.
	c.budget.Acquire(context.Background(), 800<<10)
	go func() {
		time.Sleep(50 * time.Millisecond)
		c.budget.Release(800 << 10)
	}()
	start := time.Now()
	resp, err := c.Do(context.Background(), &Request{Path: "Accounts"})
	if err != nil || len(resp.Body) != len(body) {
		t.Fatalf("Do: %v", err)
	}
	if time.Since(start) < 40*time.Millisecond {
		t.Error("the answer did not wait for the budget")
	}
	if !budgetFree(c) {
		t.Error("the budget was not given back")
	}
}

func TestBudgetExhaustedByOthersIsRetriedWhenSafe(t *testing.T) {
	srv, calls := chunkedServer(t, 300<<10)
	c := budgetClient(t, srv, 1<<20)
	c.budget.Acquire(context.Background(), 900<<10) // others' answers in flight
	release := sync.OnceFunc(func() { c.budget.Release(900 << 10) })
	defer release()

	// A POST is not repeated: Zoho may have written.
	_, err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "Accounts", Body: []byte(`{}`)})
	if !errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), "exhausted") {
		t.Fatalf("POST while the budget is held: %v", err)
	}
	if n := calls.Swap(0); n != 1 {
		t.Fatalf("POST sent %d times", n)
	}
	// A GET is, after its backoff; by then the others are done (they give
	// the budget back when the client logs the retry).
	c.log = slog.New(onRetry{release})
	if _, err := c.Do(context.Background(), &Request{Path: "Accounts"}); err != nil {
		t.Fatalf("GET retried after the budget was given back: %v", err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("GET sent %d times, want 2", n)
	}
	if !budgetFree(c) {
		t.Error("the budget was not given back")
	}
}

// onRetry is a log handler that calls fn when the client logs a retry.
type onRetry struct{ fn func() }

func (h onRetry) Enabled(context.Context, slog.Level) bool { return true }
func (h onRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "zohohub: retrying" {
		h.fn()
	}
	return nil
}
func (h onRetry) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h onRetry) WithGroup(string) slog.Handler      { return h }

// TestBudgetUnderLoadNeverDeadlocks: many answers, each a large part of
// the budget, all end (read or refused) and the budget is whole after.
func TestBudgetUnderLoadNeverDeadlocks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("cl") {
			w.Write([]byte(jsonOfSize(400 << 10)))
			return
		}
		chunked(jsonOfSize(400<<10))(w, r)
	}))
	defer srv.Close()
	c := budgetClient(t, srv, 1<<20, WithConcurrency(20))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a few seconds even with -race
	defer cancel()
	var wg sync.WaitGroup
	var ok, refused atomic.Int32
	for i := range 50 {
		wg.Go(func() {
			req := &Request{Path: "Accounts"}
			if i%2 == 0 {
				req.Query = map[string][]string{"cl": {"1"}}
			}
			switch _, err := c.Do(ctx, req); {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrResponseTooLarge):
				refused.Add(1)
			default:
				t.Errorf("request %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("requests were still waiting for the budget after a minute")
	}
	t.Logf("%d read, %d refused", ok.Load(), refused.Load())
	if ok.Load() == 0 {
		t.Error("no answer was read")
	}
	if !budgetFree(c) {
		t.Error("the budget was not given back")
	}
}

func TestDefaultTransportTimeouts(t *testing.T) {
	c, err := New(WithTokenSource(auth.StaticToken("t")))
	if err != nil {
		t.Fatal(err)
	}
	if c.http.Timeout != 0 {
		t.Errorf("whole-request timeout %v would cut Bulk Read downloads", c.http.Timeout)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.http.Transport)
	}
	if tr.ResponseHeaderTimeout != responseHeaderTimeout || tr.TLSHandshakeTimeout != tlsHandshakeTimeout || tr.DialContext == nil || tr.MaxIdleConnsPerHost != idleConnsPerHost {
		t.Errorf("transport: header %v, TLS %v, idle per host %d", tr.ResponseHeaderTimeout, tr.TLSHandshakeTimeout, tr.MaxIdleConnsPerHost)
	}
	if http.DefaultTransport.(*http.Transport).ResponseHeaderTimeout != 0 {
		t.Error("Go's default transport was changed")
	}
	if other, _ := New(WithTokenSource(auth.StaticToken("t"))); other.http.Transport != c.http.Transport {
		t.Error("two clients do not share the default transport's connections")
	}
}

func TestBudgetRefusesAnnouncedGiantUnread(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(maxResponseBytes+1))
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"data":[`)) // and never the rest
	}))
	defer srv.Close()
	c := budgetClient(t, srv, DefaultResponseBudget)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Path: "Accounts"})
	if !errors.Is(err, ErrResponseTooLarge) || ctx.Err() != nil {
		t.Fatalf("announced 64 MiB + 1: %v", err)
	}
}
