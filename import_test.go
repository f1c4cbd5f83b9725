package zohohub_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
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
	// One job: the org's id, the upload, the job, its status, its result.
	var calls []string
	for _, r := range sent(srv) {
		p := r.Path
		if before, after, ok := strings.Cut(p, "/write/"); ok {
			p = before + "/write/{id}" + strings.TrimLeft(after, "0123456789")
		}
		calls = append(calls, r.Method+" "+p)
	}
	want := []string{"GET /crm/v8/org", "POST /crm/v8/upload", "POST /crm/bulk/v8/write", "GET /crm/bulk/v8/write/{id}", "GET /crm/bulk/v8/write/{id}/result"}
	if !slices.Equal(calls, want) {
		t.Fatalf("calls %q, want %q", calls, want)
	}
}

// uploadHeapSampler is a transport that measures the live heap while the
// body of an upload is being sent, every sampleEvery bytes of it.
type uploadHeapSampler struct {
	base   http.RoundTripper
	before uint64 // live heap before the import
	peak   atomic.Uint64
	sent   atomic.Int64
}

const sampleEvery = 1 << 20

func (s *uploadHeapSampler) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/upload") && req.Body != nil {
		req = req.Clone(req.Context())
		req.Body = &sampledBody{ReadCloser: req.Body, s: s}
	}
	return s.base.RoundTrip(req)
}

type sampledBody struct {
	io.ReadCloser
	s    *uploadHeapSampler
	read int64
}

func (b *sampledBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.read/sampleEvery != (b.read+int64(n))/sampleEvery {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > b.s.before && ms.HeapAlloc-b.s.before > b.s.peak.Load() {
			b.s.peak.Store(ms.HeapAlloc - b.s.before)
		}
	}
	b.read += int64(n)
	b.s.sent.Add(int64(n))
	return n, err
}

// TestImportUploadIsStreamed: the file of a job is written while it is
// sent, so the client's live heap grows by a few buffers, not by the
// file. The records carry random text, which does not compress: a file
// held whole in memory, zipped or not, would show.
func TestImportUploadIsStreamed(t *testing.T) {
	srv := zohotest.New(t)
	sampler := &uploadHeapSampler{base: http.DefaultTransport}
	c := signedInClient(t, srv, zohohub.WithHTTPClient(&http.Client{Transport: sampler}), zohohub.WithExportPolling(time.Millisecond, 4*time.Millisecond))
	const n = 4500
	leads := importLeads(n, nil)
	noise := make([]byte, 3750)
	for _, l := range leads {
		rand.Read(noise)
		l.Description = base64.StdEncoding.EncodeToString(noise) // 5,000 characters
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	sampler.before = ms.HeapAlloc
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), leads)
	if err != nil || res.Count(zohohub.ActionCreated) != n {
		t.Fatalf("%d created: %v", res.Count(zohohub.ActionCreated), err)
	}
	sent, peak := sampler.sent.Load(), sampler.peak.Load()
	t.Logf("upload of %d KiB: live heap grew by at most %d KiB while it was sent", sent/1024, peak/1024)
	if sent < 15<<20 {
		t.Fatalf("upload of %d bytes: the test needs a larger file", sent)
	}
	if peak > uint64(sent)/4 {
		t.Fatalf("live heap grew by %d KiB during an upload of %d KiB: the file is held in memory", peak/1024, sent/1024)
	}
}

