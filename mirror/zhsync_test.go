package mirror_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/notifications"
	"github.com/zohohub/zohohub/persistence"
)

// binaries builds zhsync and zhemu once per test process.
var binaries = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "zhsync-test-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range []string{"zhsync", "zhemu"} {
		bin := filepath.Join(dir, name)
		cmd := exec.Command(goTool(), "build", "-o", bin, "../cmd/"+name)
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, &buildError{name, err, b}
		}
		out[name] = bin
	}
	return out, nil
})

type buildError struct {
	name string
	err  error
	out  []byte
}

func (e *buildError) Error() string {
	return "go build " + e.name + ": " + e.err.Error() + "\n" + string(e.out)
}

func goTool() string {
	if root := runtime.GOROOT(); root != "" {
		if bin := filepath.Join(root, "bin", "go"); fileExists(bin) {
			return bin
		}
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func binary(t testing.TB, name string) string {
	t.Helper()
	bins, err := binaries()
	if err != nil {
		t.Fatal(err)
	}
	return bins[name]
}

// zhemu is a running cmd/zhemu and a token store holding a token for it,
// as docs/mirror.md sets them up: zhemu with a grant token, the grant
// exchanged into a file store.
type zhemu struct {
	base, tokens string
	client       *zohohub.Client
}

// startZhemu starts zhemu seeded with records, and stops it when the
// test ends.
func startZhemu(t testing.TB, seed map[string][]map[string]any) *zhemu {
	t.Helper()
	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seed.json")
	data, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seedFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// Port 0, read back from zhemu's start-up line: a port found free
	// beforehand can be taken by a parallel test's socket first.
	cmd := exec.Command(binary(t, "zhemu"), "-addr", "127.0.0.1:0", "-client-id", "1000.SYNC", "-client-secret", "s3cret",
		"-grant-token", "1000.grant.sync", "-seed", seedFile)
	cmd.Stderr = os.Stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	started := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		lines.Scan()
		started <- lines.Text()
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case line := <-started:
		rest, ok := strings.CutPrefix(line, "zhemu: API base URL ")
		if base, ok = strings.CutSuffix(rest, "/crm/v8"); !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
			t.Fatalf("zhemu's start-up line %q (it exited before serving?)", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("zhemu did not start")
	}
	z := &zhemu{base: base, tokens: filepath.Join(dir, "tokens.csv")}
	env, err := auth.Custom(z.base, z.base, z.base)
	if err != nil {
		t.Fatal(err)
	}
	store, err := persistence.NewFile(z.tokens)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := auth.NewCache(auth.Config{ClientID: "1000.SYNC", ClientSecret: "s3cret", Environment: env}, store, persistence.Key{ClientID: "1000.SYNC"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.Authorize(context.Background(), "1000.grant.sync"); err != nil {
		t.Fatal(err)
	}
	if z.client, err = zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(cache), zohohub.WithExportPolling(time.Millisecond, 50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	return z
}

// zhsyncArgs are the flags of a zhsync run against z into e.
func (z *zhemu) zhsyncArgs(e engine, extra ...string) []string {
	return append([]string{"-dsn", e.dsn, "-prefix", e.prefix, "-modules", strings.Join(testModules, ","),
		"-token-store", "file:" + z.tokens, "-client-id", "1000.SYNC", "-clock-skew", "0", "-export-poll-ms", "1",
		"-progress", "none"}, extra...)
}

// orgSeed is a seed file's records: n across the test modules, without
// lookups to other records (their ids are known only once seeded).
func orgSeed(n int) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for i := range n {
		switch i % 3 {
		case 0:
			out["Accounts"] = append(out["Accounts"], map[string]any{"Account_Name": "Account " + itoa(i), "Employees": i % 700, "Annual_Revenue": float64(i) + 0.25})
		case 1:
			out["Leads"] = append(out["Leads"], map[string]any{"Last_Name": "Doe " + itoa(i), "Company": "Acme", "Email_Opt_Out": i%2 == 0})
		default:
			out["Projects"] = append(out["Projects"], map[string]any{"Name": "Project " + itoa(i), "Budget": float64(i) + 0.5,
				"Tags_1": []string{"Alpha"}, "Start_Date": "2024-02-29", "Kickoff_At": "2024-03-01T09:30:00+05:30", "Is_Active": i%2 == 0})
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestZhsyncMirrorsZhemu runs the command as docs/mirror.md shows, into
// both engines: -print-schema, a first pass, a pass after changes, each
// summary read from -json.
func TestZhsyncMirrorsZhemu(t *testing.T) {
	z := startZhemu(t, orgSeed(900))
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			out, err := exec.Command(binary(t, "zhsync"), z.zhsyncArgs(e, "-print-schema")...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "CREATE TABLE IF NOT EXISTS "+e.quote(e.prefix+"projects")) {
				t.Fatalf("-print-schema: %v\n%s", err, out)
			}
			var tables int
			if err := e.db.Get(&tables, e.db.Rebind("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"), e.prefix+"projects"); err != nil || tables != 0 {
				t.Fatalf("-print-schema created tables (%d, %v)", tables, err)
			}
			sum := runZhsync(t, z.zhsyncArgs(e, "-once", "-json")...)
			if sum.Inserted != 900 || len(sum.Modules) != 3 || sum.Requests == 0 || sum.Credits < len(sum.Modules) {
				t.Fatalf("first pass: %+v", sum)
			}
			compareAll(t, e, z.client, testModules...)
		})
	}
}

// runZhsync runs zhsync to its end and returns its -json summary.
func runZhsync(t testing.TB, args ...string) mirror.Summary {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(binary(t, "zhsync"), args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zhsync: %v\n%s", err, stderr.String())
	}
	var sum mirror.Summary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("zhsync -json printed %q: %v", stdout.String(), err)
	}
	return sum
}

// TestZhsyncWatchesZhemuNotifications runs the commands as processes:
// zhsync -watch subscribes to zhemu's notifications, and a lead created in
// zhemu reaches PostgreSQL within 2 s (passes are an hour apart). zhsync
// is then stopped (SIGSTOP) past its channel's expiry, so that zhemu drops
// the channel for real; once continued, zhsync enables it again and a
// pass catches up the lead created meanwhile. SIGTERM disables it.
func TestZhsyncWatchesZhemuNotifications(t *testing.T) {
	z := startZhemu(t, orgSeed(30))
	e := postgresEngine(t)
	// zhsync listens on port 0 and logs the address (listen=HOST:PORT);
	// zhemu POSTs to a proxy on a listener this test holds open, which
	// forwards to that address. A port found free beforehand and passed
	// as -listen can be taken by a parallel test's socket first.
	var stderr testenv.SyncBuffer
	notifyURL := forwardToListen(t, &stderr) + "/notify"
	cmd := exec.Command(binary(t, "zhsync"), z.zhsyncArgs(e, "-watch", "-interval", "1h", "-notify-url", notifyURL,
		"-listen", "127.0.0.1:0", "-channel-lifetime", "2s")...)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	nc := notifications.NewClient(z.client)
	channels := func() int { // live channels (List names one per module)
		ws, err := nc.List(context.Background(), notifications.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, w := range ws {
			ids[w.ID] = true
		}
		return len(ids)
	}
	leads := zohohub.RecordsOf(z.client, "Leads")
	row := func(id string) bool {
		var n int
		err := e.db.Get(&n, "SELECT COUNT(*) FROM leads WHERE id = $1", id)
		return err == nil && n == 1
	}
	create := func(name string) string {
		r := &zohohub.AnyRecord{}
		r.Set("Last_Name", name)
		if err := leads.Save(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	within(t, 20*time.Second, "the first pass and the channel", func() bool {
		var n int
		err := e.db.Get(&n, "SELECT COUNT(*) FROM leads")
		return err == nil && n == 10 && channels() == 1
	})
	id := create("Notified")
	took := within(t, 2*time.Second, "a lead created in zhemu, in PostgreSQL", func() bool { return row(id) })
	t.Logf("the lead reached PostgreSQL in %v", took)

	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "zhemu dropping the channel of the stopped zhsync", func() bool { return channels() == 0 })
	missed := create("Missed")
	if err := cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "the lead created while the channel was gone, by a pass", func() bool { return row(missed) })
	if channels() != 1 {
		t.Fatal("the channel was not enabled again")
	}
	id = create("Back")
	within(t, 2*time.Second, "a lead created once the channel is back", func() bool { return row(id) })

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("zhsync: %v\n%s", err, stderr.String())
	}
	if n := channels(); n != 0 {
		t.Errorf("%d channels after zhsync stopped, want none (disabled)", n)
	}
}

// forwardToListen serves, until the test ends, a proxy on a loopback
// port it holds open, and returns its base URL. It forwards each request
// to the address zhsync logged to stderr (listen=HOST:PORT), answering
// 502 while zhsync has logged none.
func forwardToListen(t *testing.T, stderr *testenv.SyncBuffer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.Out.URL.Scheme, r.Out.URL.Host = "http", loggedListen(stderr.String())
	}}
	hs := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

// loggedListen is the address in the first listen=HOST:PORT of zhsync's
// log, or "" (a request the proxy fails with 502).
func loggedListen(log string) string {
	_, rest, ok := strings.Cut(log, " listen=")
	if !ok {
		return ""
	}
	addr, _, _ := strings.Cut(rest, " ")
	return addr
}
