package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
)

func TestCallbackHandler(t *testing.T) {
	ts := newTokenServer(t)
	cfg := ts.config(t)
	cfg.RedirectURL = "https://app.example/cb"
	store := persistence.NewMemory()
	h, err := auth.NewCallbackHandler(cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	consent, _ := h.AuthCodeURL("jane@example.com")
	state := mustQuery(t, consent).Get("state")

	call := func(q url.Values) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cb?"+q.Encode(), nil))
		body, _ := io.ReadAll(rec.Result().Body)
		return rec.Code, string(body)
	}
	// A foreign accounts server is refused before any request is sent.
	if code, _ := call(url.Values{"state": {state}, "code": {grantCode}, "accounts-server": {"https://evil.example"}}); code != 400 {
		t.Fatalf("foreign accounts server: %d", code)
	}
	consent, _ = h.AuthCodeURL("jane@example.com")
	state = mustQuery(t, consent).Get("state")
	if code, _ := call(url.Values{"state": {"forged"}, "code": {grantCode}}); code != 400 {
		t.Fatalf("bad state: %d", code)
	}
	code, body := call(url.Values{"state": {state}, "code": {grantCode}, "location": {"us"}, "accounts-server": {ts.srv.URL}})
	if code != 200 || strings.Contains(body, "1000.") || strings.Contains(body, clientSecret) {
		t.Fatalf("callback: %d %s", code, body)
	}
	tok, err := store.Get(context.Background(), persistence.Key{UserName: "jane@example.com", ClientID: clientID})
	if err != nil || tok.RefreshToken != refreshTok {
		t.Fatalf("stored %+v err %v", tok, err)
	}
	// The state is single use.
	if code, _ := call(url.Values{"state": {state}, "code": {grantCode}}); code != 400 {
		t.Fatalf("replayed state: %d", code)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// Pending sign-ins are bounded: a public /connect cannot grow them without
// limit.
func TestCallbackHandlerBoundsPendingStates(t *testing.T) {
	ts := newTokenServer(t)
	cfg := ts.config(t)
	cfg.RedirectURL = "https://app.example/cb"
	h, err := auth.NewCallbackHandler(cfg, persistence.NewMemory(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10_000 {
		if _, err := h.AuthCodeURL("user"); err != nil {
			t.Fatalf("sign-in %d refused: %v", i, err)
		}
	}
	if _, err := h.AuthCodeURL("user"); err == nil || !strings.Contains(err.Error(), "too many sign-ins") {
		t.Fatalf("sign-in past the bound: %v", err)
	}
}

func TestAuthorizeNeedsAGrantToken(t *testing.T) {
	ts := newTokenServer(t)
	c, err := auth.NewCache(ts.config(t), persistence.NewMemory(), persistence.Key{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Authorize(context.Background(), " "); err == nil || !strings.Contains(err.Error(), "grant token") {
		t.Fatalf("Authorize with no grant token: %v", err)
	}
}