func TestImportUpsertTwiceCreatesOnce(t *testing.T) {
	srv, c := exportClient(t)
	const n = 10_000
	bad := map[int]string{3: "Email", 5000: "Last_Name", 9998: "Company"}
	leads := zohohub.Records[modules.Lead](c)
	res, err := leads.Import(context.Background(), importLeads(n, bad), zohohub.ImportUpsert("Email"))
	checkImported(t, res, err, n, bad, zohohub.ActionCreated)
	first := res
	// The same records again, as new values: each matches the lead its
	// Email names.
	res, err = leads.Import(context.Background(), importLeads(n, bad), zohohub.ImportUpsert("Email"))
	checkImported(t, res, err, n, bad, zohohub.ActionUpdated)
	if got := len(srv.Records("Leads")); got != n-len(bad) {
		t.Fatalf("%d leads in Zoho after two upserts, want %d", got, n-len(bad))
	}
	for i, r := range res.Results {
		if r.ID != first.Results[i].ID {
			t.Fatalf("record %d upserted as %s, created as %s", i, r.ID, first.Results[i].ID)
		}
	}
}

// TestImportSplitsAtTheFileLimit: Zoho takes 25,000 records a file (and
// zohotest refuses a job of more), so 25,001 records are two jobs.
func TestImportSplitsAtTheFileLimit(t *testing.T) {
	srv, c := exportClient(t)
	const n = 25_001
	leads := make([]*modules.Lead, n)
	for i := range leads {
		leads[i] = &modules.Lead{LastName: strconv.Itoa(i)}
	}
	srv.ResetRequests()
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), leads)
	if err != nil || res.Count(zohohub.ActionCreated) != n {
		t.Fatalf("%d created: %v", res.Count(zohohub.ActionCreated), err)
	}
	jobs := 0
	for _, r := range sent(srv) {
		if r.Method == http.MethodPost && r.Path == "/crm/bulk/v8/write" {
			jobs++
		}
	}
	if jobs != 2 {
		t.Fatalf("%d jobs, want 2", jobs)
	}
	if got := len(srv.Records("Leads")); got != n {
		t.Fatalf("%d leads in Zoho, want %d", got, n)
	}
	for i, l := range leads {
		if l.ID == "" || l.ID != res.Results[i].ID {
			t.Fatalf("lead %d: ID %q, result %+v", i, l.ID, res.Results[i])
		}
	}
}

// TestImportUpdatesChangedRecords: records with an ID are updated by id
// with the fields changed since they were read; unchanged ones are not
// sent, and one that would clear a field fails alone.
func TestImportUpdatesChangedRecords(t *testing.T) {
	srv, c := exportClient(t)
	ids := seed(t, srv, "Leads",
		map[string]any{"Last_Name": "Doe", "Company": "Acme", "City": "Oslo"},
		map[string]any{"Last_Name": "Roe", "Company": "Acme"},
		map[string]any{"Last_Name": "Poe", "Company": "Acme", "City": "Rome"})
	leads := zohohub.Records[modules.Lead](c)
	found, err := leads.FindMany(context.Background(), ids...)
	if err != nil {
		t.Fatal(err)
	}
	found[0].City = "Bergen"
	found[2].City = "" // a clear: not what an import can do
	fresh := &modules.Lead{LastName: "New"}
	res, err := leads.Import(context.Background(), append(found, fresh))
	want := []zohohub.Action{zohohub.ActionUpdated, zohohub.ActionUnchanged, zohohub.ActionFailed, zohohub.ActionCreated}
	for i, r := range res.Results {
		if r.Action != want[i] {
			t.Errorf("record %d: %s (%v), want %s", i, r.Action, r.Err, want[i])
		}
	}
	var fe *zohohub.FieldError
	if f := res.Failed(); len(f) != 1 || !errors.As(f[0].Err, &fe) || fe.APIName != "City" || !errors.As(err, &fe) {
		t.Fatalf("failures %+v (%v), want City of record 2", f, err)
	}
	got := srv.Records("Leads")
	cities := map[string]any{}
	for _, r := range got {
		cities[r["Last_Name"].(string)] = r["City"]
	}
	if len(got) != 4 || cities["Doe"] != "Bergen" || cities["Poe"] != "Rome" || fresh.ID == "" {
		t.Fatalf("leads in Zoho: %v", cities)
	}
	if changes, _ := leads.Changes(found[0]); len(changes) != 0 {
		t.Fatalf("after the import, a Save would send %v", changes)
	}
	// An update of a record deleted meanwhile fails as SaveAll's would.
	if err := leads.Delete(context.Background(), found[1]); err != nil {
		t.Fatal(err)
	}
	found[1].City = "Gone"
	res, err = leads.Import(context.Background(), found[1:2])
	if res.Count(zohohub.ActionFailed) != 1 || !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("%+v: %v", res, err)
	}
}

