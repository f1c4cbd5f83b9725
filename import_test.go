package zohohub_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
	// org, upload, create, status, result: one job.
	var calls []string
	for _, r := range sent(srv) {
		calls = append(calls, r.Method+" "+r.Path)
	}
	t.Logf("calls: %q", calls)
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
	access, _ := srv.IssueToken()
	sampler := &uploadHeapSampler{base: http.DefaultTransport}
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithHTTPClient(&http.Client{Transport: sampler}), zohohub.WithExportPolling(time.Millisecond, 4*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
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
