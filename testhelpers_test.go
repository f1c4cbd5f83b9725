package zohohub_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/zohotest"
)

// withFields declares the custom fields an org has added, each
// "Module.API_Name:data_type", such as "Accounts.Rating__c:double"; a field
// of a name the module already has is replaced, as when an admin changes a
// field's type. zohotest rejects fields its metadata lacks, as Zoho does,
// so a test that writes or seeds a custom field must declare it.
func withFields(fields ...string) []zohotest.Option {
	var opts []zohotest.Option
	for _, f := range fields {
		module, rest, ok1 := strings.Cut(f, ".")
		name, dataType, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("withFields: %q is not Module.API_Name:data_type", f))
		}
		opts = append(opts, zohotest.WithCustomField(module, name, dataType))
	}
	return opts
}

// sent returns the requests the server answered since the last call (or
// ResetRequests) and forgets them.
func sent(srv *zohotest.Server) []zohotest.RequestRecord {
	reqs := srv.Requests()
	srv.ResetRequests()
	return reqs
}

// readCounted reads all that seq yields, failing t unless it is want
// records, and returns how many requests srv answered meanwhile.
func readCounted[T any](t testing.TB, srv *zohotest.Server, seq iter.Seq2[T, error], want int) (requests int) {
	t.Helper()
	srv.ResetRequests()
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != want {
		t.Fatalf("read %d records, want %d", n, want)
	}
	return len(srv.Requests())
}

// stored returns the record of module with id as the server holds it, as
// JSON members, or nil.
func stored(srv *zohotest.Server, module, id string) map[string]json.RawMessage {
	for _, r := range srv.Records(module) {
		if r["id"] == id {
			out := map[string]json.RawMessage{}
			for k, v := range r {
				b, err := json.Marshal(v)
				if err != nil {
					panic(err)
				}
				out[k] = b
			}
			return out
		}
	}
	return nil
}

// seed stores records as Zoho holds them and returns their ids.
func seed(t testing.TB, srv *zohotest.Server, module string, recs ...map[string]any) []string {
	t.Helper()
	ids, err := srv.Seed(module, recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