// TestImportUploadsToTheUploadHost: the file goes to the environment's
// upload host, with the headers Zoho's content host wants; nothing else
// goes there.
func TestImportUploadsToTheUploadHost(t *testing.T) {
	srv := zohotest.New(t)
	var uploads []string
	content := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uploads = append(uploads, r.Method+" "+r.URL.Path+" feature="+r.Header.Get("feature")+" X-CRM-ORG="+r.Header.Get("X-CRM-ORG"))
		srv.ServeHTTP(w, r)
	}))
	defer content.Close()
	env, err := auth.Custom(srv.URL(), srv.URL(), content.URL)
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithExportPolling(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), importLeads(3, nil))
	if err != nil || res.Count(zohohub.ActionCreated) != 3 {
		t.Fatalf("%+v: %v", res, err)
	}
	if want := []string{"POST /crm/v8/upload feature=bulk-write X-CRM-ORG=700000000"}; !slices.Equal(uploads, want) {
		t.Fatalf("the upload host saw %q, want %q", uploads, want)
	}
}

// TestImportRetriesTheUpload: an upload that got a 500 is sent again,
// written afresh, and the job runs once.
func TestImportRetriesTheUpload(t *testing.T) {
	srv := zohotest.New(t)
	c := signedInClient(t, srv, zohohub.WithExportPolling(time.Millisecond, time.Millisecond), zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3}))
	srv.FailNext("POST /crm/v8/upload", 1, 500, "INTERNAL_ERROR")
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), importLeads(50, nil))
	if err != nil || res.Count(zohohub.ActionCreated) != 50 || len(srv.Records("Leads")) != 50 {
		t.Fatalf("%d created, %d in Zoho: %v", res.Count(zohohub.ActionCreated), len(srv.Records("Leads")), err)
	}
}

// TestImportJobErrors: a job Zoho refuses fails its records (nothing was
// written); one whose creation got a 500 may exist, so its records are of
// unknown outcome.
func TestImportJobErrors(t *testing.T) {
	srv, c := exportClient(t)
	leads := zohohub.Records[modules.Lead](c)
	// No Last_Name column: Zoho refuses the job.
	res, err := leads.Import(context.Background(), []*modules.Lead{{Company: "Acme"}, {Company: "Initech"}})
	var apiErr *zohohub.APIError
	if res.Count(zohohub.ActionFailed) != 2 || !errors.As(err, &apiErr) || apiErr.Code != "MANDATORY_FIELDS_NOT_MAPPED" {
		t.Fatalf("%+v: %v", res, err)
	}
	srv.FailNext("POST /crm/bulk/v8/write", 1, 500, "INTERNAL_ERROR")
	res, err = leads.Import(context.Background(), importLeads(2, nil))
	if res.Count(zohohub.ActionUnknown) != 2 || !errors.Is(err, zohohub.ErrOutcomeUnknown) {
		t.Fatalf("%+v: %v", res, err)
	}
	t.Log(err)
}

