package auth_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
)

const (
	clientID     = "1000.CLIENTID"
	clientSecret = "very-secret-client-secret"
	grantCode    = "1000.grant-code-secret"
	refreshTok   = "1000.refresh-token-secret"
)

// tokenServer is a minimal accounts server that counts refreshes.
type tokenServer struct {
	srv       *httptest.Server
	refreshes atomic.Int32
	delay     atomic.Int64                            // nanoseconds each refresh takes
	answerFn  atomic.Pointer[func(url.Values) string] // overrides the default answer
	rawQuery  []string
	mu        sync.Mutex
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{}
	ts.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		ts.mu.Lock()
		ts.rawQuery = append(ts.rawQuery, r.URL.RawQuery)
		ts.mu.Unlock()
		if r.PostForm.Get("grant_type") == "refresh_token" {
			n := ts.refreshes.Add(1)
			time.Sleep(time.Duration(ts.delay.Load()))
			if ts.answerFn.Load() == nil {
				io.WriteString(w, `{"access_token":"1000.access-`+string(rune('a'+n))+`","api_domain":"https://www.zohoapis.eu","token_type":"Bearer","expires_in":3600}`)
				return
			}
		}
		if f := ts.answerFn.Load(); f != nil {
			io.WriteString(w, (*f)(r.PostForm))
			return
		}
		switch {
		case r.URL.Path == "/oauth/v2/token/revoke":
			io.WriteString(w, `{"status":"success"}`)
		case r.PostForm.Get("code") == grantCode && r.PostForm.Get("client_secret") == clientSecret:
			io.WriteString(w, `{"access_token":"1000.access-first","refresh_token":"`+refreshTok+`","api_domain":"https://www.zohoapis.eu","token_type":"Bearer","expires_in":3600}`)
		default:
			io.WriteString(w, `{"error":"invalid_code"}`)
		}
	}))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *tokenServer) answer(f func(url.Values) string) { ts.answerFn.Store(&f) }

