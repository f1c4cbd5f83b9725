package zohotest

import (
	"net/http"
	"net/url"
	"strings"
)

// oauthParams merges the query string and the form body (urlencoded or
// multipart), as Zoho's accounts server accepts all three.
func oauthParams(r *http.Request) url.Values {
	r.ParseMultipartForm(1 << 20)
	r.ParseForm()
	return r.Form
}

// token answers POST /oauth/v2/token. Zoho answers errors with HTTP 200.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p := oauthParams(r)
	fail := func(code string) { writeJSON(w, http.StatusOK, map[string]string{"error": code}) }
	if p.Get("client_id") != s.cfg.clientID {
		fail("invalid_client")
		return
	}
	if p.Get("client_secret") != s.cfg.clientSecret {
		fail("invalid_client_secret")
		return
	}
	answer := map[string]any{"api_domain": s.apiDomain(), "token_type": "Bearer", "expires_in": int(s.cfg.tokenTTL.Seconds())}
	switch p.Get("grant_type") {
	case "authorization_code":
		access, refresh, scopes, ok := s.accounts.exchange(p.Get("code"))
		if !ok {
			fail("invalid_code")
			return
		}
		answer["access_token"], answer["refresh_token"], answer["scope"] = access, refresh, spaced(scopes)
	case "refresh_token":
		access, scopes, ok := s.accounts.refreshed(p.Get("refresh_token"))
		if !ok {
			fail("invalid_code")
			return
		}
		answer["access_token"], answer["scope"] = access, spaced(scopes)
	default:
		fail("unsupported_grant_type")
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

func (s *Server) apiDomain() string {
	if s.cfg.apiDomain != "" {
		return s.cfg.apiDomain
	}
	return s.base
}

// revoke answers POST /oauth/v2/token/revoke.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if !s.accounts.revoke(oauthParams(r).Get("token")) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_token", "status": "failure"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// consent answers GET /oauth/v2/auth by approving at once and sending the
// browser back with a grant code, as Zoho does after the user consents.
func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.cfg.clientID {
		http.Error(w, "invalid client", http.StatusBadRequest)
		return
	}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || back.Scheme == "" {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
		return
	}
	code := s.NewGrantToken(strings.Split(q.Get("scope"), ",")...)
	v := back.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	v.Set("location", "us")
	v.Set("accounts-server", s.base)
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// authorized checks the Zoho-oauthtoken header and returns the scopes of
// its access token.
func (s *Server) authorized(r *http.Request) (scopeSet, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Zoho-oauthtoken ")
	if !ok {
		return nil, false
	}
	return s.accounts.authorize(tok)
}
