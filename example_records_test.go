package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

func ExampleNew() {
	ctx := context.Background()
	// In production: auth.MustLookup(auth.US, auth.Production) and a token
	// source that refreshes; in tests, an in-memory Zoho CRM.
	srv, err := zohotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	access, _ := srv.IssueToken()

	client, err := zohohub.New(
		zohohub.WithEnvironment(srv.Environment()),
		zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithConcurrency(5), // requests in flight at once
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3, MinBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second}),
	)
	if err != nil {
		log.Fatal(err)
	}
	var org struct {
		Org []struct {
			CompanyName string `json:"company_name"`
		} `json:"org"`
	}
	if _, err := client.DoJSON(ctx, &zohohub.Request{Path: "org"}, &org); err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.Org[0].CompanyName)
	// Output:
	// Zylker
}

func ExampleRecordSet_Find() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"})

	leads := zohohub.Records[modules.Lead](client)
	lead, err := leads.Find(ctx, ids[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lead.LastName, lead.Company)

	_, err = leads.Find(ctx, "5725767000000000404")
	if errors.Is(err, zohohub.ErrNotFound) {
		fmt.Println("no such lead")
	}
	// Output:
	// Doe Acme
	// no such lead
}

func ExampleRecordSet_Save() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()

	leads := zohohub.Records[modules.Lead](client)
	lead := &modules.Lead{LastName: "Doe", Company: "Acme"}
	if err := leads.Save(ctx, lead); err != nil { // no ID: inserted; ID and system fields set
		log.Fatal(err)
	}
	fmt.Println("inserted:", lead.ID != "", !lead.CreatedTime.IsZero())

	lead.Company, lead.Email = "Acme Corp", "doe@acme.example"
	changes, _ := leads.Changes(lead)
	fmt.Println("changed:", changes)
	if err := leads.Save(ctx, lead); err != nil { // an update of the changed fields only
		log.Fatal(err)
	}
	again, _ := leads.Find(ctx, lead.ID)
	fmt.Println(again.LastName, again.Company, again.Email)
	// Output:
	// inserted: true true
	// changed: [Company Email]
	// Doe Acme Corp doe@acme.example
}

func ExampleRecordSet_Delete() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()

	leads := zohohub.Records[modules.Lead](client)
	lead := &modules.Lead{LastName: "Doe"}
	if err := leads.Save(ctx, lead); err != nil {
		log.Fatal(err)
	}
	if err := leads.Delete(ctx, lead); err != nil {
		log.Fatal(err)
	}
	_, err := leads.Find(ctx, lead.ID)
	fmt.Println("find:", errors.Is(err, zohohub.ErrNotFound))
	err = leads.Delete(ctx, lead) // already gone
	fmt.Println("delete again:", errors.Is(err, zohohub.ErrNotFound))
	// Output:
	// find: true
	// delete again: true
}

func ExampleRecordSet_Upsert() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()

	leads := zohohub.Records[modules.Lead](client)
	first := &modules.Lead{LastName: "Doe", Email: "doe@example.com"}
	created, err := leads.Upsert(ctx, first, "Email") // no lead with this email: inserted
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created)

	second := &modules.Lead{LastName: "Doe", Company: "Acme", Email: "doe@example.com"}
	created, err = leads.Upsert(ctx, second, "Email") // the same email: that lead is updated
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created, "same lead:", second.ID == first.ID)
	// Output:
	// created: true
	// created: false same lead: true
}

func ExampleQuery_All() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()
	for i := range 500 {
		company := "Acme"
		if i%5 == 0 {
			company = "Zylker"
		}
		srv.Seed("Leads", map[string]any{"Last_Name": fmt.Sprint("Lead ", i), "Company": company})
	}

	// All fetches page after page as the loop asks for more.
	leads := zohohub.Records[modules.Lead](client)
	n := 0
	for lead, err := range leads.Where(modules.LeadCompany.Equals("Acme")).All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if lead.Company == "Acme" {
			n++
		}
	}
	fmt.Println(n, "leads of Acme")
	// Output:
	// 400 leads of Acme
}

func ExampleAPIError() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()

	err := zohohub.Records[modules.Lead](client).Save(ctx, &modules.Lead{LastName: "Doe", Email: "not an email"})
	var apiErr *zohohub.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Status, apiErr.Code)
		fmt.Println("field:", apiErr.APIName(), "expected:", apiErr.Details["expected_data_type"])
	}
	// Output:
	// 400 error INVALID_DATA
	// field: Email expected: email
}

func ExampleDeletedQuery_All() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"}, map[string]any{"Last_Name": "Roe", "Company": "Initech"})

	leads := zohohub.Records[modules.Lead](client)
	since := time.Now().Add(-time.Minute) // an incremental sync keeps this watermark
	doe, _ := leads.Find(ctx, ids[0])
	if err := leads.Delete(ctx, doe); err != nil {
		log.Fatal(err)
	}
	for d, err := range leads.Deleted(zohohub.DeletedAll).Since(since).All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.ID == ids[0], d.DisplayName, d.Type)
	}
	// Output:
	// true Doe recycle
}

func ExampleRecordsOf() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"})

	module := "Leads" // known only at run time: a setting, a flag, a list of the org's modules
	for r, err := range zohohub.RecordsOf(client, module).Query().Select("Last_Name", "Company").All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		f := r.Fields()
		fmt.Println(string(f["Last_Name"]), string(f["Company"]))
	}
	// Output:
	// "Doe" "Acme"
}
