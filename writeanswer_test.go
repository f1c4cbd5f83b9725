package zohohub

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

var writeAnswerCases = []string{
	`{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"record added","status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"record added","status":"success","action":"insert","duplicate_field":null}]}`,
	`{"data":[{"code":"DUPLICATE_DATA","details":{"api_name":"Email","id":"2"},"message":"duplicate data","status":"error"},{"code":"SUCCESS","details":{"id":"3"},"status":"success"}],"info":{}}`,
	`{"Data":[{"code":"SUCCESS"}]}`,
	`{"data":[{"Code":"SUCCESS","details":{"id":"1"},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","code":"ERROR","status":"success"}]}`,
	`{"data":[{"code":null,"status":"success"}]}`,
	`{"data":[{"code":1,"status":"success"}]}`,
	`{"data":[null]}`,
	`{"data":[1]}`,
	`{"data":{}}`,
	`{"data":null}`,
	`{"data":[],"data":[{"code":"SUCCESS"}]}`,
	`{"data":[{"\u0063ode":"SUCCESS","status":"success"}]}`,
	`{"data":[{"code":"S\u0055CCESS","status":"succ\"ess","message":"caf\u00e9 \ud83d\ude00"}]}`,
	`{"data":[{"ſtatus":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":"done","status":"success"}]}`,
	`{"data":[{"status":"\xff"}]}`,
	`[]`,
	`{}`,
	`{"data":[{"status":"success"},{"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"id":"1","id":"3"},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"Created_Time":"x"},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"id":1},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"id":null},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"id":"12a"},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{"\u0069d":"1"},"status":"success"}]}`,
	`{"data":[{"code":"SUCCESS","details":{ "id" : "3" , "ID":"4"},"status":"success"}]}`,
}

// TestScanWriteResultsMatchesEncodingJSON: what the fast read of a write
// answer accepts, it reads as encoding/json does.
func TestScanWriteResultsMatchesEncodingJSON(t *testing.T) {
	for _, c := range writeAnswerCases {
		checkScanWriteResults(t, c, 1)
	}
}

func FuzzScanWriteResults(f *testing.F) {
	for _, c := range writeAnswerCases {
		f.Add(c, 1)
	}
	f.Fuzz(func(t *testing.T, body string, n int) {
		if n < 0 || n > 100 {
			return
		}
		checkScanWriteResults(t, body, n)
	})
}

// checkScanWriteResults compares the two reads of a valid answer (every
// answer is checked before it is read: Client.send).
func checkScanWriteResults(t *testing.T, body string, n int) {
	t.Helper()
	if !json.Valid([]byte(body)) {
		return
	}
	got, ok := scanWriteResults([]byte(body), n)
	if !ok {
		return
	}
	var want struct {
		Data []writeResult `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &want); err != nil {
		t.Fatalf("%s: scanned, but encoding/json says %v", body, err)
	}
	if len(want.Data) != n {
		t.Fatalf("%s: scanned %d results, encoding/json read %d", body, n, len(want.Data))
	}
	for i := range got {
		if !reflect.DeepEqual(norm(got[i]), norm(want.Data[i])) {
			t.Fatalf("%s: result %d scanned as %+v, encoding/json read %+v", body, i, got[i], want.Data[i])
		}
		// The id the scan found in the details is the one answeredID finds.
		for _, sent := range []string{"", "1", "3"} {
			id, err := got[i].writtenID(sent)
			wantID, wantErr := writtenID(sent, want.Data[i].Details)
			if id != wantID || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("%s: result %d, sent %q: written id %q, %v; answeredID: %q, %v", body, i, sent, id, err, wantID, wantErr)
			}
		}
	}
}

// norm makes absent and empty raw members compare equal, and forgets
// what the scan kept of the details for writtenID.
func norm(r writeResult) writeResult {
	r.detailIDs, r.idsRead = memberCount{}, false
	if len(r.Details) == 0 {
		r.Details = nil
	}
	if len(r.DuplicateField) == 0 {
		r.DuplicateField = nil
	}
	return r
}
