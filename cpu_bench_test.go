package zohohub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// BenchmarkClientCPU runs one workload (insert, list, update and delete
// cpuRecords Leads through zohotest over HTTP) with zohohub and with
// plainClient, a thin hand-written client (net/http and encoding/json into
// plain structs, the same requests, no change tracking), alternating the
// two in every iteration so that both see the same load on a shared
// machine (after one unmeasured round of each, and taking turns at going
// first). It reports the client's CPU per record of each and their ratio.
//
// How the client's CPU is isolated: the process's CPU (getrusage
// RUSAGE_SELF, user+sys) counts both ends, since zohotest runs in the same
// process. The handler is wrapped in cpuMeter, which locks its goroutine
// to its OS thread for the whole request and reads that thread's CPU
// (getrusage RUSAGE_THREAD) before and after: no other goroutine runs on a
// locked thread, so the difference is the emulator's work on the request
// (reading the body, validating, storing, encoding the answer). The
// client's CPU is the process's minus that. What remains on the client's
// side that it does not own: net/http's server-side connection reading and
// header parsing, and the garbage collector's work for the emulator's
// garbage; both are the same for the two clients, as the requests are.
// Allocations per record count both ends for the same reason.
func BenchmarkClientCPU(b *testing.B) {
	env := newCPUEnv(b)
	ctx := context.Background()
	// One unmeasured round of each first: both clients' connections open
	// and the heap grown before anything is counted. Then the two take
	// turns going first, so that neither always follows the other's
	// garbage.
	env.zohohubWorkload(b, ctx, -1)
	env.plainWorkload(b, ctx, -1)
	var zh, plain cpuSample
	for i := 0; b.Loop(); i++ {
		runZH := func() { zh.add(env.measure(func() { env.zohohubWorkload(b, ctx, i) })) }
		runPlain := func() { plain.add(env.measure(func() { env.plainWorkload(b, ctx, i) })) }
		if i%2 == 0 {
			runZH()
			runPlain()
		} else {
			runPlain()
			runZH()
		}
	}
	n := float64(b.N * cpuRecords)
	b.ReportMetric(float64(zh.client.Microseconds())/n, "zohohub-µs/rec")
	b.ReportMetric(float64(plain.client.Microseconds())/n, "plain-µs/rec")
	b.ReportMetric(float64(zh.client)/float64(plain.client), "zohohub/plain")
	b.ReportMetric(float64(zh.allocs)/n, "zohohub-allocs/rec")
	b.ReportMetric(float64(plain.allocs)/n, "plain-allocs/rec")
	b.ReportMetric(float64((zh.server+plain.server).Microseconds())/(2*n), "emulator-µs/rec")
}

// cpuRecords is the workload's size: 20 inserts, 10 pages, 20 updates and
// 20 deletes.
const cpuRecords = 2000

type cpuEnv struct {
	srv    *zohotest.Server
	meter  *cpuMeter
	base   string
	token  string
	client *zohohub.Client
	http   *http.Client
}

// cpuSample is what one workload cost.
type cpuSample struct {
	client, server time.Duration
	allocs         uint64
}

func (s *cpuSample) add(o cpuSample) {
	s.client += o.client
	s.server += o.server
	s.allocs += o.allocs
}

func newCPUEnv(tb testing.TB) *cpuEnv {
	tb.Helper()
	meter := &cpuMeter{}
	hs := httptest.NewUnstartedServer(meter)
	base := "http://" + hs.Listener.Addr().String()
	srv, err := zohotest.NewHandler(base)
	if err != nil {
		tb.Fatal(err)
	}
	meter.h = srv
	hs.Start()
	tb.Cleanup(hs.Close)
	access, _ := srv.IssueToken()
	env, err := auth.Custom(base, base, base)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		tb.Fatal(err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = zohohub.DefaultConcurrency
	return &cpuEnv{srv: srv, meter: meter, base: base, token: access, client: c, http: &http.Client{Transport: transport}}
}

// measure runs fn and returns its CPU split between the emulator's handler
// and the rest of the process, and the allocations of the process.
func (e *cpuEnv) measure(fn func()) cpuSample {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	server0 := e.meter.cpu.Load()
	proc0 := rusage(syscall.RUSAGE_SELF)
	fn()
	proc := rusage(syscall.RUSAGE_SELF) - proc0
	server := time.Duration(e.meter.cpu.Load() - server0)
	runtime.ReadMemStats(&m1)
	return cpuSample{client: proc - server, server: server, allocs: m1.Mallocs - m0.Mallocs}
}

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not
// name.
const rusageThread = 1

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter sums the CPU its handler spends, measured on the request's own
// OS thread.
type cpuMeter struct {
	h   http.Handler
	cpu atomic.Int64

	mu   sync.Mutex
	sent map[string]int // requests by method and path, counted on arrival
}

// takeSent returns the requests counted since the last call.
func (m *cpuMeter) takeSent() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	sent := m.sent
	m.sent = nil
	return sent
}