// TestImportCancelled: a context ended before anything is sent fails the
// records; one ended while the job runs leaves them unknown (Zoho runs
// the job anyway), naming the job.
func TestImportCancelled(t *testing.T) {
	srv := zohotest.New(t, zohotest.WithBulkJobDelay(time.Hour))
	access, _ := srv.IssueToken()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithExportPolling(time.Millisecond, time.Millisecond),
		zohohub.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/crm/bulk/v8/write/") {
				cancel() // the job exists, and runs
			}
			return http.DefaultTransport.RoundTrip(r)
		})}))
	if err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[modules.Lead](c)
	done, stop := context.WithCancel(context.Background())
	stop()
	res, err := leads.Import(done, importLeads(2, nil))
	if res.Count(zohohub.ActionFailed) != 2 || !errors.Is(err, context.Canceled) || errors.Is(err, zohohub.ErrOutcomeUnknown) {
		t.Fatalf("before sending: %+v: %v", res, err)
	}
	res, err = leads.Import(ctx, importLeads(2, nil))
	var unknown *zohohub.OutcomeUnknownError
	if res.Count(zohohub.ActionUnknown) != 2 || !errors.Is(err, context.Canceled) || !errors.As(err, &unknown) || !strings.Contains(err.Error(), "bulk write job ") {
		t.Fatalf("while the job runs: %+v: %v", res, err)
	}
	t.Log(err)
}

