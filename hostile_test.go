package zohohub_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// The hostile-server suite: every endpoint class of the client, answered
// by a server that lies, stalls, redirects or floods. Every case must end
// in a clear error, without a panic, within the context, with the response
// budget given back, and without the access token reaching another host.

// hAccount is the record type of the hostile-server tests.
type hAccount struct {
	zohohub.Model
	AccountName string `zoho:"Account_Name"`
	Employees   int    `zoho:"Employees"`
}

func (hAccount) ZohoModule() string { return "Accounts" }

// hostileID is the id the good answers carry and the calls ask for.
const hostileID = "1111111111"

// hostileBudget is the response budget of the suite's clients: small, so
// that a gigantic body is cheap to send.
const hostileBudget = 4 << 20

// endpoint is a class of the client's requests.
type endpoint string

const (
	epGet          endpoint = "get"
	epList         endpoint = "list"
	epSearch       endpoint = "search"
	epCOQL         endpoint = "coql"
	epCount        endpoint = "count"
	epCreate       endpoint = "create"
	epUpdate       endpoint = "update"
	epDelete       endpoint = "delete"
	epBatch        endpoint = "batch"
	epBulkCreate   endpoint = "bulk-create"
	epBulkStatus   endpoint = "bulk-status"
	epBulkDownload endpoint = "bulk-download"
	epBudgetCheck  endpoint = "budget-check"
)

var (
	pagedEndpoints = []endpoint{epList, epSearch, epCOQL}
	writeEndpoints = []endpoint{epCreate, epUpdate, epDelete}
	everyEndpoint  = []endpoint{epGet, epList, epSearch, epCOQL, epCount, epCreate, epUpdate, epDelete, epBatch, epBulkCreate, epBulkStatus, epBulkDownload}
)

// classify names the endpoint class of a request the client sent.
func classify(r *http.Request) endpoint {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/crm/bulk/v8/read"):
		switch {
		case r.Method == http.MethodPost:
			return epBulkCreate
		case strings.HasSuffix(p, "/result"):
			return epBulkDownload
		}
		return epBulkStatus
	case p == "/crm/v8/budgetcheck":
		return epBudgetCheck
	case p == "/crm/v8/coql":
		return epCOQL
	case p == "/crm/v8/Accounts/actions/count":
		return epCount
	case p == "/crm/v8/Accounts/search":
		return epSearch
	case strings.HasPrefix(p, "/crm/v8/Accounts/"):
		return epGet
	}
	switch r.Method {
	case http.MethodGet:
		return epList
	case http.MethodPut:
		return epUpdate
	case http.MethodDelete:
		return epDelete
	}
	var body struct{ Data []json.RawMessage }
	json.NewDecoder(r.Body).Decode(&body)
	if len(body.Data) == 1 {
		return epCreate
	}
	return epBatch
}

func writeBody(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func writeJSONBody(w http.ResponseWriter, body string) {
	writeBody(w, http.StatusOK, "application/json", body)
}

// resultZip is a bulk read result: one CSV with one record.
func resultZip() string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, _ := zw.Create("1.csv")
	io.WriteString(f, "id,Account_Name,Employees\n"+hostileID+",Zylker,12\n")
	zw.Close()
	return b.String()
}

