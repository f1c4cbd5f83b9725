package zohohub_test

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

func ExampleRecordSet_Import() {
	srv, _ := zohotest.Start() // an in-memory Zoho CRM
	defer srv.Close()
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithExportPolling(time.Millisecond, time.Second)) // Zoho's jobs take longer: keep the defaults
	if err != nil {
		log.Fatal(err)
	}

	// Thousands of records in practice (zohohub.ImportThreshold); three here.
	leads := []*modules.Lead{
		{LastName: "Boyle", Company: "Acme", Email: "boyle@example.com"},
		{Company: "Zylker", Email: "nameless@example.com"}, // Last_Name is mandatory
		{LastName: "Burns", Company: "Initech", Email: "burns@example.com"},
	}
	res, err := zohohub.Records[modules.Lead](client).Import(context.Background(), leads, zohohub.ImportUpsert("Email"))
	for _, r := range res.Results {
		var apiErr *zohohub.APIError
		if errors.As(r.Err, &apiErr) {
			fmt.Println(r.Index, r.Action, apiErr.Code, apiErr.APIName())
			continue
		}
		fmt.Println(r.Index, r.Action, leads[r.Index].ID == r.ID)
	}
	var batchErr *zohohub.BatchError
	fmt.Println(errors.As(err, &batchErr), len(batchErr.Failures), "of", batchErr.Total, "failed")
	// Output:
	// 0 created true
	// 1 failed MANDATORY_NOT_FOUND Last_Name
	// 2 created true
	// true 1 of 3 failed
}
