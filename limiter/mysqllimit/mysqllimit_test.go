package mysqllimit_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/limiter/internal/leasetest"
	"github.com/zohohub/zohohub/limiter/mysqllimit"
	"github.com/zohohub/zohohub/zohotest"
)

// The child processes the tests start are this test binary run again with
// childEnv set to what it should do; TestMain runs it instead of the tests.
const childEnv = "MYSQLLIMIT_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "calls":
		os.Exit(childCalls())
	case "hold":
		os.Exit(childHold())
	default:
		fmt.Fprintln(os.Stderr, "unknown child role", os.Getenv(childEnv))
		os.Exit(2)
	}
}

// newTable connects to the local MariaDB and returns a table name no other
// test uses, dropped at the end.
func newTable(t *testing.T) (*sql.DB, string) {
	t.Helper()
	db, err := sql.Open("mysql", testenv.MySQLDSN())
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		testenv.MySQLFailed(t, err)
	}
	var b [6]byte
	rand.Read(b[:])
	table := "zhlimit_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		db.Exec("DROP TABLE IF EXISTS `" + table + "`")
		db.Close()
	})
	return db, table
}

// child starts this test binary as a child process in role, with env.
func child(t *testing.T, role string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+role, "MYSQLLIMIT_TEST_DSN="+testenv.MySQLDSN()), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

