package notifications

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Keeper keeps one channel subscribed for as long as its Run runs:
// enables it, renews it (PUT with a later expiry) before it expires,
// enables it again when Zoho no longer holds it, and disables it when
// Run's context ends.
type Keeper struct {
	client      *Client
	ch          Channel
	lifetime    time.Duration
	renewBefore time.Duration
	retry       time.Duration
	onError     func(error)
	onEnable    func()
	now         func() time.Time
}

// KeeperOption configures a Keeper.
type KeeperOption func(*Keeper)

// WithLifetime sets how far ahead each renewal moves the expiry (default
// and maximum MaxExpiry, a week).
func WithLifetime(d time.Duration) KeeperOption { return func(k *Keeper) { k.lifetime = d } }

// WithRenewBefore sets how long before the expiry the Keeper renews
// (default a quarter of the lifetime).
func WithRenewBefore(d time.Duration) KeeperOption { return func(k *Keeper) { k.renewBefore = d } }

// WithRetryEvery sets the wait after a failed enable or renewal (default
// 10 s, or less when the expiry is nearer).
func WithRetryEvery(d time.Duration) KeeperOption { return func(k *Keeper) { k.retry = d } }

// WithErrorHandler is called with every failure to enable, renew or
// disable; the Keeper carries on. Default: none.
func WithErrorHandler(f func(error)) KeeperOption { return func(k *Keeper) { k.onError = f } }

// WithEnableHandler is called each time the Keeper enables the channel
// (POST): the first time, and again whenever Zoho had dropped it. Zoho
// sent no notification while the channel was gone, so a program that must
// not miss a change looks again (polls) when it is called after the first
// time. Renewals (PUT) do not call it.
func WithEnableHandler(f func()) KeeperOption { return func(k *Keeper) { k.onEnable = f } }

// WithKeeperClock sets the clock expiries are computed from (default
// time.Now), for tests that move time.
func WithKeeperClock(now func() time.Time) KeeperOption { return func(k *Keeper) { k.now = now } }

// NewKeeper returns a Keeper of ch; ch.Expiry is ignored (the Keeper sets
// it).
func NewKeeper(c *Client, ch Channel, opts ...KeeperOption) (*Keeper, error) {
	k := &Keeper{client: c, ch: ch, lifetime: MaxExpiry, retry: 10 * time.Second, now: time.Now}
	for _, o := range opts {
		o(k)
	}
	if k.renewBefore == 0 {
		k.renewBefore = k.lifetime / 4
	}
	switch {
	case c == nil:
		return nil, errors.New("notifications: NewKeeper: nil Client")
	case k.lifetime <= 0 || k.lifetime > MaxExpiry:
		return nil, fmt.Errorf("notifications: lifetime %v, want up to %v", k.lifetime, MaxExpiry)
	case k.renewBefore <= 0 || k.renewBefore >= k.lifetime || k.retry <= 0:
		return nil, errors.New("notifications: renew-before must be positive and under the lifetime, retry positive")
	}
	ch.Expiry = k.now().Add(k.lifetime)
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	return k, nil
}

// Run keeps the channel until ctx ends, then disables it (with a fresh
// ten-second deadline) and returns the error of that, if any. Failures on
// the way go to the error handler and are retried.
func (k *Keeper) Run(ctx context.Context) error {
	var expiry time.Time // zero until enabled
	for {
		var wait time.Duration
		switch {
		case expiry.IsZero():
			exp, err := k.subscribe(ctx, false)
			if err != nil {
				k.report(ctx, fmt.Errorf("notifications: enabling channel %s: %w", k.ch.ID, err))
				wait = k.retry
				break
			}
			expiry = exp
		case !k.now().Before(expiry.Add(-k.renewBefore)):
			exp, err := k.subscribe(ctx, true)
			if IsNotSubscribed(err) { // Zoho dropped it (expired, disabled elsewhere): enable it again
				exp, err = k.subscribe(ctx, false)
			}
			if err != nil {
				k.report(ctx, fmt.Errorf("notifications: renewing channel %s: %w", k.ch.ID, err))
				wait = min(k.retry, max(expiry.Sub(k.now())/2, 10*time.Millisecond))
				break
			}
			expiry = exp
		}
		if wait == 0 {
			wait = expiry.Add(-k.renewBefore).Sub(k.now())
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := k.client.Disable(dctx, k.ch.ID); err != nil && !IsNotSubscribed(err) {
				k.report(dctx, fmt.Errorf("notifications: disabling channel %s: %w", k.ch.ID, err))
				return err
			}
			return nil
		case <-t.C:
		}
	}
}

// subscribe enables (or, if renew, updates) the channel with a fresh
// expiry and returns the earliest expiry Zoho confirmed.
func (k *Keeper) subscribe(ctx context.Context, renew bool) (time.Time, error) {
	ch := k.ch
	ch.Expiry = k.now().Add(k.lifetime)
	op := k.client.Enable
	if renew {
		op = k.client.Update
	}
	subs, err := op(ctx, ch)
	if err != nil {
		return time.Time{}, err
	}
	if !renew && k.onEnable != nil {
		k.onEnable()
	}
	exp := ch.Expiry
	for _, s := range subs {
		if !s.Expiry.IsZero() && s.Expiry.Before(exp) {
			exp = s.Expiry
		}
	}
	return exp, nil
}

func (k *Keeper) report(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return // stopping: a call cut short is no failure
	}
	if k.onError != nil {
		k.onError(err)
	}
}
