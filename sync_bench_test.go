package zohohub_test

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// The sync benchmarks measure a 10,000-record write and read against
// zohotest with 20 ms of latency a call, and report the requests sent and
// the wall time against their minimums: ⌈N/100⌉ writes spread over the
// client's concurrency limit, ⌈N/200⌉ sequential pages.
const (
	syncRecords = 10_000
	syncLatency = 20 * time.Millisecond
	syncLimit   = zohohub.DefaultConcurrency
)

func syncClient(b *testing.B) (*zohotest.Server, *zohohub.Client) {
	b.Helper()
	srv, c := syncServer(b)
	b.Cleanup(srv.Close)
	return srv, c
}

// syncServer is syncClient with a server the caller closes.
func syncServer(b *testing.B) (*zohotest.Server, *zohohub.Client) {
	b.Helper()
	srv, err := zohotest.Start(zohotest.WithLatency(syncLatency), zohotest.WithConcurrencyLimit(syncLimit))
	if err != nil {
		b.Fatal(err)
	}
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithConcurrency(syncLimit))
	if err != nil {
		b.Fatal(err)
	}
	return srv, c
}

// reportAgainstMinimum reports the requests and the wall time against
// their minimums, and the CPU the process (client and emulator) spent since
// cpu0 (rusage(RUSAGE_SELF) before the loop): the wall time cannot be
// below that CPU over the cores the process gets, whatever the latency.
func reportAgainstMinimum(b *testing.B, requests, minRequests int, minWall, cpu0 time.Duration) {
	elapsed := b.Elapsed() / time.Duration(b.N)
	cpu := (rusage(syscall.RUSAGE_SELF) - cpu0) / time.Duration(b.N)
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(requests)/float64(b.N)/float64(minRequests), "requests/min")
	b.ReportMetric(float64(elapsed)/float64(minWall), "wall/min")
	b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/op")
	b.ReportMetric(float64(cpu)/float64(elapsed), "cpu/wall")
}

// BenchmarkSync10000SaveAll times SaveAll alone. The records it saves
// are made with the timer stopped and their CPU left out, as the floor
// has no part for them, and every SaveAll starts from a collected heap:
// the garbage of the set-up (the first zohotest server of a process parses
// its metadata: about 110 ms of CPU and its garbage), of the records made
// and of the iteration before is not collected by the SaveAll timed.
func BenchmarkSync10000SaveAll(b *testing.B) {
	ctx := context.Background()
	{
		// One unmeasured SaveAll first, into a server of its own, as
		// BenchmarkClientCPU runs an unmeasured round: the first SaveAll
		// of a process also grows its heap from nothing and starts its
		// threads (twice the page faults and 40 ms more system CPU than
		// the next), which is the process's start, not SaveAll's.
		// Its server is closed before the timed one starts: its records
		// would be live heap the timed SaveAll's collections mark.
		srv, c := syncServer(b)
		_, err := zohohub.Records[modules.Lead](c).NoTriggers().SaveAll(ctx, syncLeads(-1))
		srv.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	srv, c := syncClient(b)
	leads := zohohub.Records[modules.Lead](c)
	requests := 0
	var setup time.Duration // CPU spent with the timer stopped, left out of cpu-ms
	cpu0 := rusage(syscall.RUSAGE_SELF)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		setup0 := rusage(syscall.RUSAGE_SELF)
		recs := syncLeads(i)
		srv.ResetRequests()
		runtime.GC() // the garbage of the records made and of the iteration before
		setup += rusage(syscall.RUSAGE_SELF) - setup0
		b.StartTimer()
		res, err := leads.NoTriggers().SaveAll(ctx, recs)
		if err != nil || res.Count(zohohub.ActionCreated) != syncRecords {
			b.Fatalf("created %d: %v", res.Count(zohohub.ActionCreated), err)
		}
		b.StopTimer()
		setup0 = rusage(syscall.RUSAGE_SELF)
		requests += len(srv.Requests())
		setup += rusage(syscall.RUSAGE_SELF) - setup0
		b.StartTimer()
	}
	minRequests := syncRecords / 100
	reportAgainstMinimum(b, requests, minRequests, time.Duration(minRequests/syncLimit)*syncLatency, cpu0+setup)
}

// syncLeads is the records iteration i of BenchmarkSync10000SaveAll saves.
func syncLeads(i int) []*modules.Lead {
	recs := make([]*modules.Lead, syncRecords)
	for j := range recs {
		recs[j] = &modules.Lead{LastName: fmt.Sprintf("Doe %d-%d", i, j), Company: "Acme"}
	}
	return recs
}

func BenchmarkSync10000ReadAll(b *testing.B) {
	srv, c := syncClient(b)
	ctx := context.Background()
	seed := make([]map[string]any, syncRecords)
	for j := range seed {
		seed[j] = map[string]any{"Last_Name": fmt.Sprintf("Doe %d", j), "Company": "Acme"}
	}
	if _, err := srv.Seed("Leads", seed...); err != nil {
		b.Fatal(err)
	}
	leads := zohohub.Records[modules.Lead](c)
	requests := 0
	cpu0 := rusage(syscall.RUSAGE_SELF)
	for b.Loop() {
		requests += readCounted(b, srv, leads.Query().All(ctx), syncRecords)
	}
	minRequests := syncRecords / 200
	reportAgainstMinimum(b, requests, minRequests, time.Duration(minRequests)*syncLatency, cpu0)
}
