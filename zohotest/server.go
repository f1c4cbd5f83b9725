// Package zohotest is an in-memory Zoho CRM: Zoho's accounts server (OAuth
// token endpoint) and the CRM REST API under one base URL, with Zoho's
// shapes, status codes, limits and errors. Use it to test code that talks
// to Zoho CRM without a network or credentials:
//
//	srv := zohotest.New(t)
//	access, _ := srv.IssueToken()
//	client, _ := zohohub.New(zohohub.WithEnvironment(srv.Environment()),
//		zohohub.WithTokenSource(auth.StaticToken(access)))
//
// It is seeded with the module metadata in spec/metadata (Leads, Contacts,
// Accounts, Deals, … and the custom module Projects); WithCustomField and
// WithMetadata add your org's fields. It may differ from Zoho where Zoho is
// nondeterministic (search's index delay) or undocumented; such choices are
// noted where they are made, and docs/testing.md lists them.
package zohotest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zohohub/zohohub/auth"
)

// TB is the part of testing.TB that New uses, so that this package does
// not import testing.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Option configures a Server.
type Option func(*config)

type config struct {
	clientID, clientSecret string
	email                  string
	tokenTTL               time.Duration
	now                    func() time.Time
	meta                   fs.FS
	latency                time.Duration
	failRate               float64
	failSeed               uint64
	concurrency            int
	credits                int // allowance per 24 hours; 0: calls are free (credits.go)
	apiDomain              string
	grants                 []string
	bulkDelay              time.Duration
	bulkReadPerPage        int
	customFields           []customField
	blueprints             map[string]Blueprint // by module (blueprint.go)
}

// WithClient registers the OAuth client (a Self Client) the server knows.
func WithClient(id, secret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = id, secret }
}

// WithUserEmail sets the email of the current user.
func WithUserEmail(email string) Option { return func(c *config) { c.email = email } }

// WithTokenTTL sets how long access tokens live (Zoho: one hour).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithClock sets the clock used for token expiry and record times.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithMetadata replaces the module metadata (default spec.Metadata()).
func WithMetadata(fsys fs.FS) Option { return func(c *config) { c.meta = fsys } }

// WithLatency delays every CRM API answer by d.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithFailRate answers a fraction p of CRM API calls with 500
// INTERNAL_ERROR, chosen by a generator seeded with seed.
func WithFailRate(p float64, seed uint64) Option {
	return func(c *config) { c.failRate, c.failSeed = p, seed }
}

// WithConcurrencyLimit answers 429 TOO_MANY_REQUESTS to calls beyond n in
// flight at once, as Zoho does beyond an edition's limit.
func WithConcurrencyLimit(n int) Option { return func(c *config) { c.concurrency = n } }

// WithAPIDomain sets the api_domain token responses carry (default: the
// server's own URL).
func WithAPIDomain(u string) Option { return func(c *config) { c.apiDomain = u } }

// WithGrantToken registers a one-time grant code, valid for ten minutes
// from the server's start, so that a client in any language can do the
// Self Client exchange.
func WithGrantToken(code string) Option {
	return func(c *config) { c.grants = append(c.grants, code) }
}

// Server is an in-memory Zoho CRM. It is safe for concurrent use. Its
// state is in parts with locks of their own, so that no call waits for
// another it has nothing to do with: the accounts server's tokens, the
// records of each module, the bulk jobs, and the request log and faults.
type Server struct {
	cfg  config
	hs   *httptest.Server
	base string
	meta *metadata      // read-only after newServer
	me   map[string]any // the current user as answers name users (currentUserRef); read-only
	meID map[string]any // the current user as records store users, {"id"}: their creator and owner; read-only

	accounts *accounts
	records  *recordStore
	links    *links     // relations of records (related.go)
	files    *fileStore // attachments, photos and stored files (attachments.go)
	bulk     *bulkJobs
	log      requestLog
	faults   *faults
	watch    watchState // notification channels (watch.go)
	credits  creditLedger
	// processes are the blueprints run, by module (blueprint.go); read-only
	// after newServer.
	processes   map[string]*process
	tags        *tagStore // the tags of each module (tags.go)
	massUpdates *massJobs // mass jobs: updates, changes of owner, deletions of tags (massupdate.go)

	inflight atomic.Int32
	latency  atomic.Int64              // time.Duration added to every CRM answer
	stamp    atomic.Pointer[timeStamp] // the last second written as a record's time (now)
	answers  sync.Pool                 // *[]byte buffers answers are encoded into (call.answer)
}

