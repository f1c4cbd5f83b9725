package zohohub_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// Zoho reports the org's API credits left once half of them are spent;
// Credits returns the last report.
func ExampleClient_Credits() {
	srv, err := zohotest.Start(zohotest.WithCredits(10)) // an org of 10 credits a day
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		log.Fatal(err)
	}
	for range 6 {
		if _, err := client.Do(context.Background(), &zohohub.Request{Path: "org"}); err != nil {
			log.Fatal(err)
		}
		if cr, ok := client.Credits(); ok {
			fmt.Println("credits left:", cr.Remaining)
		} else {
			fmt.Println("credits left: not reported")
		}
	}
	// Output:
	// credits left: not reported
	// credits left: not reported
	// credits left: not reported
	// credits left: not reported
	// credits left: not reported
	// credits left: 4
}
