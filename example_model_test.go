package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/zohotest"
)

// Account is what zhgen writes for the Accounts module: the embedded
// Model, exact API names in tags, and the module name.
type Account struct {
	zohohub.Model
	AccountName string `zoho:"Account_Name"`
	Industry    string `zoho:"Industry"`
	Employees   int    `zoho:"Employees"`
}

func (Account) ZohoModule() string { return "Accounts" }

// MyAccount is an application's own type: the generated struct plus a
// field under a name of the application's choosing.
type MyAccount struct {
	Account
	ShippingContact string `zoho:"Main_Contact_Name"`
}

func ExampleRecords() {
	ctx := context.Background()
	// An in-memory Zoho CRM whose Accounts have the org's custom field
	// Main_Contact_Name, and a client for it (see ExampleNew).
	srv, client := examplecrm.Start(zohotest.WithCustomField("Accounts", "Main_Contact_Name", "text"))
	defer srv.Close()

	accounts := zohohub.Records[MyAccount](client) // the module comes from the embedded Account
	acct := &MyAccount{Account: Account{AccountName: "Zylker", Industry: "Technology", Employees: 12}}
	if err := accounts.Save(ctx, acct); err != nil { // no ID: inserted, ID set
		log.Fatal(err)
	}

	found, err := accounts.Find(ctx, acct.ID)
	if err != nil {
		log.Fatal(err)
	}
	found.ShippingContact = "Jane Roe"
	found.Employees = 0 // sent as null: Zoho clears the field
	changes, _ := accounts.Changes(found)
	fmt.Println("changed:", changes)
	if err := accounts.Save(ctx, found); err != nil { // PUT of the changed fields only
		log.Fatal(err)
	}

	if err := accounts.Delete(ctx, found); err != nil {
		log.Fatal(err)
	}
	_, err = accounts.Find(ctx, acct.ID)
	fmt.Println("found after delete:", !errors.Is(err, zohohub.ErrNotFound))
	// Output:
	// changed: [Employees Main_Contact_Name]
	// found after delete: false
}

func ExampleModel_Get() {
	ctx := context.Background()
	// An in-memory org whose Accounts have a custom field Rating__c.
	srv, client := examplecrm.Start(zohotest.WithCustomField("Accounts", "Rating__c", "double"))
	defer srv.Close()
	ids, _ := srv.Seed("Accounts", map[string]any{"Account_Name": "Zylker", "Rating__c": 4.5})

	accounts := zohohub.Records[Account](client)
	acct, err := accounts.Find(ctx, ids[0])
	if err != nil {
		log.Fatal(err)
	}
	rating, ok := acct.Get("Rating__c") // a custom field the struct does not map
	fmt.Println(string(rating), ok)
	_ = acct.Set("Rating__c", 5)
	changes, _ := accounts.Changes(acct) // what the next Save sends
	fmt.Println(changes)
	// Output:
	// 4.5 true
	// [Rating__c]
}

func ExampleRecordSet_SaveAll() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client for it (see ExampleNew)
	defer srv.Close()

	accounts := make([]*Account, 250)
	for i := range accounts {
		accounts[i] = &Account{AccountName: fmt.Sprintf("Account %d", i)}
	}
	res, err := zohohub.Records[Account](client).NoTriggers().SaveAll(ctx, accounts) // 3 requests of ≤100
	var batchErr *zohohub.BatchError
	if errors.As(err, &batchErr) {
		for _, f := range batchErr.Failures {
			fmt.Println("record", f.Index, "failed:", f.Err)
		}
	}
	fmt.Println(res.Count(zohohub.ActionCreated), "created")
	// Output:
	// 250 created
}
