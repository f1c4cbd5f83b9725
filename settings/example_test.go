package settings_test

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/settings"
)

func ExampleFields() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	fields, err := settings.Fields(ctx, client, "Accounts")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range fields {
		switch f.APIName {
		case "Account_Name":
			fmt.Printf("%s: %s, at most %d characters, mandatory %t, unique %t\n", f.APIName, f.DataType, f.Length, f.SystemMandatory, f.IsUnique())
		case "Annual_Revenue":
			fmt.Printf("%s: %s with %d decimal places\n", f.APIName, f.DataType, *f.DecimalPlace)
		case "Parent_Account":
			fmt.Printf("%s: %s to %v\n", f.APIName, f.DataType, f.LookupModules())
		case "Rating":
			fmt.Printf("%s: %s of %d values, first %q\n", f.APIName, f.DataType, len(f.PickListValues), f.PickListValues[1].Value())
		}
	}
	// Output:
	// Account_Name: text, at most 200 characters, mandatory true, unique true
	// Annual_Revenue: currency with 2 decimal places
	// Parent_Account: lookup to [Accounts]
	// Rating: picklist of 6 values, first "Acquired"
}

func ExampleModule() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	leads, err := settings.Module(ctx, client, "Leads")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(leads.SingularLabel, "records are named by", leads.DisplayField.APIName)
	fmt.Println("default view:", leads.CustomView.Name)
	for _, rl := range leads.RelatedLists {
		if rl.APIName == "Notes" {
			fmt.Printf("related list %s of %s records: %s\n", rl.DisplayLabel, rl.Module.APIName, rl.Href)
		}
	}
	// Output:
	// Lead records are named by Full_Name
	// default view: All Leads
	// related list Notes of Notes records: Leads/{ENTITYID}/Notes
}

func ExampleUsers() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	for u, err := range settings.Users(ctx, client, settings.ActiveUsers) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.FullName, u.Email, u.Role.Name, u.Profile.Name)
	}
	me, err := settings.CurrentUser(ctx, client)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current user:", me.FullName)
	// Output:
	// Jane Roe jane@example.com CEO Administrator
	// John Smith john@example.com Manager Administrator
	// current user: Jane Roe
}

func ExampleOrg() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	org, err := settings.Org(ctx, client)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.CompanyName, org.ISOCode, org.LicenseDetails.PaidType, org.TimeZone)
	// Output:
	// Zylker USD enterprise America/Los_Angeles
}

func ExampleSnapshot() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	// What zhgen -live -modules Accounts -dump DIR writes into DIR.
	snap, err := settings.Snapshot(ctx, client, settings.OnlyModules("Accounts"))
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(snap)) {
		fmt.Println(name)
	}
	// Output:
	// fields/Accounts.json
	// layouts/Accounts.json
	// modules.json
	// related_lists/Accounts.json
}
