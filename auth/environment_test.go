package auth_test

import (
	"strings"
	"testing"

	"github.com/zohohub/zohohub/auth"
)

func TestLookupEveryDataCentre(t *testing.T) {
	seen := map[string]bool{}
	for _, dc := range auth.DataCenters() {
		for _, kind := range []auth.Kind{auth.Production, auth.Sandbox, auth.Developer} {
			env, err := auth.Lookup(dc, kind)
			if err != nil {
				t.Fatal(err)
			}
			if seen[env.APIDomain] || !strings.HasPrefix(env.APIDomain, "https://") || !strings.HasPrefix(env.AccountsURL, "https://accounts.zoho") || env.UploadURL == "" {
				t.Errorf("%s/%s: %+v", dc, kind, env)
			}
			seen[env.APIDomain] = true
			back, err := auth.FromAPIDomain(env.APIDomain)
			if err != nil || back != env {
				t.Errorf("FromAPIDomain(%s) = %+v, %v", env.APIDomain, back, err)
			}
		}
	}
	if env := auth.MustLookup(auth.EU, auth.Sandbox); env.APIDomain != "https://sandbox.zohoapis.eu" || env.AccountsURL != "https://accounts.zoho.eu" {
		t.Errorf("EU sandbox: %+v", env)
	}
	if env := auth.MustLookup(auth.CA, auth.Production); env.AccountsURL != "https://accounts.zohocloud.ca" {
		t.Errorf("CA: %+v", env)
	}
}

func TestLookupErrors(t *testing.T) {
	if _, err := auth.Lookup("uk", auth.Production); err == nil || !strings.Contains(err.Error(), `"uk"`) {
		t.Errorf("unknown DC: %v", err)
	}
	if _, err := auth.Lookup(auth.US, "staging"); err == nil || !strings.Contains(err.Error(), "staging") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := auth.Custom("localhost:8080", "http://x", "http://x"); err == nil {
		t.Error("relative custom URL accepted")
	}
	if env, err := auth.Custom("http://127.0.0.1:8080/", "http://127.0.0.1:8080", ""); err != nil || env.UploadURL != "http://127.0.0.1:8080" {
		t.Errorf("empty upload URL: %+v, %v", env, err)
	}
	if _, err := auth.FromAPIDomain("https://example.com"); err == nil {
		t.Error("unknown API domain accepted")
	}
}

func TestFromRedirect(t *testing.T) {
	for _, tc := range []struct {
		location, server string
		want             auth.DataCenter
	}{
		{"eu", "", auth.EU}, {"", "https://accounts.zoho.com.au", auth.AU}, {"IN", "https://accounts.zoho.in", auth.IN}, {"", "https://accounts.zohocloud.ca/", auth.CA},
	} {
		env, err := auth.FromRedirect(tc.location, tc.server)
		if err != nil || env.DataCenter != tc.want {
			t.Errorf("FromRedirect(%q, %q) = %v, %v", tc.location, tc.server, env, err)
		}
	}
	if _, err := auth.FromRedirect("", "https://evil.example"); err == nil {
		t.Error("unknown accounts server accepted")
	}
}
