package auth_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// TestShortLivedTokensRefreshRarely serves 100 calls, from 4 goroutines
// over about 2.5 seconds, with access tokens that live 20 or 2 seconds
// (zohotest's token endpoint, which also evicts all but the 15 newest
// access tokens, as Zoho does). The window shrinks to half the lifetime:
// a token is refreshed about once per half life, not on every call, and
// every token served is one Zoho accepts.
func TestShortLivedTokensRefreshRarely(t *testing.T) {
	for _, ttl := range []time.Duration{20 * time.Second, 2 * time.Second} {
		t.Run(ttl.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := zohotest.New(t, zohotest.WithTokenTTL(ttl))
			cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
			c, err := auth.NewCache(cfg, persistence.NewMemory(), persistence.Key{UserName: "short@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Authorize(ctx, srv.NewGrantToken()); err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			start := time.Now()
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 25 {
						tok, err := c.AccessToken(ctx)
						if err != nil {
							t.Error(err)
							return
						}
						if code := orgStatus(t, srv, tok); code != http.StatusOK {
							t.Errorf("Zoho answered %d to a served token", code)
						}
						time.Sleep(100 * time.Millisecond)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			time.Sleep(50 * time.Millisecond) // let a background refresh land
			refreshes := tokenRequests(srv)
			// A refresh starts between 0.4 and 0.5 of a lifetime after the
			// previous one: at most one per 0.4 lifetime, plus one.
			if limit := int(elapsed/(ttl*4/10)) + 1; refreshes > limit {
				t.Fatalf("%d refreshes in %v with %v tokens, want at most %d", refreshes, elapsed.Round(time.Millisecond), ttl, limit)
			}
			t.Logf("%d refreshes in %v with %v tokens", refreshes, elapsed.Round(time.Millisecond), ttl)
		})
	}
}

// TestStoreReReadAcceptsShortLivedToken shares a file store (a
// persistence.Locker) between two caches, as two processes would, with
// 20-second tokens. When the second cache's token is rejected, it finds
// the token the first one refreshed in the store and uses it: the
// re-read judges that token with the window in use (10 s), not the
// configured 5 minutes.
func TestStoreReReadAcceptsShortLivedToken(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t, zohotest.WithTokenTTL(20*time.Second))
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	path := t.TempDir() + "/tokens.csv"
	key := persistence.Key{UserName: "short@example.com"}
	var caches []*auth.Cache
	for range 2 {
		store, err := persistence.NewFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := auth.NewCache(cfg, store, key)
		if err != nil {
			t.Fatal(err)
		}
		caches = append(caches, c)
	}
	if err := caches[0].Authorize(ctx, srv.NewGrantToken()); err != nil {
		t.Fatal(err)
	}
	first, err := caches[1].AccessToken(ctx) // loads the authorized token
	if err != nil {
		t.Fatal(err)
	}
	caches[0].Invalidate(first)
	refreshed, err := caches[0].AccessToken(ctx)
	if err != nil || refreshed == first {
		t.Fatalf("first cache: %q, %v", refreshed, err)
	}
	srv.ResetRequests()
	caches[1].Invalidate(first) // as Zoho's 401 would
	got, err := caches[1].AccessToken(ctx)
	if err != nil || got != refreshed {
		t.Fatalf("second cache served %q (err %v), want the token the first stored", got, err)
	}
	if tokenRequests(srv) != 0 {
		t.Fatal("the second cache refreshed although the store held a fresh token")
	}
}

// orgStatus asks zohotest for the organisation with tok and returns the
// HTTP status: 200 for a token Zoho accepts, 401 otherwise.
func orgStatus(t *testing.T, srv *zohotest.Server, tok string) int {
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/crm/v8/org", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
