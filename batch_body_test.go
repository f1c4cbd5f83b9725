package zohohub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/zohohub/zohohub"
)

// TestSaveAllBodiesAreWhatMarshalWrites: the bodies SaveAll ends in place
// (each request's objects written into one buffer that becomes the body)
// are what json.Marshal writes for the same objects, also when records
// that cannot be encoded fall between others and at a request's edges.
func TestSaveAllBodiesAreWhatMarshalWrites(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[tAccount](c).WithTriggers(zohohub.TriggerWorkflow)
	bad := map[int]bool{0: true, 99: true, 100: true, 150: true, 249: true}
	recs := make([]*tAccount, 250)
	for i := range recs {
		recs[i] = &tAccount{AccountName: fmt.Sprintf("Account <%d> & \"co\"", i), Employees: i}
		if bad[i] {
			recs[i].Industry = "\xff" // not UTF-8: refused before sending
		}
	}
	check := func(what string, wantRequests, wantRecords int) {
		t.Helper()
		n := 0
		reqs := sent(srv)
		for _, r := range reqs {
			var body struct {
				Data    []json.RawMessage `json:"data"`
				Trigger *[]string         `json:"trigger,omitempty"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("%s: %s body %s: %v", what, r.Method, r.Body, err)
			}
			want, _ := json.Marshal(body)
			if !bytes.Equal(r.Body, want) {
				t.Fatalf("%s: %s sent\n%s\njson.Marshal writes\n%s", what, r.Method, r.Body, want)
			}
			n += len(body.Data)
		}
		if len(reqs) != wantRequests || n != wantRecords {
			t.Fatalf("%s: %d requests with %d records, want %d with %d", what, len(reqs), n, wantRequests, wantRecords)
		}
	}
	res, _ := rs.SaveAll(ctx, recs)
	if len(res.Failed()) != len(bad) {
		t.Fatalf("inserts: %d failed, want %d", len(res.Failed()), len(bad))
	}
	check("inserts", 3, 245)
	for i, r := range recs {
		r.Industry = ""
		if i%3 != 0 {
			r.Phone = fmt.Sprintf("+49 %d", i)
		}
		if i == 1 || i == 101 || i == 248 {
			r.Phone = "\xfe"
		}
	}
	res, _ = rs.SaveAll(ctx, recs)
	inserted, updated := res.Count(zohohub.ActionCreated), res.Count(zohohub.ActionUpdated)
	if inserted != len(bad) || len(res.Failed()) != 3 {
		t.Fatalf("second save: %d inserted, %d updated, %d failed", inserted, updated, len(res.Failed()))
	}
	check("updates", 1+(updated+99)/100, inserted+updated)
}
