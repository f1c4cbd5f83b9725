package zohohub_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// scanHeapGrowth reads n seeded Leads with Query().All, dropping each
// record as it arrives, and returns the most live heap seen during the
// scan above the heap before it. The emulator shares the process: its
// seeded store is in the "before" figure, and only its transient page
// buffers count in the growth, alike for every n.
func scanHeapGrowth(t *testing.T, n int) uint64 {
	t.Helper()
	srv := zohotest.New(t)
	seed := make([]map[string]any, n)
	for i := range seed {
		seed[i] = map[string]any{"Last_Name": fmt.Sprintf("Doe %d", i), "Company": "Acme", "Email": fmt.Sprintf("doe.%d@example.com", i)}
	}
	if _, err := srv.Seed("Leads", seed...); err != nil {
		t.Fatal(err)
	}
	seed = nil
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before, peak := ms.HeapAlloc, ms.HeapAlloc
	read := 0
	for rec, err := range zohohub.Records[modules.Lead](c).Query().All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID == "" {
			t.Fatal("record without id")
		}
		read++
		if read%5000 == 0 { // sample the live heap twice per 10,000 records
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if read != n {
		t.Fatalf("read %d of %d", read, n)
	}
	return peak - before
}

// TestFullScanHeapIsFlatInN: reading 100,000 records one page at a time
// holds no more than reading 10,000 (a page and the client's caches), so
// a full scan's memory does not grow with the module.
func TestFullScanHeapIsFlatInN(t *testing.T) {
	small := scanHeapGrowth(t, 10_000)
	large := scanHeapGrowth(t, 100_000)
	t.Logf("live heap growth during a full scan: 10,000 records %d KiB, 100,000 records %d KiB", small/1024, large/1024)
	// Flat: 10× the records may not cost more than the noise of one page's
	// buffers (a 200-record page is ~100 KiB on the wire).
	if large > 2*small+1<<20 {
		t.Fatalf("heap grows with N: %d KiB for 10,000, %d KiB for 100,000", small/1024, large/1024)
	}
}
