package mysqllimit_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/limiter/mysqllimit"
)

// Every process of the org builds its client with a limiter of the same
// table, name and limit (the edition's concurrency limit): together they
// keep at most that many calls in flight, and a 429 pauses them all.
func Example() {
	ctx := context.Background()
	db, err := sql.Open("mysql", "root@tcp(127.0.0.1:3306)/test") // or mysqllimit.Open(ctx, dsn, …)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	table := fmt.Sprintf("zhlimit_example_%d", time.Now().UnixNano()) // in production: the default table
	defer db.Exec("DROP TABLE " + table)
	lim, err := mysqllimit.New(ctx, db, "zohohub:org:123", 5, mysqllimit.WithTable(table))
	if err != nil {
		log.Fatal(err)
	}
	srv, client := examplecrm.StartClient(zohohub.WithLimiter(lim)) // the org, and a client that takes turns through lim
	defer srv.Close()
	if _, err := client.Do(ctx, &zohohub.Request{Path: "org"}); err != nil {
		log.Fatal(err)
	}

	release, err := lim.Acquire(ctx) // what the client did around its call
	if err != nil {
		log.Fatal(err)
	}
	n, _ := lim.InFlight(ctx)
	fmt.Println("in flight:", n)
	release(200)
	n, _ = lim.InFlight(ctx)
	fmt.Println("in flight:", n)
	// Output:
	// in flight: 1
	// in flight: 0
}
