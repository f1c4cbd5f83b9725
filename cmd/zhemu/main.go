// Command zhemu serves the zohotest in-memory Zoho CRM on a TCP address,
// for clients in any language and for benchmarks:
//
//	zhemu -addr 127.0.0.1:8080 -client-id ID -client-secret S -grant-token G -user-email jane@example.com
//
// As zohotest's options do, -metadata serves an org's own metadata (what
// zhgen -live -dump wrote) and -custom-field declares a custom field:
//
//	zhemu -metadata zoho-metadata -custom-field Accounts.Main_Contact_Name:text
//
// It serves Zoho's accounts server (/oauth/v2/token, /oauth/v2/token/revoke,
// /oauth/v2/auth) and the CRM API (/crm/v2 … /crm/v8, with the bulk APIs
// under /crm/bulk/v2 … /crm/bulk/v8 and bulk write's /crm/{v}/upload) under
// one base URL.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zohohub/zohohub/internal/cmdmain"
	"github.com/zohohub/zohohub/zohotest"
)

func main() {
	cmdmain.Main("zhemu", func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout) })
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("zhemu", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `zhemu serves an in-memory Zoho CRM (package zohotest): Zoho's accounts server
and the CRM API under one base URL, which it prints at start.

Usage:
  zhemu [-addr 127.0.0.1:8080] [-client-id ID -client-secret S] [-grant-token G] [-seed records.json]
        [-metadata DIR] [-custom-field Module.Field:type ...] [...]

Flags:
`)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	clientID := fs.String("client-id", "1000.ZHEMU", "OAuth client id of the registered Self Client")
	clientSecret := fs.String("client-secret", "zhemu-secret", "OAuth client secret")
	grant := fs.String("grant-token", "", "a one-time grant code to register (valid 10 minutes)")
	email := fs.String("user-email", "jane@example.com", "email of the current user")
	ttl := fs.Duration("token-ttl", time.Hour, "access token lifetime")
	latency := fs.Duration("latency", 0, "delay added to every CRM API answer")
	failRate := fs.Float64("fail-rate", 0, "fraction of CRM API calls answered with 500 INTERNAL_ERROR")
	concurrency := fs.Int("concurrency", 0, "answer 429 beyond this many calls in flight (0: no limit)")
	credits := fs.Int("credits", 0, "API credits the org has per rolling 24 hours: calls are charged as Zoho charges them, answers report the credits left once half are spent, 429 when they run out (0: calls are free)")
	seed := fs.String("seed", "", `JSON file of records to load: {"Leads":[{…}],…}`)
	apiDomain := fs.String("api-domain", "", "api_domain in token answers (default: the server's own URL)")
	bulkDelay := fs.Duration("bulk-delay", 0, "how long bulk read/write jobs stay IN PROGRESS (0: completed at the first status call)")
	metadata := fs.String("metadata", "", "serve the org metadata in `DIR` (what zhgen -live -dump wrote) instead of the standard modules")
	var fields customFields
	fs.Var(&fields, "custom-field", "add a custom field `Module.Field:type` to the metadata (repeatable; type as zohotest.WithCustomField: text, integer, double, boolean, date, lookup:Accounts, …)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage was printed; not a failure
	} else if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	opts := []zohotest.Option{zohotest.WithClient(*clientID, *clientSecret), zohotest.WithUserEmail(*email),
		zohotest.WithTokenTTL(*ttl), zohotest.WithLatency(*latency), zohotest.WithFailRate(*failRate, uint64(time.Now().UnixNano())),
		zohotest.WithConcurrencyLimit(*concurrency), zohotest.WithBulkJobDelay(*bulkDelay), zohotest.WithCredits(*credits)}
	if *apiDomain != "" {
		opts = append(opts, zohotest.WithAPIDomain(*apiDomain))
	}
	if *grant != "" {
		opts = append(opts, zohotest.WithGrantToken(*grant))
	}
	if *metadata != "" {
		opts = append(opts, zohotest.WithMetadata(os.DirFS(*metadata)))
	}
	for _, f := range fields {
		opts = append(opts, zohotest.WithCustomField(f.module, f.apiName, f.dataType))
	}
	srv, err := zohotest.NewHandler(base, opts...)
	if err != nil {
		ln.Close()
		return err
	}
	var seeded bytes.Buffer
	if *seed != "" {
		if err := load(srv, *seed, &seeded); err != nil {
			ln.Close()
			return err
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "zhemu: API base URL %s/crm/v8\nzhemu: token URL %s/oauth/v2/token\n%s", base, base, seeded.Bytes())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// load seeds the records of a JSON file and prints the ids they were
// given, which requests name them by.
func load(srv *zohotest.Server, path string, out io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var recs map[string][]map[string]any
	if err := json.Unmarshal(data, &recs); err != nil {
		return fmt.Errorf("seed %s: %w", path, err)
	}
	for _, module := range slices.Sorted(maps.Keys(recs)) {
		ids, err := srv.Seed(module, recs[module]...)
		if err != nil {
			return fmt.Errorf("seed %s: %s: %w", path, module, err)
		}
		fmt.Fprintf(out, "zhemu: seeded %s %s\n", module, strings.Join(ids, " "))
	}
	return nil
}

// customFields are the -custom-field flags: Module.Field:type each.
type customFields []customField

type customField struct{ module, apiName, dataType string }

func (cf *customFields) String() string {
	var parts []string
	for _, f := range *cf {
		parts = append(parts, f.module+"."+f.apiName+":"+f.dataType)
	}
	return strings.Join(parts, ",")
}

func (cf *customFields) Set(v string) error {
	name, dataType, _ := strings.Cut(v, ":")
	module, apiName, _ := strings.Cut(name, ".")
	if module == "" || apiName == "" || dataType == "" {
		return fmt.Errorf("%q is not Module.Field:type, such as Accounts.Rating__c:double", v)
	}
	*cf = append(*cf, customField{module, apiName, dataType})
	return nil
}
