package mirror_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub/mirror"
)

// benchCount is the records BenchmarkInitialLoad mirrors:
// ZOHOHUB_MIRROR_BENCH_N, default 100,000.
func benchCount(b *testing.B) int {
	if s := os.Getenv("ZOHOHUB_MIRROR_BENCH_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("ZOHOHUB_MIRROR_BENCH_N=%q is not a number of records", s)
		}
		return n
	}
	return 100000
}

// peakHeap samples the bytes of live heap objects until stop is called,
// and returns the highest seen above what was live when it started.
func peakHeap() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		if peak < base {
			return 0
		}
		return peak - base
	}
}

// BenchmarkInitialLoad loads Leads from a zhemu process (so that this
// process holds only the client) into PostgreSQL and MariaDB, through Bulk
// Read and page by page, and reports rows written a second and the
// client's peak heap above its idle size.
//
//	ZOHOHUB_MIRROR_BENCH_N=100000 go test -run '^$' -bench InitialLoad -benchtime 1x ./mirror/
func BenchmarkInitialLoad(b *testing.B) {
	n := benchCount(b)
	// No Email: zohotest checks unique fields against every record so far.
	seed := map[string][]map[string]any{"Leads": make([]map[string]any, n)}
	for i := range n {
		seed["Leads"][i] = map[string]any{"Last_Name": fmt.Sprintf("Doe %07d", i), "First_Name": "Jo", "Company": "Acme Corporation",
			"Phone": "+1 555 0100", "City": "Springfield", "No_of_Employees": i % 500,
			"Annual_Revenue": float64(i) * 1.25, "Email_Opt_Out": i%2 == 0, "Lead_Status": "Contacted",
			"Description": "A lead seeded for the benchmark, with a sentence of text."}
	}
	z := startZhemu(b, seed)
	ctx := context.Background()
	for _, e := range engines(b) {
		for _, mode := range []string{"bulk", "pages"} {
			b.Run(e.name+"/"+mode, func(b *testing.B) {
				threshold := 0
				if mode == "pages" {
					threshold = -1
				}
				var rows int
				var elapsed time.Duration
				var peak uint64
				for i := range b.N {
					b.StopTimer()
					prefix := fmt.Sprintf("%sb%d_%s_", e.prefix, i, mode)
					m, err := mirror.New(z.client, e.db, mirror.WithTablePrefix(prefix), mirror.WithBulkThreshold(threshold), mirror.WithClockSkew(0))
					if err != nil {
						b.Fatal(err)
					}
					stop := peakHeap()
					b.StartTimer()
					start := time.Now()
					sum, err := m.Sync(ctx, "Leads")
					elapsed += time.Since(start)
					b.StopTimer()
					peak = max(peak, stop())
					if err != nil {
						b.Fatal(err)
					}
					rows += sum.Inserted
					if _, err := e.db.Exec("DROP TABLE " + e.quote(prefix+"leads")); err != nil {
						b.Fatal(err)
					}
					if _, err := e.db.Exec("DROP TABLE " + e.quote(prefix+"_zhsync_state")); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}
