package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// A token the store failed to save is saved again on a later call, no
// sooner than saveRetryMin after the failure, doubling up to saveRetryMax.
const (
	saveRetryMin = time.Second
	saveRetryMax = time.Minute
)

// unsavedToken is a served token the store has not saved yet.
type unsavedToken struct {
	tok   *persistence.Token
	err   error     // the store's last error
	tries int       // failed saves so far
	next  time.Time // no save attempt before this
}

// SaveErr reports why the token the cache serves is not in its store: the
// store's last error, or nil when the store holds it. A refresh (or an
// Authorize, or a Store) whose save fails does not fail AccessToken: the
// cache serves the new token from memory, logs one warning, and saves it
// again on later calls (after 1 s, then backing off to once a minute)
// until the store takes it. Until then, another process sharing the store
// cannot see the token, and a restart loses it (the refresh token, which
// was stored before, still works).
func (c *Cache) SaveErr() error {
	if p := c.unsaved.Load(); p != nil {
		return fmt.Errorf("auth: token for %s is not in the store (failed saves: %d): %w", c.key, p.tries, p.err)
	}
	return nil
}

// keep serves tok, a newly minted or given token, and saves it. A failed
// save does not lose the token: it stays served, and is saved again later.
func (c *Cache) keep(ctx context.Context, tok *persistence.Token) error {
	tok.UserName, tok.ClientID = c.key.UserName, c.key.ClientID
	c.saveMu.Lock()
	err := c.store.Save(ctx, tok)
	c.set(tok)
	if err == nil {
		c.unsaved.Store(nil)
	} else {
		prev := c.unsaved.Swap(&unsavedToken{tok: tok, err: err, tries: 1, next: c.now().Add(saveRetryMin)})
		if prev == nil { // once per failing episode, not per attempt
			c.log.Warn("auth: token store failed to save a new token; serving it from memory and saving it again later",
				"key", c.key.String(), "error", err)
		}
	}
	c.saveMu.Unlock()
	c.log.Debug("auth: token stored", "key", c.key.String(), "expiry", tok.Expiry, "saved", err == nil)
	if c.notify != nil {
		c.notify(tok.Clone())
	}
	if err != nil {
		return fmt.Errorf("auth: saving token for %s: %w", c.key, err)
	}
	return nil
}

// adopt serves tok, read from the store: nothing is left to save.
func (c *Cache) adopt(tok *persistence.Token) {
	c.saveMu.Lock()
	defer c.saveMu.Unlock()
	c.set(tok)
	c.unsaved.Store(nil)
}

// retrySaveIfDue starts one background save of the unsaved token once its
// wait is over.
func (c *Cache) retrySaveIfDue(now time.Time) {
	p := c.unsaved.Load()
	if p == nil || now.Before(p.next) || !c.saving.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.saving.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c.retrySave(ctx, p)
	}()
}

// retrySave saves p's token again, unless a newer token replaced it (in
// the cache, or in the store by another process).
func (c *Cache) retrySave(ctx context.Context, p *unsavedToken) {
	if locker, ok := c.store.(persistence.Locker); ok {
		unlock, err := locker.Lock(ctx, c.key)
		if err != nil {
			c.saveFailed(p, err)
			return
		}
		defer unlock()
	}
	c.saveMu.Lock()
	defer c.saveMu.Unlock()
	if c.unsaved.Load() != p {
		return // saved, replaced or revoked meanwhile
	}
	if stored, err := c.store.Get(ctx, c.key); err == nil && stored.Expiry.After(p.tok.Expiry) {
		c.unsaved.Store(nil) // another process stored a newer token: keep it
		return
	}
	if err := c.store.Save(ctx, p.tok.Clone()); err != nil { // a clone: readers share p.tok
		c.saveFailed(p, err)
		return
	}
	c.unsaved.Store(nil)
	c.log.Info("auth: token saved after the store recovered", "key", c.key.String(), "failed_attempts", p.tries)
}

// saveFailed schedules the next attempt to save p's token.
func (c *Cache) saveFailed(p *unsavedToken, err error) {
	wait := min(saveRetryMin<<min(p.tries, 10), saveRetryMax)
	c.unsaved.CompareAndSwap(p, &unsavedToken{tok: p.tok, err: err, tries: p.tries + 1, next: c.now().Add(wait)})
	c.log.Debug("auth: saving token failed again", "key", c.key.String(), "attempts", p.tries+1, "error", err)
}