// RequestRecord is one request the server answered. It never holds the
// Authorization header.
type RequestRecord struct {
	Method string
	Path   string
	Query  map[string][]string
	Body   []byte
	Status int
}

// Start starts a server on a loopback port. Close it when done.
func Start(opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	s.hs = httptest.NewServer(s)
	s.base = s.hs.URL
	return s, nil
}

// New starts a server for a test and closes it when the test ends.
func New(tb TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatalf("zohotest: %v", err)
		return nil
	}
	tb.Cleanup(s.Close)
	return s
}

// NewHandler returns a server that is not listening, to be served by the
// caller (as cmd/zhemu does) at baseURL.
func NewHandler(baseURL string, opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	s.base = baseURL
	return s, nil
}

func newServer(opts []Option) (*Server, error) {
	cfg := config{clientID: "1000.ZOHOTESTCLIENT", clientSecret: randomHex(20), email: "jane@example.com",
		tokenTTL: time.Hour, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	meta, err := cfg.metadata()
	if err != nil {
		return nil, err
	}
	if cfg.email != "" {
		// The current user (users[0]) is the one WithUserEmail names.
		meta.users = slices.Clone(meta.users) // the parsed metadata may be shared
		me := maps.Clone(meta.users[0])
		me["email"] = cfg.email
		meta.users[0] = me
	}
	s := &Server{cfg: cfg, meta: meta, accounts: newAccounts(cfg.now, cfg.tokenTTL), records: newRecordStore(meta), links: newLinks(), files: newFileStore(),
		bulk: newBulkJobs(), faults: newFaults(cfg.failRate, cfg.failSeed), tags: newTagStore(), massUpdates: newMassJobs()}
	if s.processes, err = newProcesses(meta, cfg.blueprints, s.records.newID); err != nil {
		return nil, err
	}
	s.me = map[string]any{"name": meta.users[0]["full_name"], "id": meta.users[0]["id"]}
	s.meID = map[string]any{"id": meta.users[0]["id"]}
	s.latency.Store(int64(cfg.latency))
	for _, g := range cfg.grants {
		s.accounts.addGrant(g, allScopes, 10*time.Minute)
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() {
	if s.hs != nil {
		s.hs.Close()
	}
	s.files.close()
}

// URL is the base URL of both the accounts server and the CRM API.
func (s *Server) URL() string { return s.base }

// Environment is the environment a zohohub client uses to reach the server.
func (s *Server) Environment() auth.Environment {
	env, err := auth.Custom(s.base, s.base, s.base)
	if err != nil {
		panic(fmt.Sprintf("zohotest: base URL %q: %v", s.base, err))
	}
	return env
}

// ClientID is the id of the registered OAuth client.
func (s *Server) ClientID() string { return s.cfg.clientID }

// ClientSecret is the secret of the registered OAuth client.
func (s *Server) ClientSecret() string { return s.cfg.clientSecret }

// NewGrantToken returns a fresh one-time grant code, as a Self Client's
// console generates, valid for three minutes.
func (s *Server) NewGrantToken(scopes ...string) string {
	code := newToken()
	sc := allScopes
	if len(scopes) > 0 {
		sc = strings.Join(scopes, ",")
	}
	s.accounts.addGrant(code, sc, 3*time.Minute)
	return code
}

// IssueToken returns a ready access token and its refresh token, for tests
// that do not exercise the OAuth exchange.
func (s *Server) IssueToken() (access, refresh string) { return s.accounts.issue(allScopes) }

// RevokeToken revokes a refresh token and every access token minted from it.
func (s *Server) RevokeToken(refresh string) { s.accounts.revoke(refresh) }

// ExpireAccessTokens makes every access token issued so far invalid, as
// if an hour had passed.
func (s *Server) ExpireAccessTokens() { s.accounts.expireAll() }

// SetLatency changes the delay of every CRM API answer.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
