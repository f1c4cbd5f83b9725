package auth_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// BenchmarkRefreshStorm invalidates the access token, as a 401 does, and
// lets 100 goroutines ask for a token at once, against zohotest's real
// token endpoint. refreshes/op is how many refreshes each storm cost: one.
func BenchmarkRefreshStorm(b *testing.B) {
	ctx := context.Background()
	srv := zohotest.New(b)
	var refreshes atomic.Int64
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	c, err := auth.NewCache(cfg, persistence.NewMemory(), persistence.Key{UserName: "storm"},
		auth.WithOnRefresh(func(*persistence.Token) { refreshes.Add(1) }))
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Authorize(ctx, srv.NewGrantToken()); err != nil {
		b.Fatal(err)
	}
	refreshes.Store(0)
	for b.Loop() {
		old, err := c.AccessToken(ctx)
		if err != nil {
			b.Fatal(err)
		}
		c.Invalidate(old)
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				if tok, err := c.AccessToken(ctx); err != nil || tok == old {
					b.Errorf("token %q, err %v", tok, err)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(refreshes.Load())/float64(b.N), "refreshes/op")
}

// Late callers of a storm, which saw the invalidated token but asked after
// its refresh had finished, get the new token instead of refreshing again:
// every storm costs exactly one refresh.
func TestRefreshStormsCostOneRefreshEach(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	var refreshes atomic.Int64
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	c, err := auth.NewCache(cfg, persistence.NewMemory(), persistence.Key{UserName: "storm"},
		auth.WithOnRefresh(func(*persistence.Token) { refreshes.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Authorize(ctx, srv.NewGrantToken()); err != nil {
		t.Fatal(err)
	}
	refreshes.Store(0)
	const storms = 200
	for range storms {
		old, _ := c.AccessToken(ctx)
		c.Invalidate(old)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if tok, err := c.AccessToken(ctx); err != nil || tok == old {
					t.Errorf("token %q, err %v", tok, err)
				}
			})
		}
		wg.Wait()
	}
	if n := refreshes.Load(); n != storms {
		t.Fatalf("%d refreshes for %d storms", n, storms)
	}
}
