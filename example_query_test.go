package zohohub_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
)

func ExampleRecordSet_Where() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client holding a token for it
	defer srv.Close()

	accounts := zohohub.Records[modules.Account](client)
	for _, name := range []string{"Zylker", "Zoho (Labs), Inc.", "Acme"} {
		if err := accounts.Save(ctx, &modules.Account{AccountName: name, Industry: modules.AccountIndustryValueStorageEquipment, Employees: len(name)}); err != nil {
			log.Fatal(err)
		}
	}
	q := accounts.Where(
		modules.AccountIndustry.Equals(modules.AccountIndustryValueStorageEquipment),
		zohohub.Or(modules.AccountAccountName.StartsWith("Zoho (Labs)"), modules.AccountEmployees.LessThan(5)),
	).Limit(100)
	plan, _ := q.Explain()
	fmt.Println(plan.Kind, plan.Query.Get("criteria"))
	for a, err := range q.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.AccountName, a.Employees)
	}
	n, _ := accounts.Where(modules.AccountEmployees.GreaterThan(4)).Count(ctx)
	fmt.Println("more than 4 employees:", n)
	// Output:
	// search ((Industry:equals:Storage Equipment)and((Account_Name:starts_with:Zoho \(Labs\))or(Employees:less_than:5)))
	// Acme 4
	// Zoho (Labs), Inc. 17
	// more than 4 employees: 2
}
