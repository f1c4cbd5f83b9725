package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/zohohub/zohohub/persistence"
)

// DefaultRefreshWindow is how long before expiry the cache starts
// refreshing an access token in the background, for tokens that live at
// least twice as long (Zoho's live an hour).
const DefaultRefreshWindow = 5 * time.Minute

// Cache serves the access token of one user to a client, refreshing it
// ahead of expiry. It is modelled on aws-sdk-go-v2's credentials cache:
//
//   - the fast path reads an atomic pointer: no lock, no store read;
//   - within the refresh window the current token is still served while one
//     background refresh runs; the window is at most half the lifetime of
//     the tokens the accounts server mints, so short-lived tokens are not
//     refreshed on every call;
//   - an expired or invalidated token makes callers wait for one refresh,
//     however many ask (singleflight), each honouring its own context;
//   - with a store that implements persistence.Locker, processes sharing
//     the store refresh once: the lock is held around the refresh and the
//     store is re-read first, in case another process already refreshed;
//   - a refreshed token the store fails to save is served from memory and
//     saved again later (see SaveErr): a refresh is never thrown away;
//   - a refresh token the accounts server refuses for good (see
//     OAuthError.Temporary) is not sent again until a new token is stored.
//
// A Cache is safe for concurrent use. It implements zohohub.TokenSource.
type Cache struct {
	cfg    Config
	store  persistence.Store
	key    persistence.Key
	now    func() time.Time
	window time.Duration
	log    *slog.Logger
	notify func(*persistence.Token)

	cur     atomic.Pointer[cached]
	group   singleflight.Group
	loadMu  sync.Mutex // serialises the first load from the store
	refresh atomic.Bool
	// lifetime is the lifetime (ns) of the last token the accounts server
	// minted for the cache; 0 until one is minted.
	lifetime atomic.Int64
	// rejected is the refresh token the accounts server refused for good.
	rejected atomic.Pointer[rejection]

	saveMu  sync.Mutex // orders saves of the served token and Revoke's delete
	unsaved atomic.Pointer[unsavedToken]
	saving  atomic.Bool
}

// rejection remembers a refresh token the accounts server refused with a
// permanent error, and that error.
type rejection struct {
	refreshToken string
	err          error
}

// cached is an immutable snapshot of the current token.
type cached struct {
	tok         *persistence.Token
	refreshAt   time.Time // start background refresh after this
	invalidated bool
}

// CacheOption configures a Cache.
type CacheOption func(*Cache)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) CacheOption { return func(c *Cache) { c.now = now } }

// WithRefreshWindow sets how long before expiry a refresh starts (the
// default is DefaultRefreshWindow). The window in use is at most half the
// lifetime of the tokens the accounts server mints: with 20-second tokens
// a refresh starts 10 seconds before expiry. Each token's refresh time is
// jittered by up to a fifth of the window, so that processes sharing a
// token do not all refresh at the same instant.
func WithRefreshWindow(d time.Duration) CacheOption { return func(c *Cache) { c.window = d } }

// WithLogger sets the logger; refreshes are logged at debug level with the
// key and expiry, never a token.
func WithLogger(l *slog.Logger) CacheOption { return func(c *Cache) { c.log = l } }

// WithOnRefresh registers a function called with a copy of every newly
// refreshed or exchanged token, after the cache tried to store it
// (SaveErr says whether that worked).
func WithOnRefresh(f func(*persistence.Token)) CacheOption { return func(c *Cache) { c.notify = f } }