func (m *cpuMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	if m.sent == nil {
		m.sent = map[string]int{}
	}
	m.sent[r.Method+" "+r.URL.Path]++
	m.mu.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := rusage(rusageThread)
	m.h.ServeHTTP(w, r)
	m.cpu.Add(int64(rusage(rusageThread) - t0))
}

// cpuLead is the i-th Lead of iteration it, with the fields a typical form
// fills.
func cpuLead(it, i int) (last, first, email, city, phone string) {
	return fmt.Sprintf("Doe %d-%d", it, i), "Jane", fmt.Sprintf("jane.%d.%d@example.com", it, i), "Berlin", "+49 30 " + strconv.Itoa(1000000+i)
}

func (e *cpuEnv) zohohubWorkload(tb testing.TB, ctx context.Context, it int) {
	leads := zohohub.Records[modules.Lead](e.client).NoTriggers()
	recs := make([]*modules.Lead, cpuRecords)
	for i := range recs {
		last, first, email, city, phone := cpuLead(it, i)
		recs[i] = &modules.Lead{LastName: last, FirstName: first, Email: email, City: city, Phone: phone, Company: "Acme"}
	}
	if res, err := leads.SaveAll(ctx, recs); err != nil || res.Count(zohohub.ActionCreated) != cpuRecords {
		tb.Fatalf("insert: %d created, %v", res.Count(zohohub.ActionCreated), err)
	}
	var listed []*modules.Lead
	for r, err := range leads.Query().All(ctx) {
		if err != nil {
			tb.Fatal(err)
		}
		listed = append(listed, r)
	}
	if len(listed) != cpuRecords {
		tb.Fatalf("listed %d", len(listed))
	}
	for _, r := range listed {
		r.City = "Hamburg"
	}
	if res, err := leads.SaveAll(ctx, listed); err != nil || res.Count(zohohub.ActionUpdated) != cpuRecords {
		tb.Fatalf("update: %d updated, %v", res.Count(zohohub.ActionUpdated), err)
	}
	if _, err := leads.DeleteAll(ctx, listed); err != nil {
		tb.Fatalf("delete: %v", err)
	}
}

// plainLead is a Lead for encoding/json, with the fields of modules.Lead
// and the system fields zohohub.Model maps.
type plainLead struct {
	ID            string       `json:"id,omitempty"`
	Owner         *plainUser   `json:"Owner,omitempty"`
	CreatedBy     *plainUser   `json:"Created_By,omitempty"`
	ModifiedBy    *plainUser   `json:"Modified_By,omitempty"`
	CreatedTime   *time.Time   `json:"Created_Time,omitempty"`
	ModifiedTime  *time.Time   `json:"Modified_Time,omitempty"`
	AnnualRevenue *json.Number `json:"Annual_Revenue,omitempty"`
	City          string       `json:"City,omitempty"`
	Company       string       `json:"Company,omitempty"`
	Country       string       `json:"Country,omitempty"`
	Description   string       `json:"Description,omitempty"`
	Designation   string       `json:"Designation,omitempty"`
	Email         string       `json:"Email,omitempty"`
	EmailOptOut   bool         `json:"Email_Opt_Out,omitempty"`
	FirstName     string       `json:"First_Name,omitempty"`
	FullName      string       `json:"Full_Name,omitempty"`
	Industry      string       `json:"Industry,omitempty"`
	LastName      string       `json:"Last_Name,omitempty"`
	LeadSource    string       `json:"Lead_Source,omitempty"`
	LeadStatus    string       `json:"Lead_Status,omitempty"`
	Mobile        string       `json:"Mobile,omitempty"`
	NoOfEmployees int          `json:"No_of_Employees,omitempty"`
	Phone         string       `json:"Phone,omitempty"`
	Rating        string       `json:"Rating,omitempty"`
	Salutation    string       `json:"Salutation,omitempty"`
	State         string       `json:"State,omitempty"`
	Street        string       `json:"Street,omitempty"`
	Website       string       `json:"Website,omitempty"`
	ZipCode       string       `json:"Zip_Code,omitempty"`
}

type plainUser struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type plainWriteAnswer struct {
	Data []struct {
		Code    string `json:"code"`
		Status  string `json:"status"`
		Details struct {
			ID string `json:"id"`
		} `json:"details"`
	} `json:"data"`
}

type plainPage struct {
	Data []*plainLead `json:"data"`
	Info struct {
		MoreRecords   bool   `json:"more_records"`
		NextPageToken string `json:"next_page_token"`
	} `json:"info"`
}

