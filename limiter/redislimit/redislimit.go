// Package redislimit is a zohohub.Limiter over Redis: a semaphore shared
// by every process of an organisation, so that together they keep within
// Zoho's per-org concurrency limit, and a shared cool-down, so that a 429
// seen by one process makes all of them wait.
//
// The slots are leases in a sorted set scored by their expiry in Redis's
// own clock (TIME, so process clocks may differ): a process that dies
// holding a slot loses it when the lease expires, while a live holder
// extends its lease until it releases it. Taking and giving back a slot
// are single Lua scripts, atomic on the Redis server.
//
//	lim, err := redislimit.New(rdb, "zohohub:org:123", 10)
//	client, err := zohohub.New(zohohub.WithLimiter(lim), …)
package redislimit

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter is a semaphore of limit slots in Redis under a key prefix. It is
// safe for concurrent use and implements zohohub.Limiter.
type Limiter struct {
	rdb      redis.Scripter
	leases   string // sorted set: lease id → expiry (ms, Redis clock)
	cooldown string // string: end of the cool-down (ms, Redis clock)
	limit    int
	leaseTTL time.Duration
	coolDown time.Duration
	poll     time.Duration
	log      *slog.Logger
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithLeaseTTL sets how long a slot outlives a process that died holding
// it (default 30 s). A live holder renews its lease every third of it.
func WithLeaseTTL(d time.Duration) Option { return func(l *Limiter) { l.leaseTTL = d } }

// WithCoolDown sets how long every process waits after one of them is
// answered 429 TOO_MANY_REQUESTS (default 2 s; Zoho sends no Retry-After).
func WithCoolDown(d time.Duration) Option { return func(l *Limiter) { l.coolDown = d } }

// WithPoll sets the longest wait between two attempts to take a slot when
// all are held (default 25 ms, jittered).
func WithPoll(d time.Duration) Option { return func(l *Limiter) { l.poll = d } }

// WithLogger sets where failures to renew or release a lease are logged
// (they are not fatal: the lease expires). Default: discarded.
func WithLogger(log *slog.Logger) Option { return func(l *Limiter) { l.log = log } }

// New returns a limiter of limit slots kept in rdb under prefix. Every
// process sharing an organisation's budget must use the same prefix and
// limit (Zoho's concurrency limit for the edition: 5 Free … 25 Ultimate).
func New(rdb redis.Scripter, prefix string, limit int, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: nil Redis client")
	}
	if prefix == "" {
		return nil, errors.New("redislimit: empty key prefix")
	}
	if limit < 1 {
		return nil, fmt.Errorf("redislimit: limit %d, want at least 1", limit)
	}
	l := &Limiter{rdb: rdb, leases: prefix + ":leases", cooldown: prefix + ":cooldown", limit: limit,
		leaseTTL: 30 * time.Second, coolDown: 2 * time.Second, poll: 25 * time.Millisecond,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(l)
	}
	if l.leaseTTL < 10*time.Millisecond || l.coolDown < 0 || l.poll <= 0 {
		return nil, errors.New("redislimit: lease TTL under 10ms, negative cool-down or non-positive poll")
	}
	return l, nil
}

// acquireScript drops expired leases, then, outside a cool-down and below
// the limit, adds the lease. It returns 0 when the slot is taken, or the
// milliseconds worth waiting before trying again.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, ttl, poll = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4])
local cd = tonumber(redis.call('GET', KEYS[2]) or '0')
if cd > now then return cd - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ttl * 2)
  return 0
end
return poll
`)

// renewScript extends a lease still held; it returns 0 if it was lost.
var renewScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local n = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + ttl, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return n
`)

// releaseScript removes the lease and, after a 429, pushes the shared
// cool-down to now + ARGV[2] ms unless it already ends later.
var releaseScript = redis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
local cool = tonumber(ARGV[2])
if cool > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local cd = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + cool > cd then redis.call('SET', KEYS[2], now + cool, 'PX', cool) end
end
return 0
`)

// Acquire waits for a slot, or until ctx is done. The release it returns
// gives the slot back; a status of 429 starts the shared cool-down.
func (l *Limiter) Acquire(ctx context.Context) (release func(status int), err error) {
	id := newLeaseID()
	keys := []string{l.leases, l.cooldown}
	for {
		wait, err := acquireScript.Run(ctx, l.rdb, keys, l.limit, l.leaseTTL.Milliseconds(), id, l.poll.Milliseconds()).Int64()
		if err != nil {
			return nil, fmt.Errorf("redislimit: taking a slot: %w", err)
		}
		if wait == 0 {
			return l.hold(ctx, id), nil
		}
		d := time.Duration(wait) * time.Millisecond
		if d > l.poll { // a cool-down: wake near its end, not all at once
			d += time.Duration(rand.Int64N(int64(l.poll)))
		} else {
			d = l.poll/2 + time.Duration(rand.Int64N(int64(l.poll/2)+1))
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// hold renews lease id until the returned release is called.
func (l *Limiter) hold(ctx context.Context, id string) func(status int) {
	bg := context.WithoutCancel(ctx) // the slot must be given back even when ctx ends
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(l.leaseTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				rctx, cancel := context.WithTimeout(bg, l.leaseTTL/3)
				n, err := renewScript.Run(rctx, l.rdb, []string{l.leases}, l.leaseTTL.Milliseconds(), id).Int64()
				cancel()
				if err != nil || n == 0 {
					l.log.Warn("redislimit: renewing a lease failed; the slot may be counted free", "error", err, "lost", n == 0)
				}
			}
		}
	}()
	var once sync.Once
	return func(status int) { once.Do(func() { l.release(bg, id, status, stop, done) }) }
}

// release stops the renewal of lease id and removes it.
func (l *Limiter) release(bg context.Context, id string, status int, stop, done chan struct{}) {
	close(stop)
	<-done
	cool := int64(0)
	if status == http.StatusTooManyRequests {
		cool = max(l.coolDown.Milliseconds(), 1)
	}
	rctx, cancel := context.WithTimeout(bg, 5*time.Second)
	defer cancel()
	if err := releaseScript.Run(rctx, l.rdb, []string{l.leases, l.cooldown}, id, cool).Err(); err != nil {
		l.log.Warn("redislimit: releasing a lease failed; it expires by itself", "error", err)
	}
}

// InFlight returns the number of live leases: the calls in flight across
// every process sharing the prefix.
func (l *Limiter) InFlight(ctx context.Context) (int, error) {
	n, err := inFlightScript.Run(ctx, l.rdb, []string{l.leases}).Int()
	if err != nil {
		return 0, fmt.Errorf("redislimit: counting leases: %w", err)
	}
	return n, nil
}

var inFlightScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`)

func newLeaseID() string {
	var b [16]byte
	crand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
