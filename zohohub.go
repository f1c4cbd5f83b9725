// Package zohohub makes Zoho CRM feel like a local database: records of
// Zoho CRM modules are typed Go structs that you find, query, save and
// delete, with OAuth 2.0 tokens refreshed and stored for you.
//
// A [Client] talks to one Zoho CRM organisation as one user. It is safe for
// concurrent use; every call that does I/O takes a context.Context. Typed
// access goes through [Records]:
//
//	accounts := zohohub.Records[modules.Account](client)
//	acct, err := accounts.Find(ctx, id)
//
// The client pipeline sets the Authorization header, bounds the requests in
// flight to the organisation's concurrency limit, retries what is safe to
// retry with exponential backoff and jitter, refreshes an access token that
// Zoho rejected (once), and turns every failure into an *APIError.
//
// Package auth holds OAuth 2.0 and data centres, package persistence the
// token stores, package modules the generated structs of the standard
// modules, and package zohotest an in-memory Zoho CRM for tests.
package zohohub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/zohohub/zohohub/auth"
)

// DefaultAPIVersion is the Zoho CRM API version a Client uses unless told
// otherwise.
const DefaultAPIVersion = "v8"

// DefaultConcurrency is the default bound on requests in flight, the
// concurrency limit of a Standard edition organisation.
const DefaultConcurrency = 10

// TokenSource supplies access tokens to a Client. The token cache of
// package auth implements it; so does auth.StaticToken.
type TokenSource interface {
	// AccessToken returns a valid access token. It is called for every
	// request, so it must be cheap when the token is cached.
	AccessToken(ctx context.Context) (string, error)
	// Invalidate tells the source that Zoho rejected accessToken, so that
	// the next AccessToken call refreshes it.
	Invalidate(accessToken string)
}

// RetryPolicy says how a Client retries requests that failed in a way that
// may succeed later: HTTP 429, 5xx, and network errors. A request is only
// repeated when repeating it cannot write twice: GET, PUT and DELETE
// always; POST only after a 429 (Zoho did not process it) or when the
// request is marked Retryable.
type RetryPolicy struct {
	// MaxAttempts is the number of tries in all, including the first.
	// Values below 1 mean 1 (no retry).
	MaxAttempts int
	// MinBackoff is the first wait; each further wait doubles, up to
	// MaxBackoff. The actual wait is a random duration up to that bound
	// (full jitter), so clients that fail together do not retry together.
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// DefaultRetryPolicy is the policy a Client uses unless told otherwise.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinBackoff: 250 * time.Millisecond, MaxBackoff: 8 * time.Second}
}

func (p RetryPolicy) backoff(attempt int) time.Duration {
	if p.MinBackoff <= 0 {
		return 0
	}
	bound := p.MinBackoff << min(attempt, 30)
	if bound > p.MaxBackoff && p.MaxBackoff > 0 || bound <= 0 {
		bound = p.MaxBackoff
	}
	return time.Duration(rand.Int64N(int64(bound) + 1))
}

// maxRetryAfter bounds the wait a Retry-After header can impose, so that
// a hostile or broken answer cannot park a caller for hours.
const maxRetryAfter = time.Minute

// parseRetryAfter reads a Retry-After header: delay seconds or an
// HTTP-date. Anything else, or a time in the past, is no wait.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs > 0 {
		return time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Client talks to the Zoho CRM API of one organisation as one user. Create
// it with New. A Client is safe for concurrent use.
type Client struct {
	env         auth.Environment
	version     string
	tokens      TokenSource
	http        *http.Client
	log         *slog.Logger
	retry       RetryPolicy
	sem         chan struct{}
	limiter     Limiter     // shared across processes; nil when per-Client only (limiter.go)
	credits     lastCredits // what Zoho last reported of the org's credits (credits.go)
	concurrency int
	// budget holds the bytes of answers in flight, at most budgetSize
	// (budget.go).
	budget     *semaphore.Weighted
	budgetSize int64
	// exportPoll and exportPollMax are the first and longest waits between
	// the status calls of a bulk job (bulkjob.go).
	exportPoll, exportPollMax time.Duration

	// types caches reflection over record types: reflect.Type → type info.
	// It is filled by attributes.go once per type.
	types sync.Map
}

// Option configures a Client.
type Option func(*Client) error

// WithEnvironment sets the data centre and kind of organisation (or the
// custom URLs) the client talks to. The default is US production.
func WithEnvironment(env auth.Environment) Option {
	return func(c *Client) error {
		if env.APIDomain == "" {
			return errors.New("zohohub: WithEnvironment: environment has no API domain")
		}
		c.env = env
		return nil
	}
}

