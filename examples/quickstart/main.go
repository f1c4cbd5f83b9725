// Command quickstart shows zohohub end to end. By default it starts the
// embedded Zoho CRM emulator (package zohotest) in-process, so it needs no
// account and no network:
//
//	go run ./examples/quickstart
//
// It exchanges a Self Client grant token, keeps the tokens in a file
// store, then creates, finds, queries, updates and deletes Accounts,
// Contacts and Leads through the generated models, printing each step, each
// CRM request and the start of Zoho's answer (-q prints the steps only).
//
// To run it against a real organisation instead, register a Self Client at
// https://api-console.zoho.com, generate a grant token with the scopes
// ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoCRM.bulk.ALL,ZohoCRM.notifications.ALL,ZohoCRM.mass_update.UPDATE and run:
//
//	go run ./examples/quickstart -dc eu -client-id ID -client-secret SECRET -grant-token CODE -store tokens.csv
//
// (-env sandbox or -env developer for those organisations.) Keep the -store
// file: a second run with the same, now spent, grant token uses the stored
// tokens. The records it creates are deleted at the end.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/examples/internal/demo"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/persistence"
)

func main() { demo.Main("quickstart", run) }

type options struct {
	org   demo.Flags
	grant string
	store string
	quiet bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	start := time.Now()
	var o options
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	o.org.Register(fs, "Self Client")
	fs.StringVar(&o.grant, "grant-token", "", "Self Client grant token (real org); also read from ZOHO_GRANT_TOKEN")
	fs.StringVar(&o.store, "store", "", "token file (default: a file in a temporary directory)")
	fs.BoolVar(&o.quiet, "q", false, "print the steps only, not the requests")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage was printed; not a failure
	} else if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	env, crm, err := o.org.Open(out)
	if err != nil {
		return err
	}
	o.grant = cmp.Or(o.grant, os.Getenv("ZOHO_GRANT_TOKEN"))
	if crm != nil {
		defer crm.Close()
		o.grant = crm.NewGrantToken()
	} else if o.grant == "" {
		return errors.New("a real org needs -grant-token")
	}
	var cleanup func()
	if o.store, cleanup, err = demo.TokenFile(o.store, "zohohub-quickstart"); err != nil {
		return err
	}
	defer cleanup()

	// 1. OAuth: exchange the grant token once; the cache refreshes from then on.
	store, err := persistence.NewFile(o.store)
	if err != nil {
		return err
	}
	cfg := auth.Config{ClientID: o.org.ClientID, ClientSecret: o.org.ClientSecret, Environment: env}
	tokens, err := auth.NewCache(cfg, store, persistence.Key{UserName: "quickstart"})
	if err != nil {
		return err
	}
	if err := tokens.Authorize(ctx, o.grant); err != nil {
		return err
	}
	fmt.Fprintf(out, "1. Exchanged the grant token; tokens stored in %s (mode 0600)\n", o.store)

	hc := &http.Client{Timeout: 30 * time.Second}
	if !o.quiet {
		hc.Transport = printer{out: out, next: http.DefaultTransport}
	}
	client, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(tokens), zohohub.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	return tour(ctx, client, out, start)
}

// tour creates, finds, queries, updates and deletes one record of each of
// Accounts, Contacts and Leads, and says how long the whole run took from
// start.
func tour(ctx context.Context, client *zohohub.Client, out io.Writer, start time.Time) error {
	step := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	suffix := start.Format("150405.000")

	accounts := zohohub.Records[modules.Account](client)
	acct := &modules.Account{AccountName: "Zylker " + suffix, Industry: "Storage Equipment", Employees: 120, Website: "https://zylker.example"}
	if err := accounts.Save(ctx, acct); err != nil {
		return err
	}
	step("2. Created account %q with id %s", acct.AccountName, acct.ID)

	contacts := zohohub.Records[modules.Contact](client)
	contact := &modules.Contact{LastName: "Roe", FirstName: "Jane", Email: "jane." + suffix + "@zylker.example",
		AccountName: zohohub.Lookup{ID: acct.ID}}
	if err := contacts.Save(ctx, contact); err != nil {
		return err
	}
	step("3. Created contact %s %s linked to the account", contact.FirstName, contact.LastName)

	leads := zohohub.Records[modules.Lead](client)
	lead := &modules.Lead{LastName: "Doe", Company: "Acme " + suffix, Email: "doe." + suffix + "@acme.example"}
	if err := leads.Save(ctx, lead); err != nil {
		return err
	}
	step("4. Created lead %s at %s", lead.LastName, lead.Company)

	found, err := accounts.Find(ctx, acct.ID)
	if err != nil {
		return err
	}
	step("5. Found account %s: %q, %d employees, created %s", found.ID, found.AccountName, found.Employees, found.CreatedTime.Format(time.RFC3339))

	q := contacts.Where(modules.ContactAccountName.Equals(acct.ID)).Limit(10)
	if plan, err := q.Explain(); err == nil {
		step("6. Querying contacts of the account: a %s, criteria %s", plan.Kind, plan.Query.Get("criteria"))
	}
	n := 0
	for c, err := range q.All(ctx) {
		if err != nil {
			return err
		}
		n++
		step("   found contact %s <%s>", c.LastName, c.Email)
	}
	if n == 0 {
		return errors.New("the query found no contact")
	}

	found.Employees = 150
	if err := accounts.Save(ctx, found); err != nil {
		return err
	}
	step("7. Updated the account's employees to 150 (only that field was sent)")

	for _, del := range []func() error{
		func() error { return contacts.Delete(ctx, contact) },
		func() error { return leads.Delete(ctx, lead) },
		func() error { return accounts.Delete(ctx, found) },
	} {
		if err := del(); err != nil {
			return err
		}
	}
	step("8. Deleted the contact, the lead and the account")
	if _, err := accounts.Find(ctx, acct.ID); !errors.Is(err, zohohub.ErrNotFound) {
		return fmt.Errorf("deleted account still found: %v", err)
	}
	step("9. Finding the deleted account says: not found. Done in %v.", time.Since(start).Round(time.Millisecond))
	return nil
}

// printer prints each CRM API request and the start of Zoho's answer; it
// never prints the Authorization header. Token requests do not pass
// through it: the token cache sends them with its own HTTP client.
type printer struct {
	out  io.Writer
	next http.RoundTripper
}

func (p printer) RoundTrip(r *http.Request) (*http.Response, error) {
	var sent string
	if r.Body != nil && r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			data, _ := io.ReadAll(b)
			sent = " " + clip(string(data))
		}
	}
	fmt.Fprintf(p.out, "   → %s %s%s\n", r.Method, r.URL.RequestURI(), sent)
	resp, err := p.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(data)))
	fmt.Fprintf(p.out, "   ← %d %s\n", resp.StatusCode, clip(string(data)))
	return resp, nil
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
