package zohohub_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/zohotest"
)

// Zoho reports the org's API credits left once half of them are spent;
// Credits returns the last report.
func ExampleClient_Credits() {
	srv, client := examplecrm.Start(zohotest.WithCredits(10)) // an org of 10 credits a day
	defer srv.Close()
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
