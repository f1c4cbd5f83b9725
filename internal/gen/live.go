package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// LiveConfig says where and how Fetch reads metadata from an org (or from a
// running zhemu, which serves the same endpoints).
type LiveConfig struct {
	// APIDomain is the base of CRM API URLs, such as
	// "https://www.zohoapis.eu" or an emulator's URL.
	APIDomain string
	// APIVersion defaults to "v8".
	APIVersion string
	// Tokens supplies access tokens. It is required.
	Tokens TokenSource
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
	// Modules, when set, are the only modules whose fields are fetched, and
	// each must exist. Otherwise every module that holds records is.
	Modules []string
	// Progress, when set, receives one line per request.
	Progress func(msg string)
}

// TokenSource supplies access tokens to Fetch. Invalidate is called with a
// token Zoho rejected, so that the next AccessToken returns a fresh one.
type TokenSource interface {
	AccessToken(ctx context.Context) (string, error)
	Invalidate(accessToken string)
}

// StaticToken is a TokenSource that always returns the same access token.
type StaticToken string

// AccessToken returns the token.
func (t StaticToken) AccessToken(context.Context) (string, error) { return string(t), nil }

// Invalidate does nothing: a static token cannot be refreshed.
func (StaticToken) Invalidate(string) {}

// HTTPError is a non-2xx answer from Zoho.
type HTTPError struct {
	Path       string
	StatusCode int
	Code       string // Zoho's error code, such as INVALID_MODULE
	Message    string
}

// Error names the request and Zoho's answer.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d", e.Path, e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Fetch reads modules and fields metadata from a live org and returns it as
// a Snapshot, byte for byte as Zoho sent it, so that Dump can commit it and
// later runs can work offline. Subform modules named by the chosen modules'
// subform fields are fetched too, when Zoho serves them.
func Fetch(ctx context.Context, cfg LiveConfig) (Snapshot, error) {
	if cfg.Tokens == nil {
		return nil, errors.New("gen: Fetch: no token source")
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = "v8"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	base, err := url.Parse(strings.TrimRight(cfg.APIDomain, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("gen: invalid API domain %q", cfg.APIDomain)
	}
	f := &fetcher{cfg: cfg, base: base}
	snap := Snapshot{}
	f.progress("fetching module list")
	raw, err := f.get(ctx, "settings/modules", nil)
	if err != nil {
		return nil, err
	}
	snap[ModulesFile] = raw
	meta, err := (Snapshot{ModulesFile: raw}).Decode()
	if err != nil {
		return nil, fmt.Errorf("gen: %s answered: %w", f.path("settings/modules"), err)
	}
	explicit := len(cfg.Modules) > 0
	var todo []string
	if explicit {
		known := map[string]bool{}
		for _, m := range meta.Modules {
			known[m.APIName] = true
		}
		for _, n := range cfg.Modules {
			if !known[n] {
				var names []string
				for _, m := range meta.Modules {
					names = append(names, m.APIName)
				}
				slices.Sort(names)
				return nil, &UnknownModuleError{Name: n, Known: names}
			}
			if !slices.Contains(todo, n) {
				todo = append(todo, n)
			}
		}
	} else {
		for _, m := range meta.Modules {
			if holdsRecords(m) {
				todo = append(todo, m.APIName)
			}
		}
	}
	slices.Sort(todo)
	var subforms []string
	for i, name := range todo {
		f.progress(fmt.Sprintf("fetching fields of %s (%d/%d)", name, i+1, len(todo)))
		raw, err := f.get(ctx, "settings/fields", url.Values{"module": {name}})
		if err != nil {
			if he, ok := errors.AsType[*HTTPError](err); ok && !explicit && he.StatusCode < 500 && he.StatusCode != http.StatusUnauthorized {
				// Some listed modules (Visits, Approvals, …) have no fields API.
				f.progress(fmt.Sprintf("skipping %s: %v", name, err))
				continue
			}
			return nil, err
		}
		snap[FieldsFile(name)] = raw
		fields, err := decodeFields(raw)
		if err != nil {
			return nil, fmt.Errorf("gen: %s?module=%s answered: %w", f.path("settings/fields"), name, err)
		}
		for _, fl := range fields {
			if sub := subformModule(fl); fl.DataType == "subform" && sub != "" && !slices.Contains(subforms, sub) {
				subforms = append(subforms, sub)
			}
		}
	}
	slices.Sort(subforms)
	for _, sub := range subforms {
		if _, done := snap[FieldsFile(sub)]; done {
			continue
		}
		f.progress("fetching fields of subform " + sub)
		raw, err := f.get(ctx, "settings/fields", url.Values{"module": {sub}})
		if err != nil {
			// Rows then fall back to ID plus Get/Set; worth a line, not a failure.
			f.progress(fmt.Sprintf("no fields for subform %s: %v", sub, err))
			continue
		}
		if _, err := decodeFields(raw); err != nil {
			return nil, fmt.Errorf("gen: fields of subform %s: %w", sub, err)
		}
		snap[FieldsFile(sub)] = raw
	}
	return snap, nil
}

func decodeFields(raw []byte) ([]Field, error) {
	var v struct {
		Fields []Field `json:"fields"`
	}
	if err := decodeJSON(raw, &v); err != nil {
		return nil, err
	}
	return v.Fields, nil
}

type fetcher struct {
	cfg  LiveConfig
	base *url.URL
}

func (f *fetcher) progress(msg string) {
	if f.cfg.Progress != nil {
		f.cfg.Progress(msg)
	}
}

func (f *fetcher) path(rel string) string {
	return f.base.Path + "/crm/" + f.cfg.APIVersion + "/" + rel
}

// get sends one GET and returns the body of a 2xx answer. An answer of 401
// invalidates the token and is tried once more with a fresh one. A 204 (no
// fields) is returned as an empty list.
func (f *fetcher) get(ctx context.Context, rel string, q url.Values) ([]byte, error) {
	u := *f.base
	u.Path = f.path(rel)
	u.RawQuery = q.Encode()
	for attempt := 0; ; attempt++ {
		tok, err := f.cfg.Tokens.AccessToken(ctx)
		if err != nil {
			return nil, fmt.Errorf("gen: access token: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
		req.Header.Set("Accept", "application/json")
		resp, err := f.cfg.HTTPClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("gen: GET %s: %w", u.Path, err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("gen: GET %s: reading answer: %w", u.Path, err)
		}
		switch {
		case resp.StatusCode == http.StatusNoContent:
			if rel == "settings/modules" {
				return []byte(`{"modules":[]}`), nil
			}
			return []byte(`{"fields":[]}`), nil
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			if !json.Valid(body) {
				return nil, fmt.Errorf("gen: GET %s: answer is not JSON (%s)", u.Path, snippet(body))
			}
			return body, nil
		case resp.StatusCode == http.StatusUnauthorized && attempt == 0:
			f.cfg.Tokens.Invalidate(tok)
			continue
		}
		he := &HTTPError{Path: u.Path, StatusCode: resp.StatusCode}
		var env struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &env) == nil {
			he.Code, he.Message = env.Code, env.Message
		} else {
			he.Message = snippet(body)
		}
		return nil, he
	}
}

// snippet returns the start of a body for an error message.
func snippet(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}
