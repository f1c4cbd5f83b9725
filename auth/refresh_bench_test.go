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
	c, refreshes := stormCache(b)
	for b.Loop() {
		storm(b, c, 100)
	}
	b.ReportMetric(float64(refreshes.Load())/float64(b.N), "refreshes/op")
}

// Late callers of a storm, which saw the invalidated token but asked after
// its refresh had finished, get the new token instead of refreshing again:
// every storm costs exactly one refresh.
func TestRefreshStormsCostOneRefreshEach(t *testing.T) {
	c, refreshes := stormCache(t)
	const storms = 200
	for range storms {
		storm(t, c, 50)
	}
	if n := refreshes.Load(); n != storms {
		t.Fatalf("%d refreshes for %d storms", n, storms)
	}
}

// stormCache returns a cache authorized at zohotest's token endpoint, and
// the count of its refreshes from then on.
func stormCache(tb testing.TB) (*auth.Cache, *atomic.Int64) {
	tb.Helper()
	srv := zohotest.New(tb)
	refreshes := new(atomic.Int64)
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	c, err := auth.NewCache(cfg, persistence.NewMemory(), persistence.Key{UserName: "storm"},
		auth.WithOnRefresh(func(*persistence.Token) { refreshes.Add(1) }))
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Authorize(context.Background(), srv.NewGrantToken()); err != nil {
		tb.Fatal(err)
	}
	refreshes.Store(0)
	return c, refreshes
}

// storm invalidates c's access token and lets callers goroutines ask for a
// token at once; each must get a new one.
func storm(tb testing.TB, c *auth.Cache, callers int) {
	tb.Helper()
	ctx := context.Background()
	old, err := c.AccessToken(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	c.Invalidate(old)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if tok, err := c.AccessToken(ctx); err != nil || tok == old {
				tb.Errorf("token %q, err %v", tok, err)
			}
		})
	}
	wg.Wait()
}