func (ts *tokenServer) config(t *testing.T) auth.Config {
	env, err := auth.Custom(ts.srv.URL, ts.srv.URL, ts.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return auth.Config{ClientID: clientID, ClientSecret: clientSecret, Environment: env, Scopes: []string{"ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL"}}
}

func TestAuthCodeURL(t *testing.T) {
	cfg := auth.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURL: "https://app.example/cb?x=1",
		Scopes: []string{"ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL"}, Environment: auth.MustLookup(auth.EU, auth.Production)}
	u, err := url.Parse(cfg.AuthCodeURL("st&ate"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "accounts.zoho.eu" || u.Path != "/oauth/v2/auth" || q.Get("scope") != "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL" ||
		q.Get("access_type") != "offline" || q.Get("prompt") != "consent" || q.Get("state") != "st&ate" ||
		q.Get("redirect_uri") != "https://app.example/cb?x=1" || q.Get("response_type") != "code" || q.Has("client_secret") {
		t.Fatalf("bad URL %s", u)
	}
}

func TestExchangeRefreshRevoke(t *testing.T) {
	ts := newTokenServer(t)
	cfg := ts.config(t)
	ctx := context.Background()
	tok, err := cfg.Exchange(ctx, grantCode)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "1000.access-first" || tok.RefreshToken != refreshTok || tok.APIDomain != "https://www.zohoapis.eu" || time.Until(tok.Expiry) < 59*time.Minute {
		t.Fatalf("token %+v", tok)
	}
	ref, err := cfg.Refresh(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if ref.RefreshToken != refreshTok || ref.AccessToken == tok.AccessToken {
		t.Fatalf("refresh lost the refresh token or kept the access token: %+v", ref)
	}
	if err := cfg.Revoke(ctx, refreshTok); err != nil {
		t.Fatal(err)
	}
	for _, q := range ts.rawQuery {
		if strings.Contains(q, "secret") || strings.Contains(q, "token") {
			t.Fatalf("secret in URL query: %q", q)
		}
	}
}

func TestExchangeErrors(t *testing.T) {
	ctx := context.Background()
	for code, sentinel := range map[string]error{
		"invalid_code": auth.ErrInvalidCode, "invalid_client": auth.ErrInvalidClient,
		"invalid_client_secret": auth.ErrInvalidClientSecret, "invalid_redirect_uri": auth.ErrInvalidRedirectURI,
	} {
		ts := newTokenServer(t)
		ts.answer(func(url.Values) string { return `{"error":"` + code + `"}` })
		_, err := ts.config(t).Exchange(ctx, grantCode)
		var oe *auth.OAuthError
		if !errors.Is(err, sentinel) || !errors.As(err, &oe) || oe.Code != code {
			t.Errorf("%s: err = %v", code, err)
		}
		if strings.Contains(err.Error(), "secret-") || strings.Contains(err.Error(), grantCode) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
	ts := newTokenServer(t)
	ts.answer(func(url.Values) string {
		return `{"error_description":"You have made too many requests continuously.","error":"Access Denied","status":"failure"}`
	})
	if _, err := ts.config(t).Exchange(ctx, grantCode); !errors.Is(err, auth.ErrAccessDenied) {
		t.Errorf("throttle: %v", err)
	}
	ts.answer(func(url.Values) string { return "<html><body>Zoho Accounts</body></html>" })
	_, err := ts.config(t).Exchange(ctx, grantCode)
	if err == nil || !strings.Contains(err.Error(), "HTML page") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("html: %v", err)
	}
	if _, err := (auth.Config{ClientSecret: "x"}).Exchange(ctx, "c"); err == nil || !strings.Contains(err.Error(), "client id") {
		t.Errorf("empty client id: %v", err)
	}
}

func TestLegacyExpiresInSec(t *testing.T) {
	ts := newTokenServer(t)
	ts.answer(func(url.Values) string {
		return `{"access_token":"a","refresh_token":"r","expires_in":3600000,"expires_in_sec":3600}`
	})
	tok, err := ts.config(t).Exchange(context.Background(), grantCode)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.Expiry); d < 59*time.Minute || d > 61*time.Minute {
		t.Fatalf("expiry in %v, want about an hour", d)
	}
}

func newCache(t *testing.T, ts *tokenServer, store persistence.Store, now func() time.Time, opts ...auth.CacheOption) *auth.Cache {
	t.Helper()
	c, err := auth.NewCache(ts.config(t), store, persistence.Key{UserName: "jane@example.com"}, append([]auth.CacheOption{auth.WithClock(now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func expiredToken() *persistence.Token {
	return tokenUntil("1000.expired", time.Now().Add(-time.Minute))
}

// skewedClock is a cache's clock running ahead of time.Now by skew.
type skewedClock struct{ skew atomic.Int64 }

func (c *skewedClock) now() time.Time { return time.Now().Add(time.Duration(c.skew.Load())) }

// tokenUntil is Jane's stored token with the access token access, which
// expires at expiry.
func tokenUntil(access string, expiry time.Time) *persistence.Token {
	return &persistence.Token{UserName: "jane@example.com", ClientID: clientID, AccessToken: access, RefreshToken: refreshTok, Expiry: expiry}
}

// memoryWith returns a memory store holding tok.
func memoryWith(tok *persistence.Token) *persistence.Memory {
	store := persistence.NewMemory()
	store.Save(context.Background(), tok)
	return store
}

func TestCacheOneRefreshForManyCallers(t *testing.T) {
	ts := newTokenServer(t)
	ts.delay.Store(int64(50 * time.Millisecond))
	store := memoryWith(expiredToken())
	c := newCache(t, ts, store, time.Now)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			tok, err := c.AccessToken(context.Background())
			if err != nil || tok != "1000.access-b" {
				t.Errorf("token %q err %v", tok, err)
			}
		})
	}
	wg.Wait()
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	stored, _ := store.Get(context.Background(), persistence.Key{UserName: "jane@example.com", ClientID: clientID})
	if stored.AccessToken != "1000.access-b" || stored.RefreshToken != refreshTok {
		t.Fatalf("store not updated: %+v", stored)
	}
}

func TestCacheWaiterHonoursContext(t *testing.T) {
	ts := newTokenServer(t)
	ts.delay.Store(int64(300 * time.Millisecond))
	store := memoryWith(expiredToken())
	c := newCache(t, ts, store, time.Now)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.AccessToken(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 200*time.Millisecond {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	// The refresh went on without the cancelled caller.
	if tok, err := c.AccessToken(context.Background()); err != nil || tok != "1000.access-b" || ts.refreshes.Load() != 1 {
		t.Fatalf("token %q err %v refreshes %d", tok, err, ts.refreshes.Load())
	}
}

func TestCacheRefreshAheadServesOldToken(t *testing.T) {
	ts := newTokenServer(t)
	ts.delay.Store(int64(50 * time.Millisecond))
	store := memoryWith(tokenUntil("1000.old", time.Now().Add(2*time.Minute)))
	// A token first seen with 2 minutes left is served for at least half
	// of them: its window is 1 minute. 70 seconds later it is inside.
	var clock skewedClock
	c := newCache(t, ts, store, clock.now)
	if got, err := c.AccessToken(context.Background()); err != nil || got != "1000.old" {
		t.Fatalf("got %q err %v", got, err)
	}
	clock.skew.Store(int64(70 * time.Second))
	for range 20 {
		if got, err := c.AccessToken(context.Background()); err != nil || got != "1000.old" {
			t.Fatalf("got %q err %v, want the old token while refreshing", got, err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		got, _ := c.AccessToken(context.Background())
		if got == "1000.access-b" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("background refresh never landed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
}

func TestCacheInvalidateTwiceRefreshesOnce(t *testing.T) {
	ts := newTokenServer(t)
	store := memoryWith(tokenUntil("1000.valid", time.Now().Add(time.Hour)))
	c := newCache(t, ts, store, time.Now)
	old, _ := c.AccessToken(context.Background())
	c.Invalidate(old)
	c.Invalidate(old)
	got, err := c.AccessToken(context.Background())
	c.Invalidate(old) // stale: must not invalidate the new token
	again, _ := c.AccessToken(context.Background())
	if err != nil || got != "1000.access-b" || again != got || ts.refreshes.Load() != 1 {
		t.Fatalf("got %q/%q err %v refreshes %d", got, again, err, ts.refreshes.Load())
	}
}

func TestCacheFailedRefreshIsTyped(t *testing.T) {
	ts := newTokenServer(t)
	ts.answer(func(url.Values) string { return `{"error":"invalid_code"}` })
	store := memoryWith(expiredToken())
	c := newCache(t, ts, store, time.Now)
	_, err := c.AccessToken(context.Background())
	if !errors.Is(err, auth.ErrInvalidCode) {
		t.Fatalf("err = %v, want ErrInvalidCode", err)
	}
	stored, _ := store.Get(context.Background(), persistence.Key{UserName: "jane@example.com", ClientID: clientID})
	if stored.RefreshToken != refreshTok {
		t.Fatal("failed refresh damaged the stored token")
	}
}

func TestCacheAuthorizeReusesStoredGrant(t *testing.T) {
	ts := newTokenServer(t)
	store := persistence.NewMemory()
	ctx := context.Background()
	if err := newCache(t, ts, store, time.Now).Authorize(ctx, grantCode); err != nil {
		t.Fatal(err)
	}
	// A second run with the same (now spent) grant code uses the stored tokens.
	c := newCache(t, ts, store, time.Now)
	if err := c.Authorize(ctx, grantCode); err != nil {
		t.Fatal(err)
	}
	if tok, err := c.AccessToken(ctx); err != nil || tok != "1000.access-first" {
		t.Fatalf("token %q err %v", tok, err)
	}
	if err := newCache(t, ts, persistence.NewMemory(), time.Now).Authorize(ctx, "wrong"); !errors.Is(err, auth.ErrInvalidCode) {
		t.Fatalf("wrong grant: %v", err)
	}
}

// Two caches on two File stores over one file behave like two processes.
func TestCacheSharedFileStoreRefreshesOnce(t *testing.T) {
	ts := newTokenServer(t)
	ts.delay.Store(int64(100 * time.Millisecond))
	path := t.TempDir() + "/tokens.csv"
	ctx := context.Background()
	var caches []*auth.Cache
	for i := range 2 {
		store, err := persistence.NewFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			store.Save(ctx, expiredToken())
		}
		caches = append(caches, newCache(t, ts, store, time.Now))
	}
	var wg sync.WaitGroup
	for _, c := range caches {
		wg.Go(func() {
			if _, err := c.AccessToken(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes across two stores, want 1", n)
	}
}

func TestCacheLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := newTokenServer(t)
	store := persistence.NewMemory()
	c := newCache(t, ts, store, time.Now, auth.WithLogger(log))
	ctx := context.Background()
	if err := c.Authorize(ctx, grantCode); err != nil {
		t.Fatal(err)
	}
	tok, _ := c.AccessToken(ctx)
	c.Invalidate(tok)
	c.AccessToken(ctx)
	ts.answer(func(url.Values) string { return `{"error":"invalid_code"}` })
	c.Invalidate("1000.access-b")
	c.AccessToken(ctx)
	out := buf.String()
	if !strings.Contains(out, "refreshed") {
		t.Fatalf("expected refresh logs, got:\n%s", out)
	}
	for _, s := range []string{clientSecret, grantCode, refreshTok, "1000.access"} {
		if strings.Contains(out, s) {
			t.Fatalf("log contains %q:\n%s", s, out)
		}
	}
}

func BenchmarkCacheAccessToken(b *testing.B) {
	store := memoryWith(tokenUntil("1000.valid", time.Now().Add(time.Hour)))
	c, _ := auth.NewCache(auth.Config{ClientID: clientID, ClientSecret: clientSecret}, store, persistence.Key{UserName: "jane@example.com"})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.AccessToken(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
