// Command webflow is a small web application that connects its users'
// Zoho CRM accounts with OAuth 2.0's authorization-code ("web") flow and
// then reads their CRM data. It is the program behind
// docs/authentication.md#web-flow.
//
// Routes:
//
//	GET /connect?user=NAME    sends the browser to Zoho's consent page
//	GET /zoho/callback        Zoho's redirect back: the code is exchanged and the tokens stored for NAME
//	GET /accounts?user=NAME   lists the user's first accounts through zohohub
//
// With no flags it starts the embedded Zoho CRM emulator (package zohotest),
// whose consent page approves at once, plays the browser itself (connect,
// consent, callback, list) and exits:
//
//	go run ./examples/webflow
//
// Against a real organisation, register a "Server-based Application" at
// https://api-console.zoho.com with the redirect URL
// http://localhost:8080/zoho/callback, then:
//
//	go run ./examples/webflow -serve -addr localhost:8080 -dc us \
//	    -client-id ID -client-secret SECRET -mysql 'root@tcp(127.0.0.1:3306)/zohooauth'
//
// and open http://localhost:8080/connect?user=you@example.com. Tokens are
// kept in MySQL (-mysql DSN) or in a file (-store FILE); users from every
// data centre can connect: the stored api_domain says where each one lives.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/examples/internal/demo"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

func main() { demo.Main("webflow", run) }

type options struct {
	org                    demo.Flags
	addr                   string
	store, mysqlDSN, table string
	serve                  bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("webflow", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on; the redirect URL is http://ADDR/zoho/callback")
	o.org.Register(fs, "web client")
	fs.StringVar(&o.store, "store", "", "token file (default: a file in a temporary directory)")
	fs.StringVar(&o.mysqlDSN, "mysql", "", "keep tokens in MySQL/MariaDB at this DSN instead of a file")
	fs.StringVar(&o.table, "mysql-table", mysqlstore.DefaultTable, "MySQL table for the tokens")
	fs.BoolVar(&o.serve, "serve", false, "serve until interrupted instead of playing the browser once")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage was printed; not a failure
	} else if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	env, crm, err := o.org.Open(out)
	if err != nil {
		return err
	}
	if crm != nil {
		defer crm.Close()
		if _, err := crm.Seed("Accounts", map[string]any{"Account_Name": "Zylker"}, map[string]any{"Account_Name": "Acme"}); err != nil {
			return err
		}
	}

	store, closeStore, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer closeStore()

	app, err := newApp(auth.Config{
		ClientID:     o.org.ClientID,
		ClientSecret: o.org.ClientSecret,
		RedirectURL:  base + "/zoho/callback",
		Scopes:       []string{"ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.READ", "ZohoCRM.org.READ", "ZohoCRM.coql.READ", "ZohoCRM.bulk.ALL", "ZohoCRM.notifications.ALL", "ZohoCRM.mass_update.UPDATE"}, // docs/authentication.md
		Environment:  env,
	}, store, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app.routes(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	fmt.Fprintf(out, "Listening on %s; redirect URL %s/zoho/callback\n", base, base)

	if o.serve {
		fmt.Fprintf(out, "Open %s/connect?user=you@example.com (Ctrl-C stops)\n", base)
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		<-ctx.Done()
		return nil
	}
	return playBrowser(ctx, base, "jane@zylker.example", out)
}

// openStore opens the MySQL store when a DSN is given, else a file store.
func openStore(ctx context.Context, o options) (persistence.Store, func(), error) {
	if o.mysqlDSN != "" {
		db, err := mysqlstore.Open(ctx, o.mysqlDSN, mysqlstore.WithTable(o.table))
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	path, cleanup, err := demo.TokenFile(o.store, "zohohub-webflow")
	if err != nil {
		return nil, nil, err
	}
	f, err := persistence.NewFile(path)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return f, cleanup, nil
}

// playBrowser does what a person's browser would: follow /connect through
// Zoho's consent page back to the callback, then open /accounts.
func playBrowser(ctx context.Context, base, user string, out io.Writer) error {
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(path string) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return "", err
		}
		res, err := browser.Do(req)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			return "", fmt.Errorf("GET %s: %s: %s", path, res.Status, body)
		}
		return strings.TrimSpace(string(body)), err
	}
	page, err := get("/connect?user=" + user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "1. Connected %s through the consent page: %q\n", user, stripTags(page))
	page, err = get("/accounts?user=" + user)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "2. Their accounts:\n%s\n", page)
	return nil
}

