package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// leakMark is put in the path and query of every redirect: an error that
// names the redirect's target may show its host, never the rest.
const leakMark = "LEAKMARK"

// evilServer is where hostile redirects point. It must receive nothing:
// every request to it would carry the client secret and a grant or
// refresh token.
type evilServer struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []string
}

func newEvilServer(t *testing.T) *evilServer {
	e := &evilServer{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		e.mu.Lock()
		e.got = append(e.got, r.Method+" "+r.URL.String()+" "+string(body))
		e.mu.Unlock()
		io.WriteString(w, `{"access_token":"1000.evil","refresh_token":"1000.evil","expires_in":3600}`)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *evilServer) received() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.got...)
}

// hostileCase is one way an accounts server can answer badly. respond
// writes the answer; self and evil are the hostile and the evil server's
// URLs. The error must contain one of want (per endpoint class when the
// classes differ).
type hostileCase struct {
	name    string
	respond func(w http.ResponseWriter, r *http.Request, self, evil string)
	want    []string
	slow    bool // answers only when the request's context ends
	// redirectTo is the server a redirect points to, "self" or "evil".
	redirectTo string
}

func answer(status int, body string) func(http.ResponseWriter, *http.Request, string, string) {
	return func(w http.ResponseWriter, _ *http.Request, _, _ string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func hostileCases() []hostileCase {
	var cases []hostileCase
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, loc := range []struct {
			name   string
			target func(self, evil string) string
			toEvil bool
		}{
			{"absolute to another host", func(_, evil string) string { return evil + "/oauth/v2/token/" + leakMark + "?code=" + leakMark }, true},
			{"scheme-relative to another host", func(_, evil string) string { return "//" + hostOf(evil) + "/" + leakMark + "?x=" + leakMark }, true},
			{"absolute to the same host", func(self, _ string) string { return self + "/oauth/v2/" + leakMark + "?x=" + leakMark }, false},
			{"relative to the same host", func(_, _ string) string { return "/oauth/v2/token/" + leakMark + "?x=" + leakMark }, false},
			{"relative without a slash", func(_, _ string) string { return leakMark + "?x=" + leakMark }, false},
		} {
			cases = append(cases, hostileCase{
				name: fmt.Sprintf("%d %s", code, loc.name),
				respond: func(w http.ResponseWriter, r *http.Request, self, evil string) {
					w.Header().Set("Location", loc.target(self, evil))
					w.WriteHeader(code)
					// A body with tokens, which must not be taken either.
					io.WriteString(w, `{"access_token":"1000.redirected","expires_in":3600,"status":"success"}`)
				},
				want:       []string{"redirect to"},
				redirectTo: map[bool]string{true: "evil", false: "self"}[loc.toEvil],
			})
		}
	}
	cases = append(cases,
		hostileCase{name: "redirect without Location", respond: answer(302, ""), want: []string{"no Location"}},
		hostileCase{name: "HTML with 200", respond: answer(200, "<!doctype html><html><body>Zoho Accounts</body></html>"), want: []string{"HTML page"}},
		hostileCase{name: "HTML with 502", respond: answer(502, "<html><body>Bad Gateway</body></html>"), want: []string{"HTML page"}},
		hostileCase{name: "empty body", respond: answer(200, ""), want: []string{"empty answer"}},
		hostileCase{name: "truncated JSON", respond: answer(200, `{"access_token":"1000.abc","expires_in":36`), want: []string{"truncated or malformed"}},
		hostileCase{name: "JSON followed by garbage", respond: answer(200, `{"access_token":"1000.abc","status":"success"} <html>`), want: []string{"truncated or malformed"}},
		hostileCase{name: "form-encoded answer", respond: answer(200, `access_token=1000.abc&expires_in=3600`), want: []string{"truncated or malformed"}},
		hostileCase{name: "JSON array", respond: answer(200, `[{"access_token":"1000.abc"}]`), want: []string{"JSON array instead of an object"}},
		hostileCase{name: "JSON null", respond: answer(200, `null`), want: []string{"no access_token", "status success"}},
		hostileCase{name: "gigantic body", respond: func(w http.ResponseWriter, _ *http.Request, _, _ string) {
			io.WriteString(w, `{"access_token":"`)
			chunk := bytes.Repeat([]byte("a"), 64<<10)
			for range 4096 { // 256 MiB, unless the client stops reading
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, want: []string{"larger than 64 KiB"}},
		hostileCase{name: "slow body", slow: true, respond: func(w http.ResponseWriter, r *http.Request, _, _ string) {
			io.WriteString(w, `{"access_token":"1000.`)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, want: []string{context.DeadlineExceeded.Error()}},
		hostileCase{name: "no answer at all", slow: true, respond: func(w http.ResponseWriter, r *http.Request, _, _ string) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, want: []string{context.DeadlineExceeded.Error()}},
		hostileCase{name: "expires_in as string", respond: answer(200, `{"access_token":"1000.abc","expires_in":"3600"}`), want: []string{"expires_in is not a number", "status success"}},
		hostileCase{name: "expires_in_sec as string", respond: answer(200, `{"access_token":"1000.abc","expires_in":3600000,"expires_in_sec":"3600"}`), want: []string{"expires_in_sec is not a number", "status success"}},
		hostileCase{name: "expires_in negative", respond: answer(200, `{"access_token":"1000.abc","expires_in":-5}`), want: []string{"expires_in -5 is not a lifetime", "status success"}},
		hostileCase{name: "expires_in enormous", respond: answer(200, `{"access_token":"1000.abc","expires_in":1e300}`), want: []string{"is not a lifetime", "status success"}},
		hostileCase{name: "expires_in an object", respond: answer(200, `{"access_token":"1000.abc","expires_in":{"s":1}}`), want: []string{"expires_in is not a number", "status success"}},
		hostileCase{name: "access_token as number", respond: answer(200, `{"access_token":12345,"expires_in":3600}`), want: []string{"access_token is a JSON number, want a string"}},
		hostileCase{name: "refresh_token as bool", respond: answer(200, `{"access_token":"1000.a","refresh_token":true}`), want: []string{"refresh_token is a JSON bool"}},
		hostileCase{name: "api_domain as number", respond: answer(200, `{"access_token":"1000.a","api_domain":5}`), want: []string{"api_domain is a JSON number"}},
		hostileCase{name: "api_domain not a URL", respond: answer(200, `{"access_token":"1000.a","api_domain":"javascript:alert(1)"}`), want: []string{"api_domain", "status success"}},
		hostileCase{name: "access_token with a newline", respond: answer(200, `{"access_token":"1000.a\r\nX-Evil: 1"}`), want: []string{"character a token cannot have", "status success"}},
		hostileCase{name: "access_token of 60 KB", respond: answer(200, `{"access_token":"`+strings.Repeat("a", 60_000)+`"}`), want: []string{"bytes long", "status success"}},
		hostileCase{name: "missing access_token", respond: answer(200, `{"token_type":"Bearer","expires_in":3600,"api_domain":"https://www.zohoapis.com"}`), want: []string{"no access_token", "status success"}},
		hostileCase{name: "error inside HTTP 200", respond: answer(200, `{"error":"invalid_code"}`), want: []string{"invalid_code"}},
		hostileCase{name: "error as an object", respond: answer(200, `{"error":{"code":"invalid_code"}}`), want: []string{"error is a JSON object"}},
		hostileCase{name: "failure status inside HTTP 200", respond: answer(200, `{"status":"failure"}`), want: []string{"no access_token", "status success"}},
		hostileCase{name: "HTTP 500 with JSON", respond: answer(500, `{"code":"INTERNAL_ERROR"}`), want: []string{"http_500"}},
		hostileCase{name: "error echoing the secrets", respond: func(w http.ResponseWriter, r *http.Request, _, _ string) {
			r.ParseForm()
			echo := r.PostForm.Get("client_secret") + r.PostForm.Get("code") + r.PostForm.Get("refresh_token") + r.PostForm.Get("token")
			io.WriteString(w, `{"error":"bad `+echo+`","error_description":"you sent `+echo+"\\n"+`"}`)
		}, want: []string{"[redacted]"}},
	)
	return cases
}

// endpointClass is one kind of request auth makes to the accounts server.
// call returns the error the caller sees, or, for the callback handler,
// the error it logged.
type endpointClass struct {
	name string
	call func(t *testing.T, ctx context.Context, cfg auth.Config) error
}

func endpointClasses() []endpointClass {
	return []endpointClass{
		{"exchange", func(_ *testing.T, ctx context.Context, cfg auth.Config) error {
			tok, err := cfg.Exchange(ctx, grantCode)
			if err == nil {
				return fmt.Errorf("accepted token %+v", tok)
			}
			return err
		}},
		{"refresh", func(_ *testing.T, ctx context.Context, cfg auth.Config) error {
			tok, err := cfg.Refresh(ctx, &persistence.Token{AccessToken: "1000.old", RefreshToken: refreshTok})
			if err == nil {
				return fmt.Errorf("accepted token %+v", tok)
			}
			return err
		}},
		{"revoke", func(_ *testing.T, ctx context.Context, cfg auth.Config) error {
			if err := cfg.Revoke(ctx, refreshTok); err != nil {
				return err
			}
			return errors.New("revoke reported success")
		}},
		{"cache refresh", func(t *testing.T, ctx context.Context, cfg auth.Config) error {
			c, err := auth.NewCache(cfg, memoryWith(expiredToken()), persistence.Key{UserName: "jane@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if tok, err := c.AccessToken(ctx); err == nil {
				return fmt.Errorf("accepted token %q", tok)
			} else {
				return err
			}
		}},
		{"callback exchange", func(t *testing.T, ctx context.Context, cfg auth.Config) error {
			var logged bytes.Buffer
			cfg.RedirectURL = "https://app.example/cb"
			store := persistence.NewMemory()
			h, err := auth.NewCallbackHandler(cfg, store, slog.New(slog.NewTextHandler(&logged, nil)))
			if err != nil {
				t.Fatal(err)
			}
			consent, _ := h.AuthCodeURL("jane@example.com")
			q := url.Values{"state": {mustQuery(t, consent).Get("state")}, "code": {grantCode}}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cb?"+q.Encode(), nil).WithContext(ctx))
			if toks, _ := store.List(context.Background()); rec.Code == http.StatusOK || len(toks) > 0 {
				return fmt.Errorf("callback answered %d and stored %d tokens", rec.Code, len(toks))
			}
			if body := rec.Body.String(); strings.Contains(body, clientSecret) || strings.Contains(body, grantCode) {
				return fmt.Errorf("callback page shows a secret: %s", body)
			}
			return errors.New(logged.String())
		}},
	}
}

// TestHostileAccountsServer runs every hostile answer against every kind
// of request auth makes to the accounts server. Each must end in a clear
// error, without a panic, within its context, and without the client
// secret or a grant or refresh token reaching any other server.
func TestHostileAccountsServer(t *testing.T) {
	for _, hc := range hostileCases() {
		for _, class := range endpointClasses() {
			t.Run(class.name+"/"+hc.name, func(t *testing.T) {
				evil := newEvilServer(t)
				var hits atomic.Int32
				var self string
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					// Reading the body to its end lets the server notice a
					// client that hangs up, which ends r.Context().
					body, _ := io.ReadAll(r.Body)
					r.Body = io.NopCloser(bytes.NewReader(body))
					hc.respond(w, r, self, evil.srv.URL)
				}))
				defer srv.Close()
				defer srv.CloseClientConnections() // the cache's refresh outlives its caller
				self = srv.URL
				env, err := auth.Custom(srv.URL, srv.URL, srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				cfg := auth.Config{ClientID: clientID, ClientSecret: clientSecret, Environment: env}
				timeout := 5 * time.Second
				if hc.slow {
					timeout = 300 * time.Millisecond
				}
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				start := time.Now()
				err = class.call(t, ctx, cfg)
				elapsed := time.Since(start)
				if elapsed > timeout+2*time.Second {
					t.Errorf("took %v with a %v context", elapsed, timeout)
				}
				msg := err.Error()
				if !containsAny(msg, hc.want) {
					t.Errorf("error %q does not say any of %q", msg, hc.want)
				}
				if hc.redirectTo != "" {
					wantHost := hostOf(srv.URL)
					if hc.redirectTo == "evil" {
						wantHost = hostOf(evil.srv.URL)
					}
					if !strings.Contains(msg, "redirect to "+wantHost) {
						t.Errorf("error %q does not name the redirect's host %s", msg, wantHost)
					}
					if class.name != "callback exchange" && !errors.Is(err, auth.ErrRedirect) {
						t.Errorf("error %v is not ErrRedirect", err)
					}
				}
				for _, secret := range []string{clientSecret, grantCode, refreshTok, leakMark} {
					if strings.Contains(msg, secret) {
						t.Errorf("error shows %q: %s", secret, msg)
					}
				}
				if got := evil.received(); len(got) > 0 {
					t.Errorf("the evil server received %d requests: %q", len(got), got)
				}
				if n := hits.Load(); n != 1 {
					t.Errorf("the accounts server received %d requests, want 1 (a redirect to itself is not followed either)", n)
				}
			})
		}
	}
}

// TestRedirectRefusedWhateverHTTPClient gives auth clients that follow
// redirects (their own CheckRedirect, a timeout, a custom transport): auth
// refuses the redirect anyway, and leaves the caller's client as it was.
func TestRedirectRefusedWhateverHTTPClient(t *testing.T) {
	evil := newEvilServer(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.srv.URL+"/oauth/v2/token", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	env, _ := auth.Custom(srv.URL, srv.URL, srv.URL)
	var followed atomic.Int32
	follow := func(*http.Request, []*http.Request) error { followed.Add(1); return nil }
	for name, hc := range map[string]*http.Client{
		"default":                 nil,
		"http.DefaultClient":      http.DefaultClient,
		"CheckRedirect follows":   {CheckRedirect: follow},
		"timeout and transport":   {Timeout: 5 * time.Second, Transport: &http.Transport{}, CheckRedirect: follow},
		"ErrUseLastResponse only": {CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	} {
		cfg := auth.Config{ClientID: clientID, ClientSecret: clientSecret, Environment: env, HTTPClient: hc}
		ctx := context.Background()
		_, err := cfg.Exchange(ctx, grantCode)
		if !errors.Is(err, auth.ErrRedirect) || !strings.Contains(err.Error(), "307 redirect to "+hostOf(evil.srv.URL)) {
			t.Errorf("%s: exchange: %v", name, err)
		}
		if _, err := cfg.Refresh(ctx, &persistence.Token{RefreshToken: refreshTok}); !errors.Is(err, auth.ErrRedirect) {
			t.Errorf("%s: refresh: %v", name, err)
		}
		if err := cfg.Revoke(ctx, refreshTok); !errors.Is(err, auth.ErrRedirect) {
			t.Errorf("%s: revoke: %v", name, err)
		}
		if hc != nil && strings.Contains(name, "follows") && hc.CheckRedirect == nil {
			t.Errorf("%s: the caller's CheckRedirect was changed", name)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the caller's CheckRedirect was consulted %d times", n)
	}
	if got := evil.received(); len(got) > 0 {
		t.Fatalf("the evil server received %q", got)
	}
	if http.DefaultClient.CheckRedirect != nil {
		t.Fatal("http.DefaultClient was changed")
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	return u.Host
}
