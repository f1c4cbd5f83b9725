package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

// orgFlags say how to reach the org (or a zhemu) and where its token is:
// the token store zhgen auth wrote, or an access token as it is.
type orgFlags struct {
	apiDomain, accountsURL, dc string
	clientID, clientSecret     string
	user, tokenStore           string
	accessToken, apiVersion    string
}

func (o *orgFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.tokenStore, "token-store", "", "token store zhgen auth wrote: `file:PATH` or mysql:DSN")
	fs.StringVar(&o.clientID, "client-id", "", "OAuth client `id`; with -user, the token store key")
	fs.StringVar(&o.clientSecret, "client-secret", "", "OAuth client `secret` (default: $ZOHO_CLIENT_SECRET, else the stored one)")
	fs.StringVar(&o.user, "user", "", "user `name` the token is stored under (default empty)")
	fs.StringVar(&o.apiDomain, "api-domain", "", "CRM API base `URL`, such as a zhemu's http://127.0.0.1:8080 (default: from -dc, else the stored token's)")
	fs.StringVar(&o.accountsURL, "accounts-url", "", "accounts server `URL` that refreshes the token (default: from -dc or -api-domain)")
	fs.StringVar(&o.dc, "dc", "", "data centre: us, eu, in, cn, au, jp, ca or sa (sets -api-domain and -accounts-url)")
	fs.StringVar(&o.accessToken, "access-token", "", "use this access `token` as is, no store (default: $ZOHO_ACCESS_TOKEN); for zhemu and tests")
	fs.StringVar(&o.apiVersion, "api-version", zohohub.DefaultAPIVersion, "Zoho CRM API `version`")
}

// client returns the zohohub client of the org, sending through hc. The
// token comes from -access-token, or from the token store through an
// auth.Cache that refreshes it (and saves it back) when it expires or Zoho
// rejects it. closeStore releases the store.
func (o *orgFlags) client(ctx context.Context, hc *http.Client, opts ...zohohub.Option) (c *zohohub.Client, closeStore func(), err error) {
	o.accessToken = cmp.Or(o.accessToken, os.Getenv("ZOHO_ACCESS_TOKEN"))
	o.clientSecret = cmp.Or(o.clientSecret, os.Getenv("ZOHO_CLIENT_SECRET"))
	if o.dc != "" {
		env, err := auth.Lookup(auth.DataCenter(strings.ToLower(o.dc)), auth.Production)
		if err != nil {
			return nil, nil, err
		}
		o.apiDomain = cmp.Or(o.apiDomain, env.APIDomain)
		o.accountsURL = cmp.Or(o.accountsURL, env.AccountsURL)
	}
	closeStore = func() {}
	var tokens zohohub.TokenSource
	switch {
	case o.accessToken != "":
		tokens = auth.StaticToken(o.accessToken)
	case o.tokenStore != "":
		store, closeFn, err := openStore(ctx, o.tokenStore)
		if err != nil {
			return nil, nil, err
		}
		closeStore = closeFn
		cache, err := o.tokenCache(ctx, store, hc)
		if err != nil {
			closeStore()
			return nil, nil, err
		}
		tokens = cache
	default:
		return nil, nil, errors.New("no token: give -token-store (what zhgen auth wrote) or -access-token")
	}
	if o.apiDomain == "" {
		closeStore()
		return nil, nil, errors.New("no API domain: give -api-domain or -dc")
	}
	env, err := auth.Custom(strings.TrimRight(o.apiDomain, "/"), cmp.Or(o.accountsURL, o.apiDomain), "")
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	opts = append([]zohohub.Option{zohohub.WithEnvironment(env), zohohub.WithTokenSource(tokens),
		zohohub.WithHTTPClient(hc), zohohub.WithAPIVersion(o.apiVersion)}, opts...)
	c, err = zohohub.New(opts...)
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	return c, closeStore, nil
}

// tokenCache returns the cache of the stored token of -user and
// -client-id. The API domain defaults to the one the token was issued for,
// and the accounts server to that domain's data centre; an API domain of
// no data centre (zhemu) is its own accounts server.
func (o *orgFlags) tokenCache(ctx context.Context, store persistence.Store, hc *http.Client) (*auth.Cache, error) {
	key := persistence.Key{UserName: o.user, ClientID: o.clientID}
	tok, err := store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("no token for %s in %s (run zhgen auth first): %w", key, o.tokenStore, err)
	}
	o.apiDomain = cmp.Or(o.apiDomain, tok.APIDomain)
	if o.accountsURL == "" && o.apiDomain != "" {
		if env, err := auth.FromAPIDomain(o.apiDomain); err == nil {
			o.accountsURL = env.AccountsURL
		} else {
			o.accountsURL = o.apiDomain
		}
	}
	cfg := auth.Config{ClientID: cmp.Or(o.clientID, tok.ClientID), ClientSecret: cmp.Or(o.clientSecret, tok.ClientSecret),
		Environment: auth.Environment{AccountsURL: strings.TrimRight(o.accountsURL, "/")}, HTTPClient: hc}
	return auth.NewCache(cfg, store, key)
}

// openStore opens "file:PATH" or "mysql:DSN".
func openStore(ctx context.Context, spec string) (persistence.Store, func(), error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "file":
		if arg == "" {
			return nil, nil, errors.New("-token-store file: needs a path")
		}
		s, err := persistence.NewFile(arg)
		if err != nil {
			return nil, nil, err
		}
		return s, func() {}, nil
	case "mysql":
		if arg == "" {
			arg = mysqlstore.DefaultDSN
		}
		s, err := mysqlstore.Open(ctx, arg)
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	}
	return nil, nil, fmt.Errorf("token store %q: want file:PATH or mysql:DSN", spec)
}
