package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/zohohub/zohohub"
)

func TestSaveAllThousand(t *testing.T) {
	ctx := context.Background()
	f := newFakeCRM(t)
	c := f.client(t)
	// Record 250 (in the third chunk) has a bad phone.
	f.invalid = func(_ string, rec map[string]json.RawMessage) (string, bool) {
		return "Phone", string(rec["Phone"]) == `"bad"`
	}
	recs := make([]*tAccount, 1000)
	for i := range recs {
		recs[i] = &tAccount{AccountName: fmt.Sprintf("Account %d", i)}
	}
	recs[250].Phone = "bad"
	rs := zohohub.Records[tAccount](c)
	res, err := rs.SaveAll(ctx, recs)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Total != 1000 {
		t.Fatalf("err = %v, want a BatchError with one failure", err)
	}
	fail := be.Failures[0]
	var apiErr *zohohub.APIError
	if fail.Index != 250 || !errors.As(fail.Err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.APIName() != "Phone" || apiErr.Index != 250 {
		t.Fatalf("failure = %+v (%v)", fail, fail.Err)
	}
	if !errors.As(err, &apiErr) {
		t.Fatal("errors.As cannot reach the per-record *APIError")
	}
	if res.Count(zohohub.ActionCreated) != 999 || len(res.Failed()) != 1 {
		t.Fatalf("created %d, failed %d", res.Count(zohohub.ActionCreated), len(res.Failed()))
	}
	reqs := f.takeRequests()
	if len(reqs) != 10 {
		t.Fatalf("%d requests for 1000 records, want 10", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != http.MethodPost {
			t.Fatalf("request %s", r.Method)
		}
	}
	ids := map[string]bool{}
	for i, r := range recs {
		if i == 250 {
			if r.ID != "" || res.Results[i].Action != zohohub.ActionFailed {
				t.Fatalf("failed record got id %q", r.ID)
			}
			continue
		}
		if r.ID == "" || ids[r.ID] || res.Results[i].ID != r.ID {
			t.Fatalf("record %d id %q", i, r.ID)
		}
		ids[r.ID] = true
	}
	if n := len(f.records["Accounts"]); n != 999 {
		t.Fatalf("store holds %d records, want 999", n)
	}

	// Fix the failed one and change two others: one insert, one update
	// request; the rest are unchanged and not sent.
	recs[250].Phone = "good"
	recs[0].Phone, recs[999].Phone = "1", "2"
	res, err = rs.SaveAll(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(zohohub.ActionCreated) != 1 || res.Count(zohohub.ActionUpdated) != 2 || res.Count(zohohub.ActionUnchanged) != 997 {
		t.Fatalf("second SaveAll: %d created, %d updated, %d unchanged", res.Count(zohohub.ActionCreated),
			res.Count(zohohub.ActionUpdated), res.Count(zohohub.ActionUnchanged))
	}
	if reqs := f.takeRequests(); len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}

	// DeleteAll: 10 requests; an already deleted one is reported.
	if err := rs.Delete(ctx, recs[5]); err != nil {
		t.Fatal(err)
	}
	f.takeRequests()
	res, err = rs.DeleteAll(ctx, recs)
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 5 || !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("DeleteAll err = %v", err)
	}
	if res.Count(zohohub.ActionDeleted) != 999 || len(f.takeRequests()) != 10 || len(f.records["Accounts"]) != 0 {
		t.Fatalf("deleted %d", res.Count(zohohub.ActionDeleted))
	}
}

func TestSaveAllWholeChunkRejected(t *testing.T) {
	ctx := context.Background()
	f := newFakeCRM(t)
	c := f.client(t)
	f.invalid = func(string, map[string]json.RawMessage) (string, bool) { return "Last_Name", true }
	recs := []*tLead{{LastName: "a"}, {LastName: "b"}, {LastName: "c"}}
	res, err := zohohub.Records[tLead](c).SaveAll(ctx, recs)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 3 {
		t.Fatalf("err = %v", err)
	}
	for i, r := range res.Results {
		var apiErr *zohohub.APIError
		if r.Action != zohohub.ActionFailed || r.Index != i || !errors.As(r.Err, &apiErr) {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	var first *zohohub.APIError
	errors.As(res.Results[0].Err, &first)
	if first.Code != "INVALID_DATA" || first.APIName() != "Last_Name" {
		t.Fatalf("first failure %v", first)
	}
}

func TestUpsertAll(t *testing.T) {
	ctx := context.Background()
	f := newFakeCRM(t)
	c := f.client(t)
	rs := zohohub.Records[tLead](c)
	existing := &tLead{LastName: "Old", Email: "a@example.com"}
	if err := rs.Save(ctx, existing); err != nil {
		t.Fatal(err)
	}
	recs := []*tLead{{LastName: "A", Email: "a@example.com"}, {LastName: "B", Email: "b@example.com"}}
	res, err := rs.UpsertAll(ctx, recs, "Email")
	if err != nil {
		t.Fatal(err)
	}
	if res.Results[0].Action != zohohub.ActionUpdated || recs[0].ID != existing.ID || res.Results[1].Action != zohohub.ActionCreated {
		t.Fatalf("results %+v", res.Results)
	}
}
