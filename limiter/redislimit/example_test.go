package redislimit_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/limiter/redislimit"
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
	srv, client := examplecrm.StartClient(zohohub.WithLimiter(lim)) // the org, and a client that takes turns through lim
	defer srv.Close()
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
