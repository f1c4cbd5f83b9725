package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
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
	crm := startFakeCRM() // in your tests: zohotest
	defer crm.Close()
	client, err := crm.newClient()
	if err != nil {
		log.Fatal(err)
	}

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
	crm := startFakeCRM()
	defer crm.Close()
	client, _ := crm.newClient()
	crm.put("Accounts", "3652397000009851001", map[string]any{"Account_Name": "Zylker", "Rating__c": 4.5})

	accounts := zohohub.Records[Account](client)
	acct, err := accounts.Find(ctx, "3652397000009851001")
	if err != nil {
		log.Fatal(err)
	}
	rating, ok := acct.Get("Rating__c") // a custom field the struct does not map
	fmt.Println(string(rating), ok)
	_ = acct.Set("Rating__c", 5) // sent on the next Save
	fmt.Println(acct.Unmapped())
	// Output:
	// 4.5 true
	// [Rating__c]
}

func ExampleRecordSet_SaveAll() {
	ctx := context.Background()
	crm := startFakeCRM()
	defer crm.Close()
	client, _ := crm.newClient()

	leads := make([]*Account, 250)
	for i := range leads {
		leads[i] = &Account{AccountName: fmt.Sprintf("Account %d", i)}
	}
	res, err := zohohub.Records[Account](client).NoTriggers().SaveAll(ctx, leads) // 3 requests of ≤100
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
