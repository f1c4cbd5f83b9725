package zohotest

import (
	"strings"
	"sync"
	"time"
)

// accounts is the state of Zoho's accounts server: grant codes, refresh
// tokens and the access tokens minted from them. Its lock is its own:
// checking a call's token never waits for a record or a bulk job.
type accounts struct {
	now func() time.Time
	ttl time.Duration

	mu      sync.RWMutex
	grants  map[string]grant
	refresh map[string]refreshToken // by the live refresh tokens
	access  map[string]accessToken
}

// refreshToken is what a refresh token was granted.
type refreshToken struct {
	scopes string   // comma-separated, as the grant named them
	set    scopeSet // parsed once, read by every call
}

type grant struct {
	scopes  string
	expires time.Time
}

type accessToken struct {
	refresh string
	expires time.Time
}

func newAccounts(now func() time.Time, ttl time.Duration) *accounts {
	return &accounts{now: now, ttl: ttl, grants: map[string]grant{}, refresh: map[string]refreshToken{}, access: map[string]accessToken{}}
}

// newToken is a token as Zoho writes them: 1000.<hex>.<hex>.
func newToken() string { return "1000." + randomHex(16) + "." + randomHex(16) }

// addGrant registers a one-time grant code of the given scopes.
func (a *accounts) addGrant(code, scopes string, valid time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.grants[code] = grant{scopes: scopes, expires: a.now().Add(valid)}
}

// issue returns a new refresh token of the given scopes and an access
// token minted from it.
func (a *accounts) issue(scopes string) (access, refresh string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	refresh = newToken()
	a.refresh[refresh] = refreshToken{scopes: scopes, set: parseScopes(scopes)}
	return a.mintLocked(refresh), refresh
}

func (a *accounts) mintLocked(refresh string) string {
	tok := newToken()
	a.access[tok] = accessToken{refresh: refresh, expires: a.now().Add(a.ttl)}
	return tok
}

// exchange spends a grant code: the new access and refresh tokens and the
// grant's scopes, or false for a code unknown, spent or expired.
func (a *accounts) exchange(code string) (access, refresh, scopes string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, ok := a.grants[code]
	delete(a.grants, code) // single use, even when it failed
	if !ok || a.now().After(g.expires) {
		return "", "", "", false
	}
	refresh = newToken()
	a.refresh[refresh] = refreshToken{scopes: g.scopes, set: parseScopes(g.scopes)}
	return a.mintLocked(refresh), refresh, g.scopes, true
}

// refreshed mints an access token from a live refresh token and returns
// it with the grant's scopes.
func (a *accounts) refreshed(refresh string) (access, scopes string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	rt, ok := a.refresh[refresh]
	if !ok {
		return "", "", false
	}
	a.evictLocked(refresh)
	return a.mintLocked(refresh), rt.scopes, true
}

// evictLocked keeps at most 15 live access tokens per refresh token:
// Zoho invalidates the oldest when a 16th is minted.
func (a *accounts) evictLocked(refresh string) {
	var oldest string
	n := 0
	for tok, at := range a.access {
		if at.refresh != refresh {
			continue
		}
		n++
		if oldest == "" || at.expires.Before(a.access[oldest].expires) {
			oldest = tok
		}
	}
	if n >= 15 {
		delete(a.access, oldest)
	}
}

// revoke revokes a refresh token and every access token minted from it.
func (a *accounts) revoke(refresh string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.refresh[refresh]; !ok {
		return false
	}
	delete(a.refresh, refresh)
	for tok, at := range a.access {
		if at.refresh == refresh {
			delete(a.access, tok)
		}
	}
	return true
}

// expireAll makes every access token issued so far invalid.
func (a *accounts) expireAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.access)
}

// authorize returns the scopes of a live access token.
func (a *accounts) authorize(tok string) (scopeSet, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	at, ok := a.access[tok]
	if !ok || !a.now().Before(at.expires) {
		return nil, false
	}
	return a.refresh[at.refresh].set, true
}

// spaced writes comma-separated scopes space-separated, as Zoho's token
// answers do.
func spaced(scopes string) string { return strings.ReplaceAll(scopes, ",", " ") }
