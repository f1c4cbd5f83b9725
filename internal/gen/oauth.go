package gen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// The OAuth code here is the least zhgen needs: exchange a self-client
// grant token once, and refresh an access token from a token store. It
// sends the client secret and tokens only in POST bodies and never puts
// them in errors. (Package auth's token cache replaces the refresh part once
// zhgen moves to the zohohub client.)

// OAuthClient is a registered Zoho OAuth client and its accounts server.
type OAuthClient struct {
	// TokenURL is the accounts server's token endpoint,
	// "https://accounts.zoho.com/oauth/v2/token" for US.
	TokenURL     string
	ClientID     string
	ClientSecret string
	RedirectURL  string
	HTTPClient   *http.Client
}

// OAuthError is an error answer of the token endpoint, such as
// invalid_code (which Zoho sends with HTTP 200).
type OAuthError struct {
	StatusCode int
	Code       string
}

// Error names Zoho's error code.
func (e *OAuthError) Error() string {
	return fmt.Sprintf("gen: token endpoint answered HTTP %d: %s", e.StatusCode, e.Code)
}

type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	APIDomain    string          `json:"api_domain"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	Error        string          `json:"error"`
}

// Exchange trades a grant token (a self client's one-time code) for tokens.
// The result carries the client and grant token so that it can be saved to a
// store as is.
func (c OAuthClient) Exchange(ctx context.Context, grantToken string) (*persistence.Token, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"code":          {grantToken},
	}
	if c.RedirectURL != "" {
		form.Set("redirect_uri", c.RedirectURL)
	}
	tr, err := c.post(ctx, form)
	if err != nil {
		return nil, err
	}
	if tr.RefreshToken == "" {
		return nil, errors.New("gen: token endpoint answered without a refresh token")
	}
	return &persistence.Token{
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, RefreshToken: tr.RefreshToken,
		AccessToken: tr.AccessToken, GrantToken: grantToken, Expiry: expiry(tr.ExpiresIn),
		RedirectURL: c.RedirectURL, APIDomain: tr.APIDomain,
	}, nil
}

// Refresh returns a new access token for a refresh token.
func (c OAuthClient) Refresh(ctx context.Context, refreshToken string) (access string, exp time.Time, apiDomain string, err error) {
	tr, err := c.post(ctx, url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"refresh_token": {refreshToken},
	})
	if err != nil {
		return "", time.Time{}, "", err
	}
	return tr.AccessToken, expiry(tr.ExpiresIn), tr.APIDomain, nil
}

func (c OAuthClient) post(ctx context.Context, form url.Values) (*tokenResponse, error) {
	if c.TokenURL == "" {
		return nil, errors.New("gen: no accounts URL")
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("gen: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error holds only the URL, which has no secrets.
		return nil, fmt.Errorf("gen: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("gen: token response: %w", err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, &OAuthError{StatusCode: resp.StatusCode, Code: "answer is not JSON"}
	}
	if tr.Error != "" || resp.StatusCode/100 != 2 {
		code := tr.Error
		if code == "" {
			code = http.StatusText(resp.StatusCode)
		}
		return nil, &OAuthError{StatusCode: resp.StatusCode, Code: code}
	}
	if tr.AccessToken == "" {
		return nil, &OAuthError{StatusCode: resp.StatusCode, Code: "no access_token in answer"}
	}
	return &tr, nil
}

// expiry turns expires_in (seconds; Zoho sends a number, some proxies a
// string) into a time.
func expiry(raw json.RawMessage) time.Time {
	var n json.Number
	if len(raw) == 0 || json.Unmarshal(raw, &n) != nil {
		s := strings.Trim(string(raw), `"`)
		n = json.Number(s)
	}
	secs, err := n.Int64()
	if err != nil || secs <= 0 {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(secs) * time.Second)
}

// StoreTokens is a TokenSource backed by a token store: it serves the
// stored access token while it is valid and refreshes (and saves) it when
// it is about to expire or Zoho rejected it.
type StoreTokens struct {
	Store  persistence.Store
	Key    persistence.Key
	Client OAuthClient

	mu       sync.Mutex
	rejected string
}

// AccessToken implements TokenSource.
func (s *StoreTokens) AccessToken(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := s.Store.Get(ctx, s.Key)
	if err != nil {
		return "", fmt.Errorf("gen: token store (%s): %w", s.Key, err)
	}
	if tok.Valid(time.Now(), time.Minute) && tok.AccessToken != s.rejected {
		return tok.AccessToken, nil
	}
	if tok.RefreshToken == "" {
		return "", fmt.Errorf("gen: stored token for %s has no refresh token; run zhgen auth", s.Key)
	}
	c := s.Client
	if c.ClientSecret == "" {
		c.ClientSecret = tok.ClientSecret
	}
	if c.ClientID == "" {
		c.ClientID = tok.ClientID
	}
	access, exp, apiDomain, err := c.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		return "", err
	}
	tok = tok.Clone()
	tok.AccessToken, tok.Expiry = access, exp
	if apiDomain != "" {
		tok.APIDomain = apiDomain
	}
	if err := s.Store.Save(ctx, tok); err != nil {
		return "", fmt.Errorf("gen: saving refreshed token: %w", err)
	}
	s.rejected = ""
	return access, nil
}

// Invalidate implements TokenSource.
func (s *StoreTokens) Invalidate(accessToken string) {
	s.mu.Lock()
	s.rejected = accessToken
	s.mu.Unlock()
}
