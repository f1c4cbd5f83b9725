package redislimit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/limiter/internal/leasetest"
	"github.com/zohohub/zohohub/limiter/redislimit"
	"github.com/zohohub/zohohub/zohotest"
)

// redisAddr is the local Redis every test uses; scripts/ensure-redis.sh
// starts it. A test fails, never skips, when it is missing.
const redisAddr = "127.0.0.1:6379"

// newRedis connects to the local Redis and returns a key prefix no other
// test uses, removed at the end.
func newRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at %s: %v (run scripts/ensure-redis.sh)", redisAddr, err)
	}
	var b [8]byte
	rand.Read(b[:])
	prefix := "zohohub-test:" + t.Name() + ":" + hex.EncodeToString(b[:])
	t.Cleanup(func() { rdb.Del(context.Background(), prefix+":leases", prefix+":cooldown") })
	return rdb, prefix
}

// Four clients, each with its own Redis connection, limiter and a local
// bound of 5, share an org limit of 5: the emulator, which answers 429
// beyond 5 calls in flight, never has to.
func TestFourClientsShareOrgLimit(t *testing.T) {
	srv := zohotest.New(t, zohotest.WithConcurrencyLimit(5), zohotest.WithLatency(10*time.Millisecond))
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Roe", "Company": "Acme"}); err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	_, prefix := newRedis(t)
	const clients, callsEach = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, clients*callsEach)
	for range clients {
		rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
		t.Cleanup(func() { rdb.Close() })
		lim, err := redislimit.New(rdb, prefix, 5, redislimit.WithPoll(5*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
			zohohub.WithConcurrency(5), zohohub.WithLimiter(lim))
		if err != nil {
			t.Fatal(err)
		}
		for range callsEach {
			wg.Go(func() {
				_, err := c.Do(context.Background(), &zohohub.Request{Path: "Leads", Query: map[string][]string{"fields": {"Last_Name"}}})
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	tooMany := 0
	for _, r := range srv.Requests() {
		if r.Status == 429 {
			tooMany++
		}
	}
	if tooMany != 0 {
		t.Errorf("the emulator answered 429 %d times; want 0 with the shared limit of 5", tooMany)
	}
}

// A process that died holding a slot frees it when its lease expires.
func TestExpiredLeaseIsFreed(t *testing.T) {
	rdb, prefix := newRedis(t)
	// A lease of a crashed process, expired a second ago in Redis's clock.
	now, err := rdb.Time(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	rdb.ZAdd(context.Background(), prefix+":leases", redis.Z{Score: float64(now.Add(-time.Second).UnixMilli()), Member: "dead"})
	lim, err := redislimit.New(rdb, prefix, 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	release, err := lim.Acquire(ctx)
	if err != nil {
		t.Fatalf("the expired lease still holds the only slot: %v", err)
	}
	release(200)
}

// A live lease is held, even beyond its TTL (it is renewed), until it is
// released.
func TestLeaseHeldUntilReleased(t *testing.T) {
	rdb, prefix := newRedis(t)
	lim, err := redislimit.New(rdb, prefix, 1, redislimit.WithLeaseTTL(150*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	leasetest.HeldUntilReleased(t, lim)
}

// A 429 seen by one process makes the others wait for the cool-down.
func TestTooManyRequestsCoolsDownEveryone(t *testing.T) {
	rdb, prefix := newRedis(t)
	a, _ := redislimit.New(rdb, prefix, 5, redislimit.WithCoolDown(300*time.Millisecond))
	b, _ := redislimit.New(rdb, prefix, 5, redislimit.WithCoolDown(300*time.Millisecond))
	leasetest.CoolDown(t, a, b)
}

func TestNewRejectsBadArguments(t *testing.T) {
	rdb, _ := newRedis(t)
	if _, err := redislimit.New(rdb, "p", 0); err == nil {
		t.Error("limit 0 accepted")
	}
	if _, err := redislimit.New(rdb, "", 5); err == nil {
		t.Error("empty prefix accepted")
	}
	if _, err := redislimit.New(nil, "p", 5); err == nil {
		t.Error("nil client accepted")
	}
}