// stripTags keeps the text of a one-line HTML page.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// app is the web application: the callback handler, the token store and
// one zohohub client per connected user.
type app struct {
	cfg      auth.Config
	store    persistence.Store
	callback *auth.CallbackHandler
	log      *slog.Logger
}

func newApp(cfg auth.Config, store persistence.Store, log *slog.Logger) (*app, error) {
	cb, err := auth.NewCallbackHandler(cfg, store, log)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, store: store, callback: cb, log: log}
	cb.OnSuccess = func(w http.ResponseWriter, r *http.Request, user string) {
		http.Redirect(w, r, "/connected?user="+user, http.StatusFound)
	}
	return a, nil
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		if user == "" {
			http.Error(w, "?user= is required", http.StatusBadRequest)
			return
		}
		consent, err := a.callback.AuthCodeURL(user) // a single-use state bound to this user
		if err != nil {
			http.Error(w, "could not start the sign-in", http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, consent, http.StatusFound)
	})
	mux.Handle("GET /zoho/callback", a.callback)
	mux.HandleFunc("GET /connected", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<p>Zoho CRM is connected for %s.</p>\n", htmlEscape(r.URL.Query().Get("user")))
	})
	mux.HandleFunc("GET /accounts", a.accounts)
	return mux
}

// accounts lists the first accounts of the user named in ?user=.
func (a *app) accounts(w http.ResponseWriter, r *http.Request) {
	client, err := a.clientFor(r.Context(), r.URL.Query().Get("user"))
	if errors.Is(err, persistence.ErrNotFound) {
		http.Error(w, "not connected: open /connect?user=NAME first", http.StatusForbidden)
		return
	}
	if err != nil {
		a.log.Error("webflow: client", "error", err)
		http.Error(w, "could not reach Zoho CRM", http.StatusBadGateway)
		return
	}
	q := zohohub.Records[modules.Account](client).Query().OrderBy(string(modules.AccountAccountName)).Limit(10)
	for acct, err := range q.All(r.Context()) {
		if err != nil {
			var apiErr *zohohub.APIError
			if errors.As(err, &apiErr) {
				a.log.Error("webflow: list accounts", "status", apiErr.StatusCode, "code", apiErr.Code)
			}
			http.Error(w, "could not list accounts", http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "- %s (%s)\n", acct.AccountName, acct.ID)
	}
}

// clientFor builds a client for a connected user. Each user's tokens say
// which data centre the user is in (api_domain), so one application serves
// users of every data centre.
func (a *app) clientFor(ctx context.Context, user string) (*zohohub.Client, error) {
	key := persistence.Key{UserName: user, ClientID: a.cfg.ClientID}
	tok, err := a.store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	cfg := a.cfg
	if cfg.Environment.DataCenter != "" && tok.APIDomain != "" {
		if cfg.Environment, err = auth.FromAPIDomain(tok.APIDomain); err != nil {
			return nil, err
		}
	}
	// A long-running application keeps one cache per user instead of
	// building it per request; it is built here to keep the example short.
	tokens, err := auth.NewCache(cfg, a.store, key, auth.WithLogger(a.log))
	if err != nil {
		return nil, err
	}
	return zohohub.New(zohohub.WithEnvironment(cfg.Environment), zohohub.WithTokenSource(tokens), zohohub.WithLogger(a.log))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
