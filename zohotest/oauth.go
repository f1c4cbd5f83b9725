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
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	answer := map[string]any{"api_domain": s.apiDomain(), "token_type": "Bearer", "expires_in": int(s.cfg.tokenTTL.Seconds())}
	switch p.Get("grant_type") {
	case "authorization_code":
		code := p.Get("code")
		g, ok := s.grants[code]
		delete(s.grants, code) // single use, even when it failed
		if !ok || now.After(g.expires) {
			fail("invalid_code")
			return
		}
		refresh := "1000." + randomHex(16) + "." + randomHex(16)
		s.refresh[refresh] = true
		s.scopes[refresh] = g.scopes
		answer["access_token"], answer["refresh_token"], answer["scope"] = s.mintLocked(refresh), refresh, strings.ReplaceAll(g.scopes, ",", " ")
	case "refresh_token":
		refresh := p.Get("refresh_token")
		if !s.refresh[refresh] {
			fail("invalid_code")
			return
		}
		s.evictLocked(refresh)
		answer["access_token"], answer["scope"] = s.mintLocked(refresh), s.scopeOfLocked(refresh)
	default:
		fail("unsupported_grant_type")
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// evictLocked keeps at most 15 live access tokens per refresh token:
// Zoho invalidates the oldest when a 16th is minted.
func (s *Server) evictLocked(refresh string) {
	var oldest string
	n := 0
	for tok, a := range s.access {
		if a.refresh != refresh {
			continue
		}
		n++
		if oldest == "" || a.expires.Before(s.access[oldest].expires) {
			oldest = tok
		}
	}
	if n >= 15 {
		delete(s.access, oldest)
	}
}

func (s *Server) apiDomain() string {
	if s.cfg.apiDomain != "" {
		return s.cfg.apiDomain
	}
	return s.base
}

// revoke answers POST /oauth/v2/token/revoke.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	tok := oauthParams(r).Get("token")
	s.mu.Lock()
	ok := s.revokeLocked(tok)
	s.mu.Unlock()
	if !ok {
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
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Zoho-oauthtoken ")
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.access[tok]
	if !ok || !s.cfg.now().Before(a.expires) {
		return nil, false
	}
	return parseScopes(s.grantedLocked(a.refresh)), true
}
