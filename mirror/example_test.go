package mirror_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// Example mirrors the Leads of an in-memory Zoho CRM into PostgreSQL and
// reads them back with SQL; a second pass finds nothing to do.
func Example() {
	ctx := context.Background()
	srv, err := zohotest.Start() // your org in production: see docs/authentication.md
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"}, map[string]any{"Last_Name": "Roe", "Company": "Initech"})
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		log.Fatal(err)
	}

	db, err := mirror.Open(ctx, testenv.PostgresDSN()) // postgres://postgres@127.0.0.1:5432/postgres, or a MySQL DSN
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	prefix := randomName("example_") + "_" // tables example_…_leads and example_…__zhsync_state
	defer db.Exec(`DROP TABLE IF EXISTS "` + prefix + `leads", "` + prefix + `_zhsync_state"`)

	m, err := mirror.New(client, db, mirror.WithTablePrefix(prefix))
	if err != nil {
		log.Fatal(err)
	}
	sum, err := m.Sync(ctx, "Leads")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.Modules[0].Mode, "load:", sum.Inserted, "rows")

	var leads []string
	if err := db.Select(&leads, `SELECT last_name || ' at ' || company || ', owner ' || owner_name FROM "`+prefix+`leads" ORDER BY last_name`); err != nil {
		log.Fatal(err)
	}
	fmt.Println(leads)

	sum, err = m.Sync(ctx, "Leads")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.Modules[0].Mode, "pass:", sum.Inserted+sum.Updated+sum.Deleted, "rows changed")
	// Output:
	// pages load: 2 rows
	// [Doe at Acme, owner Jane Roe Roe at Initech, owner Jane Roe]
	// incremental pass: 0 rows changed
}

// ExampleNotifications keeps a mirror up to date with Zoho's
// notifications: a lead created in the CRM is in the table within
// moments, long before the next pass (an hour away).
func ExampleNotifications() {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	srv, client := examplecrm.Start() // your org in production
	defer srv.Close()
	db, err := mirror.Open(ctx, testenv.PostgresDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	prefix := randomName("example_") + "_"
	defer db.Exec(`DROP TABLE IF EXISTS "` + prefix + `leads", "` + prefix + `_zhsync_state"`)
	m, err := mirror.New(client, db, mirror.WithTablePrefix(prefix))
	if err != nil {
		log.Fatal(err)
	}

	// The receiver: in production, your HTTPS server at the notify URL.
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	n, err := mirror.NewNotifications(client, hs.URL+"/zoho/notify", []string{"Leads"})
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("POST /zoho/notify", n.Handler())
	ran := make(chan error, 1)
	go func() { ran <- n.Run(ctx) }() // enables the channel, renews it, disables it when ctx ends
	passes := make(chan mirror.Summary, 10)
	watched := make(chan error, 1)
	go func() {
		watched <- m.Watch(ctx, time.Hour, []string{"Leads"}, n.Changes(), func(s mirror.Summary, err error) { passes <- s })
	}()
	fmt.Println((<-passes).Modules[0].Mode, "load")
	for len(srv.WatchChannels()) == 0 { // the channel is enabled while the first pass runs
		time.Sleep(10 * time.Millisecond)
	}

	lead := &zohohub.AnyRecord{}
	lead.Set("Last_Name", "Doe")
	if err := zohohub.RecordsOf(client, "Leads").Save(ctx, lead); err != nil {
		log.Fatal(err)
	}
	s := <-passes // the refresh of the notified lead
	fmt.Println(s.Modules[0].Mode, "of", s.Modules[0].Read, "lead:", s.Inserted, "row inserted")
	var names []string
	if err := db.Select(&names, `SELECT last_name FROM "`+prefix+`leads"`); err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)

	stop() // ends the watch and disables the channel
	<-watched
	fmt.Println("channel disabled:", <-ran == nil && len(srv.WatchChannels()) == 0)
	// Output:
	// pages load
	// refresh of 1 lead: 1 row inserted
	// [Doe]
	// channel disabled: true
}
