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
// refreshing an access token in the background.
const DefaultRefreshWindow = 5 * time.Minute

// Cache serves the access token of one user to a client, refreshing it
// ahead of expiry. It is modelled on aws-sdk-go-v2's credentials cache:
//
//   - the fast path reads an atomic pointer: no lock, no store read;
//   - within the refresh window the current token is still served while one
//     background refresh runs;
//   - an expired or invalidated token makes callers wait for one refresh,
//     however many ask (singleflight), each honouring its own context;
//   - with a store that implements persistence.Locker, processes sharing
//     the store refresh once: the lock is held around the refresh and the
//     store is re-read first, in case another process already refreshed.
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

// WithRefreshWindow sets how long before expiry a refresh starts. Each
// token's refresh time is jittered by up to a fifth of the window, so that
// processes sharing a token do not all refresh at the same instant.
func WithRefreshWindow(d time.Duration) CacheOption { return func(c *Cache) { c.window = d } }

// WithLogger sets the logger; refreshes are logged at debug level with the
// key and expiry, never a token.
func WithLogger(l *slog.Logger) CacheOption { return func(c *Cache) { c.log = l } }

// WithOnRefresh registers a function called with a copy of every newly
// refreshed or exchanged token, after it has been stored.
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
func (c *Cache) Authorize(ctx context.Context, grantToken string) error {
	if strings.TrimSpace(grantToken) == "" {
		return errors.New("auth: Authorize needs a grant token (Zoho API console, Self Client, Generate Code)")
	}
	if stored, err := c.store.Get(ctx, c.key); err == nil && stored.GrantToken == grantToken && stored.RefreshToken != "" {
		c.set(stored)
		return nil
	} else if err != nil && !errors.Is(err, persistence.ErrNotFound) {
		return fmt.Errorf("auth: reading token store: %w", err)
	}
	tok, err := c.cfg.Exchange(ctx, grantToken)
	if err != nil {
		return err
	}
	return c.save(ctx, tok)
}

// Store saves tok (for example from the web flow's Exchange) as the
// cache's token.
func (c *Cache) Store(ctx context.Context, tok *persistence.Token) error {
	return c.save(ctx, tok.Clone())
}

func (c *Cache) save(ctx context.Context, tok *persistence.Token) error {
	tok.UserName, tok.ClientID = c.key.UserName, c.key.ClientID
	if err := c.store.Save(ctx, tok); err != nil {
		return fmt.Errorf("auth: saving token for %s: %w", c.key, err)
	}
	c.set(tok)
	c.log.Debug("auth: token stored", "key", c.key.String(), "expiry", tok.Expiry)
	if c.notify != nil {
		c.notify(tok.Clone())
	}
	return nil
}

func (c *Cache) set(tok *persistence.Token) {
	refreshAt := tok.Expiry.Add(-c.window)
	if c.window > 0 {
		refreshAt = refreshAt.Add(-time.Duration(rand.Int64N(int64(c.window)/5 + 1)))
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
	if !cur.invalidated && cur.tok.Valid(now, 0) {
		if !cur.tok.Expiry.IsZero() && now.After(cur.refreshAt) && c.refresh.CompareAndSwap(false, true) {
			go func() { // refresh ahead while the current token is still served
				defer c.refresh.Store(false)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := c.refreshShared(ctx); err != nil {
					c.log.Warn("auth: background refresh failed", "key", c.key.String(), "error", err)
				}
			}()
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
	if locker, ok := c.store.(persistence.Locker); ok {
		unlock, err := locker.Lock(ctx, c.key)
		if err != nil {
			return nil, fmt.Errorf("auth: locking token store for refresh: %w", err)
		}
		defer unlock()
		if stored, err := c.store.Get(ctx, c.key); err == nil && stored.AccessToken != old.tok.AccessToken && stored.Valid(c.now(), c.window) {
			c.log.Debug("auth: using token refreshed by another process", "key", c.key.String(), "expiry", stored.Expiry)
			c.set(stored)
			return stored, nil
		}
	}
	tok, err := c.cfg.Refresh(ctx, old.tok)
	if err != nil {
		c.log.Debug("auth: refresh failed", "key", c.key.String(), "error", err)
		if old.tok.Valid(c.now(), 0) && !old.invalidated {
			// Keep serving the old token: it still works.
			return old.tok, nil
		}
		return nil, fmt.Errorf("auth: refreshing token for %s: %w", c.key, err)
	}
	if err := c.save(ctx, tok); err != nil {
		return nil, err
	}
	c.log.Debug("auth: token refreshed", "key", c.key.String(), "expiry", tok.Expiry)
	return tok, nil
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
	c.cur.Store(nil)
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
