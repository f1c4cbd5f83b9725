package auth_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

var errReadOnly = errors.New("store is read-only")

// brokenStore is a real memory store whose Save fails while broken is
// set, as a read-only database does; saves counts the attempts.
type brokenStore struct {
	*persistence.Memory
	broken atomic.Bool
	saves  atomic.Int32
}

func (s *brokenStore) Save(ctx context.Context, tok *persistence.Token) error {
	s.saves.Add(1)
	if s.broken.Load() {
		return errReadOnly
	}
	return s.Memory.Save(ctx, tok)
}

// TestRefreshWhoseSaveFailsIsKept: with a store that cannot save, ten
// calls cost one refresh; each gets the new token; the store error is
// logged once and reported by SaveErr; the save is tried again later, not
// on every call, and succeeds once the store works.
func TestRefreshWhoseSaveFailsIsKept(t *testing.T) {
	ctx := context.Background()
	ts := newTokenServer(t)
	store := &brokenStore{Memory: memoryWith(expiredToken())}
	store.broken.Store(true)
	var logs testenv.SyncBuffer
	var clock skewedClock
	c := newCache(t, ts, store, clock.now, auth.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for i := range 10 {
		tok, err := c.AccessToken(ctx)
		if err != nil || tok != "1000.access-b" {
			t.Fatalf("call %d: token %q err %v", i, tok, err)
		}
	}
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes for 10 calls with a failing store, want 1", n)
	}
	if err := c.SaveErr(); !errors.Is(err, errReadOnly) {
		t.Fatalf("SaveErr() = %v, want the store's error", err)
	}
	if n := store.saves.Load(); n != 1 {
		t.Fatalf("%d saves within a second, want 1 (retries wait)", n)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}

	clock.skew.Store(int64(2 * time.Second)) // the retry is due, the store still broken
	c.AccessToken(ctx)
	waitFor(t, func() bool { return store.saves.Load() == 2 })
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 || c.SaveErr() == nil {
		t.Fatalf("after a second failure: %d warnings, SaveErr %v", n, c.SaveErr())
	}

	store.broken.Store(false)
	clock.skew.Store(int64(time.Minute))
	if tok, err := c.AccessToken(ctx); err != nil || tok != "1000.access-b" {
		t.Fatalf("token %q err %v", tok, err)
	}
	waitFor(t, func() bool { return c.SaveErr() == nil })
	stored, err := store.Get(ctx, c.Key())
	if err != nil || stored.AccessToken != "1000.access-b" {
		t.Fatalf("store holds %v (err %v), want the refreshed token", stored, err)
	}
	if ts.refreshes.Load() != 1 || !strings.Contains(logs.String(), "saved after the store recovered") {
		t.Fatalf("refreshes %d; logs:\n%s", ts.refreshes.Load(), logs.String())
	}
	for _, s := range []string{clientSecret, refreshTok, "1000.access"} {
		if strings.Contains(logs.String(), s) {
			t.Fatalf("log shows %q", s)
		}
	}
}

// TestAuthorizeWithFailingStoreKeepsTokens: the grant token is spent, so
// the exchanged tokens are served although Authorize reports the store's
// error.
func TestAuthorizeWithFailingStoreKeepsTokens(t *testing.T) {
	ctx := context.Background()
	ts := newTokenServer(t)
	store := &brokenStore{Memory: persistence.NewMemory()}
	store.broken.Store(true)
	c := newCache(t, ts, store, time.Now)
	if err := c.Authorize(ctx, grantCode); !errors.Is(err, errReadOnly) {
		t.Fatalf("Authorize: %v, want the store's error", err)
	}
	if tok, err := c.AccessToken(ctx); err != nil || tok != "1000.access-first" {
		t.Fatalf("token %q err %v", tok, err)
	}
	if !errors.Is(c.SaveErr(), errReadOnly) {
		t.Fatalf("SaveErr() = %v", c.SaveErr())
	}
}

