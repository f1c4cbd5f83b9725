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
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zohohub/zohohub/limiter/internal/lease"
)

// Limiter is a semaphore of limit slots in Redis under a key prefix. It is
// safe for concurrent use and implements zohohub.Limiter.
type Limiter struct {
	sem      *lease.Semaphore
	rdb      redis.Scripter
	leases   string // sorted set: lease id → expiry (ms, Redis clock)
	cooldown string // string: end of the cool-down (ms, Redis clock)
	limit    int
}

// Option configures a Limiter.
type Option func(*lease.Settings)

// WithLeaseTTL sets how long a slot outlives a process that died holding
// it (default 30 s). A live holder renews its lease every third of it.
func WithLeaseTTL(d time.Duration) Option { return func(s *lease.Settings) { s.TTL = d } }

// WithCoolDown sets how long every process waits after one of them is
// answered 429 TOO_MANY_REQUESTS (default 2 s; Zoho sends no Retry-After).
func WithCoolDown(d time.Duration) Option { return func(s *lease.Settings) { s.CoolDown = d } }

// WithPoll sets the longest wait between two attempts to take a slot when
// all are held (default 25 ms, jittered).
func WithPoll(d time.Duration) Option { return func(s *lease.Settings) { s.Poll = d } }

// WithLogger sets where failures to renew or release a lease are logged
// (they are not fatal: the lease expires). Default: discarded.
func WithLogger(log *slog.Logger) Option { return func(s *lease.Settings) { s.Log = log } }

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
	set := lease.Settings{TTL: lease.DefaultTTL, CoolDown: lease.DefaultCoolDown, Poll: lease.DefaultPoll}
	for _, o := range opts {
		o(&set)
	}
	if err := set.Check(); err != nil {
		return nil, fmt.Errorf("redislimit: %w", err)
	}
	set.Log = set.Log.With("limiter", "redislimit")
	l := &Limiter{rdb: rdb, leases: prefix + ":leases", cooldown: prefix + ":cooldown", limit: limit}
	l.sem = lease.New(store{l}, set)
	return l, nil
}

// Acquire waits for a slot, or until ctx is done. The release it returns
// gives the slot back; a status of 429 starts the shared cool-down.
func (l *Limiter) Acquire(ctx context.Context) (release func(status int), err error) {
	return l.sem.Acquire(ctx)
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

// store is the limiter's leases, in Redis.
type store struct{ l *Limiter }

func (s store) Take(ctx context.Context, id string, ttl, poll time.Duration) (time.Duration, error) {
	l := s.l
	wait, err := acquireScript.Run(ctx, l.rdb, []string{l.leases, l.cooldown}, l.limit, ttl.Milliseconds(), id, poll.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redislimit: taking a slot: %w", err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

func (s store) Renew(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	n, err := renewScript.Run(ctx, s.l.rdb, []string{s.l.leases}, ttl.Milliseconds(), id).Int64()
	return n == 1, err
}

func (s store) Release(ctx context.Context, id string, coolDown time.Duration) error {
	return releaseScript.Run(ctx, s.l.rdb, []string{s.l.leases, s.l.cooldown}, id, coolDown.Milliseconds()).Err()
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
