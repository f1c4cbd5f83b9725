package redislimit_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/limiter/redislimit"
	"github.com/zohohub/zohohub/zohotest"
)

// Every process of the org builds its client with a limiter of the same
// prefix and limit (the edition's concurrency limit): together they keep
// at most that many calls in flight, and a 429 pauses them all.
func Example() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	prefix := fmt.Sprintf("zohohub-example:%d", time.Now().UnixNano()) // in production: one fixed name per org
	defer rdb.Del(context.Background(), prefix+":leases", prefix+":cooldown")

	lim, err := redislimit.New(rdb, prefix, 5)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := zohotest.Start() // the org; in production, Zoho
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithLimiter(lim),
		zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Do(context.Background(), &zohohub.Request{Path: "org"}); err != nil {
		log.Fatal(err)
	}

	release, err := lim.Acquire(context.Background()) // what the client did around its call
	if err != nil {
		log.Fatal(err)
	}
	n, _ := lim.InFlight(context.Background())
	fmt.Println("in flight:", n)
	release(200)
	n, _ = lim.InFlight(context.Background())
	fmt.Println("in flight:", n)
	// Output:
	// in flight: 1
	// in flight: 0
}