// WithTokenSource sets where access tokens come from, normally an
// *auth.Cache. It is required.
func WithTokenSource(ts TokenSource) Option {
	return func(c *Client) error {
		if ts == nil {
			return errors.New("zohohub: WithTokenSource: nil token source")
		}
		c.tokens = ts
		return nil
	}
}

// WithHTTPClient sets the HTTP client requests are sent with. The client's
// redirect policy is not used: zohohub never follows redirects, because
// Zoho's API answers none, a login page is not data, and the request
// carries the access token; a redirect is an error naming its host.
//
// The default client waits at most 10 s to connect, 10 s for the TLS
// handshake and 2 min for the response headers; its connections are
// shared by every Client that uses it. It sets no whole-request timeout,
// which would cut long Bulk Read downloads: every call ends with its
// context.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("zohohub: WithHTTPClient: nil *http.Client")
		}
		c.http = hc
		return nil
	}
}

// WithLogger sets the logger. Requests are logged at debug level with
// method, path, status and duration; tokens and secrets never are.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("zohohub: WithLogger: nil logger")
		}
		c.log = l
		return nil
	}
}

// WithConcurrency bounds the requests in flight at once, which Zoho limits
// per organisation by edition (Free 5, Standard 10, Professional 15,
// Enterprise 20, Ultimate 25). The default is 10.
func WithConcurrency(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("zohohub: WithConcurrency: %d is not a positive number", n)
		}
		c.concurrency = n
		return nil
	}
}

// WithRetry sets the retry policy. The default is DefaultRetryPolicy().
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MinBackoff < 0 || p.MaxBackoff < 0 {
			return errors.New("zohohub: WithRetry: negative backoff")
		}
		c.retry = p
		return nil
	}
}

// WithAPIVersion sets the API version, "v2", "v2.1" or "v3" … "v8".
// The default is "v8".
func WithAPIVersion(v string) Option {
	return func(c *Client) error {
		if _, ok := parseVersion(v); !ok {
			return fmt.Errorf("zohohub: WithAPIVersion: %q is not a Zoho CRM API version (want v2, v2.1, v3 … v8)", v)
		}
		c.version = v
		return nil
	}
}

// parseVersion returns the major version number: 2 for "v2" and "v2.1".
func parseVersion(v string) (int, bool) {
	if v == "v2.1" {
		return 2, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "v"))
	if err != nil || !strings.HasPrefix(v, "v") || n < 2 || n > 8 {
		return 0, false
	}
	return n, true
}

// New returns a Client configured by opts. A token source is required.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		env:         auth.MustLookup(auth.US, auth.Production),
		version:     DefaultAPIVersion,
		log:         slog.New(slog.DiscardHandler),
		retry:       DefaultRetryPolicy(),
		concurrency: DefaultConcurrency,
		budgetSize:  DefaultResponseBudget,

		exportPoll:    defaultExportPoll,
		exportPollMax: defaultExportPollMax,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.tokens == nil {
		return nil, errors.New("zohohub: New: no token source (use WithTokenSource with an *auth.Cache)")
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	// Never follow redirects: copy the caller's client so theirs is untouched.
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	c.sem = make(chan struct{}, c.concurrency)
	c.budget = semaphore.NewWeighted(c.budgetSize)
	return c, nil
}

// APIVersion returns the API version the client uses, such as "v8".
func (c *Client) APIVersion() string { return c.version }

// Environment returns the environment the client talks to.
func (c *Client) Environment() auth.Environment { return c.env }

// Concurrency returns the bound on requests in flight.
func (c *Client) Concurrency() int { return c.concurrency }

// Request is one call to the Zoho CRM API.
type Request struct {
	Method string
	// Path is relative to the versioned API root, such as "Leads/123" for
	// /crm/v8/Leads/123, or absolute from the API domain when it starts
	// with "/", such as "/crm/bulk/v8/read".
	Path   string
	Query  url.Values
	Header http.Header
	// Body is encoded as JSON when it is not nil; a []byte or
	// json.RawMessage is sent as it is.
	Body any
	// Retryable marks a POST that is safe to repeat after a server error,
	// such as a COQL query, which reads only.
	Retryable bool
}

// Response is Zoho's answer to a Request.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is empty for 204 No Content and 304 Not Modified.
	Body []byte
}

// Do sends req and returns the response. A 2xx, 204 or 304 answer is a
// response; any other status is an *APIError, as is a body that is not
// JSON. An access token that Zoho rejects is refreshed and the request
// retried once. The body counts against the response budget while it is
// read (see WithResponseBudget); once Do returns, it is the caller's.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	resp, release, err := c.do(ctx, req)
	release()
	return resp, err
}