// NewCache returns the token cache of the user key, backed by store.
// Tokens are read from the store on first use; call Authorize first when
// the store has none yet.
func NewCache(cfg Config, store persistence.Store, key persistence.Key, opts ...CacheOption) (*Cache, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errors.New("auth: NewCache: nil token store")
	}
	if key.ClientID == "" {
		key.ClientID = cfg.ClientID
	}
	c := &Cache{cfg: cfg, store: store, key: key, now: time.Now, window: DefaultRefreshWindow, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Key returns the key the cache's token is stored under.
func (c *Cache) Key() persistence.Key { return c.key }

// Authorize exchanges a Self Client grant token and stores the tokens. If
// the store already holds a token obtained with the same grant token, that
// one is used instead: a grant token works once, and a program run twice
// with the same one should not fail the second time.
//
// When the store fails to save the new tokens, Authorize returns that
// error, but the cache serves the tokens anyway (the grant token is spent)
// and saves them again later, as after a refresh (see SaveErr).
func (c *Cache) Authorize(ctx context.Context, grantToken string) error {
	if strings.TrimSpace(grantToken) == "" {
		return errors.New("auth: Authorize needs a grant token (Zoho API console, Self Client, Generate Code)")
	}
	if stored, err := c.store.Get(ctx, c.key); err == nil && stored.GrantToken == grantToken && stored.RefreshToken != "" {
		c.adopt(stored)
		return nil
	} else if err != nil && !errors.Is(err, persistence.ErrNotFound) {
		return fmt.Errorf("auth: reading token store: %w", err)
	}
	tok, lifetime, err := c.cfg.exchange(ctx, grantToken)
	if err != nil {
		return err
	}
	c.lifetime.Store(int64(lifetime))
	return c.keep(ctx, tok)
}

// Store saves tok (for example from the web flow's Exchange) as the
// cache's token. When the store fails, Store returns its error but the
// cache serves tok anyway and saves it again later (see SaveErr).
func (c *Cache) Store(ctx context.Context, tok *persistence.Token) error {
	if tok == nil {
		return errors.New("auth: Store: nil token")
	}
	return c.keep(ctx, tok.Clone())
}

// refreshWindow is the window in use for tok: the configured one, but at
// most half the lifetime of the tokens the accounts server mints, so that
// a token is served for at least half its life before it is refreshed.
// Until the cache has had a token minted, tok's remaining life stands for
// the lifetime (it cannot be longer).
func (c *Cache) refreshWindow(tok *persistence.Token, now time.Time) time.Duration {
	lifetime := time.Duration(c.lifetime.Load())
	if lifetime <= 0 {
		lifetime = tok.Expiry.Sub(now)
	}
	return max(0, min(c.window, lifetime/2))
}

func (c *Cache) set(tok *persistence.Token) {
	w := c.refreshWindow(tok, c.now())
	refreshAt := tok.Expiry.Add(-w)
	if w > 0 {
		refreshAt = refreshAt.Add(-time.Duration(rand.Int64N(int64(w)/5 + 1)))
	}
	c.cur.Store(&cached{tok: tok, refreshAt: refreshAt})
}

// AccessToken returns a valid access token, refreshing when needed.
func (c *Cache) AccessToken(ctx context.Context) (string, error) {
	tok, err := c.current(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Token returns a copy of the current token, refreshing when needed.
func (c *Cache) Token(ctx context.Context) (*persistence.Token, error) {
	tok, err := c.current(ctx)
	return tok.Clone(), err
}

// current returns the current token, shared: callers must not modify it.
func (c *Cache) current(ctx context.Context) (*persistence.Token, error) {
	cur := c.cur.Load()
	if cur == nil {
		if err := c.load(ctx); err != nil {
			return nil, err
		}
		cur = c.cur.Load()
	}
	now := c.now()
	c.retrySaveIfDue(now)
	if !cur.invalidated && cur.tok.Valid(now, 0) {
		if !cur.tok.Expiry.IsZero() && now.After(cur.refreshAt) && c.refresh.CompareAndSwap(false, true) {
			go c.refreshAhead(cur)
		}
		return cur.tok, nil
	}
	ch := c.group.DoChan("refresh", func() (any, error) {
		// A caller that saw the old token can arrive just after the refresh
		// it should have joined has finished: serve what that refresh got.
		if now := c.cur.Load(); now != nil && now != cur && !now.invalidated && now.tok.Valid(c.now(), 0) {
			return now.tok, nil
		}
		// Not bound to the first caller's context: other callers wait too.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		return c.refreshShared(ctx)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*persistence.Token), nil
	}
}

// refreshAhead refreshes while cur, still valid, is served. It joins a
// refresh already under way rather than starting a second one.
func (c *Cache) refreshAhead(cur *cached) {
	defer c.refresh.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err, _ := c.group.Do("refresh", func() (any, error) {
		if latest := c.cur.Load(); latest != cur && latest != nil && !latest.invalidated {
			return latest.tok, nil // refreshed meanwhile
		}
		return c.refreshShared(ctx)
	})
	if err != nil {
		c.log.Warn("auth: background refresh failed", "key", c.key.String(), "error", err)
	}
}

// load reads the token from the store, once.
func (c *Cache) load(ctx context.Context) error {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	if c.cur.Load() != nil {
		return nil
	}
	tok, err := c.store.Get(ctx, c.key)
	if errors.Is(err, persistence.ErrNotFound) {
		return fmt.Errorf("auth: no token stored for %s: call Authorize with a grant token first: %w", c.key, err)
	}
	if err != nil {
		return fmt.Errorf("auth: reading token store: %w", err)
	}
	c.set(tok)
	return nil
}

// refreshShared refreshes the token, taking the store's cross-process lock
// when it has one and using a token another process stored meanwhile.
func (c *Cache) refreshShared(ctx context.Context) (*persistence.Token, error) {
	old := c.cur.Load()
	if old == nil { // Revoke cleared it meanwhile
		return nil, fmt.Errorf("auth: token for %s was revoked", c.key)
	}
	rejected := c.rejected.Load()
	if rejected != nil && rejected.refreshToken != old.tok.RefreshToken {
		rejected = nil
	}
	locker, shared := c.store.(persistence.Locker)
	if shared {
		unlock, err := locker.Lock(ctx, c.key)
		if err != nil {
			return nil, fmt.Errorf("auth: locking token store for refresh: %w", err)
		}
		defer unlock()
	}
	if shared || rejected != nil {
		// Another process may have refreshed, or stored a new refresh token
		// in place of the refused one.
		if stored, err := c.store.Get(ctx, c.key); err == nil {
			switch {
			case stored.AccessToken != old.tok.AccessToken && stored.Valid(c.now(), c.refreshWindow(stored, c.now())):
				c.log.Debug("auth: using token refreshed by another process", "key", c.key.String(), "expiry", stored.Expiry)
				c.adopt(stored)
				return stored, nil
			case rejected != nil && stored.RefreshToken != "" && stored.RefreshToken != rejected.refreshToken:
				c.adopt(stored)
				old, rejected = c.cur.Load(), nil
				if old == nil {
					return nil, fmt.Errorf("auth: token for %s was revoked", c.key)
				}
			}
		}
	}
	if rejected != nil {
		return nil, fmt.Errorf("auth: refreshing token for %s: %w", c.key, rejected.err)
	}
	tok, lifetime, err := c.cfg.refresh(ctx, old.tok)
	if err != nil {
		return c.refreshFailed(old, err)
	}
	c.lifetime.Store(int64(lifetime))
	c.keep(ctx, tok)
	c.log.Debug("auth: token refreshed", "key", c.key.String(), "expiry", tok.Expiry)
	return tok, nil
}

// refreshFailed handles a refresh of old that failed with err. A refresh
// token refused for good is remembered, so that it is not sent again. A
// token that still works is served on; the next attempt waits (until
// expiry after a permanent error) instead of coming with the next call.
func (c *Cache) refreshFailed(old *cached, err error) (*persistence.Token, error) {
	var oauthErr *OAuthError
	permanent := errors.As(err, &oauthErr) && !oauthErr.Temporary()
	if permanent {
		c.rejected.Store(&rejection{refreshToken: old.tok.RefreshToken, err: err})
		c.log.Warn("auth: the accounts server refused the refresh token; it is not sent again until a new token is stored",
			"key", c.key.String(), "error", err)
	} else {
		c.log.Debug("auth: refresh failed", "key", c.key.String(), "error", err)
	}
	now := c.now()
	if old.invalidated || !old.tok.Valid(now, 0) {
		return nil, fmt.Errorf("auth: refreshing token for %s: %w", c.key, err)
	}
	next := *old
	next.refreshAt = old.tok.Expiry
	if left := old.tok.Expiry.Sub(now); !permanent {
		next.refreshAt = now.Add(min(max(left/4, time.Second), 30*time.Second))
	}
	c.cur.CompareAndSwap(old, &next)
	return old.tok, nil
}

// Invalidate marks accessToken as rejected by Zoho, so that the next
// AccessToken call refreshes. It does nothing when accessToken is no
// longer the current token, so two failed requests cause one refresh.
func (c *Cache) Invalidate(accessToken string) {
	for {
		cur := c.cur.Load()
		if cur == nil || cur.invalidated || cur.tok.AccessToken != accessToken {
			return
		}
		next := *cur
		next.invalidated = true
		if c.cur.CompareAndSwap(cur, &next) {
			c.log.Debug("auth: access token invalidated", "key", c.key.String())
			return
		}
	}
}

// Revoke revokes the refresh token at Zoho and deletes the stored token.
func (c *Cache) Revoke(ctx context.Context) error {
	tok, err := c.Token(ctx)
	if err != nil {
		return err
	}
	if err := c.cfg.Revoke(ctx, tok.RefreshToken); err != nil {
		return err
	}
	c.saveMu.Lock() // no pending save may write the revoked token back
	defer c.saveMu.Unlock()
	c.cur.Store(nil)
	c.unsaved.Store(nil)
	return c.store.Delete(ctx, c.key)
}

// StaticToken is a token source with a fixed access token, for tests and
// for programs that get tokens elsewhere. Invalidate does nothing.
type StaticToken string

// AccessToken returns the token.
func (s StaticToken) AccessToken(context.Context) (string, error) {
	if s == "" {
		return "", errors.New("auth: empty static token")
	}
	return string(s), nil
}

// Invalidate does nothing: a static token cannot be refreshed.
func (StaticToken) Invalidate(string) {}
