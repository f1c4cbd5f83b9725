package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// fakeZoho serves the metadata endpoints from a metadata directory and the
// token endpoint of an accounts server, and records what it saw.
type fakeZoho struct {
	dir string

	mu        sync.Mutex
	valid     map[string]bool // access tokens the API accepts
	grants    map[string]bool // unused grant tokens
	refreshes int
	requests  []string
}

const (
	testClientID     = "1000.TESTCLIENT"
	testClientSecret = "s3cret-client-secret"
	testRefresh      = "1000.refresh-token-value"
)

func newFakeZoho(t *testing.T, dir string) (*fakeZoho, *httptest.Server) {
	fz := &fakeZoho{dir: dir, valid: map[string]bool{}, grants: map[string]bool{}}
	srv := httptest.NewServer(fz)
	t.Cleanup(srv.Close)
	return fz, srv
}

func (fz *fakeZoho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fz.mu.Lock()
	defer fz.mu.Unlock()
	fz.requests = append(fz.requests, r.Method+" "+r.URL.RequestURI())
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/oauth/v2/token" {
		r.ParseForm()
		if r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testClientSecret {
			w.Write([]byte(`{"error":"invalid_client"}`))
			return
		}
		switch r.PostForm.Get("grant_type") {
		case "authorization_code":
			if !fz.grants[r.PostForm.Get("code")] {
				w.Write([]byte(`{"error":"invalid_code"}`)) // Zoho answers 200
				return
			}
			delete(fz.grants, r.PostForm.Get("code"))
			fz.valid["access-1"] = true
			w.Write([]byte(`{"access_token":"access-1","refresh_token":"` + testRefresh + `","api_domain":"http://` + r.Host + `","token_type":"Bearer","expires_in":3600}`))
		case "refresh_token":
			if r.PostForm.Get("refresh_token") != testRefresh {
				w.Write([]byte(`{"error":"invalid_code"}`))
				return
			}
			fz.refreshes++
			access := "access-refreshed-" + strconv.Itoa(fz.refreshes)
			fz.valid[access] = true
			w.Write([]byte(`{"access_token":"` + access + `","api_domain":"http://` + r.Host + `","token_type":"Bearer","expires_in":3600}`))
		}
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Zoho-oauthtoken ")
	if !fz.valid[tok] {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`))
		return
	}
	var file string
	switch r.URL.Path {
	case "/crm/v8/settings/modules":
		file = "modules.json"
	case "/crm/v8/settings/fields":
		file = filepath.Join("fields", filepath.Base(r.URL.Query().Get("module"))+".json")
	default:
		w.WriteHeader(http.StatusNotFound)
		return
	}
	b, err := os.ReadFile(filepath.Join(fz.dir, file))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"code":"INVALID_MODULE","details":{},"message":"the module name given seems to be invalid","status":"error"}`))
		return
	}
	w.Write(b)
}

func TestLiveDumpThenOffline(t *testing.T) {
	fz, srv := newFakeZoho(t, fixture)
	fz.valid["static-token"] = true
	dump := t.TempDir()
	liveOut := t.TempDir()
	code, _, stderr := zhgen(t, "-live", "-api-domain", srv.URL, "-access-token", "static-token", "-dump", dump, "-out", liveOut)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"fetching module list", "fetching fields of Accounts (1/3)", "skipping Activities", "fetching fields of subform Gadget_Parts", "wrote 4 metadata files"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
	// The dump generates the same files offline, and the same as the source directory.
	if code, _, stderr := zhgen(t, "-check", "-metadata", dump, "-out", liveOut); code != 0 {
		t.Errorf("check against dump: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := zhgen(t, "-check", "-metadata", fixture, "-out", liveOut); code != 0 {
		t.Errorf("check against fixture: exit %d\n%s", code, stderr)
	}

	// Explicit unknown module is an error naming it; explicit module without a fields API too.
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL, "-access-token", "static-token", "-modules", "Leeds", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, `unknown module "Leeds"`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL, "-access-token", "static-token", "-modules", "Activities", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "INVALID_MODULE") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	// A rejected token: clear error, and the token is not in it.
	code, _, stderr = zhgen(t, "-live", "-api-domain", srv.URL, "-access-token", "wrong-token-value", "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "HTTP 401 INVALID_TOKEN") || strings.Contains(stderr, "wrong-token-value") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestAuthThenLiveWithStore(t *testing.T) {
	fz, srv := newFakeZoho(t, fixture)
	fz.grants["1000.grant-code"] = true
	store := filepath.Join(t.TempDir(), "tokens.csv")
	code, stdout, stderr := zhgen(t, "auth", "-grant-token", "1000.grant-code", "-client-id", testClientID,
		"-client-secret", testClientSecret, "-accounts-url", srv.URL, "-store", "file:"+store, "-user", "me@example.com")
	if code != 0 {
		t.Fatalf("auth: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "tokens for me@example.com@"+testClientID+" saved") || strings.Contains(stdout+stderr, "access-1") {
		t.Errorf("auth output:\n%s%s", stdout, stderr)
	}
	fs, err := persistence.NewFile(store)
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "me@example.com", ClientID: testClientID}
	tok, err := fs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != testRefresh || tok.AccessToken != "access-1" || tok.APIDomain != srv.URL || tok.GrantToken != "1000.grant-code" {
		t.Errorf("stored token %+v", tok)
	}

	// The grant token is spent: a second exchange fails without echoing secrets.
	code, _, stderr = zhgen(t, "auth", "-grant-token", "1000.grant-code", "-client-id", testClientID,
		"-client-secret", testClientSecret, "-accounts-url", srv.URL, "-store", "file:"+store)
	if code != 1 || !strings.Contains(stderr, "invalid_code") || strings.Contains(stderr, "1000.grant-code") || strings.Contains(stderr, testClientSecret) {
		t.Errorf("second exchange: exit %d\n%s", code, stderr)
	}

	// Expire the stored access token: -live refreshes it once and saves it.
	tok.Expiry = time.Now().Add(-time.Hour)
	if err := fs.Save(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, _, stderr = zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", testClientID, "-user", "me@example.com",
		"-accounts-url", srv.URL, "-modules", "Accounts", "-out", out)
	if code != 0 {
		t.Fatalf("live: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "account.go")); err != nil {
		t.Error(err)
	}
	if fz.refreshes != 1 {
		t.Errorf("%d refreshes, want 1", fz.refreshes)
	}
	tok, _ = fs.Get(context.Background(), key)
	if tok.AccessToken != "access-refreshed-1" || tok.RefreshToken != testRefresh {
		t.Errorf("after refresh, stored %+v", tok)
	}

	// A token Zoho rejects although it looks valid is refreshed after the 401.
	fz.mu.Lock()
	delete(fz.valid, "access-refreshed-1")
	fz.mu.Unlock()
	code, _, stderr = zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", testClientID, "-user", "me@example.com",
		"-accounts-url", srv.URL, "-modules", "Accounts", "-out", out)
	if code != 0 || fz.refreshes != 2 {
		t.Errorf("after revocation: exit %d, %d refreshes\n%s", code, fz.refreshes, stderr)
	}
	for _, r := range fz.requests {
		if strings.Contains(r, testClientSecret) || strings.Contains(r, testRefresh) {
			t.Errorf("secret in a URL: %s", r)
		}
	}
}
