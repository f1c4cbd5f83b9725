package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxAnswerBytes bounds what is read of an accounts-server answer. A token
// answer is a few hundred bytes; anything near this size is not one.
const maxAnswerBytes = 64 << 10

// ErrRedirect is matched (errors.Is) by the error of a token, refresh or
// revoke request that the accounts server answered with a redirect (any
// HTTP 3xx). These requests carry the client secret and a grant or refresh
// token, so auth never follows a redirect, whatever Config.HTTPClient
// would do: the credentials reach only the configured accounts server.
// The error names the host the redirect pointed to, never its path or
// query. A redirect usually means a wrong accounts URL or data centre.
var ErrRedirect = errors.New("redirect refused: credentials are sent only to the configured accounts server")

// accountsClient returns the client for accounts-server requests: a copy
// of Config.HTTPClient (same transport, timeout and jar) that never
// follows a redirect. The caller's client is left as it is.
func (c Config) accountsClient() *http.Client {
	var hc http.Client
	if c.HTTPClient != nil {
		hc = *c.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// post sends a form to the accounts server and decodes Zoho's answer,
// reading at most maxAnswerBytes of it. The form's secrets never appear in
// the error, even when the server echoes them.
func (c Config) post(ctx context.Context, what, endpoint string, form url.Values) (*tokenResponse, error) {
	host := endpoint
	if u, err := url.Parse(endpoint); err == nil {
		host = u.Host
	}
	where := what + " at " + host
	secrets := secretsOf(form)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, redactURLError(err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.accountsClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, redactURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, fmt.Errorf("auth: %s: HTTP %d redirect to %s: %w", where, resp.StatusCode, redirectTarget(resp, secrets), ErrRedirect)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("auth: %s: reading answer: %w", where, err)
	}
	if len(body) > maxAnswerBytes {
		return nil, fmt.Errorf("auth: %s: HTTP %d answer larger than %d KiB: not a token answer", where, resp.StatusCode, maxAnswerBytes>>10)
	}
	return decodeAnswer(what, where, resp.StatusCode, body, secrets)
}

// redirectTarget names the host a redirect pointed to (a relative Location
// is this host), without its path or query, which may carry anything.
func redirectTarget(resp *http.Response, secrets []string) string {
	loc, err := resp.Location()
	switch {
	case errors.Is(err, http.ErrNoLocation):
		return "nowhere (no Location header)"
	case err != nil:
		return "an unreadable Location"
	case loc.Host == "":
		return "a Location without a host"
	}
	return clean(loc.Host, secrets, 100)
}

// secretsOf returns the values of form that must never be shown.
func secretsOf(form url.Values) []string {
	var out []string
	for _, k := range []string{"client_secret", "code", "refresh_token", "token"} {
		if v := form.Get(k); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// clean makes text from the network fit for an error or a log line: the
// secrets of the request are masked, control characters dropped and the
// length bounded.
func clean(s string, secrets []string, max int) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\uFFFD' {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
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
