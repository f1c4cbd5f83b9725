package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/orgflags"
	"github.com/zohohub/zohohub/persistence"
)

const authUsage = `zhgen auth exchanges a self-client grant token for tokens and saves them in a token store.

Usage:
  zhgen auth -grant-token CODE -client-id ID -client-secret SECRET (-dc DC | -accounts-url URL) -store file:PATH|mysql:DSN [-user NAME]

Create the grant token in Zoho's API console (Self Client, Generate Code) with the
scopes you need, e.g. ZohoCRM.modules.ALL,ZohoCRM.settings.ALL. It is valid for
a few minutes and once. Then generate models with the stored token:

  zhgen -live -token-store file:PATH -client-id ID -out ./crm -pkg crm

The grant token and client secret may be given as $ZOHO_GRANT_TOKEN and
$ZOHO_CLIENT_SECRET instead, to keep them out of the process list.

Flags:
`

func runAuth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(programName+" auth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), authUsage)
		fs.PrintDefaults()
	}
	grant := fs.String("grant-token", "", "the self client's one-time grant `code` (default: $ZOHO_GRANT_TOKEN)")
	clientID := fs.String("client-id", "", "OAuth client `id`")
	secret := fs.String("client-secret", "", "OAuth client `secret` (default: $ZOHO_CLIENT_SECRET)")
	accounts := fs.String("accounts-url", "", "accounts server `URL`, such as https://accounts.zoho.eu")
	dc := fs.String("dc", "", "data centre: us, eu, in, cn, au, jp, ca or sa (sets -accounts-url)")
	store := fs.String("store", "", "where to save the tokens: `file:PATH` or mysql:DSN")
	user := fs.String("user", "", "user `name` to store the token under (default empty)")
	redirect := fs.String("redirect-url", "", "redirect `URL` the code was issued for (not needed for self clients)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if *grant == "" {
		*grant = os.Getenv("ZOHO_GRANT_TOKEN")
	}
	if *secret == "" {
		*secret = os.Getenv("ZOHO_CLIENT_SECRET")
	}
	env := auth.Environment{AccountsURL: strings.TrimRight(*accounts, "/")}
	if *dc != "" && *accounts == "" {
		var err error
		if env, err = auth.Lookup(auth.DataCenter(strings.ToLower(*dc)), auth.Production); err != nil {
			return err
		}
	}
	var missing []string
	for name, v := range map[string]string{"-grant-token": *grant, "-client-id": *clientID, "-client-secret": *secret,
		"-accounts-url or -dc": env.AccountsURL, "-store": *store} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "%s auth: missing %s\n", programName, strings.Join(slices.Sorted(slices.Values(missing)), ", "))
		fs.Usage()
		return errUsage
	}
	st, closeStore, err := orgflags.OpenStore(ctx, *store)
	if err != nil {
		return err
	}
	defer closeStore()
	cfg := auth.Config{ClientID: *clientID, ClientSecret: *secret, RedirectURL: *redirect, Environment: env,
		HTTPClient: &http.Client{Timeout: time.Minute}}
	cache, err := auth.NewCache(cfg, st, persistence.Key{UserName: *user, ClientID: *clientID})
	if err != nil {
		return err
	}
	if err := cache.Authorize(ctx, *grant); err != nil {
		return fmt.Errorf("exchanging the grant token: %w", err)
	}
	tok, err := cache.Token(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: tokens for %s saved in %s (api domain %s)\n", programName, tok.Key(), *store, tok.APIDomain)
	return nil
}
