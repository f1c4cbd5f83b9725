package mirror_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// seedCount is the records TestSyncLoadsThenFollowsChanges seeds:
// ZOHOHUB_MIRROR_N=50000 for the full run.
func seedCount(t testing.TB) int {
	if s := os.Getenv("ZOHOHUB_MIRROR_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			t.Fatalf("ZOHOHUB_MIRROR_N=%q: want a number of at least 1000", s)
		}
		return n
	}
	return 5000
}

func TestSyncSmoke(t *testing.T) {
	srv := zohotest.New(t)
	seedOrg(t, srv, 1000)
	afterSecond(time.Now())
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			rc := mirror.NewRequestCounter(nil)
			c := client(t, srv, rc)
			m, err := mirror.New(c, e.db, mirror.WithTablePrefix(e.prefix), mirror.WithClockSkew(0), mirror.WithBulkThreshold(300), mirror.WithRequestCounter(rc))
			if err != nil {
				t.Fatal(err)
			}
			sum, err := m.Sync(context.Background(), testModules...)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range sum.Modules {
				t.Logf("%+v", st)
			}
			compareAll(t, e, srv, c, testModules...)
		})
	}
}