// goodAnswer answers a request as Zoho would.
func goodAnswer(w http.ResponseWriter, r *http.Request, ep endpoint) {
	rec := `{"id":"` + hostileID + `","Account_Name":"Zylker","Employees":12}`
	switch ep {
	case epGet:
		writeJSONBody(w, `{"data":[`+rec+`]}`)
	case epList, epSearch:
		writeJSONBody(w, `{"data":[`+rec+`],"info":{"per_page":200,"count":1,"page":1,"more_records":false}}`)
	case epCOQL:
		writeJSONBody(w, `{"data":[`+rec+`],"info":{"count":1,"more_records":false}}`)
	case epCount:
		writeJSONBody(w, `{"count":1}`)
	case epCreate, epUpdate, epDelete:
		writeJSONBody(w, `{"data":[{"code":"SUCCESS","details":{"id":"`+hostileID+`"},"message":"record updated","status":"success"}]}`)
	case epBatch:
		writeJSONBody(w, `{"data":[{"code":"SUCCESS","details":{"id":"1111111112"},"message":"record added","status":"success"},`+
			`{"code":"SUCCESS","details":{"id":"1111111113"},"message":"record added","status":"success"}]}`)
	case epBulkCreate:
		writeJSONBody(w, `{"data":[{"status":"success","code":"ADDED","message":"Added successfully.","details":{"id":"5550001","operation":"read","state":"ADDED"}}],"info":{}}`)
	case epBulkStatus:
		writeJSONBody(w, `{"data":[{"id":"5550001","operation":"read","state":"COMPLETED","result":{"page":1,"per_page":200000,"count":1,`+
			`"download_url":"/crm/bulk/v8/read/5550001/result","more_records":false}}]}`)
	case epBulkDownload:
		writeBody(w, http.StatusOK, "application/zip", resultZip())
	case epBudgetCheck:
		// Exactly the whole budget once the client adds its byte to see
		// EOF: it is read only if no earlier answer kept any of it.
		pad := hostileBudget - 1 - len(`{"pad":""}`)
		writeJSONBody(w, `{"pad":"`+strings.Repeat("a", pad)+`"}`)
	}
}

// hostileServer answers the requests of one endpoint class with a hostile
// answer and the others as Zoho would. other is another host, which no
// request may reach.
type hostileServer struct {
	srv, other *httptest.Server
	reached    atomic.Int32  // requests that reached other
	quit       chan struct{} // closed when the test ends: stalled answers end
	client     *zohohub.Client
	accounts   *zohohub.RecordSet[hAccount]
}

// answerFunc answers a request of the class under attack; h gives the
// other host to redirect to.
type answerFunc func(w http.ResponseWriter, r *http.Request, h *hostileServer)

func newHostileServer(t *testing.T, target endpoint, answer answerFunc) *hostileServer {
	t.Helper()
	h := &hostileServer{quit: make(chan struct{})}
	h.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.reached.Add(1)
		goodAnswer(w, r, classify(r)) // what a thief would answer to get more
	}))
	t.Cleanup(h.other.Close)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Zoho-oauthtoken hostile-token" {
			t.Errorf("request %s %s carries Authorization %q", r.Method, r.URL.Path, got)
		}
		ep := classify(r)
		if ep == target {
			answer(w, r, h)
			return
		}
		goodAnswer(w, r, ep)
	}))
	t.Cleanup(h.srv.Close)
	t.Cleanup(func() { close(h.quit) }) // runs first
	env, err := auth.Custom(h.srv.URL, h.srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	h.client, err = zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("hostile-token")),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
		zohohub.WithExportPolling(time.Millisecond, time.Millisecond), zohohub.WithResponseBudget(hostileBudget))
	if err != nil {
		t.Fatal(err)
	}
	h.accounts = zohohub.Records[hAccount](h.client)
	return h
}

// otherHost is the host:port of the other server.
func (h *hostileServer) otherHost() string {
	u, _ := url.Parse(h.other.URL)
	return u.Host
}

// hostileOps exercises each endpoint class through the public API.
var hostileOps = map[endpoint]func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error{
	epGet: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.Find(ctx, hostileID)
		return err
	},
	epList: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.Query().Collect(ctx)
		return err
	},
	epSearch: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.Where(zohohub.TextField("Account_Name").Equals("Zylker")).Limit(2000).Collect(ctx)
		return err
	},
	epCOQL: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.Query().OrderBy("Account_Name").Collect(ctx)
		return err
	},
	epCount: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.Query().Count(ctx)
		return err
	},
	epCreate: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		rec := &hAccount{AccountName: "Zylker"}
		if err := rs.Save(ctx, rec); err != nil {
			return err
		}
		if rec.ID == "" {
			return errors.New("Save succeeded without an id")
		}
		return nil
	},
	epUpdate: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		rec := existingAccount(rs)
		rec.AccountName = "Zylker Corp"
		if err := rs.Save(ctx, rec); err != nil {
			return err
		}
		if rec.ID != hostileID {
			return fmt.Errorf("Save of record %s left id %q", hostileID, rec.ID)
		}
		return nil
	},
	epDelete: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		return rs.Delete(ctx, existingAccount(rs))
	},
	epBatch: func(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
		_, err := rs.SaveAll(ctx, []*hAccount{{AccountName: "A"}, {AccountName: "B"}})
		return err
	},
	epBulkCreate:   exportAll,
	epBulkStatus:   exportAll,
	epBulkDownload: exportAll,
}

