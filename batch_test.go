package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
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
// failed with a 500 may have been written, so it is not sent again and its
// records are reported of unknown outcome. (Here the emulator's 500
// applied nothing, so saving them again writes each once.)
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
	if unknown := res.Unknown(); len(unknown) != 100 || len(res.Failed()) != 0 || !errors.Is(err, zohohub.ErrOutcomeUnknown) ||
		!errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Code != "INTERNAL_ERROR" {
		t.Fatalf("after a 500: %d unknown, %d failed, err %v", len(unknown), len(res.Failed()), err)
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

// A success must name the record written: a SUCCESS whose details.id is
// null, missing, a number or not an id, or (for an update or a delete)
// another record's id, says the request was applied but not as what. Such
// records are of unknown outcome, never created with an empty id.
func TestBatchSuccessWithoutValidIDIsUnknown(t *testing.T) {
	const good = "5725767000000001001"
	var h http.HandlerFunc = func(w http.ResponseWriter, r *http.Request) {
		ok := func(details string) string {
			return `{"code":"SUCCESS","details":` + details + `,"message":"record added","status":"success"}`
		}
		switch r.Method {
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"data":[`+strings.Join([]string{ok(`{"id":"` + good + `"}`), ok(`{"id":null}`), ok(`{}`), ok(`null`),
				ok(`{"id":5725767000000001002}`), ok(`{"id":"12 34"}`), ok(`{"id":["1"]}`)}, ",")+`]}`)
		case http.MethodPut:
			io.WriteString(w, `{"data":[`+ok(`{"id":"5725767000000009999"}`)+`]}`)
		case http.MethodDelete:
			io.WriteString(w, `{"data":[`+ok(`{"id":"5725767000000009999"}`)+`]}`)
		}
	}
	c, _ := newTestClient(t, h)
	rs := zohohub.Records[tAccount](c)
	ctx := context.Background()
	recs := make([]*tAccount, 7)
	for i := range recs {
		recs[i] = &tAccount{AccountName: fmt.Sprint("A", i)}
	}
	res, err := rs.SaveAll(ctx, recs)
	if res.Results[0].Action != zohohub.ActionCreated || recs[0].ID != good || res.Results[0].ID != good {
		t.Fatalf("record with a valid id: %+v, ID %q", res.Results[0], recs[0].ID)
	}
	for i := 1; i < len(recs); i++ {
		rr := res.Results[i]
		if rr.Action != zohohub.ActionUnknown || recs[i].ID != "" || rr.ID != "" ||
			!errors.Is(rr.Err, zohohub.ErrOutcomeUnknown) || !errors.Is(rr.Err, zohohub.ErrBadResponse) {
			t.Errorf("record %d: %+v, ID %q", i, rr, recs[i].ID)
		}
	}
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Unknown) != 6 || len(be.Failures) != 0 || !errors.Is(err, zohohub.ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}

	upd := &tAccount{Model: zohohub.Model{ID: "5725767000000000042"}, AccountName: "U"}
	res, _ = rs.SaveAll(ctx, []*tAccount{upd})
	if rr := res.Results[0]; rr.Action != zohohub.ActionUnknown || !errors.Is(rr.Err, zohohub.ErrBadResponse) {
		t.Fatalf("update answered for another record: %+v", rr)
	}
	res, _ = rs.DeleteAll(ctx, []*tAccount{upd})
	if rr := res.Results[0]; rr.Action != zohohub.ActionUnknown || !errors.Is(rr.Err, zohohub.ErrBadResponse) {
		t.Fatalf("delete answered for another record: %+v", rr)
	}
}

// A chunk whose request was applied but whose answer was a 500, or never
// came, is of unknown outcome: not failed (saving it again would insert
// it twice).
func TestSaveAllAppliedButUnansweredIsUnknown(t *testing.T) {
	for _, f := range []fault{answer500, dropConn} {
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			srv := zohotest.New(t)
			c, _ := proxiedClient(t, srv, nthRequest("POST /crm/v8/Leads", 2, f))
			recs := make([]*tLead, 300)
			for i := range recs {
				recs[i] = &tLead{LastName: fmt.Sprint("L", i)}
			}
			res, err := zohohub.Records[tLead](c).SaveAll(context.Background(), recs)
			if res.Count(zohohub.ActionCreated) != 200 || res.Count(zohohub.ActionUnknown) != 100 || len(res.Failed()) != 0 {
				t.Fatalf("%d created, %d unknown, %d failed: %v", res.Count(zohohub.ActionCreated), res.Count(zohohub.ActionUnknown), len(res.Failed()), err)
			}
			if !errors.Is(err, zohohub.ErrOutcomeUnknown) {
				t.Fatalf("err = %v", err)
			}
			for _, rr := range res.Unknown() {
				var ue *zohohub.OutcomeUnknownError
				var apiErr *zohohub.APIError
				if !errors.As(rr.Err, &ue) || ue.Index != rr.Index || ue.Method != http.MethodPost || ue.Path != "Leads" || ue.Position != rr.Index%100 {
					t.Fatalf("record %d: %v", rr.Index, rr.Err)
				}
				if f == answer500 && (!errors.As(rr.Err, &apiErr) || apiErr.StatusCode != 500) {
					t.Fatalf("record %d: the 500 is not reachable: %v", rr.Index, rr.Err)
				}
			}
			if n := len(srv.Records("Leads")); n != 300 {
				t.Fatalf("emulator holds %d leads, want 300", n)
			}
		})
	}
}

// A request in flight when the context ends may have been applied: its
// records are unknown. Those not yet sent are failed with the context's
// error: nothing of them was sent.
func TestSaveAllCancelledInFlightIsUnknown(t *testing.T) {
	srv := zohotest.New(t)
	c, fp := proxiedClient(t, srv, nthRequest("POST /crm/v8/Leads", 1, hang), zohohub.WithConcurrency(1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for fp.applied.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	recs := make([]*tLead, 300)
	for i := range recs {
		recs[i] = &tLead{LastName: fmt.Sprint("L", i)}
	}
	res, err := zohohub.Records[tLead](c).SaveAll(ctx, recs)
	for i, rr := range res.Results {
		switch {
		case i < 100 && (rr.Action != zohohub.ActionUnknown || !errors.Is(rr.Err, zohohub.ErrOutcomeUnknown)):
			t.Fatalf("record %d, in flight: %+v", i, rr)
		case i >= 100 && (rr.Action != zohohub.ActionFailed || !errors.Is(rr.Err, context.Canceled) || errors.Is(rr.Err, zohohub.ErrOutcomeUnknown)):
			t.Fatalf("record %d, never sent: %+v", i, rr)
		}
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, zohohub.ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.Records("Leads")); n != 100 {
		t.Fatalf("emulator holds %d leads, want 100", n)
	}
}

// When Zoho refuses every record of a request (400 with data[]), each
// record gets its own error, not the first record's.
func TestSaveAllRefusedChunkGivesEachItsError(t *testing.T) {
	_, c := emulatorClient(t)
	recs := []*tLead{{LastName: strings.Repeat("x", 81)}, {Company: "no last name"}, {LastName: strings.Repeat("y", 81)}}
	res, err := zohohub.Records[tLead](c).SaveAll(context.Background(), recs)
	want := []string{"INVALID_DATA", "MANDATORY_NOT_FOUND", "INVALID_DATA"}
	for i, rr := range res.Results {
		var apiErr *zohohub.APIError
		if rr.Action != zohohub.ActionFailed || !errors.As(rr.Err, &apiErr) || apiErr.Code != want[i] || apiErr.Index != i ||
			apiErr.Details["json_path"] != fmt.Sprintf("$.data[%d].Last_Name", i) {
			t.Errorf("record %d: %+v", i, rr)
		}
	}
	if err == nil {
		t.Fatal("no error")
	}
}

// DeleteAll of ids Zoho no longer has (400 with one error per id): each
// record gets its own not-found error.
func TestDeleteAllOfMissingRecordsReportsEachNotFound(t *testing.T) {
	srv, c := emulatorClient(t)
	ids := seed(t, srv, "Accounts", map[string]any{"Account_Name": "A"}, map[string]any{"Account_Name": "B"}, map[string]any{"Account_Name": "C"})
	recs := make([]*tAccount, len(ids))
	for i, id := range ids {
		recs[i] = &tAccount{Model: zohohub.Model{ID: id}}
	}
	rs := zohohub.Records[tAccount](c)
	if _, err := rs.DeleteAll(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	res, err := rs.DeleteAll(context.Background(), recs)
	if !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	for i, rr := range res.Results {
		var apiErr *zohohub.APIError
		if rr.Action != zohohub.ActionFailed || !errors.Is(rr.Err, zohohub.ErrNotFound) || !errors.As(rr.Err, &apiErr) ||
			apiErr.Details["id"] != ids[i] || apiErr.Index != i {
			t.Errorf("record %d: %+v", i, rr)
		}
	}
}

// A DELETE whose first attempt was applied but answered 500 (or cut) is
// sent again, and Zoho then says the records do not exist: they were
// deleted, by the first attempt.
func TestDeleteAllRetriedAfterAppliedFailureReportsDeleted(t *testing.T) {
	for _, f := range []fault{answer500, dropConn} {
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			srv := zohotest.New(t)
			c, fp := proxiedClient(t, srv, nthRequest("DELETE /crm/v8/Accounts", 1, f))
			var seeds []map[string]any
			for i := range 250 {
				seeds = append(seeds, map[string]any{"Account_Name": fmt.Sprint("A", i)})
			}
			ids := seed(t, srv, "Accounts", seeds...)
			recs := make([]*tAccount, len(ids))
			for i, id := range ids {
				recs[i] = &tAccount{Model: zohohub.Model{ID: id}}
			}
			res, err := zohohub.Records[tAccount](c).DeleteAll(context.Background(), recs)
			if err != nil || res.Count(zohohub.ActionDeleted) != 250 || fp.applied.Load() != 1 {
				t.Fatalf("%d deleted, %d faults: %v", res.Count(zohohub.ActionDeleted), fp.applied.Load(), err)
			}
			if n := len(srv.Records("Accounts")); n != 0 {
				t.Fatalf("%d accounts left", n)
			}
		})
	}
}

// A per-record error of a batch names the record's place in the caller's
// slice and in its request, plainly.
func TestBatchErrorNamesBothPlaces(t *testing.T) {
	_, c := emulatorClient(t)
	recs := make([]*tAccount, 300)
	for i := range recs {
		recs[i] = &tAccount{AccountName: fmt.Sprint("Account ", i)}
	}
	recs[237].Phone = strings.Repeat("5", 31)
	_, err := zohohub.Records[tAccount](c).SaveAll(context.Background(), recs)
	if err == nil || !strings.Contains(err.Error(), "record 237 (data[37] of its request)") || strings.Count(err.Error(), "record 237") != 1 {
		t.Fatalf("err = %v", err)
	}
}

// ResolveUnknown looks the inserts of unknown outcome up by their unique
// key: those applied become created with the id Zoho gave them, those not
// applied become failed (saving them again writes them once), and those it
// cannot tell apart stay unknown. One COQL query is sent per 100 keys.
func TestResolveUnknownByUniqueKey(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	var posts atomic.Int64
	c, _ := proxiedClient(t, srv, func(r *http.Request) fault {
		if r.Method+" "+r.URL.Path != "POST /crm/v8/Leads" {
			return passOn
		}
		switch posts.Add(1) {
		case 2:
			return answer500 // records 100–199: applied
		case 3:
			return reject500 // records 200–299: not applied
		}
		return passOn
	}, zohohub.WithConcurrency(1))
	recs := make([]*tLead, 300)
	for i := range recs {
		recs[i] = &tLead{LastName: fmt.Sprint("L", i), Email: fmt.Sprintf("l%d@example.com", i)}
	}
	recs[150].Email = ""                                                      // no key
	recs[120].Email, recs[130].Email = "same@example.com", "SAME@example.com" // a key two records share
	rs := zohohub.Records[tLead](c)
	res, err := rs.SaveAll(ctx, recs)
	if res.Count(zohohub.ActionCreated) != 100 || res.Count(zohohub.ActionUnknown) != 200 || !errors.Is(err, zohohub.ErrOutcomeUnknown) {
		t.Fatalf("SaveAll: %d created, %d unknown: %v", res.Count(zohohub.ActionCreated), res.Count(zohohub.ActionUnknown), err)
	}
	sent(srv)
	before := res
	res, err = rs.ResolveUnknown(ctx, recs, res, "Email")
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 100 || len(be.Unknown) != 3 {
		t.Fatalf("ResolveUnknown: %v", err)
	}
	if before.Results[100].Action != zohohub.ActionUnknown {
		t.Fatal("ResolveUnknown changed the result it was given")
	}
	held := map[string]map[string]any{}
	for _, r := range srv.Records("Leads") {
		held[r["id"].(string)] = r
	}
	for i, rr := range res.Results {
		switch {
		case i == 120 || i == 130 || i == 150:
			if rr.Action != zohohub.ActionUnknown || !errors.Is(rr.Err, zohohub.ErrOutcomeUnknown) || !strings.Contains(rr.Err.Error(), "not resolved") {
				t.Errorf("record %d: %+v", i, rr)
			}
		case i < 200:
			if rr.Action != zohohub.ActionCreated || rr.Err != nil || rr.ID == "" || recs[i].ID != rr.ID || held[rr.ID]["Last_Name"] != recs[i].LastName {
				t.Errorf("record %d: %+v", i, rr)
			}
		default:
			if rr.Action != zohohub.ActionFailed || errors.Is(rr.Err, zohohub.ErrOutcomeUnknown) || recs[i].ID != "" {
				t.Errorf("record %d: %+v", i, rr)
			}
		}
	}
	var coql int
	for _, r := range sent(srv) {
		if r.Path != "/crm/v8/coql" {
			t.Errorf("ResolveUnknown sent %s %s", r.Method, r.Path)
		}
		coql++
	}
	if coql != 2 { // 197 keys
		t.Errorf("%d queries for 197 keys, want 2", coql)
	}

	// The failed ones were not written: saving them again writes each once.
	res, err = rs.SaveAll(ctx, recs[200:])
	if err != nil || res.Count(zohohub.ActionCreated) != 100 {
		t.Fatalf("saving the failed again: %v", err)
	}
	if n := len(srv.Records("Leads")); n != 299 { // record 130's insert was refused as a duplicate of 120's
		t.Fatalf("emulator holds %d leads, want 299", n)
	}
}

// ResolveUnknown refuses a key the type does not map, and results that
// are not those of the records given.
func TestResolveUnknownChecksItsInput(t *testing.T) {
	_, c := emulatorClient(t)
	rs := zohohub.Records[tLead](c)
	recs := []*tLead{{LastName: "A"}}
	res := zohohub.BatchResult{Results: []zohohub.RecordResult{{Index: 0, Action: zohohub.ActionCreated}}}
	if _, err := rs.ResolveUnknown(context.Background(), recs, res, "Phone"); err == nil {
		t.Error("unmapped key field accepted")
	}
	if _, err := rs.ResolveUnknown(context.Background(), append(recs, &tLead{}), res, "Email"); err == nil {
		t.Error("two records for one result accepted")
	}
	if got, err := rs.ResolveUnknown(context.Background(), recs, res, "Email"); err != nil || got.Results[0] != res.Results[0] {
		t.Errorf("nothing to resolve: %+v, %v", got, err)
	}
}

// A query of ResolveUnknown that fails returns its error and leaves its
// records unknown.
func TestResolveUnknownQueryFailureLeavesUnknown(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[tLead](c)
	recs := []*tLead{{LastName: "A", Email: "a@example.com"}, {LastName: "B", Email: "b@example.com"}}
	srv.FailNext("POST /crm/v8/Leads", 1, http.StatusInternalServerError, "INTERNAL_ERROR")
	res, _ := rs.SaveAll(ctx, recs)
	srv.FailNext("POST /crm/v8/coql", 10, http.StatusBadRequest, "INVALID_QUERY")
	got, err := rs.ResolveUnknown(ctx, recs, res, "Email")
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "INVALID_QUERY" || errors.As(err, new(*zohohub.BatchError)) || got.Count(zohohub.ActionUnknown) != 2 {
		t.Fatalf("%+v, %v", got, err)
	}
}
