package mirror_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
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

	db, err := mirror.Open(ctx, postgresDSN()) // postgres://postgres@127.0.0.1:5432/postgres, or a MySQL DSN
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
