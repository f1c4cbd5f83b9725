// Command zhsync mirrors modules of a Zoho CRM org (or a zhemu) into
// PostgreSQL or MySQL, with package mirror:
//
//	zhsync -dsn postgres://postgres@127.0.0.1:5432/crm -modules Leads,Contacts,Accounts \
//	    -token-store file:tokens.csv -client-id 1000.ABC [-once | -watch -interval 30s] [-json]
//
// The first pass creates a table per module and loads it; later passes
// read what changed since. With -watch -notify-url URL -listen ADDR it
// subscribes to Zoho's notifications and applies the records they name
// within seconds, passes staying the safety net. -limiter shares the
// org's concurrency limit with other processes (Redis or MySQL).
// -print-schema prints the tables' DDL and writes nothing. See
// docs/mirror.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/cmdmain"
	"github.com/zohohub/zohohub/internal/orgflags"
	"github.com/zohohub/zohohub/mirror"
)

func main() {
	cmdmain.Main("zhsync", func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

// errUsage is a command line the usage was printed for.
var errUsage = cmdmain.ErrUsage

const usage = `zhsync mirrors Zoho CRM modules into PostgreSQL or MySQL: a table per module, typed
columns from the field metadata, kept up to date by incremental passes.

Usage:
  zhsync -dsn DSN -modules Leads,Contacts,… (-token-store file:PATH -client-id ID | -access-token T -api-domain URL)
         [-once | -watch -interval 30s [-notify-url https://HOST/PATH -listen :8080]]
         [-limiter redis://HOST:6379 | -limiter mysql:DSN  -org-concurrency N] [-print-schema] [-json]

DSN is a PostgreSQL URL (postgres://user@host:5432/db) or a MySQL DSN
(user:password@tcp(host:3306)/db); $ZHSYNC_DSN works too, to keep a password out of the
process list. The token is the one zhgen auth stored; see docs/mirror.md.

Flags:
`

// config is the command line.
type config struct {
	org          orgflags.Flags
	dsn          string
	modules      []string
	once, watch  bool
	interval     time.Duration
	printSchema  bool
	jsonOut      bool
	prefix       string
	bulk         int
	skew         time.Duration
	concurrency  int
	progress     string
	logLevel     slog.Level
	exportPollMs int
	// Notifications (-watch): where Zoho POSTs, where they are received.
	notifyURL, listen, channelID string
	channelLifetime              time.Duration
	// The org-wide limiter.
	limiter, limiterName string
	orgConcurrency       int
}

func parse(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("zhsync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	cfg.org.Register(fs)
	fs.StringVar(&cfg.dsn, "dsn", "", "database: a postgres:// URL or a MySQL `DSN` (default: $ZHSYNC_DSN)")
	modules := fs.String("modules", "", "comma-separated module API `names`, such as Leads,Contacts,Accounts")
	fs.BoolVar(&cfg.once, "once", false, "run one pass and exit (the default)")
	fs.BoolVar(&cfg.watch, "watch", false, "run a pass every -interval until interrupted")
	fs.DurationVar(&cfg.interval, "interval", 30*time.Second, "time between passes with -watch")
	fs.BoolVar(&cfg.printSchema, "print-schema", false, "print the DDL of the tables and exit; writes nothing")
	fs.BoolVar(&cfg.jsonOut, "json", false, "print the summary as JSON (a line per pass with -watch)")
	fs.StringVar(&cfg.prefix, "prefix", "", "table name `prefix`, such as zoho_")
	fs.IntVar(&cfg.bulk, "bulk-threshold", mirror.DefaultBulkThreshold, "load modules of more `records` than this through Bulk Read; -1 never")
	fs.DurationVar(&cfg.skew, "clock-skew", mirror.DefaultClockSkew, "how far this machine's clock may be ahead of Zoho's")
	fs.IntVar(&cfg.concurrency, "module-concurrency", 4, "modules synced at once")
	fs.StringVar(&cfg.progress, "progress", "auto", "progress `display`: bars, log, none or auto (bars on a terminal, log lines otherwise)")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level`: debug, info, warn or error")
	fs.IntVar(&cfg.exportPollMs, "export-poll-ms", 0, "first wait in `ms` between Bulk Read status calls (default the client's, 1 s); for zhemu")
	fs.StringVar(&cfg.notifyURL, "notify-url", "", "with -watch: subscribe to Zoho's notifications, POSTed to this public `URL` (https://HOST/PATH), and apply them within seconds")
	fs.StringVar(&cfg.listen, "listen", ":8080", "with -notify-url: `address` the notification receiver listens on; it serves the URL's path")
	fs.StringVar(&cfg.channelID, "channel-id", "", "with -notify-url: the notification channel's `id`, digits unique in the org (default: derived from -notify-url)")
	fs.DurationVar(&cfg.channelLifetime, "channel-lifetime", mirror.DefaultChannelLifetime, "with -notify-url: how far ahead each renewal moves the channel's expiry (at most 168h)")
	fs.StringVar(&cfg.limiter, "limiter", "", "share the org's concurrency limit with other processes: redis://HOST:PORT[/DB] or mysql:`DSN`")
	fs.StringVar(&cfg.limiterName, "limiter-name", "zohohub", "with -limiter: the `name` every process of the org shares (Redis key prefix, MySQL row name)")
	fs.IntVar(&cfg.orgConcurrency, "org-concurrency", 0, "with -limiter: the org's concurrency `limit` (Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "zhsync: unexpected arguments %q\n", fs.Args())
		return nil, errUsage
	}
	if cfg.dsn == "" {
		cfg.dsn = os.Getenv("ZHSYNC_DSN")
	}
	for m := range strings.SplitSeq(*modules, ",") {
		if m = strings.TrimSpace(m); m != "" {
			cfg.modules = append(cfg.modules, m)
		}
	}
	var missing []string
	if cfg.dsn == "" {
		missing = append(missing, "-dsn")
	}
	if len(cfg.modules) == 0 {
		missing = append(missing, "-modules")
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "zhsync: missing %s\n", strings.Join(missing, " and "))
		fs.Usage()
		return nil, errUsage
	}
	if cfg.once && cfg.watch {
		fmt.Fprintln(stderr, "zhsync: -once and -watch exclude each other")
		return nil, errUsage
	}
	if cfg.notifyURL != "" {
		if !cfg.watch {
			fmt.Fprintln(stderr, "zhsync: -notify-url needs -watch")
			return nil, errUsage
		}
		if err := checkNotifyURL(cfg.notifyURL); err != nil {
			fmt.Fprintln(stderr, "zhsync:", err)
			return nil, errUsage
		}
	}
	if (cfg.limiter == "") != (cfg.orgConcurrency == 0) || cfg.orgConcurrency < 0 {
		fmt.Fprintln(stderr, "zhsync: -limiter and -org-concurrency (a positive limit) go together")
		return nil, errUsage
	}
	switch cfg.progress {
	case "auto", "bars", "log", "none":
	default:
		fmt.Fprintf(stderr, "zhsync: -progress %q: want auto, bars, log or none\n", cfg.progress)
		return nil, errUsage
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runListening(ctx, args, stdout, stderr, nil)
}

// runListening is run with the notification receiver serving on ln
// instead of on -listen when ln is not nil: a test opens ln on port 0 and
// builds -notify-url from its address, which no other socket can take
// between the two (as a port found free beforehand can be).
func runListening(ctx context.Context, args []string, stdout, stderr io.Writer, ln net.Listener) error {
	cfg, err := parse(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	counter := mirror.NewRequestCounter(nil)
	hc := &http.Client{Transport: counter, Timeout: 5 * time.Minute}
	var clientOpts []zohohub.Option
	if cfg.exportPollMs > 0 {
		first := time.Duration(cfg.exportPollMs) * time.Millisecond
		clientOpts = append(clientOpts, zohohub.WithExportPolling(first, 30*first))
	}
	if cfg.limiter != "" {
		lim, closeLimiter, err := openLimiter(ctx, cfg)
		if err != nil {
			return err
		}
		defer closeLimiter()
		clientOpts = append(clientOpts, zohohub.WithLimiter(lim), zohohub.WithConcurrency(cfg.orgConcurrency))
	}
	client, closeStore, err := cfg.org.Client(ctx, hc, clientOpts...)
	if err != nil {
		return err
	}
	defer closeStore()

	if cfg.printSchema {
		return printSchema(ctx, cfg, client, stdout)
	}
	db, err := mirror.Open(ctx, cfg.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	bars := newProgress(cfg.progress, stderr, log)
	m, err := mirror.New(client, db, mirror.WithTablePrefix(cfg.prefix), mirror.WithBulkThreshold(cfg.bulk),
		mirror.WithClockSkew(cfg.skew), mirror.WithModuleConcurrency(cfg.concurrency), mirror.WithLogger(log),
		mirror.WithProgress(bars), mirror.WithRequestCounter(counter))
	if err != nil {
		return err
	}
	if !cfg.watch {
		sum, err := m.Sync(ctx, cfg.modules...)
		bars.Wait()
		if perr := report(stdout, cfg.jsonOut, sum); perr != nil && err == nil {
			err = perr
		}
		return err
	}
	var changes <-chan mirror.Change
	if cfg.notifyURL != "" {
		rcv, err := startReceiver(ctx, cfg, client, log, ln)
		if err != nil {
			return err
		}
		defer func() {
			if err := rcv.stop(); err != nil {
				log.Error("zhsync: disabling the notification channel", "error", err)
			}
		}()
		changes = rcv.n.Changes()
	}
	err = m.Watch(ctx, cfg.interval, cfg.modules, changes, func(sum mirror.Summary, err error) {
		bars.Wait()
		if err != nil {
			log.Error("zhsync: pass failed", "error", err)
		}
		if perr := report(stdout, cfg.jsonOut, sum); perr != nil {
			log.Error("zhsync: writing the summary", "error", perr)
		}
	})
	if errors.Is(err, context.Canceled) {
		return nil // interrupted: the way a watch ends
	}
	return err
}

// printSchema prints the DDL a first pass would run.
func printSchema(ctx context.Context, cfg *config, client *zohohub.Client, stdout io.Writer) error {
	dialect, err := mirror.Dialect(cfg.dsn)
	if err != nil {
		return err
	}
	stmts, err := mirror.Schema(ctx, client, dialect, cfg.modules, mirror.WithTablePrefix(cfg.prefix))
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := fmt.Fprintf(stdout, "%s;\n\n", s); err != nil {
			return err
		}
	}
	return nil
}

// report prints a pass's summary: a table for people, or JSON.
func report(w io.Writer, asJSON bool, sum mirror.Summary) error {
	if asJSON {
		return json.NewEncoder(w).Encode(sum)
	}
	var b strings.Builder
	row := "%-20s %-12s %9v %9v %9v %9v %8v %7v  %s\n"
	fmt.Fprintf(&b, row, "module", "mode", "read", "inserted", "updated", "deleted", "requests", "credits", "watermark")
	for _, st := range sum.Modules {
		wm := "-"
		if !st.Watermark.IsZero() {
			wm = st.Watermark.Format(time.RFC3339)
		}
		if st.Error != "" {
			wm = "error: " + st.Error
		}
		fmt.Fprintf(&b, row, st.Module, st.Mode, st.Read, st.Inserted, st.Updated, st.Deleted, st.Requests, st.Credits, wm)
		for _, c := range st.AddedColumns {
			fmt.Fprintf(&b, "  added column %s\n", c)
		}
		for _, c := range st.Incompatible {
			fmt.Fprintf(&b, "  left alone: %s\n", c)
		}
	}
	fmt.Fprintf(&b, row, "total", "", "", sum.Inserted, sum.Updated, sum.Deleted, sum.Requests, sum.Credits, sum.Duration.Round(time.Millisecond))
	if sum.CreditsRemaining != nil {
		fmt.Fprintf(&b, "API credits left (as Zoho reports them): %d\n", *sum.CreditsRemaining)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
