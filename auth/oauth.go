package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/zohohub/zohohub/persistence"
)

// Config is an OAuth client registered in Zoho's API console: a Self
// Client (server to server) or a web client with a redirect URL.
type Config struct {
	ClientID     string
	ClientSecret string
	// RedirectURL is the registered redirect URL of a web client. A Self
	// Client needs none.
	RedirectURL string
	// Scopes such as "ZohoCRM.modules.ALL" and "ZohoCRM.settings.ALL".
	Scopes []string
	// Environment is where the accounts server is; the default is US
	// production.
	Environment Environment
	// HTTPClient sends token, refresh and revoke requests; the default is
	// a client like http.DefaultClient. Whatever its CheckRedirect, auth
	// sends them with a copy that never follows a redirect (see
	// ErrRedirect); the client itself is not changed.
	HTTPClient *http.Client
}

func (c Config) check() error {
	switch {
	case strings.TrimSpace(c.ClientID) == "":
		return errors.New("auth: config has an empty client id")
	case strings.TrimSpace(c.ClientSecret) == "":
		return errors.New("auth: config has an empty client secret")
	}
	return nil
}

func (c Config) env() Environment {
	if c.Environment.AccountsURL == "" {
		return MustLookup(US, Production)
	}
	return c.Environment
}

// AuthCodeURL returns the URL of Zoho's consent page for the web flow. It
// asks for offline access and forces the consent screen, the two settings
// under which Zoho returns a refresh token, and joins scopes with commas as
// Zoho documents (golang.org/x/oauth2 would join them with spaces).
func (c Config) AuthCodeURL(state string) string {
	oc := oauth2.Config{
		ClientID:    c.ClientID,
		RedirectURL: c.RedirectURL,
		Endpoint:    oauth2.Endpoint{AuthURL: c.env().AuthURL(), TokenURL: c.env().TokenURL(), AuthStyle: oauth2.AuthStyleInParams},
	}
	if len(c.Scopes) > 0 {
		oc.Scopes = []string{strings.Join(c.Scopes, ",")}
	}
	return oc.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce)
}

// OAuthError is an error answered by Zoho's accounts server. Zoho sends
// most of them with HTTP 200 and a body such as {"error":"invalid_code"}.
type OAuthError struct {
	// Code is Zoho's error, such as "invalid_code" or "invalid_client".
	Code        string
	Description string
	StatusCode  int
	// Endpoint names the request ("token", "refresh", "revoke") and host.
	Endpoint string
}

// Sentinels for errors.Is against an *OAuthError.
var (
	// ErrInvalidCode: the grant code is expired, used or wrong, or the
	// refresh token was revoked.
	ErrInvalidCode = &OAuthError{Code: "invalid_code"}
	// ErrInvalidClient: the client id is unknown at this accounts server,
	// very often because it belongs to another data centre.
	ErrInvalidClient = &OAuthError{Code: "invalid_client"}
	// ErrInvalidClientSecret: the client secret is wrong.
	ErrInvalidClientSecret = &OAuthError{Code: "invalid_client_secret"}
	// ErrInvalidRedirectURI: the redirect URL is not the registered one.
	ErrInvalidRedirectURI = &OAuthError{Code: "invalid_redirect_uri"}
	// ErrAccessDenied: Zoho throttled token requests, or the user denied.
	ErrAccessDenied = &OAuthError{Code: "access_denied"}
)

