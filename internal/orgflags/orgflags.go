// Package orgflags holds the command-line flags that zhgen and zhsync share
// to reach an org (or a zhemu): where the token is, which data centre or
// API domain, and the zohohub client built from them.
package orgflags

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

// Flags say how to reach the org and where its token is: the token store
// zhgen auth wrote, or an access token as it is.
type Flags struct {
	APIDomain, AccountsURL, DC string
	ClientID, ClientSecret     string
	User, TokenStore           string
	AccessToken, APIVersion    string
}

// Register adds the flags to fs.
func (o *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&o.TokenStore, "token-store", "", "token store zhgen auth wrote: `file:PATH` or mysql:DSN")
	fs.StringVar(&o.ClientID, "client-id", "", "OAuth client `id`; with -user, the token store key")
	fs.StringVar(&o.ClientSecret, "client-secret", "", "OAuth client `secret` (default: $ZOHO_CLIENT_SECRET, else the stored one)")
	fs.StringVar(&o.User, "user", "", "user `name` the token is stored under (default empty)")
	fs.StringVar(&o.APIDomain, "api-domain", "", "CRM API base `URL`, such as a zhemu's http://127.0.0.1:8080 (default: from -dc, else the stored token's)")
	fs.StringVar(&o.AccountsURL, "accounts-url", "", "accounts server `URL` that refreshes the token (default: from -dc or -api-domain)")
	fs.StringVar(&o.DC, "dc", "", "data centre: us, eu, in, cn, au, jp, ca or sa (sets -api-domain and -accounts-url)")
	fs.StringVar(&o.AccessToken, "access-token", "", "use this access `token` as is, no store (default: $ZOHO_ACCESS_TOKEN); for zhemu and tests")
	fs.StringVar(&o.APIVersion, "api-version", zohohub.DefaultAPIVersion, "Zoho CRM API `version`")
}

// Client returns the zohohub client of the org, sending through hc. The
// token comes from -access-token, or from the token store through an
// auth.Cache that refreshes it (and saves it back) when it expires or Zoho
// rejects it. closeStore releases the store.
func (o *Flags) Client(ctx context.Context, hc *http.Client, opts ...zohohub.Option) (c *zohohub.Client, closeStore func(), err error) {
	o.AccessToken = cmp.Or(o.AccessToken, os.Getenv("ZOHO_ACCESS_TOKEN"))
	o.ClientSecret = cmp.Or(o.ClientSecret, os.Getenv("ZOHO_CLIENT_SECRET"))
	if o.DC != "" {
		env, err := auth.Lookup(auth.DataCenter(strings.ToLower(o.DC)), auth.Production)
		if err != nil {
			return nil, nil, err
		}
		o.APIDomain = cmp.Or(o.APIDomain, env.APIDomain)
		o.AccountsURL = cmp.Or(o.AccountsURL, env.AccountsURL)
	}
	closeStore = func() {}
	var tokens zohohub.TokenSource
	switch {
	case o.AccessToken != "":
		tokens = auth.StaticToken(o.AccessToken)
	case o.TokenStore != "":
		store, closeFn, err := OpenStore(ctx, o.TokenStore)
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
	if o.APIDomain == "" {
		closeStore()
		return nil, nil, errors.New("no API domain: give -api-domain or -dc")
	}
	env, err := auth.Custom(strings.TrimRight(o.APIDomain, "/"), cmp.Or(o.AccountsURL, o.APIDomain), "")
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	opts = append([]zohohub.Option{zohohub.WithEnvironment(env), zohohub.WithTokenSource(tokens),
		zohohub.WithHTTPClient(hc), zohohub.WithAPIVersion(o.APIVersion)}, opts...)
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
func (o *Flags) tokenCache(ctx context.Context, store persistence.Store, hc *http.Client) (*auth.Cache, error) {
	key := persistence.Key{UserName: o.User, ClientID: o.ClientID}
	tok, err := store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("no token for %s in %s (run zhgen auth first): %w", key, o.TokenStore, err)
	}
	o.APIDomain = cmp.Or(o.APIDomain, tok.APIDomain)
	if o.AccountsURL == "" && o.APIDomain != "" {
		if env, err := auth.FromAPIDomain(o.APIDomain); err == nil {
			o.AccountsURL = env.AccountsURL
		} else {
			o.AccountsURL = o.APIDomain
		}
	}
	cfg := auth.Config{ClientID: cmp.Or(o.ClientID, tok.ClientID), ClientSecret: cmp.Or(o.ClientSecret, tok.ClientSecret),
		Environment: auth.Environment{AccountsURL: strings.TrimRight(o.AccountsURL, "/")}, HTTPClient: hc}
	return auth.NewCache(cfg, store, key)
}

// OpenStore opens "file:PATH" or "mysql:DSN" (the default DSN when empty).
func OpenStore(ctx context.Context, spec string) (persistence.Store, func(), error) {
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