func exportAll(ctx context.Context, rs *zohohub.RecordSet[hAccount]) error {
	for _, err := range rs.Query().Export(ctx) {
		if err != nil {
			return err
		}
	}
	return nil
}

// existingAccount is a record as read from Zoho, with hostileID.
func existingAccount(rs *zohohub.RecordSet[hAccount]) *hAccount {
	recs, err := rs.Decode([]byte(`{"data":[{"id":"` + hostileID + `","Account_Name":"Zylker","Employees":12}]}`))
	if err != nil {
		panic(err)
	}
	return recs[0]
}

// TestHostileBaseline checks the suite's good answers: against them every
// operation succeeds, so each hostile case fails for its own answer.
func TestHostileBaseline(t *testing.T) {
	for _, ep := range everyEndpoint {
		h := newHostileServer(t, "", nil)
		if err := hostileOps[ep](context.Background(), h.accounts); err != nil {
			t.Errorf("%s: %v", ep, err)
		}
	}
}

// hostileCase is a way of answering wrongly.
type hostileCase struct {
	name string
	eps  []endpoint // the classes it applies to
	// answer makes a fresh answer, whose state (a page counter) is its own.
	answer func() answerFunc
	// wantIs is the error the call must match (any of them).
	wantIs []error
	// says is text the error must hold ("" for none); "{other}" stands for
	// the other server's host.
	says string
	// timeout bounds the call; 0 means 10 s.
	timeout time.Duration
}

// fixed is an answer without state.
func fixed(f answerFunc) func() answerFunc { return func() answerFunc { return f } }

// jsonAnswer answers with a fixed JSON body.
func jsonAnswer(body string) func() answerFunc {
	return fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) { writeJSONBody(w, body) })
}

// redirect answers with a redirect to loc (built from the other server).
func redirect(code int, loc func(h *hostileServer, r *http.Request) string) func() answerFunc {
	return fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
		w.Header().Set("Location", loc(h, r))
		w.WriteHeader(code)
	})
}

// writeResult is a write answer whose one result has these details.
func writeResult(details string) string {
	return `{"data":[{"code":"SUCCESS","details":` + details + `,"message":"record added","status":"success"}]}`
}

// listPage is a list, search or COQL answer.
func listPage(ids []string, info string) string {
	recs := make([]string, len(ids))
	for i, id := range ids {
		recs[i] = `{"id":"` + id + `","Account_Name":"A` + id + `"}`
	}
	return `{"data":[` + strings.Join(recs, ",") + `],"info":{` + info + `}}`
}

// idRange returns n ids starting at from.
func idRange(from, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(2000000000 + from + i)
	}
	return ids
}

// pager answers page requests through page(call, r), call counting from 0.
func pager(page func(call int, r *http.Request) string) func() answerFunc {
	return func() answerFunc {
		var calls atomic.Int32
		return func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
			writeJSONBody(w, page(int(calls.Add(1))-1, r))
		}
	}
}

// gigantic streams a body four times the budget (never closed JSON), so
// that only the budget stops it.
func gigantic(w http.ResponseWriter, r *http.Request, h *hostileServer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `{"data":[{"id":"`+hostileID+`","Account_Name":"`)
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for sent := 0; sent < 4*hostileBudget; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// stall sends the headers and the start of a body, then nothing.
func stall(w http.ResponseWriter, r *http.Request, h *hostileServer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `{"data":[`)
	w.(http.Flusher).Flush()
	h.wait(r)
}

