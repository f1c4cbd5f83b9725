package mirror_test

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killAt starts zhsync -once, kills it with SIGKILL after d, and reports
// whether it was still running then (false: it had finished its pass).
func killAt(t testing.TB, d time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(binary(t, "zhsync"), args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("zhsync failed before it was killed: %v", err)
		}
		return false
	case <-time.After(d):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		<-done
		return false
	}
	err := <-done
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true
	}
	if err != nil {
		t.Fatalf("zhsync failed: %v", err)
	}
	return false
}

// TestKillNineResumes kills zhsync with SIGKILL at 20 random moments, ten
// per engine: five during first loads (one module through Bulk Read) and
// five during incremental passes after updates, creates and deletes in
// zhemu. After one more pass run to its end, every table equals the
// emulator, with no id twice. PostgreSQL loads through Bulk Read, MariaDB
// page by page. ZOHOHUB_KILL_SEED replays a run's moments.
func TestKillNineResumes(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ZOHOHUB_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("kill moments from seed %d (ZOHOHUB_KILL_SEED)", seed)
	rng := rand.New(rand.NewPCG(seed, 15))
	moment := func(max time.Duration) time.Duration {
		return 20*time.Millisecond + time.Duration(rng.Int64N(int64(max)))
	}
	z := startZhemu(t, orgSeed(3000))
	for i, e := range engines(t) {
		// PostgreSQL loads through Bulk Read, MariaDB page by page.
		threshold := []string{"900", "-1"}[i%2]
		args := z.zhsyncArgs(e, "-once", "-json", "-bulk-threshold", threshold)
		kills, loads := 0, 0
		for kills < 5 {
			if killAt(t, moment(1200*time.Millisecond), args...) {
				kills++
				continue
			}
			// The load finished before the kill: forget the watermarks, so
			// that the next run loads again (into the rows already there).
			loads++
			if _, err := e.db.Exec("DELETE FROM " + e.quote(e.prefix+"_zhsync_state")); err != nil {
				t.Fatal(err)
			}
		}
		runZhsync(t, args...) // the load, to its end
		for kills < 10 {
			for _, module := range testModules {
				mutate(t, z.client, module, 150, 30, 30)
			}
			if killAt(t, moment(600*time.Millisecond), args...) {
				kills++
			}
		}
		t.Logf("%s: 10 kills (%d loads ran to their end first)", e.name, loads)
		runZhsync(t, args...)
		compareAll(t, e, z.client, testModules...)
		for _, module := range testModules {
			var rows, ids int
			table := e.quote(e.prefix + strings.ToLower(module))
			if err := e.db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT id) FROM "+table).Scan(&rows, &ids); err != nil {
				t.Fatal(err)
			}
			if rows != ids {
				t.Errorf("%s %s: %d rows for %d ids", e.name, module, rows, ids)
			}
		}
	}
}
