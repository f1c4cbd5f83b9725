package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
)

// An insert whose request got a 500 may have been applied: its records
// are of unknown outcome. ResolveUnknown looks them up by a unique key;
// here the 500 applied nothing, so they are failed, and saving them again
// writes each once.
func ExampleRecordSet_ResolveUnknown() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	recs := []*modules.Lead{
		{LastName: "Doe", Email: "doe@example.com"},
		{LastName: "Roe", Email: "roe@example.com"},
	}

	srv.FailNext("POST /crm/v8/Leads", 1, 500, "INTERNAL_ERROR")
	res, err := leads.SaveAll(ctx, recs)
	fmt.Println(res.Count(zohohub.ActionUnknown), "unknown:", errors.Is(err, zohohub.ErrOutcomeUnknown))

	res, err = leads.ResolveUnknown(ctx, recs, res, "Email")
	fmt.Println(res.Count(zohohub.ActionFailed), "not written:", errors.Is(err, zohohub.ErrOutcomeUnknown))

	res, err = leads.SaveAll(ctx, recs) // sends only the records without an id
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Count(zohohub.ActionCreated), "created")
	// Output:
	// 2 unknown: true
	// 2 not written: false
	// 2 created
}
