package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// A Self Client's grant token is exchanged once; the cache then serves and
// refreshes the access token, and the store keeps it between runs.
func ExampleCache_Authorize() {
	ctx := context.Background()
	crm, err := zohotest.Start() // stands in for accounts.zoho.com and the CRM API
	if err != nil {
		log.Fatal(err)
	}
	defer crm.Close()

	store := persistence.NewMemory() // or persistence.NewFile, mysqlstore.Open
	cfg := auth.Config{ClientID: crm.ClientID(), ClientSecret: crm.ClientSecret(), Environment: crm.Environment()}
	tokens, err := auth.NewCache(cfg, store, persistence.Key{UserName: "me@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	grant := crm.NewGrantToken("ZohoCRM.modules.ALL")
	if err := tokens.Authorize(ctx, grant); err != nil {
		log.Fatal(err)
	}
	access, _ := tokens.AccessToken(ctx) // what every request's Authorization header carries
	stored, _ := store.List(ctx)
	fmt.Println(access != "", len(stored), stored[0].RefreshToken != "")

	// A spent grant token is refused by Zoho; a new cache finds the stored tokens instead.
	_, err = cfg.Exchange(ctx, grant)
	fmt.Println(errors.Is(err, auth.ErrInvalidCode))
	// Output:
	// true 1 true
	// true
}

// The web flow: send the user to AuthCodeURL; Zoho redirects back to the
// handler, which exchanges the code and stores the user's tokens.
func ExampleCallbackHandler() {
	crm, err := zohotest.Start() // its consent page approves at once
	if err != nil {
		log.Fatal(err)
	}
	defer crm.Close()

	mux := http.NewServeMux()
	app := httptest.NewServer(mux)
	defer app.Close()
	store := persistence.NewMemory()
	callback, err := auth.NewCallbackHandler(auth.Config{
		ClientID: crm.ClientID(), ClientSecret: crm.ClientSecret(),
		RedirectURL: app.URL + "/zoho/callback",
		Scopes:      []string{"ZohoCRM.modules.ALL"},
		Environment: crm.Environment(),
	}, store, nil)
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("/zoho/callback", callback)

	consent, _ := callback.AuthCodeURL("jane@example.com") // redirect the user's browser here
	res, err := http.Get(consent)                          // the browser: consent, then back to the callback
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	tok, err := store.Get(context.Background(), persistence.Key{UserName: "jane@example.com", ClientID: crm.ClientID()})
	fmt.Println(res.StatusCode, err, tok.RefreshToken != "")
	// Output:
	// 200 <nil> true
}