// plainFields are the fields the list reads: the ones zohohub reads for
// modules.Lead.
func plainFields() string {
	names := []string{"id", "Owner", "Created_By", "Modified_By", "Created_Time", "Modified_Time", "Annual_Revenue", "City", "Company",
		"Country", "Description", "Designation", "Email", "Email_Opt_Out", "First_Name", "Full_Name", "Industry", "Last_Name",
		"Lead_Source", "Lead_Status", "Mobile", "No_of_Employees", "Phone", "Rating", "Salutation", "State", "Street", "Website", "Zip_Code"}
	return strings.Join(names, ",")
}

// do sends one request and decodes the JSON answer into out.
func (e *cpuEnv) do(ctx context.Context, method, path string, q url.Values, body any, out any) error {
	u := e.base + "/crm/v8/" + path
	if q != nil {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+e.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusMultiStatus {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// eachChunk runs fn on 100-record chunks, zohohub.DefaultConcurrency at a
// time, as zohohub's batch writes do.
func eachChunk[E any](items []E, fn func([]E) error) error {
	var (
		wg    sync.WaitGroup
		sem   = make(chan struct{}, zohohub.DefaultConcurrency)
		mu    sync.Mutex
		first error
	)
	for chunk := range slices.Chunk(items, 100) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(chunk); err != nil {
				mu.Lock()
				first = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

func (e *cpuEnv) plainWorkload(tb testing.TB, ctx context.Context, it int) {
	recs := make([]*plainLead, cpuRecords)
	for i := range recs {
		last, first, email, city, phone := cpuLead(it, i)
		recs[i] = &plainLead{LastName: last, FirstName: first, Email: email, City: city, Phone: phone, Company: "Acme"}
	}
	type writeBody struct {
		Data    any      `json:"data"`
		Trigger []string `json:"trigger"`
	}
	var created atomic.Int64
	err := eachChunk(recs, func(chunk []*plainLead) error {
		var ans plainWriteAnswer
		if err := e.do(ctx, http.MethodPost, "Leads", nil, writeBody{Data: chunk, Trigger: []string{}}, &ans); err != nil {
			return err
		}
		for j, d := range ans.Data {
			if d.Status == "success" {
				chunk[j].ID = d.Details.ID
				created.Add(1)
			}
		}
		return nil
	})
	if err != nil || created.Load() != cpuRecords {
		tb.Fatalf("insert: %d created, %v", created.Load(), err)
	}
	var listed []*plainLead
	q := url.Values{"fields": {plainFields()}, "per_page": {"200"}}
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		var p plainPage
		if err := e.do(ctx, http.MethodGet, "Leads", q, nil, &p); err != nil {
			tb.Fatal(err)
		}
		listed = append(listed, p.Data...)
		if !p.Info.MoreRecords {
			break
		}
	}
	if len(listed) != cpuRecords {
		tb.Fatalf("listed %d", len(listed))
	}
	type cityUpdate struct {
		ID   string `json:"id"`
		City string `json:"City"`
	}
	updates := make([]cityUpdate, len(listed))
	for i, r := range listed {
		r.City = "Hamburg"
		updates[i] = cityUpdate{ID: r.ID, City: r.City}
	}
	var updated atomic.Int64
	err = eachChunk(updates, func(chunk []cityUpdate) error {
		var ans plainWriteAnswer
		if err := e.do(ctx, http.MethodPut, "Leads", nil, writeBody{Data: chunk, Trigger: []string{}}, &ans); err != nil {
			return err
		}
		for _, d := range ans.Data {
			if d.Status == "success" {
				updated.Add(1)
			}
		}
		return nil
	})
	if err != nil || updated.Load() != cpuRecords {
		tb.Fatalf("update: %d updated, %v", updated.Load(), err)
	}
	err = eachChunk(listed, func(chunk []*plainLead) error {
		ids := make([]string, len(chunk))
		for j, r := range chunk {
			ids[j] = r.ID
		}
		var ans plainWriteAnswer
		return e.do(ctx, http.MethodDelete, "Leads", url.Values{"ids": {strings.Join(ids, ",")}}, nil, &ans)
	})
	if err != nil {
		tb.Fatalf("delete: %v", err)
	}
}

// TestClientCPUWorkloadsSendTheSameRequests keeps BenchmarkClientCPU
// honest: both clients send the same number of requests of each method,
// and leave the module empty.
func TestClientCPUWorkloadsSendTheSameRequests(t *testing.T) {
	env := newCPUEnv(t)
	ctx := context.Background()
	env.meter.takeSent() // the token check of the setup, if any
	env.zohohubWorkload(t, ctx, 0)
	zh := env.meter.takeSent()
	env.plainWorkload(t, ctx, 0)
	plain := env.meter.takeSent()
	if fmt.Sprint(zh) != fmt.Sprint(plain) {
		t.Fatalf("zohohub sent %v, the plain client %v", zh, plain)
	}
	if n := len(env.srv.Records("Leads")); n != 0 {
		t.Fatalf("%d Leads left", n)
	}
	t.Logf("requests: %v", zh)
}