// do is Do keeping the body's share of the response budget until the
// caller has decoded it and calls release (always non-nil).
func (c *Client) do(ctx context.Context, req *Request) (resp *Response, release func(), err error) {
	release = func() {}
	if err := c.check(); err != nil {
		return nil, release, err
	}
	if req == nil {
		return nil, release, errors.New("zohohub: Do: nil request")
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var body []byte
	switch b := req.Body.(type) {
	case nil:
	case []byte:
		body = b
	case json.RawMessage:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			return nil, release, fmt.Errorf("zohohub: %s %s: encoding request body: %w", method, req.Path, err)
		}
	}
	u := c.url(req.Path, req.Query)
	method = strings.ToUpper(method) // "post" must not count as a safe method
	safe := method != http.MethodPost && method != http.MethodPatch || req.Retryable
	err = c.retrying(ctx, method, req.Path, safe, func() (err error) {
		resp, release, err = c.send(ctx, method, u, req, body)
		return err
	})
	if err != nil {
		return nil, func() {}, err
	}
	return resp, release, nil
}

// retrying calls try until it succeeds or fails for good. A rejected
// access token is refreshed (the attempt told the token source) and tried
// once more, never in a loop; a 429 is retried, and a 5xx or network error
// when the request is safe to repeat, as the retry policy allows, waiting
// its backoff or the server's Retry-After.
func (c *Client) retrying(ctx context.Context, method, path string, safe bool, try func() error) error {
	if ctx == nil {
		return fmt.Errorf("zohohub: %s %s: %w", method, path, errNilContext)
	}
	refreshed := false
	for attempt := 0; ; attempt++ {
		err := try()
		retry := false
		var apiErr *APIError
		var tokErr *tokenError
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return err
		case errors.As(err, &tokErr):
			// The token source retries its own transient failures (the auth
			// cache does); a refused refresh token is not worth three more
			// backoffs. Only an error that says it is temporary is tried again.
			var t interface{ Temporary() bool }
			retry = safe && errors.As(tokErr.err, &t) && t.Temporary()
		case errors.As(err, &apiErr) && errors.Is(apiErr, ErrInvalidToken) && !refreshed:
			refreshed = true
			attempt--
			continue
		case errors.As(err, &apiErr):
			retry = apiErr.StatusCode == http.StatusTooManyRequests || (apiErr.StatusCode >= 500 || apiErr.transient) && safe
		default: // network error: the request may or may not have arrived
			retry = safe
		}
		if !retry || attempt+1 >= c.retry.MaxAttempts {
			return err
		}
		wait := c.retry.backoff(attempt)
		if apiErr != nil && apiErr.retryAfter > wait {
			wait = min(apiErr.retryAfter, maxRetryAfter) // the server said when; a jittered guess would only come too early
		}
		c.log.DebugContext(ctx, "zohohub: retrying", "method", method, "path", path, "attempt", attempt+1, "wait", wait, "error", err)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// errNotNew is the error of a Client not made by New: the zero value has
// no token source and no semaphore, and would block or panic.
var errNotNew = errors.New("zohohub: Client not created with zohohub.New (a zero or nil *Client cannot send requests)")

// errNilContext is the error of a call given a nil context.Context.
var errNilContext = errors.New("nil context.Context (pass context.Background() or a context with a deadline)")

// check reports whether c was made by New.
func (c *Client) check() error {
	if c == nil || c.tokens == nil || c.sem == nil || c.budget == nil {
		return errNotNew
	}
	return nil
}

// DoJSON is Do followed by decoding a non-empty body into out.
func (c *Client) DoJSON(ctx context.Context, req *Request, out any) (*Response, error) {
	resp, release, err := c.do(ctx, req)
	defer release()
	if err != nil || out == nil || len(resp.Body) == 0 {
		return resp, err
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return resp, &APIError{StatusCode: resp.StatusCode, Method: req.Method, Path: req.Path, Index: -1,
			Message: "decoding response: " + err.Error(), badResponse: true}
	}
	return resp, nil
}

func (c *Client) url(path string, q url.Values) string {
	var u string
	if strings.HasPrefix(path, "/") {
		u = c.env.APIDomain + path
	} else {
		u = c.env.APIDomain + "/crm/" + c.version + "/" + path
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// slot takes one of the organisation's concurrency slots and the current
// access token; release gives the slot back.
func (c *Client) slot(ctx context.Context, method, path string) (token string, release func(), err error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
	release = func() { <-c.sem }
	if token, err = c.tokens.AccessToken(ctx); err != nil {
		release()
		return "", nil, &tokenError{method: method, path: path, err: err}
	}
	return token, release, nil
}

// tokenError is the failure of the TokenSource to give an access token.
type tokenError struct {
	method, path string
	err          error
}

func (e *tokenError) Error() string {
	return fmt.Sprintf("zohohub: %s %s: getting access token: %v", e.method, e.path, e.err)
}

func (e *tokenError) Unwrap() error { return e.err }

// send makes one attempt of a Do: build the request, send it, classify
// the answer. release gives back the body's share of the response budget.
func (c *Client) send(ctx context.Context, method, u string, req *Request, body []byte) (resp *Response, release func(), err error) {
	release = func() {}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, release, fmt.Errorf("zohohub: %s %s: %w", method, req.Path, err)
	}
	for k, v := range req.Header {
		hreq.Header[k] = v
	}
	hreq.Header.Set("Accept", "application/json")
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	var data []byte
	hresp, token, err := c.roundTrip(ctx, hreq, req.Path, func(hresp *http.Response) (n int, err error) {
		data, release, err = c.readBody(ctx, hresp, maxResponseBytes, method, req.Path)
		return len(data), err
	})
	if err != nil {
		return nil, release, err
	}
	resp = &Response{StatusCode: hresp.StatusCode, Header: hresp.Header}
	switch code := hresp.StatusCode; {
	case code == http.StatusNoContent || code == http.StatusNotModified:
		return resp, release, nil
	case code >= 200 && code < 300:
		if !validJSON(data) {
			release()
			return nil, func() {}, badResponse(code, method, req.Path, data, "")
		}
		resp.Body = data
		return resp, release, nil
	}
	err = c.failure(hresp, method, req.Path, data, token)
	release()
	return nil, func() {}, err
}

// roundTrip sends hreq once, in one of the organisation's concurrency
// slots and with the current access token, and has read consume the
// answer, whatever its status, while the slot is held; read returns the
// bytes it read, for the log. token is the access token the request
// carried.
func (c *Client) roundTrip(ctx context.Context, hreq *http.Request, path string, read func(*http.Response) (int, error)) (hresp *http.Response, token string, err error) {
	method := hreq.Method
	token, release, err := c.slot(ctx, method, path)
	if err != nil {
		return nil, "", err
	}
	defer release()
	done, err := c.acquireShared(ctx, method, path)
	if err != nil {
		return nil, "", err
	}
	defer func() { done(hresp) }() // after the body is read: the call is in flight until then
	hreq.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	start := time.Now()
	hresp, err = c.http.Do(hreq)
	if err != nil {
		// *url.Error carries the URL; ours holds no secret (tokens travel
		// only in the header), so it is safe to keep.
		return nil, "", fmt.Errorf("zohohub: %s %s: %w", method, path, err)
	}
	defer hresp.Body.Close()
	c.noteCredits(hresp.Header)
	n, err := read(hresp)
	c.log.DebugContext(ctx, "zohohub: request", "method", method, "path", path, "status", hresp.StatusCode,
		"bytes", n, "duration", time.Since(start))
	if err != nil {
		return nil, "", err
	}
	return hresp, token, nil
}

// failure is the error of an answer that is neither a success nor JSON
// the caller reads: a redirect, or an error status as an *APIError with
// the wait its Retry-After asks for. A token Zoho rejected is reported to
// the token source, so that the retry gets a fresh one.
func (c *Client) failure(hresp *http.Response, method, path string, data []byte, token string) error {
	code := hresp.StatusCode
	if code >= 300 && code < 400 {
		return badResponse(code, method, path, nil, "redirect "+redirectTarget(hresp.Header.Get("Location"))+
			" refused: Zoho's API answers none, and the request carries the access token (wrong data centre or API domain?)")
	}
	apiErr := decodeError(code, method, path, data)
	apiErr.retryAfter = parseRetryAfter(hresp.Header.Get("Retry-After"), time.Now())
	if errors.Is(apiErr, ErrInvalidToken) {
		c.tokens.Invalidate(token)
	}
	return apiErr
}

// redirectTarget names where a redirect leads, by host only (its path and
// query are the server's, and may be long or odd).
func redirectTarget(location string) string {
	loc, err := url.Parse(location)
	switch {
	case location == "":
		return "without a Location"
	case err != nil:
		return "to an unparsable Location"
	case loc.Host == "":
		return "to " + quoteShort(loc.Path) + " on the same host"
	}
	return "to host " + quoteShort(loc.Host)
}
