package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// readOnlyStore reads tokens but cannot save them, like a database user
// with SELECT only.
type readOnlyStore struct{ persistence.Store }

func (readOnlyStore) Save(context.Context, *persistence.Token) error {
	return errors.New("UPDATE command denied")
}

// A refreshed token that the store cannot save is not thrown away: the
// cache serves it, and SaveErr tells a health check why the store lags.
func ExampleCache_SaveErr() {
	ctx := context.Background()
	crm, err := zohotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer crm.Close()
	access, refresh := crm.IssueToken()
	memory := persistence.NewMemory()
	memory.Save(ctx, &persistence.Token{UserName: "me@example.com", ClientID: crm.ClientID(),
		AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)}) // expired: the cache refreshes

	cfg := auth.Config{ClientID: crm.ClientID(), ClientSecret: crm.ClientSecret(), Environment: crm.Environment()}
	tokens, err := auth.NewCache(cfg, readOnlyStore{memory}, persistence.Key{UserName: "me@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fresh, err := tokens.AccessToken(ctx)
	fmt.Println(fresh != access, err)
	fmt.Println(tokens.SaveErr())
	// Output:
	// true <nil>
	// auth: token for me@example.com@1000.ZOHOTESTCLIENT is not in the store (failed saves: 1): UPDATE command denied
}
