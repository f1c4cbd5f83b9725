package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// stateTTL is how long a state value issued for the web flow stays valid.
const stateTTL = 10 * time.Minute

// maxPendingStates bounds the states waiting for Zoho's redirect, so that
// a public sign-in link cannot grow them without limit.
const maxPendingStates = 10_000

// CallbackHandler completes the web flow. Send the user to the URL of
// AuthCodeURL; Zoho redirects back to the handler, which checks the state,
// exchanges the code at the accounts server of the user's data centre,
// and stores the token under the user name the state was issued for.
//
// The handler exchanges codes only at a known Zoho accounts server, or at
// the configured environment's own accounts server: the redirect's
// accounts-server parameter comes from the browser, and the client secret
// must never be sent to an address an attacker chose.
type CallbackHandler struct {
	cfg   Config
	store persistence.Store
	log   *slog.Logger
	now   func() time.Time
	// OnSuccess, when set, writes the answer after a stored token instead
	// of the default plain page. It never receives the token.
	OnSuccess func(w http.ResponseWriter, r *http.Request, userName string)

	mu     sync.Mutex
	states map[string]pendingState
}

type pendingState struct {
	userName string
	expires  time.Time
}

// NewCallbackHandler returns the web-flow callback handler for cfg,
// storing tokens in store.
func NewCallbackHandler(cfg Config, store persistence.Store, log *slog.Logger) (*CallbackHandler, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.RedirectURL == "" {
		return nil, errors.New("auth: callback handler: config has no redirect URL")
	}
	if store == nil {
		return nil, errors.New("auth: callback handler: nil token store")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &CallbackHandler{cfg: cfg, store: store, log: log, now: time.Now, states: map[string]pendingState{}}, nil
}

// AuthCodeURL issues a single-use state for userName, valid ten minutes,
// and returns the consent URL to send the user to.
func (h *CallbackHandler) AuthCodeURL(userName string) (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	state := base64.RawURLEncoding.EncodeToString(b[:])
	h.mu.Lock()
	now := h.now()
	if len(h.states) >= maxPendingStates/2 { // drop expired states once there are many
		for s, p := range h.states {
			if now.After(p.expires) {
				delete(h.states, s)
			}
		}
	}
	if len(h.states) >= maxPendingStates {
		h.mu.Unlock()
		return "", errors.New("auth: too many sign-ins in progress; try again in a few minutes")
	}
	h.states[state] = pendingState{userName: userName, expires: now.Add(stateTTL)}
	h.mu.Unlock()
	return h.cfg.AuthCodeURL(state), nil
}

// takeState consumes a state, reporting the user it was issued for.
func (h *CallbackHandler) takeState(state string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.states[state]
	delete(h.states, state)
	if !ok || h.now().After(p.expires) {
		return "", false
	}
	return p.userName, true
}

// environmentFor picks the accounts server named by the redirect.
func (h *CallbackHandler) environmentFor(location, accountsServer string) (Environment, error) {
	configured := h.cfg.env()
	if configured.DataCenter == "" { // custom environment, such as zohotest
		if accountsServer != "" && strings.TrimRight(accountsServer, "/") != configured.AccountsURL {
			return Environment{}, errors.New("redirect names an accounts server this application does not use")
		}
		return configured, nil
	}
	if location == "" && accountsServer == "" {
		return configured, nil
	}
	env, err := FromRedirect(location, accountsServer)
	if err != nil {
		return Environment{}, err
	}
	if k, err := Lookup(env.DataCenter, configured.Kind); err == nil {
		env = k
	}
	return env, nil
}

// ServeHTTP handles Zoho's redirect back to the application.
func (h *CallbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		h.fail(w, "Zoho did not grant access: "+e)
		return
	}
	userName, ok := h.takeState(q.Get("state"))
	if !ok {
		h.fail(w, "The sign-in link expired or was already used. Please start again.")
		return
	}
	env, err := h.environmentFor(q.Get("location"), q.Get("accounts-server"))
	if err != nil {
		h.fail(w, "Unknown Zoho data centre in the redirect.")
		return
	}
	cfg := h.cfg
	cfg.Environment = env
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	tok, err := cfg.Exchange(ctx, q.Get("code"))
	if err != nil {
		h.log.Warn("auth: web flow exchange failed", "user", userName, "error", err)
		h.fail(w, "Zoho refused the authorization code. Please start again.")
		return
	}
	tok.UserName = userName
	tok.GrantToken = "" // spent; nothing to keep
	if err := h.store.Save(ctx, tok); err != nil {
		h.log.Error("auth: web flow could not store token", "user", userName, "error", err)
		http.Error(w, "Could not store the authorization.", http.StatusInternalServerError)
		return
	}
	h.log.Info("auth: web flow authorized", "user", userName, "environment", env.String())
	if h.OnSuccess != nil {
		h.OnSuccess(w, r, userName)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte("<!doctype html><title>Connected</title><p>Zoho CRM is connected for " + html.EscapeString(userName) + ". You can close this window.</p>"))
}

func (h *CallbackHandler) fail(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte("<!doctype html><title>Not connected</title><p>" + html.EscapeString(msg) + "</p>"))
}