// TestRevokeDropsUnsavedToken: a token waiting to be saved is not written
// back after Revoke deleted it.
func TestRevokeDropsUnsavedToken(t *testing.T) {
	ctx := context.Background()
	ts := newTokenServer(t)
	store := &brokenStore{Memory: memoryWith(expiredToken())}
	store.broken.Store(true)
	var clock skewedClock
	c := newCache(t, ts, store, clock.now)
	if _, err := c.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	store.broken.Store(false)
	if err := c.Revoke(ctx); err != nil {
		t.Fatal(err)
	}
	if c.SaveErr() != nil {
		t.Fatalf("SaveErr() = %v after Revoke", c.SaveErr())
	}
	clock.skew.Store(int64(time.Minute))
	c.AccessToken(ctx)
	time.Sleep(50 * time.Millisecond)
	if tok, err := store.Get(ctx, c.Key()); !errors.Is(err, persistence.ErrNotFound) {
		t.Fatalf("store holds %v after Revoke (err %v)", tok, err)
	}
}

// TestPermanentRefreshErrorIsNotRepeated: a refresh token Zoho refuses
// (invalid_code) is sent once, however often callers ask; a token stored
// later, with another refresh token, is used.
func TestPermanentRefreshErrorIsNotRepeated(t *testing.T) {
	ctx := context.Background()
	ts := newTokenServer(t)
	ts.answer(func(f url.Values) string {
		if f.Get("refresh_token") == "1000.new-refresh" {
			return `{"access_token":"1000.after-reauthorize","expires_in":3600}`
		}
		return `{"error":"invalid_code"}`
	})
	store := memoryWith(expiredToken())
	c := newCache(t, ts, store, time.Now)
	for range 5 {
		if _, err := c.AccessToken(ctx); !errors.Is(err, auth.ErrInvalidCode) {
			t.Fatalf("err = %v, want ErrInvalidCode", err)
		}
	}
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("the refused refresh token was sent %d times, want 1", n)
	}
	// Another process (or the web flow) stores a new authorization.
	tok := expiredToken()
	tok.RefreshToken = "1000.new-refresh"
	store.Save(ctx, tok)
	if got, err := c.AccessToken(ctx); err != nil || got != "1000.after-reauthorize" {
		t.Fatalf("token %q err %v", got, err)
	}
}

// TestClientDoesNotRepeatRefusedRefresh goes through zohohub.Client,
// which retries a failed GET: a refused refresh token still reaches Zoho
// once, while a refresh failing with HTTP 500 is tried again and the
// request succeeds.
func TestClientDoesNotRepeatRefusedRefresh(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	fast := zohohub.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	for _, tc := range []struct {
		name         string
		refreshToken string
		fail500      int
		wantRequests int
		wantErr      error
	}{
		{"refused refresh token", "1000.unknown.refresh", 0, 1, auth.ErrInvalidCode},
		{"accounts server errors twice", "", 2, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := &persistence.Token{UserName: "u@example.com", ClientID: srv.ClientID(), AccessToken: "1000.expired", Expiry: time.Now().Add(-time.Minute)}
			if tok.RefreshToken = tc.refreshToken; tok.RefreshToken == "" {
				_, tok.RefreshToken = srv.IssueToken()
			}
			store := persistence.NewMemory()
			store.Save(ctx, tok)
			c, err := auth.NewCache(cfg, store, persistence.Key{UserName: "u@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(c), zohohub.WithRetry(fast))
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			srv.FailNext("POST /oauth/v2/token", tc.fail500, http.StatusInternalServerError, "INTERNAL_ERROR")
			_, err = client.Do(ctx, &zohohub.Request{Method: http.MethodGet, Path: "org"})
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if n := tokenRequests(srv); n != tc.wantRequests {
				t.Fatalf("%d token requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

// tokenRequests counts the requests srv's accounts server was sent for a
// token: refreshes, and grant exchanges.
func tokenRequests(srv *zohotest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == "/oauth/v2/token" {
			n++
		}
	}
	return n
}

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 2 s")
		}
	}
}
