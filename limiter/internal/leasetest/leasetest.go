// Package leasetest holds the checks every shared limiter (redislimit,
// mysqllimit) must pass, run by each package's tests against its real
// store.
package leasetest

import (
	"context"
	"testing"
	"time"
)

// Limiter is what the checks need of a limiter.
type Limiter interface {
	Acquire(ctx context.Context) (release func(status int), err error)
	InFlight(ctx context.Context) (int, error)
}

// HeldUntilReleased checks that lim, of one slot and a lease TTL well
// under 400 ms, holds a taken slot beyond its TTL (the lease is renewed)
// until it is released, once.
func HeldUntilReleased(t *testing.T, lim Limiter) {
	t.Helper()
	release, err := lim.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if _, err := lim.Acquire(ctx); err == nil {
		t.Fatal("a second slot was granted at a limit of 1 while the first is held")
	}
	if n, _ := lim.InFlight(context.Background()); n != 1 {
		t.Errorf("InFlight = %d, want 1", n)
	}
	release(200)
	release(200) // a second release is a no-op
	ctx2, cancel2 := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel2()
	r2, err := lim.Acquire(ctx2)
	if err != nil {
		t.Fatalf("slot not free after release: %v", err)
	}
	r2(200)
	if n, _ := lim.InFlight(context.Background()); n != 0 {
		t.Errorf("InFlight = %d after every release, want 0", n)
	}
}

// CoolDown checks that a 429 released through a makes b, sharing its
// store, wait for the cool-down of 300 ms both were given.
func CoolDown(t *testing.T, a, b Limiter) {
	t.Helper()
	release, err := a.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release(429)
	start := time.Now()
	r2, err := b.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r2(200)
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("another limiter waited %v after a 429; want about the 300ms cool-down", waited)
	}
}
