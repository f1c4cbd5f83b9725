// Package lease is the semaphore that the shared limiters (redislimit,
// mysqllimit) build on: a slot is a lease with an expiry kept in a shared
// store, taken by one atomic operation of the store, renewed while the
// call it guards runs, and given back after it. A process that dies
// holding a slot loses it when its lease expires. A 429 given back starts
// a cool-down every process sharing the store waits out.
package lease

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Store keeps the leases of one semaphore. Its operations must be atomic
// in the store (a script, a single statement), and use the store's clock,
// so that processes whose clocks differ agree.
type Store interface {
	// Take adds lease id when a slot is free and no cool-down runs, and
	// returns 0; otherwise it returns how long it is worth waiting before
	// trying again (the rest of a cool-down, or poll).
	Take(ctx context.Context, id string, ttl, poll time.Duration) (wait time.Duration, err error)
	// Renew moves the expiry of lease id to ttl from now; held is false
	// when the lease was lost (expired and taken by another).
	Renew(ctx context.Context, id string, ttl time.Duration) (held bool, err error)
	// Release removes lease id and, when coolDown is positive, makes the
	// cool-down end no earlier than coolDown from now.
	Release(ctx context.Context, id string, coolDown time.Duration) error
}

// Settings are the semaphore's timings.
type Settings struct {
	// TTL is how long a slot outlives a process that died holding it; a
	// live holder renews its lease every third of it.
	TTL time.Duration
	// CoolDown is how long everyone waits after a 429.
	CoolDown time.Duration
	// Poll is the longest wait between two attempts when every slot is
	// held (jittered).
	Poll time.Duration
	// Log receives failures to renew or release, which are not fatal (the
	// lease expires); nil discards them.
	Log *slog.Logger
}

// Defaults of the settings.
const (
	DefaultTTL      = 30 * time.Second
	DefaultCoolDown = 2 * time.Second // Zoho sends no Retry-After
	DefaultPoll     = 25 * time.Millisecond
)

// Check returns an error when the settings cannot work, after filling
// in the log.
func (s *Settings) Check() error {
	if s.Log == nil {
		s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.TTL < 10*time.Millisecond || s.CoolDown < 0 || s.Poll <= 0 {
		return errors.New("lease TTL under 10ms, negative cool-down or non-positive poll")
	}
	return nil
}

// Semaphore hands out the slots of a Store.
type Semaphore struct {
	store Store
	Settings
}

// New returns the semaphore of store; s must have passed Check.
func New(store Store, s Settings) *Semaphore { return &Semaphore{store: store, Settings: s} }

// Acquire waits for a slot, or until ctx is done. The release it returns
// gives the slot back; a status of 429 starts the shared cool-down.
func (s *Semaphore) Acquire(ctx context.Context) (release func(status int), err error) {
	id := newID()
	for {
		wait, err := s.store.Take(ctx, id, s.TTL, s.Poll)
		if err != nil {
			return nil, err
		}
		if wait <= 0 {
			return s.hold(ctx, id), nil
		}
		if wait > s.Poll { // a cool-down: wake near its end, not all at once
			wait += time.Duration(rand.Int64N(int64(s.Poll)))
		} else {
			wait = s.Poll/2 + time.Duration(rand.Int64N(int64(s.Poll/2)+1))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// hold renews lease id until the returned release is called.
func (s *Semaphore) hold(ctx context.Context, id string) func(status int) {
	bg := context.WithoutCancel(ctx) // the slot must be given back even when ctx ends
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(s.TTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				rctx, cancel := context.WithTimeout(bg, s.TTL/3)
				held, err := s.store.Renew(rctx, id, s.TTL)
				cancel()
				if err != nil || !held {
					s.Log.Warn("renewing a lease failed; the slot may be counted free", "error", err, "lost", !held)
				}
			}
		}
	}()
	var once sync.Once
	return func(status int) {
		once.Do(func() {
			close(stop)
			<-done
			var cool time.Duration
			if status == http.StatusTooManyRequests {
				cool = max(s.CoolDown, time.Millisecond)
			}
			rctx, cancel := context.WithTimeout(bg, 5*time.Second)
			defer cancel()
			if err := s.store.Release(rctx, id, cool); err != nil {
				s.Log.Warn("releasing a lease failed; it expires by itself", "error", err)
			}
		})
	}
}

// newID returns a random lease id of 32 hex digits.
func newID() string {
	var b [16]byte
	crand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
