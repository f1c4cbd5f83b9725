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
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/settings"
)

// liveFlags say how to reach a live org (or a running zhemu).
type liveFlags struct {
	enabled                    bool
	apiDomain, accountsURL, dc string
	clientID, clientSecret     string
	user, tokenStore           string
	accessToken, apiVersion    string
}

func (l *liveFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.enabled, "live", false, "read metadata from a live org or a running zhemu instead of -metadata")
	fs.StringVar(&l.apiDomain, "api-domain", "", "CRM API base `URL` (default: from -dc, else the stored token's api_domain)")
	fs.StringVar(&l.accountsURL, "accounts-url", "", "accounts server `URL` used to refresh the access token (default: from -dc or -api-domain)")
	fs.StringVar(&l.dc, "dc", "", "data centre: us, eu, in, cn, au, jp, ca or sa (sets -api-domain and -accounts-url)")
	fs.StringVar(&l.clientID, "client-id", "", "OAuth client `id`; with -user, the token store key")
	fs.StringVar(&l.clientSecret, "client-secret", "", "OAuth client `secret` (default: $ZOHO_CLIENT_SECRET, else the stored one)")
	fs.StringVar(&l.user, "user", "", "user `name` the token is stored under (default empty)")
	fs.StringVar(&l.tokenStore, "token-store", "", "token store: `file:PATH` or mysql:DSN")
	fs.StringVar(&l.accessToken, "access-token", "", "use this access `token` as is, no store (default: $ZOHO_ACCESS_TOKEN); for zhemu and tests")
	fs.StringVar(&l.apiVersion, "api-version", zohohub.DefaultAPIVersion, "Zoho CRM API `version`")
}

// fetch downloads the org's metadata through a zohohub client: the token
// comes from -access-token, or from the token store through an auth.Cache
// that refreshes it (and saves it back) when it expires or Zoho rejects it.
func (l *liveFlags) fetch(ctx context.Context, modules []string, progress func(string)) (schema.Snapshot, error) {
	if l.accessToken == "" {
		l.accessToken = os.Getenv("ZOHO_ACCESS_TOKEN")
	}
	if l.clientSecret == "" {
		l.clientSecret = os.Getenv("ZOHO_CLIENT_SECRET")
	}
	if l.dc != "" {
		env, err := auth.Lookup(auth.DataCenter(strings.ToLower(l.dc)), auth.Production)
		if err != nil {
			return nil, err
		}
		l.apiDomain = cmp.Or(l.apiDomain, env.APIDomain)
		l.accountsURL = cmp.Or(l.accountsURL, env.AccountsURL)
	}
	hc := &http.Client{Timeout: 2 * time.Minute}
	var tokens zohohub.TokenSource
	switch {
	case l.accessToken != "":
		tokens = auth.StaticToken(l.accessToken)
	case l.tokenStore != "":
		store, closeStore, err := openStore(ctx, l.tokenStore)
		if err != nil {
			return nil, err
		}
		defer closeStore()
		cache, err := l.tokenCache(ctx, store, hc)
		if err != nil {
			return nil, err
		}
		tokens = cache
	default:
		return nil, errors.New("-live needs -access-token or -token-store")
	}
	if l.apiDomain == "" {
		return nil, errors.New("-live needs -api-domain or -dc")
	}
	env, err := auth.Custom(l.apiDomain, cmp.Or(l.accountsURL, l.apiDomain), "")
	if err != nil {
		return nil, err
	}
	client, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(tokens),
		zohohub.WithHTTPClient(hc), zohohub.WithAPIVersion(l.apiVersion))
	if err != nil {
		return nil, err
	}
	return settings.Snapshot(ctx, client, settings.OnlyModules(modules...), settings.WithProgress(progress))
}

// tokenCache returns the cache of the stored token of -user and
// -client-id. The API domain defaults to the one the token was issued for,
// and the accounts server to that domain's data centre; an API domain of
// no data centre (zhemu) is its own accounts server.
func (l *liveFlags) tokenCache(ctx context.Context, store persistence.Store, hc *http.Client) (*auth.Cache, error) {
	key := persistence.Key{UserName: l.user, ClientID: l.clientID}
	tok, err := store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("no token for %s in %s (run zhgen auth first): %w", key, l.tokenStore, err)
	}
	l.apiDomain = cmp.Or(l.apiDomain, tok.APIDomain)
	if l.accountsURL == "" && l.apiDomain != "" {
		if env, err := auth.FromAPIDomain(l.apiDomain); err == nil {
			l.accountsURL = env.AccountsURL
		} else {
			l.accountsURL = l.apiDomain
		}
	}
	cfg := auth.Config{ClientID: cmp.Or(l.clientID, tok.ClientID), ClientSecret: cmp.Or(l.clientSecret, tok.ClientSecret),
		Environment: auth.Environment{AccountsURL: strings.TrimRight(l.accountsURL, "/")}, HTTPClient: hc}
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
