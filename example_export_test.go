package zohohub_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

func ExampleQuery_Export() {
	srv, _ := zohotest.Start() // an in-memory Zoho CRM
	defer srv.Close()
	srv.Seed("Leads", map[string]any{"Last_Name": "Boyle", "Company": "Acme"},
		map[string]any{"Last_Name": "Burns", "Company": "Zylker"})
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithExportPolling(time.Millisecond, time.Second)) // Zoho's jobs take longer: keep the defaults
	if err != nil {
		log.Fatal(err)
	}

	leads := zohohub.Records[modules.Lead](client)
	for lead, err := range leads.Where(modules.LeadCompany.Equals("Acme")).Export(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(lead.LastName, lead.Company)
	}
	// Output:
	// Boyle Acme
}
