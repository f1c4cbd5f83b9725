package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// newOrg is an emulated org whose metadata is the fixture's: Accounts and
// Gadgets (with a subform whose rows are module Gadget_Parts), Activities
// listed without a fields API, and a web tab.
func newOrg(t *testing.T) *zohotest.Server {
	t.Helper()
	return zohotest.New(t, zohotest.WithMetadata(os.DirFS(fixture)))
}

// tokenRequests counts the requests to the token endpoint since the last
// ResetRequests.
func tokenRequests(srv *zohotest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Path == "/oauth/v2/token" {
			n++
		}
	}
	return n
}

func TestLiveDumpThenOffline(t *testing.T) {
	t.Parallel()
	srv := newOrg(t)
	access, _ := srv.IssueToken()
	dump := t.TempDir()
	liveOut := t.TempDir()
	code, _, stderr := zhgen(t, "-live", "-api-domain", srv.URL(), "-access-token", access, "-dump", dump, "-out", liveOut)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"fetching module list", "fetching fields, layouts and related lists of Accounts (1/3)",
		"skipping Activities: zohohub: GET settings/fields: HTTP 400 INVALID_MODULE", "fetching fields of subform Gadget_Parts",
		"wrote 8 metadata files"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dump, "related_lists", "Gadgets.json")); err != nil {
		t.Errorf("dump without related lists: %v", err)
	}
	// The dump generates the same files offline, and the same as the source directory.
	if code, _, stderr := zhgen(t, "-check", "-metadata", dump, "-out", liveOut); code != 0 {
		t.Errorf("check against dump: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := zhgen(t, "-check", "-metadata", fixture, "-out", liveOut); code != 0 {
		t.Errorf("check against fixture: exit %d\n%s", code, stderr)
	}

	// Explicit unknown module is an error naming it; explicit module without a fields API too.
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL(), "-access-token", access, "-modules", "Leeds", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, `unknown module "Leeds"`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL(), "-access-token", access, "-modules", "Activities", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "INVALID_MODULE") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	// A rejected token: clear error, and the token is not in it.
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL(), "-access-token", "wrong-token-value", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "HTTP 401 INVALID_TOKEN") || strings.Contains(stderr, "wrong-token-value") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	// A wrong API domain that sends a login page is refused, not followed.
	login := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://accounts.example.com/signin", http.StatusFound)
	}))
	t.Cleanup(login.Close)
	code, _, stderr = zhgen(t, "-live", "-api-domain", login.URL, "-access-token", access, "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, `redirect to host "accounts.example.com" refused`) {
		t.Errorf("redirect: exit %d\n%s", code, stderr)
	}
}

func TestAuthThenLiveWithStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := newOrg(t)
	id, secret := srv.ClientID(), srv.ClientSecret()
	grant := srv.NewGrantToken("ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL")
	store := filepath.Join(t.TempDir(), "tokens.csv")
	code, stdout, stderr := zhgen(t, "auth", "-grant-token", grant, "-client-id", id,
		"-client-secret", secret, "-accounts-url", srv.URL(), "-store", "file:"+store, "-user", "me@example.com")
	if code != 0 {
		t.Fatalf("auth: exit %d\n%s", code, stderr)
	}
	fs, err := persistence.NewFile(store)
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "me@example.com", ClientID: id}
	tok, err := fs.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.AccessToken == "" || tok.APIDomain != srv.URL() || tok.GrantToken != grant || tok.ClientSecret != secret {
		t.Errorf("stored token %+v", tok)
	}
	if !strings.Contains(stdout, "tokens for me@example.com@"+id+" saved") || strings.Contains(stdout+stderr, tok.AccessToken) {
		t.Errorf("auth output:\n%s%s", stdout, stderr)
	}

	// The grant token is spent: a second exchange fails without echoing secrets.
	code, _, stderr = zhgen(t, "auth", "-grant-token", grant, "-client-id", id,
		"-client-secret", secret, "-accounts-url", srv.URL(), "-store", "file:"+store)
	if code != 1 || !strings.Contains(stderr, "invalid_code") || strings.Contains(stderr, grant) || strings.Contains(stderr, secret) {
		t.Errorf("second exchange: exit %d\n%s", code, stderr)
	}

	// Expire the stored access token: -live refreshes it once and saves it.
	// Neither the accounts server nor the API domain is given: both are
	// the stored token's api_domain, as with zhemu.
	tok.Expiry = time.Now().Add(-time.Hour)
	if err := fs.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	out := t.TempDir()
	code, _, stderr = zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", id, "-user", "me@example.com",
		"-modules", "Accounts", "-out", out)
	if code != 0 {
		t.Fatalf("live: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "account.go")); err != nil {
		t.Error(err)
	}
	if n := tokenRequests(srv); n != 1 {
		t.Errorf("%d token requests, want 1 refresh", n)
	}
	refreshed, _ := fs.Get(ctx, key)
	if refreshed.AccessToken == tok.AccessToken || refreshed.RefreshToken != tok.RefreshToken || !refreshed.Expiry.After(time.Now()) {
		t.Errorf("after refresh, stored %+v", refreshed)
	}

	// A token Zoho rejects although it looks valid is refreshed after the 401.
	srv.ExpireAccessTokens()
	srv.ResetRequests()
	code, _, stderr = zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", id, "-user", "me@example.com",
		"-accounts-url", srv.URL(), "-modules", "Accounts", "-out", out)
	if n := tokenRequests(srv); code != 0 || n != 1 {
		t.Errorf("after the 401: exit %d, %d token requests\n%s", code, n, stderr)
	}
	for _, r := range srv.Requests() {
		for _, vs := range r.Query {
			for _, v := range vs {
				if v == secret || v == tok.RefreshToken || v == grant {
					t.Errorf("secret in the URL of %s %s", r.Method, r.Path)
				}
			}
		}
	}
}
