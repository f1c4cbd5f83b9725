package auth

import (
	"context"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// A refresh that starts after a concurrent Revoke cleared the current
// token reports an error instead of dereferencing the missing token.
func TestRefreshAfterRevokeClearedTokenIsAnError(t *testing.T) {
	store := persistence.NewMemory()
	cfg := Config{ClientID: "c", ClientSecret: "s"}
	tok := &persistence.Token{UserName: "u", ClientID: "c", AccessToken: "a", RefreshToken: "r", Expiry: time.Unix(1, 0)}
	if err := store.Save(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	var c *Cache
	calls := 0
	clock := func() time.Time {
		if calls++; calls == 1 {
			c.cur.Store(nil) // Revoke, between reading the expired token and refreshing it
		}
		return time.Unix(100, 0)
	}
	c, err := NewCache(cfg, store, persistence.Key{UserName: "u"}, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AccessToken(context.Background()); err == nil {
		t.Fatal("AccessToken succeeded after the token was revoked")
	}
}