// wait blocks until the client goes or the test ends.
func (h *hostileServer) wait(r *http.Request) {
	io.Copy(io.Discard, r.Body) // so that the server notices the client leave
	select {
	case <-r.Context().Done():
	case <-h.quit:
	}
}

func hostileCases() []hostileCase {
	toOther := func(h *hostileServer, r *http.Request) string { return h.other.URL + r.URL.RequestURI() }
	cases := []hostileCase{
		{name: "html", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse}, says: "HTML",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				writeBody(w, http.StatusOK, "text/html", "<html><body>Sign in to continue</body></html>")
			})},
		{name: "html-502", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse}, says: "HTTP 502",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				writeBody(w, http.StatusBadGateway, "text/html", "<html><body>Bad gateway</body></html>")
			})},
		{name: "truncated", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse},
			answer: jsonAnswer(`{"data":[{"id":"` + hostileID + `","Account_Na`)},
		{name: "empty-200", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse},
			answer: jsonAnswer(``)},
		{name: "wrong-types", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse},
			answer: jsonAnswer(`{"data":"nope","info":[],"count":"many"}`)},
		{name: "wrong-element-types", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse},
			answer: jsonAnswer(`{"data":[1,"x",null],"info":{"more_records":"yes"},"count":true}`)},
		{name: "gigantic", eps: everyEndpoint, wantIs: []error{zohohub.ErrResponseTooLarge}, says: "budget",
			answer: fixed(gigantic)},
		{name: "slow-body", eps: everyEndpoint, wantIs: []error{context.DeadlineExceeded}, timeout: 300 * time.Millisecond,
			answer: fixed(stall)},
		{name: "slow-headers", eps: everyEndpoint, wantIs: []error{context.DeadlineExceeded}, timeout: 300 * time.Millisecond,
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) { h.wait(r) })},
		{name: "redirect-relative", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse}, says: "same host",
			answer: redirect(http.StatusFound, func(*hostileServer, *http.Request) string { return "/accounts/signin" })},
		{name: "redirect-no-location", eps: everyEndpoint, wantIs: []error{zohohub.ErrBadResponse}, says: "redirect",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				w.WriteHeader(http.StatusTemporaryRedirect)
			})},

		// Ids.
		{name: "get-other-id", eps: []endpoint{epGet}, wantIs: []error{zohohub.ErrBadResponse}, says: "not " + hostileID,
			answer: jsonAnswer(`{"data":[{"id":"2222222222","Account_Name":"Other"}]}`)},
		{name: "get-two-records", eps: []endpoint{epGet}, wantIs: []error{zohohub.ErrBadResponse}, says: "2 records",
			answer: jsonAnswer(`{"data":[{"id":"` + hostileID + `"},{"id":"` + hostileID + `"}]}`)},
		{name: "record-id-number", eps: []endpoint{epGet, epList, epSearch, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "string of digits",
			answer: jsonAnswer(`{"data":[{"id":` + hostileID + `,"Account_Name":"Zylker"}],"info":{"more_records":false}}`)},
		{name: "record-id-null", eps: []endpoint{epGet, epList, epSearch, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "no record id",
			answer: jsonAnswer(`{"data":[{"id":null,"Account_Name":"Zylker"}],"info":{"more_records":false}}`)},
		{name: "record-id-missing", eps: []endpoint{epGet, epList, epSearch, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "no record id",
			answer: jsonAnswer(`{"data":[{"Account_Name":"Zylker"}],"info":{"more_records":false}}`)},
		{name: "record-id-path", eps: []endpoint{epGet, epList, epSearch, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "not a record id",
			answer: jsonAnswer(`{"data":[{"id":"1/../2","Account_Name":"Zylker"}],"info":{"more_records":false}}`)},
		{name: "record-id-twice", eps: []endpoint{epGet, epList, epSearch, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "twice",
			answer: jsonAnswer(`{"data":[{"id":"` + hostileID + `","\u0069d":"2222222222"}],"info":{"more_records":false}}`)},
		{name: "success-id-null", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(writeResult(`{"id":null}`))},
		{name: "success-no-details", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(`{"data":[{"code":"SUCCESS","message":"record added","status":"success"}]}`)},
		{name: "success-details-string", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(writeResult(`"done"`))},
		{name: "success-id-number", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(writeResult(`{"id":` + hostileID + `}`))},
		{name: "success-id-letters", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(writeResult(`{"id":"abc"}`))},
		{name: "success-id-20-digits", eps: writeEndpoints, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(writeResult(`{"id":"12345678901234567890"}`))},
		{name: "success-other-id", eps: []endpoint{epUpdate, epDelete}, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "record " + hostileID + " was sent",
			answer: jsonAnswer(writeResult(`{"id":"2222222222"}`))},

		{name: "batch-success-without-ids", eps: []endpoint{epBatch}, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "details.id",
			answer: jsonAnswer(`{"data":[{"code":"SUCCESS","details":{"id":null},"status":"success"},{"code":"SUCCESS","details":{"id":1111111113},"status":"success"}]}`)},
		{name: "batch-results-missing", eps: []endpoint{epBatch}, wantIs: []error{zohohub.ErrOutcomeUnknown}, says: "1 results for 2 records",
			answer: jsonAnswer(writeResult(`{"id":"1111111112"}`))},

		// Counts.
		{name: "count-missing", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, says: "without a count", answer: jsonAnswer(`{}`)},
		{name: "count-null", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, says: "without a count", answer: jsonAnswer(`{"count":null}`)},
		{name: "count-negative", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, says: "negative", answer: jsonAnswer(`{"count":-3}`)},
		{name: "count-string", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, answer: jsonAnswer(`{"count":"12"}`)},
		{name: "count-fraction", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, answer: jsonAnswer(`{"count":1.5}`)},
		{name: "count-huge", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, answer: jsonAnswer(`{"count":1e300}`)},
		{name: "count-204", eps: []endpoint{epCount}, wantIs: []error{zohohub.ErrBadResponse}, says: "without a count",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) { w.WriteHeader(http.StatusNoContent) })},

		// Cursors.
		{name: "same-page-forever", eps: pagedEndpoints, wantIs: []error{zohohub.ErrBadResponse},
			answer: jsonAnswer(listPage([]string{hostileID}, `"count":1,"page":1,"more_records":true,"next_page_token":"t1"`))},
		{name: "same-page-unnumbered", eps: pagedEndpoints, wantIs: []error{zohohub.ErrBadResponse}, says: "repeats the records of page 1",
			answer: jsonAnswer(listPage([]string{hostileID}, `"more_records":true`))},
		{name: "pages-backwards", eps: []endpoint{epList, epSearch}, wantIs: []error{zohohub.ErrBadResponse}, says: "info.page is 1 for page 2",
			answer: pager(func(call int, r *http.Request) string {
				n, _ := strconv.Atoi(r.URL.Query().Get("page"))
				return listPage(idRange(call*200, 200), fmt.Sprintf(`"count":200,"page":%d,"more_records":true`, max(n-1, 1)))
			})},
		{name: "count-lies", eps: pagedEndpoints, wantIs: []error{zohohub.ErrBadResponse}, says: "info.count says 5",
			answer: jsonAnswer(listPage([]string{hostileID}, `"count":5,"more_records":false`))},
		{name: "more-records-empty-page", eps: pagedEndpoints, wantIs: []error{zohohub.ErrBadResponse}, says: "empty page",
			answer: jsonAnswer(`{"data":[],"info":{"count":0,"page":1,"more_records":true,"next_page_token":"t1"}}`)},
		{name: "overfull-page", eps: []endpoint{epList, epSearch}, wantIs: []error{zohohub.ErrBadResponse}, says: "at most 200",
			answer: jsonAnswer(listPage(idRange(0, 201), `"more_records":false`))},
		{name: "repeated-cursor", eps: []endpoint{epList}, wantIs: []error{zohohub.ErrBadResponse}, says: "repeats a cursor",
			answer: pager(func(call int, r *http.Request) string {
				return listPage(idRange(call*200, 200), fmt.Sprintf(`"count":200,"page":%d,"more_records":true,"next_page_token":"t1"`, call+1))
			})},
		{name: "huge-cursor", eps: []endpoint{epList}, wantIs: []error{zohohub.ErrBadResponse}, says: "next_page_token of",
			answer: pager(func(call int, r *http.Request) string {
				return listPage(idRange(call*200, 200), fmt.Sprintf(`"count":200,"page":%d,"more_records":true,"next_page_token":"%s"`, call+1, strings.Repeat("7", 1<<20)))
			})},
		{name: "endless-fresh-cursors", eps: []endpoint{epList, epCOQL}, wantIs: []error{zohohub.ErrBadResponse}, says: "most Zoho's paging reaches",
			answer: pager(func(call int, r *http.Request) string {
				n := 200
				if classify(r) == epCOQL {
					n = 2000
				}
				return listPage(idRange(call*n, n), fmt.Sprintf(`"count":%d,"page":%d,"more_records":true,"next_page_token":"t%d"`, n, call+1, call))
			})},
		{name: "endless-short-pages", eps: pagedEndpoints, wantIs: []error{zohohub.ErrBadResponse}, says: "reaches",
			answer: pager(func(call int, r *http.Request) string {
				return listPage(idRange(call, 1), fmt.Sprintf(`"count":1,"page":%d,"more_records":true,"next_page_token":"t%d"`, call+1, call))
			})},
		// Bulk read.
		{name: "bulk-created-without-id", eps: []endpoint{epBulkCreate}, wantIs: []error{zohohub.ErrBadResponse}, says: "without an id",
			answer: jsonAnswer(`{"data":[{"status":"success","code":"ADDED","details":{"state":"ADDED"}}]}`)},
		{name: "bulk-created-path-id", eps: []endpoint{epBulkCreate}, wantIs: []error{zohohub.ErrBadResponse}, says: "without an id",
			answer: jsonAnswer(`{"data":[{"status":"success","code":"ADDED","details":{"id":"1/../../x","state":"ADDED"}}]}`)},
		{name: "bulk-download-elsewhere", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "not on the API domain",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				writeJSONBody(w, `{"data":[{"state":"COMPLETED","result":{"count":1,"download_url":"`+h.other.URL+`/crm/bulk/v8/read/5550001/result"}}]}`)
			})},
		{name: "bulk-download-protocol-relative", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "not on the API domain",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				writeJSONBody(w, `{"data":[{"state":"COMPLETED","result":{"count":1,"download_url":"//`+h.otherHost()+`/x"}}]}`)
			})},
		{name: "bulk-completed-without-url", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "download_url",
			answer: jsonAnswer(`{"data":[{"state":"COMPLETED","result":{"count":1}}]}`)},
		{name: "bulk-unknown-state", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "unknown state",
			answer: jsonAnswer(`{"data":[{"state":"PWNED"}]}`)},
		{name: "bulk-never-done", eps: []endpoint{epBulkStatus}, wantIs: []error{context.DeadlineExceeded}, timeout: 300 * time.Millisecond,
			answer: jsonAnswer(`{"data":[{"state":"IN PROGRESS"}]}`)},
		{name: "bulk-same-cursor", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "repeats",
			answer: jsonAnswer(`{"data":[{"state":"COMPLETED","result":{"page":1,"count":1,"download_url":"/crm/bulk/v8/read/5550001/result","more_records":true,"next_page_token":"bt"}}]}`)},
		{name: "bulk-same-page", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "is page 1, not 2",
			answer: jsonAnswer(`{"data":[{"state":"COMPLETED","result":{"page":1,"count":1,"download_url":"/crm/bulk/v8/read/5550001/result","more_records":true}}]}`)},
		{name: "bulk-same-rows", eps: []endpoint{epBulkStatus}, wantIs: []error{zohohub.ErrBadResponse}, says: "repeats the records of page 1",
			answer: pager(func(call int, r *http.Request) string {
				return fmt.Sprintf(`{"data":[{"state":"COMPLETED","result":{"count":1,"download_url":"/crm/bulk/v8/read/5550001/result","more_records":true,"next_page_token":"bt%d"}}]}`, call)
			})},
		{name: "bulk-not-a-zip", eps: []endpoint{epBulkDownload}, wantIs: []error{zohohub.ErrBadResponse}, says: "not a zip",
			answer: fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
				writeBody(w, http.StatusOK, "application/zip", "PK\x03\x04 and then garbage")
			})},
	}
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		cases = append(cases, hostileCase{name: fmt.Sprintf("redirect-%d-other-host", code), eps: everyEndpoint,
			wantIs: []error{zohohub.ErrBadResponse}, says: "{other}", answer: redirect(code, toOther)})
	}
	return cases
}

