package zohotest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// Faults are injected per route: here the first listing of Leads fails
// with a 500, which the client retries, and Requests shows both calls.
func ExampleServer_FailNext() {
	ctx := context.Background()
	srv, err := zohotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"}); err != nil {
		log.Fatal(err)
	}
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}

	srv.FailNext("GET /crm/v8/Leads", 1, 500, "INTERNAL_ERROR")
	leads, err := zohohub.Records[modules.Lead](client).Query().Collect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(leads), leads[0].LastName)
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, r.Status)
	}

	// Expired access tokens are refused with Zoho's 401 INVALID_TOKEN.
	srv.ExpireAccessTokens()
	_, err = zohohub.Records[modules.Lead](client).Find(ctx, "1")
	fmt.Println(errors.Is(err, zohohub.ErrInvalidToken))
	// Output:
	// 1 Doe
	// GET /crm/v8/Leads 500
	// GET /crm/v8/Leads 200
	// true
}
