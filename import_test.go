package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// importLeads are n new leads, each with a unique Email; the leads at the
// indexes in bad are invalid, each in its own way.
func importLeads(n int, bad map[int]string) []*modules.Lead {
	leads := make([]*modules.Lead, n)
	for i := range leads {
		leads[i] = &modules.Lead{LastName: fmt.Sprintf("Doe %05d", i), Company: "Acme", Email: fmt.Sprintf("doe.%d@example.com", i)}
		switch bad[i] {
		case "Email":
			leads[i].Email = fmt.Sprintf("not an email %d", i)
		case "Last_Name":
			leads[i].LastName = ""
		case "Company":
			leads[i].Company = strings.Repeat("x", 201)
		}
	}
	return leads
}

// checkImported checks that exactly the leads in bad failed, each with
// the error Zoho gives for its field, and the others have the action want.
func checkImported(t *testing.T, res zohohub.BatchResult, err error, n int, bad map[int]string, want zohohub.Action) {
	t.Helper()
	var batchErr *zohohub.BatchError
	if !errors.As(err, &batchErr) || batchErr.Op != "Import" || len(batchErr.Failures) != len(bad) || len(batchErr.Unknown) != 0 {
		t.Fatalf("error %v, want a BatchError of %d failures", err, len(bad))
	}
	if len(res.Results) != n || res.Count(want) != n-len(bad) {
		t.Fatalf("%d results, %d %s, want %d", len(res.Results), res.Count(want), want, n-len(bad))
	}
	codes := map[string]string{"Email": "INVALID_DATA", "Last_Name": "MANDATORY_NOT_FOUND", "Company": "INVALID_DATA"}
	for _, f := range res.Failed() {
		field, ok := bad[f.Index]
		var apiErr *zohohub.APIError
		if !ok || !errors.As(f.Err, &apiErr) || apiErr.Code != codes[field] || apiErr.APIName() != field || apiErr.Index != f.Index {
			t.Errorf("record %d failed with %v, want %s of %s", f.Index, f.Err, codes[field], field)
		}
	}
	for _, r := range res.Results {
		if _, isBad := bad[r.Index]; !isBad && (r.ID == "" || r.Err != nil) {
			t.Fatalf("record %d: %+v", r.Index, r)
		}
	}
}

func TestImportReportsEachInvalidRow(t *testing.T) {
	srv, c := exportClient(t)
	const n = 10_000
	bad := map[int]string{17: "Email", 4242: "Last_Name", 9999: "Company"}
	leads := importLeads(n, bad)
	srv.ResetRequests()
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), leads)
	checkImported(t, res, err, n, bad, zohohub.ActionCreated)
	if got := len(srv.Records("Leads")); got != n-len(bad) {
		t.Fatalf("%d leads in Zoho, want %d", got, n-len(bad))
	}
	for i, l := range leads {
		if _, isBad := bad[i]; !isBad && l.ID != res.Results[i].ID {
			t.Fatalf("lead %d has ID %q, result %q", i, l.ID, res.Results[i].ID)
		}
	}
	// org, upload, create, status, result: one job.
	var calls []string
	for _, r := range sent(srv) {
		calls = append(calls, r.Method+" "+r.Path)
	}
	t.Logf("calls: %q", calls)
}