// TestImportFailedJob serves zohotest behind a handler that reports every
// bulk write job as failed, a state zohotest never reaches: the records
// may have been written, and their error says the job failed.
func TestImportFailedJob(t *testing.T) {
	_, c := frontedClient(t, func(w http.ResponseWriter, r *http.Request) bool {
		job, ok := strings.CutPrefix(r.URL.Path, "/crm/bulk/v8/write/")
		if !ok || r.Method != http.MethodGet || strings.Contains(job, "/") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"FAILED","id":"%s","operation":"insert","resource":[{"status":"FAILED","code":"INTERNAL_SERVER_ERROR","type":"data"}]}`, job)
		return true
	})
	res, err := zohohub.Records[modules.Lead](c).Import(context.Background(), importLeads(2, nil))
	var apiErr *zohohub.APIError
	if res.Count(zohohub.ActionUnknown) != 2 || !errors.As(err, &apiErr) || apiErr.Code != "INTERNAL_SERVER_ERROR" || !strings.Contains(err.Error(), "failed") {
		t.Fatalf("%+v: %v", res, err)
	}
	t.Log(err)
}

// TestImportRefusesBeforeSending: what cannot be imported is known
// before anything is sent.
func TestImportRefusesBeforeSending(t *testing.T) {
	srv, c := exportClient(t)
	leads := zohohub.Records[modules.Lead](c)
	srv.ResetRequests()
	lead := &modules.Lead{LastName: "Doe"}
	for name, call := range map[string]func() error{
		"nil record": func() error { _, err := leads.Import(context.Background(), []*modules.Lead{nil}); return err },
		"twice":      func() error { _, err := leads.Import(context.Background(), []*modules.Lead{lead, lead}); return err },
		"find_by": func() error {
			_, err := leads.Import(context.Background(), []*modules.Lead{lead}, zohohub.ImportUpsert("a b"))
			return err
		},
		"unmapped field": func() error {
			_, err := leads.Import(context.Background(), []*modules.Lead{lead}, zohohub.ImportUpsert("Nope"))
			return err
		},
		"org id": func() error {
			_, err := leads.Import(context.Background(), []*modules.Lead{lead}, zohohub.ImportOrgID("x"))
			return err
		},
		"nil context": func() error { _, err := leads.Import(nil, []*modules.Lead{lead}); return err }, //nolint:staticcheck // the point of the test
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("sent %v", reqs)
	}
	// A value Bulk Write cannot take fails its record alone.
	odd := &modules.Lead{LastName: "Odd"}
	odd.Set("Tags_Json", map[string]any{"a": 1})
	res, err := leads.Import(context.Background(), []*modules.Lead{{LastName: "Fine"}, odd})
	if res.Count(zohohub.ActionCreated) != 1 || !errors.Is(err, zohohub.ErrNotImportable) {
		t.Fatalf("%+v: %v", res, err)
	}
}

// frontedClient is a client of zohotest served behind answer, which
// answers the requests it wants to (reporting true) in zohotest's place,
// with fast bulk job polling.
func frontedClient(t *testing.T, answer func(w http.ResponseWriter, r *http.Request) bool) (*zohotest.Server, *zohohub.Client) {
	t.Helper()
	var srv *zohotest.Server
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !answer(w, r) {
			srv.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	srv, err := zohotest.NewHandler(front.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := signedInClient(t, srv, zohohub.WithExportPolling(time.Millisecond, time.Millisecond))
	return srv, c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestImportValueTypes: each codec's CSV form is what Bulk Write reads
// back as the value (text with the characters CSV quotes, a lookup by id,
// a date, a datetime with its offset, a multi-select, numbers, a boolean).
func TestImportValueTypes(t *testing.T) {
	srv, c := exportClient(t, withFields("Contacts.Hobbies__c:multiselectpicklist", "Contacts.Seen__c:datetime",
		"Contacts.Big__c:bigint", "Contacts.Score__c:double", "Contacts.Count__c:integer", "Contacts.VIP__c:boolean")...)
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Zylker"})[0]
	score, count := 2.5, 7
	full := &exportRow{LastName: "Doe, \"Jo\"\nline two", Account: zohohub.Lookup{ID: acct}, Born: zohohub.Date{Year: 1990, Month: 2, Day: 28},
		Hobbies: []string{"Chess", "Go"}, Seen: time.Date(2024, 3, 1, 10, 20, 30, 0, time.FixedZone("", 19800)),
		Big: 9007199254740993, Score: &score, Count: &count, VIP: true, Raw: json.RawMessage(`"R and D"`), NotInFile: "Dr"}
	empty := &exportRow{LastName: "Empty"}
	contacts := zohohub.Records[exportRow](c)
	if res, err := contacts.Import(context.Background(), []*exportRow{full, empty}); err != nil || res.Count(zohohub.ActionCreated) != 2 {
		t.Fatalf("%+v: %v", res, err)
	}
	for _, want := range []*exportRow{full, empty} {
		got, err := contacts.Find(context.Background(), want.ID)
		if err != nil {
			t.Fatal(err)
		}
		opts := cmp.Options{exportCmp, cmpopts.IgnoreFields(zohohub.Model{}, "Owner", "CreatedBy", "ModifiedBy", "CreatedTime", "ModifiedTime"),
			cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Format(time.RFC3339) == b.Format(time.RFC3339) })}
		if d := cmp.Diff(want, got, opts); d != "" {
			t.Errorf("%q differs when read back (-imported +found):\n%s", want.LastName, d)
		}
	}
}

// BenchmarkImport10000 upserts 10,000 leads through Bulk Write and through
// the records API (UpsertAll), against zohotest with the latency and
// concurrency limit of the sync benchmark.
func BenchmarkImport10000(b *testing.B) {
	srv := zohotest.New(b, zohotest.WithLatency(syncLatency), zohotest.WithConcurrencyLimit(syncLimit))
	c := signedInClient(b, srv, zohohub.WithExportPolling(time.Millisecond, 10*time.Millisecond))
	leads := zohohub.Records[modules.Lead](c)
	for _, mode := range []struct {
		name  string
		write func(context.Context, []*modules.Lead) (zohohub.BatchResult, error)
	}{
		{"Import", func(ctx context.Context, recs []*modules.Lead) (zohohub.BatchResult, error) {
			return leads.Import(ctx, recs, zohohub.ImportUpsert("Email"))
		}},
		{"UpsertAll", func(ctx context.Context, recs []*modules.Lead) (zohohub.BatchResult, error) {
			return leads.UpsertAll(ctx, recs, "Email")
		}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			requests := 0
			for b.Loop() {
				recs := importLeads(syncRecords, nil)
				srv.ResetRequests()
				if _, err := mode.write(context.Background(), recs); err != nil {
					b.Fatal(err)
				}
				requests += len(srv.Requests())
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
