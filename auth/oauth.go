package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// HTTPClient sends token requests; the default is http.DefaultClient.
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

func (c Config) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
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

// tokenResponse is Zoho's token answer, modern and legacy shapes alike.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	APIDomain    string          `json:"api_domain"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.Number     `json:"expires_in"`
	ExpiresInSec json.Number     `json:"expires_in_sec"`
	Error        string          `json:"error"`
	Description  string          `json:"error_description"`
	Status       json.RawMessage `json:"status"`
}

// expiresIn returns the lifetime: expires_in_sec when present (then
// expires_in is in milliseconds, the legacy shape), else expires_in.
func (r *tokenResponse) expiresIn() time.Duration {
	if n, err := r.ExpiresInSec.Int64(); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if n, err := r.ExpiresIn.Int64(); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return time.Hour
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
	if err := c.check(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(code) == "" {
		return nil, errors.New("auth: exchange: empty grant token")
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	if c.RedirectURL != "" {
		form.Set("redirect_uri", c.RedirectURL)
	}
	now := time.Now()
	r, err := c.post(ctx, "token", c.env().TokenURL(), c.withClient(form))
	if err != nil {
		return nil, err
	}
	return &persistence.Token{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		AccessToken:  r.AccessToken,
		RefreshToken: r.RefreshToken,
		GrantToken:   code,
		Expiry:       now.Add(r.expiresIn()),
		RedirectURL:  c.RedirectURL,
		APIDomain:    r.APIDomain,
	}, nil
}

// Refresh returns a copy of tok with a new access token. Zoho's refresh
// answer has no refresh token: the old one is kept.
func (c Config) Refresh(ctx context.Context, tok *persistence.Token) (*persistence.Token, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if tok == nil || tok.RefreshToken == "" {
		return nil, errors.New("auth: refresh: the token has no refresh token (exchange a grant token with access_type=offline)")
	}
	now := time.Now()
	r, err := c.post(ctx, "refresh", c.env().TokenURL(), c.withClient(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}))
	if err != nil {
		return nil, err
	}
	out := tok.Clone()
	out.AccessToken = r.AccessToken
	if r.RefreshToken != "" {
		out.RefreshToken = r.RefreshToken
	}
	if r.APIDomain != "" {
		out.APIDomain = r.APIDomain
	}
	out.Expiry = now.Add(r.expiresIn())
	return out, nil
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

// post sends a form to the accounts server and decodes Zoho's answer.
func (c Config) post(ctx context.Context, what, endpoint string, form url.Values) (*tokenResponse, error) {
	host := endpoint
	if u, err := url.Parse(endpoint); err == nil {
		host = u.Host
	}
	where := what + " at " + host
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, redactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: reading answer: %w", where, err)
	}
	var r tokenResponse
	if err := json.Unmarshal(body, &r); err != nil {
		kind := "a malformed answer"
		if t := strings.TrimSpace(string(body)); strings.HasPrefix(t, "<") {
			kind = "an HTML page"
		}
		return nil, fmt.Errorf("auth: %s: HTTP %d with %s instead of JSON (is the accounts URL right?)", where, resp.StatusCode, kind)
	}
	if r.Error != "" {
		return nil, &OAuthError{Code: r.Error, Description: r.Description, StatusCode: resp.StatusCode, Endpoint: where}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &OAuthError{Code: "http_" + fmt.Sprint(resp.StatusCode), StatusCode: resp.StatusCode, Endpoint: where}
	}
	if what != "revoke" && r.AccessToken == "" {
		return nil, fmt.Errorf("auth: %s: answer has no access_token", where)
	}
	return &r, nil
}

// redactURLError drops the URL from a *url.Error. Ours carry no secret
// (secrets travel in the body), but a user-supplied endpoint might.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