func TestHostileServers(t *testing.T) {
	for _, hc := range hostileCases() {
		for _, ep := range hc.eps {
			t.Run(hc.name+"/"+string(ep), func(t *testing.T) {
				h := newHostileServer(t, ep, hc.answer())
				timeout := hc.timeout
				if timeout == 0 {
					timeout = 10 * time.Second
				}
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				start := time.Now()
				err := hostileOps[ep](ctx, h.accounts)
				elapsed := time.Since(start)
				switch {
				case err == nil:
					t.Fatal("no error")
				case elapsed > timeout+2*time.Second:
					t.Errorf("took %v with a %v context", elapsed, timeout)
				}
				if len(hc.wantIs) > 0 && !slices.ContainsFunc(hc.wantIs, func(target error) bool { return target == nil || errors.Is(err, target) }) {
					t.Errorf("error %q (%T) matches none of %v", err, err, hc.wantIs)
				}
				says := strings.ReplaceAll(hc.says, "{other}", h.otherHost())
				if !strings.Contains(err.Error(), says) {
					t.Errorf("error %q does not say %q", err, says)
				}
				if strings.Contains(err.Error(), "hostile-token") {
					t.Errorf("error %q holds the access token", err)
				}
				if n := h.reached.Load(); n > 0 {
					t.Errorf("%d requests reached another host", n)
				}
				// Every answer gave its share of the budget back.
				bctx, bcancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer bcancel()
				if _, err := h.client.Do(bctx, &zohohub.Request{Path: "budgetcheck"}); err != nil {
					t.Errorf("the response budget was not given back: %v", err)
				}
			})
		}
	}
}

