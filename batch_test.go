package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// sentRecords decodes the data array of a write request.
func sentRecords(t *testing.T, r zohotest.RequestRecord) []map[string]any {
	t.Helper()
	var body struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("%s %s body %s: %v", r.Method, r.Path, r.Body, err)
	}
	return body.Data
}

func TestSaveAllThousand(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	// Record 250 (in the third chunk) has a phone longer than Zoho's 30.
	recs := make([]*tAccount, 1000)
	for i := range recs {
		recs[i] = &tAccount{AccountName: fmt.Sprintf("Account %d", i)}
	}
	recs[250].Phone = strings.Repeat("5", 31)
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
	reqs := sent(srv)
	if len(reqs) != 10 {
		t.Fatalf("%d requests for 1000 records, want 10", len(reqs))
	}
	names := map[string]bool{}
	for _, r := range reqs {
		data := sentRecords(t, r)
		if r.Method != http.MethodPost || len(data) != 100 {
			t.Fatalf("request %s with %d records, want POST of 100", r.Method, len(data))
		}
		for _, d := range data {
			names[d["Account_Name"].(string)] = true
		}
	}
	if len(names) != 1000 {
		t.Fatalf("%d distinct records sent, want 1000", len(names))
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
	if n := len(srv.Records("Accounts")); n != 999 {
		t.Fatalf("store holds %d records, want 999", n)
	}

	// Fix the failed one and change two others: one insert, one update
	// request of only the changed field; the rest are unchanged and not sent.
	recs[250].Phone = "555-0100"
	recs[0].Phone, recs[999].Phone = "1", "2"
	res, err = rs.SaveAll(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(zohohub.ActionCreated) != 1 || res.Count(zohohub.ActionUpdated) != 2 || res.Count(zohohub.ActionUnchanged) != 997 {
		t.Fatalf("second SaveAll: %d created, %d updated, %d unchanged", res.Count(zohohub.ActionCreated),
			res.Count(zohohub.ActionUpdated), res.Count(zohohub.ActionUnchanged))
	}
	reqs = sent(srv)
	if len(reqs) != 2 || reqs[0].Method != http.MethodPost || reqs[1].Method != http.MethodPut {
		t.Fatalf("%d requests, want a POST and a PUT", len(reqs))
	}
	if ins := sentRecords(t, reqs[0]); len(ins) != 1 || ins[0]["Account_Name"] != "Account 250" || ins[0]["Phone"] != "555-0100" {
		t.Fatalf("insert sent %v", ins)
	}
	if body, want := string(reqs[1].Body), `{"data":[{"id":"`+recs[0].ID+`","Phone":"1"},{"id":"`+recs[999].ID+`","Phone":"2"}]}`; body != want {
		t.Fatalf("update body\n got %s\nwant %s", body, want)
	}
	if n := len(srv.Records("Accounts")); n != 1000 {
		t.Fatalf("store holds %d records, want 1000", n)
	}

	// DeleteAll: 10 requests; an already deleted one is reported.
	if err := rs.Delete(ctx, recs[5]); err != nil {
		t.Fatal(err)
	}
	sent(srv)
	res, err = rs.DeleteAll(ctx, recs)
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 5 || !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("DeleteAll err = %v", err)
	}
	if res.Count(zohohub.ActionDeleted) != 999 {
		t.Fatalf("deleted %d", res.Count(zohohub.ActionDeleted))
	}
	reqs = sent(srv)
	for _, r := range reqs {
		if n := len(strings.Split(url.Values(r.Query).Get("ids"), ",")); r.Method != http.MethodDelete || n != 100 {
			t.Fatalf("%s with %d ids, want DELETE of 100", r.Method, n)
		}
	}
	if len(reqs) != 10 || len(srv.Records("Accounts")) != 0 {
		t.Fatalf("%d requests, %d records left", len(reqs), len(srv.Records("Accounts")))
	}
}

// A chunk Zoho refused unread (429) is sent again; an insert chunk that
// failed with a 500 may have been written, so it is not, and saving the
// same records again sends only the failed ones: no record is written
// twice.
func TestSaveAllChunkRetryWritesOnce(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	rs := zohohub.Records[tAccount](c)
	batch := func(from int) []*tAccount {
		recs := make([]*tAccount, 300)
		for i := range recs {
			recs[i] = &tAccount{AccountName: fmt.Sprint("A", from+i)}
		}
		return recs
	}
	posts := func() (n int) {
		for _, r := range sent(srv) {
			if r.Method == http.MethodPost {
				n++
			}
		}
		return n
	}

	srv.FailNext("POST /crm/v8/Accounts", 1, http.StatusTooManyRequests, "TOO_MANY_REQUESTS")
	if res, err := rs.SaveAll(ctx, batch(0)); err != nil || res.Count(zohohub.ActionCreated) != 300 {
		t.Fatalf("after a 429: %v", err)
	}
	if n := posts(); n != 4 {
		t.Fatalf("%d POSTs, want 3 and the one retried", n)
	}

	recs := batch(300)
	srv.FailNext("POST /crm/v8/Accounts", 1, http.StatusInternalServerError, "INTERNAL_ERROR")
	res, err := rs.SaveAll(ctx, recs)
	var apiErr *zohohub.APIError
	if failed := res.Failed(); len(failed) != 100 || !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Code != "INTERNAL_ERROR" {
		t.Fatalf("after a 500: %d failed, err %v", len(failed), err)
	}
	if n := posts(); n != 3 {
		t.Fatalf("%d POSTs, want 3 (an insert is not repeated)", n)
	}
	res, err = rs.SaveAll(ctx, recs)
	if err != nil || res.Count(zohohub.ActionCreated) != 100 || res.Count(zohohub.ActionUnchanged) != 200 {
		t.Fatalf("saving again: %d created, %d unchanged, %v", res.Count(zohohub.ActionCreated), res.Count(zohohub.ActionUnchanged), err)
	}
	if n := posts(); n != 1 {
		t.Fatalf("%d POSTs, want 1", n)
	}

	// Updates are idempotent: a PUT chunk is retried after a 500.
	for _, r := range recs {
		r.Phone = "1"
	}
	srv.FailNext("PUT /crm/v8/Accounts", 1, http.StatusInternalServerError, "INTERNAL_ERROR")
	if res, err := rs.SaveAll(ctx, recs); err != nil || res.Count(zohohub.ActionUpdated) != 300 {
		t.Fatalf("update after a 500: %v", err)
	}

	all := srv.Records("Accounts")
	names := map[string]bool{}
	for _, r := range all {
		names[r["Account_Name"].(string)] = true
	}
	if len(all) != 600 || len(names) != 600 {
		t.Fatalf("%d records, %d names, want 600 of each", len(all), len(names))
	}
}

func TestSaveAllWholeChunkRejected(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	long := strings.Repeat("x", 81) // Zoho's Last_Name holds 80
	recs := []*tLead{{LastName: long}, {LastName: long}, {LastName: long}}
	res, err := zohohub.Records[tLead](c).SaveAll(ctx, recs)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 3 {
		t.Fatalf("err = %v", err)
	}
	for i, r := range res.Results {
		var apiErr *zohohub.APIError
		if r.Action != zohohub.ActionFailed || r.Index != i || !errors.As(r.Err, &apiErr) || apiErr.Index != i {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	var first *zohohub.APIError
	errors.As(res.Results[0].Err, &first)
	if first.StatusCode != 400 || first.Code != "INVALID_DATA" || first.APIName() != "Last_Name" {
		t.Fatalf("first failure %v", first)
	}
	if n := len(srv.Records("Leads")); n != 0 {
		t.Fatalf("%d leads stored", n)
	}
}

func TestUpsertAll(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
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
	if res.Results[0].Action != zohohub.ActionUpdated || recs[0].ID != existing.ID || res.Results[1].Action != zohohub.ActionCreated || recs[1].ID == "" {
		t.Fatalf("results %+v", res.Results)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if last.Path != "/crm/v8/Leads/upsert" || !strings.Contains(string(last.Body), `"duplicate_check_fields":["Email"]`) {
		t.Fatalf("upsert request %s %s", last.Path, last.Body)
	}
	if got := srv.Records("Leads"); len(got) != 2 || got[0]["Last_Name"] != "A" || got[1]["Last_Name"] != "B" {
		t.Fatalf("stored %v", got)
	}
}

// A json_path naming a record the request did not carry (a hostile or
// buggy server) must not panic: every record is reported as failed.
func TestSaveAllRejectedChunkWithOutOfRangeJSONPath(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"data":[{"code":"INVALID_DATA","details":{"api_name":"Phone","json_path":"$.data[7]"},"message":"invalid data","status":"error"}]}`))
	})
	c, _ := newTestClient(t, h)
	recs := []*tAccount{{AccountName: "a"}, {AccountName: "b"}}
	res, err := zohohub.Records[tAccount](c).SaveAll(context.Background(), recs)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 2 {
		t.Fatalf("err = %v, want a BatchError with two failures", err)
	}
	for i, rr := range res.Results {
		if rr.Action != zohohub.ActionFailed || rr.Err == nil {
			t.Errorf("record %d: %+v", i, rr)
		}
	}
}