// Error describes the failure without any token or secret.
func (e *OAuthError) Error() string {
	s := "auth: " + e.Endpoint + ": " + e.Code
	if e.Description != "" {
		s += ": " + e.Description
	}
	if e.StatusCode != 0 && e.StatusCode != http.StatusOK {
		s += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	return s
}

// Temporary reports whether the same request may succeed later: a
// throttle, a server error, an unexpected status. It is false for Zoho's
// and RFC 6749's answers about the request itself (invalid_code,
// invalid_client, invalid_client_secret, invalid_grant,
// unauthorized_client, invalid_redirect_uri, unsupported_grant_type,
// invalid_request, invalid_scope): asking again gets the same answer and
// only uses up Zoho's token limits, so the Cache does not (docs/wire.md,
// "Token endpoint": only throttling may succeed when repeated).
func (e *OAuthError) Temporary() bool {
	switch e.Code {
	case "invalid_code", "invalid_client", "invalid_client_secret", "invalid_grant", "unauthorized_client",
		"invalid_redirect_uri", "unsupported_grant_type", "invalid_request", "invalid_scope":
		return false
	}
	return true
}

// Is matches an *OAuthError with the same code, so errors.Is(err,
// auth.ErrInvalidCode) works.
func (e *OAuthError) Is(target error) bool {
	t, ok := target.(*OAuthError)
	if !ok {
		return false
	}
	if t.Code == "access_denied" {
		return strings.EqualFold(strings.ReplaceAll(e.Code, " ", "_"), "access_denied")
	}
	return t.Code == e.Code
}

// Exchange trades a grant token (the code of a Self Client, or the code
// the web flow's redirect carried) for access and refresh tokens. The
// returned token carries the client id and secret, the grant token, the
// expiry and the api_domain of the user's data centre.
//
// The token request is written by hand rather than with x/oauth2's
// Exchange: Zoho answers errors with HTTP 200 and has a legacy
// expires_in_sec shape, which need precise handling.
func (c Config) Exchange(ctx context.Context, code string) (*persistence.Token, error) {
	tok, _, err := c.exchange(ctx, code)
	return tok, err
}

// exchange is Exchange, also returning the lifetime the server gave.
func (c Config) exchange(ctx context.Context, code string) (*persistence.Token, time.Duration, error) {
	if err := c.check(); err != nil {
		return nil, 0, err
	}
	if strings.TrimSpace(code) == "" {
		return nil, 0, errors.New("auth: exchange: empty grant token")
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if c.RedirectURL != "" {
		form.Set("redirect_uri", c.RedirectURL)
	}
	now := time.Now()
	r, err := c.post(ctx, "token", c.env().TokenURL(), c.withClient(form))
	if err != nil {
		return nil, 0, err
	}
	return &persistence.Token{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		AccessToken:  r.AccessToken,
		RefreshToken: r.RefreshToken,
		GrantToken:   code,
		Expiry:       now.Add(r.lifetime),
		RedirectURL:  c.RedirectURL,
		APIDomain:    r.APIDomain,
	}, r.lifetime, nil
}

// Refresh returns a copy of tok with a new access token. Zoho's refresh
// answer has no refresh token: the old one is kept.
func (c Config) Refresh(ctx context.Context, tok *persistence.Token) (*persistence.Token, error) {
	out, _, err := c.refresh(ctx, tok)
	return out, err
}

// refresh is Refresh, also returning the lifetime the server gave.
func (c Config) refresh(ctx context.Context, tok *persistence.Token) (*persistence.Token, time.Duration, error) {
	if err := c.check(); err != nil {
		return nil, 0, err
	}
	if tok == nil || tok.RefreshToken == "" {
		return nil, 0, errors.New("auth: refresh: the token has no refresh token (exchange a grant token with access_type=offline)")
	}
	now := time.Now()
	r, err := c.post(ctx, "refresh", c.env().TokenURL(), c.withClient(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}))
	if err != nil {
		return nil, 0, err
	}
	out := tok.Clone()
	out.AccessToken = r.AccessToken
	if r.RefreshToken != "" {
		out.RefreshToken = r.RefreshToken
	}
	if r.APIDomain != "" {
		out.APIDomain = r.APIDomain
	}
	out.Expiry = now.Add(r.lifetime)
	return out, r.lifetime, nil
}

// Revoke revokes a refresh token and every access token minted from it.
// The token travels in the form body, never in the URL.
func (c Config) Revoke(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return errors.New("auth: revoke: empty refresh token")
	}
	_, err := c.post(ctx, "revoke", c.env().RevokeURL(), url.Values{"token": {refreshToken}})
	return err
}

func (c Config) withClient(form url.Values) url.Values {
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.ClientSecret)
	return form
}