// TestHostileGiganticBodiesHeapBounded: a server answering every write of
// a 1,000-record SaveAll (10 requests in flight) with an endless body
// holds the heap to the response budget, not 10 × 64 MiB (+1.1 GiB before
// the budget).
func TestHostileGiganticBodiesHeapBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"data":[{"code":"SUCCESS","details":{"id":"`+hostileID+`"},"message":"`)
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for sent := 0; sent < 100<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	env, _ := auth.Custom(srv.URL, srv.URL, "")
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")), zohohub.WithConcurrency(10))
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]*hAccount, 1000)
	for i := range recs {
		recs[i] = &hAccount{AccountName: fmt.Sprint("Account ", i)}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // the heap's high-water mark while SaveAll runs
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := zohohub.Records[hAccount](c).SaveAll(ctx, recs)
	close(done)
	<-sampled
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	grew := int64(peak.Load()) - int64(before.HeapAlloc)
	t.Logf("budget %d MiB: allocated %d MiB, heap high-water mark +%d MiB", c.ResponseBudget()>>20, allocated>>20, grew>>20)
	if err == nil {
		t.Fatal("SaveAll succeeded")
	}
	for _, r := range res.Results {
		if r.Err == nil {
			t.Fatalf("record %d reported %s without an error", r.Index, r.Action)
		}
	}
	if !errors.Is(err, zohohub.ErrResponseTooLarge) {
		t.Errorf("error %v does not match ErrResponseTooLarge", err)
	}
	// Live answers stay within the budget; the buffers they outgrew and
	// the collector's lag (GOGC) account for the rest.
	if bound := 4 * c.ResponseBudget(); grew > bound {
		t.Errorf("heap grew %d MiB: more than 4 × the %d MiB budget", grew>>20, c.ResponseBudget()>>20)
	}
}