// childCalls makes 25 calls at once to the emulator at $API, sharing a
// limiter of 5 slots in $TABLE, and exits 0 when all succeeded.
func childCalls() int {
	ctx := context.Background()
	lim, err := mysqllimit.Open(ctx, os.Getenv("MYSQLLIMIT_TEST_DSN"), "org", 5, mysqllimit.WithTable(os.Getenv("TABLE")),
		mysqllimit.WithPoll(5*time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer lim.Close()
	env, err := auth.Custom(os.Getenv("API"), os.Getenv("API"), os.Getenv("API"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken(os.Getenv("TOKEN"))),
		zohohub.WithConcurrency(5), zohohub.WithLimiter(lim))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var wg sync.WaitGroup
	errs := make(chan error, 25)
	for range 25 {
		wg.Go(func() {
			_, err := c.Do(ctx, &zohohub.Request{Path: "Leads", Query: map[string][]string{"fields": {"Last_Name"}}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// childHold takes the only slot of a limiter in $TABLE, says so on
// stdout, and waits to be killed.
func childHold() int {
	ttl, _ := time.ParseDuration(os.Getenv("TTL"))
	lim, err := mysqllimit.Open(context.Background(), os.Getenv("MYSQLLIMIT_TEST_DSN"), "org", 1,
		mysqllimit.WithTable(os.Getenv("TABLE")), mysqllimit.WithLeaseTTL(ttl))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := lim.Acquire(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("held")
	time.Sleep(time.Minute)
	return 1
}

// Four processes, each with its own connection pool, limiter and a local
// bound of 5, share an org limit of 5: the emulator, which answers 429
// beyond 5 calls in flight, never has to.
func TestProcessesShareOrgLimit(t *testing.T) {
	srv := zohotest.New(t, zohotest.WithConcurrencyLimit(5), zohotest.WithLatency(10*time.Millisecond))
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Roe", "Company": "Acme"}); err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	_, table := newTable(t)
	var procs []*exec.Cmd
	for range 4 {
		cmd := child(t, "calls", "API="+srv.URL(), "TOKEN="+access, "TABLE="+table)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for i, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	ok, tooMany := 0, 0
	for _, r := range srv.Requests() {
		switch r.Status {
		case 200:
			ok++
		case 429:
			tooMany++
		}
	}
	if ok != 100 || tooMany != 0 {
		t.Errorf("the emulator answered %d calls and 429 %d times; want 100 and 0 with the shared limit of 5", ok, tooMany)
	}
}

// A process killed (-9) while it holds a slot frees it when its lease
// expires, and not before.
func TestKilledHolderSlotIsFreed(t *testing.T) {
	db, table := newTable(t)
	const ttl = 600 * time.Millisecond
	cmd := child(t, "hold", "TABLE="+table, "TTL="+ttl.String())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, _ := bufio.NewReader(out).ReadString('\n'); strings.TrimSpace(line) != "held" {
		t.Fatalf("the child said %q, want held", line)
	}
	time.Sleep(ttl) // the child renews its lease: still held after the TTL
	lim, err := mysqllimit.New(context.Background(), db, "org", 1, mysqllimit.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := lim.InFlight(context.Background()); n != 1 || err != nil {
		t.Fatalf("InFlight = %d, %v; want the child's 1", n, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ttl/4)
	defer cancel()
	if _, err := lim.Acquire(ctx); err == nil {
		t.Fatal("a slot was granted at a limit of 1 while a live process holds it")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed := time.Now()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 2*ttl+time.Second)
	defer cancel2()
	release, err := lim.Acquire(ctx2)
	if err != nil {
		t.Fatalf("the killed process's slot was not freed: %v", err)
	}
	release(200)
	if waited := time.Since(killed); waited > ttl+500*time.Millisecond {
		t.Errorf("the slot came free %v after the kill; want within the lease TTL %v", waited, ttl)
	}
}

// A live lease is held, even beyond its TTL (it is renewed), until it is
// released.
func TestLeaseHeldUntilReleased(t *testing.T) {
	db, table := newTable(t)
	lim, err := mysqllimit.New(context.Background(), db, "org", 1, mysqllimit.WithTable(table), mysqllimit.WithLeaseTTL(150*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	leasetest.HeldUntilReleased(t, lim)
}

// A 429 seen by one process makes the others wait for the cool-down.
func TestTooManyRequestsCoolsDownEveryone(t *testing.T) {
	db, table := newTable(t)
	var lims [2]*mysqllimit.Limiter
	for i := range lims {
		var err error
		if lims[i], err = mysqllimit.New(context.Background(), db, "org", 5, mysqllimit.WithTable(table), mysqllimit.WithCoolDown(300*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	leasetest.CoolDown(t, lims[0], lims[1])
}

// Names share a table without sharing slots.
func TestNamesAreSeparateBudgets(t *testing.T) {
	db, table := newTable(t)
	var releases []func(int)
	for i := range 3 {
		lim, err := mysqllimit.New(context.Background(), db, "org"+strconv.Itoa(i), 1, mysqllimit.WithTable(table))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		r, err := lim.Acquire(ctx)
		cancel()
		if err != nil {
			t.Fatalf("org%d: %v", i, err)
		}
		releases = append(releases, r)
	}
	for _, r := range releases {
		r(200)
	}
}

func TestNewRejectsBadArguments(t *testing.T) {
	db, table := newTable(t)
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"limit 0":    func() error { _, err := mysqllimit.New(ctx, db, "org", 0, mysqllimit.WithTable(table)); return err },
		"empty name": func() error { _, err := mysqllimit.New(ctx, db, "", 5, mysqllimit.WithTable(table)); return err },
		"long name": func() error {
			_, err := mysqllimit.New(ctx, db, strings.Repeat("n", 192), 5, mysqllimit.WithTable(table))
			return err
		},
		"nil database": func() error { _, err := mysqllimit.New(ctx, nil, "org", 5); return err },
		"table not ident": func() error {
			_, err := mysqllimit.New(ctx, db, "org", 5, mysqllimit.WithTable("t`; DROP"))
			return err
		},
		"short TTL": func() error {
			_, err := mysqllimit.New(ctx, db, "org", 5, mysqllimit.WithTable(table), mysqllimit.WithLeaseTTL(time.Millisecond))
			return err
		},
		"bad DSN": func() error { _, err := mysqllimit.Open(ctx, "not a dsn", "org", 5); return err },
	} {
		if f() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
