package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// zohoTokenLifetime is how long Zoho's access tokens live (expires_in
// 3600; docs/wire.md, "Lifetimes and caps").
// It is assumed when an answer gives no lifetime.
const zohoTokenLifetime = time.Hour

// maxTokenLifetime bounds the lifetime an answer may claim, far above
// Zoho's hour: a larger one is not a lifetime in seconds.
const maxTokenLifetime = 7 * 24 * time.Hour

// maxTokenLen bounds an access or refresh token; Zoho's are about 70
// characters.
const maxTokenLen = 4096

// tokenResponse is Zoho's token answer, modern and legacy shapes alike.
// The lifetimes are kept raw so that their type is checked.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	APIDomain    string          `json:"api_domain"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	ExpiresInSec json.RawMessage `json:"expires_in_sec"`
	Error        string          `json:"error"`
	Description  string          `json:"error_description"`
	Status       json.RawMessage `json:"status"`

	lifetime time.Duration // set by decodeAnswer
}

// decodeAnswer checks every value of an accounts-server answer before any
// is used: an error Zoho sends with HTTP 200 is an *OAuthError, and a
// token answer must carry a well-formed access token, an api_domain that
// is a URL and a lifetime in range; a revoke answer must say success.
func decodeAnswer(what, where string, status int, body []byte, secrets []string) (*tokenResponse, error) {
	var r tokenResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("auth: %s: HTTP %d with %s", where, status, describeUndecodable(body, err))
	}
	if r.Error != "" {
		return nil, &OAuthError{Code: clean(r.Error, secrets, 100), Description: clean(r.Description, secrets, 300), StatusCode: status, Endpoint: where}
	}
	if status != http.StatusOK {
		return nil, &OAuthError{Code: "http_" + strconv.Itoa(status), StatusCode: status, Endpoint: where}
	}
	if what == "revoke" {
		var s string
		if json.Unmarshal(r.Status, &s) != nil || s != "success" {
			return nil, fmt.Errorf("auth: %s: answer does not say status success", where)
		}
		return &r, nil
	}
	if err := checkToken("access_token", r.AccessToken, true); err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, err)
	}
	if err := checkToken("refresh_token", r.RefreshToken, false); err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, err)
	}
	if err := checkAPIDomain(r.APIDomain, secrets); err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, err)
	}
	lifetime, err := r.expiresIn()
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", where, err)
	}
	r.lifetime = lifetime
	return &r, nil
}

// describeUndecodable says what an answer that is not a JSON object of the
// expected types is, without quoting it.
func describeUndecodable(body []byte, err error) string {
	trimmed := bytes.TrimSpace(body)
	var typeErr *json.UnmarshalTypeError
	switch {
	case len(trimmed) == 0:
		return "an empty answer instead of JSON"
	case trimmed[0] == '<':
		return "an HTML page instead of JSON (is the accounts URL right?)"
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return "JSON " + typeErr.Value + " instead of an object"
	case errors.As(err, &typeErr):
		return fmt.Sprintf("a wrong type in the answer: %s is a JSON %s, want a %s", typeErr.Field, typeErr.Value, typeErr.Type)
	}
	return "a truncated or malformed JSON answer"
}

// checkToken checks that a token is printable ASCII without spaces, as
// Zoho's are, and of a sane length: it goes into an HTTP header.
func checkToken(name, tok string, required bool) error {
	if tok == "" {
		if required {
			return fmt.Errorf("answer has no %s", name)
		}
		return nil
	}
	if len(tok) > maxTokenLen {
		return fmt.Errorf("answer's %s is %d bytes long, not a token", name, len(tok))
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] <= ' ' || tok[i] >= 0x7f {
			return fmt.Errorf("answer's %s has a character a token cannot have", name)
		}
	}
	return nil
}

// checkAPIDomain checks that api_domain, when present, is the base URL of
// an HTTP(S) server: requests carrying the access token will go there.
func checkAPIDomain(s string, secrets []string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("answer's api_domain %q is not the base URL of a server", clean(s, secrets, 100))
	}
	return nil
}

// expiresIn returns the lifetime: expires_in_sec when present (then
// expires_in is in milliseconds, the legacy shape), else expires_in, else
// Zoho's hour. A lifetime that is not a number of seconds in range is an
// error.
func (r *tokenResponse) expiresIn() (time.Duration, error) {
	if present(r.ExpiresInSec) {
		return seconds("expires_in_sec", r.ExpiresInSec)
	}
	if present(r.ExpiresIn) {
		return seconds("expires_in", r.ExpiresIn)
	}
	return zohoTokenLifetime, nil
}

func present(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

// seconds reads a JSON number of seconds between 1 and maxTokenLifetime.
func seconds(name string, raw json.RawMessage) (time.Duration, error) {
	var n json.Number
	if raw[0] == '"' || json.Unmarshal(raw, &n) != nil { // json.Number would take a quoted number too
		return 0, fmt.Errorf("answer's %s is not a number", name)
	}
	f, err := n.Float64()
	if err != nil || f < 1 || f > maxTokenLifetime.Seconds() {
		return 0, fmt.Errorf("answer's %s %s is not a lifetime between 1 and %.0f seconds", name, clean(string(n), nil, 24), maxTokenLifetime.Seconds())
	}
	return time.Duration(f * float64(time.Second)), nil
}
