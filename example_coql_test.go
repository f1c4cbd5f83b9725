package zohohub_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
)

func ExampleRecordSet_COQL() {
	ctx := context.Background()
	srv, client := examplecrm.Start() // an in-memory Zoho CRM and a client holding a token for it
	defer srv.Close()

	accounts := zohohub.Records[modules.Account](client)
	for _, name := range []string{"Zylker", "O'Reilly Media", "Acme"} {
		if err := accounts.Save(ctx, &modules.Account{AccountName: name, Employees: 10 * len(name)}); err != nil {
			log.Fatal(err)
		}
	}
	// Each ? is replaced by a quoted literal: the quote in O'Reilly cannot
	// end it. Without a LIMIT of its own the statement is paged 2,000
	// rows a call.
	stmt := "select Account_Name, Employees from Accounts where (Account_Name = ? or Employees < ?) order by Employees desc"
	for a, err := range accounts.COQL(ctx, stmt, "O'Reilly Media", 50) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.AccountName, a.Employees)
	}
	// Output:
	// O'Reilly Media 140
	// Acme 40
}
