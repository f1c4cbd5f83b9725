package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// The tests run zhsync into the real local PostgreSQL (testenv.PostgresDSN),
// each under a table prefix of its own. They fail, never skip, when it is
// missing.

// tablePrefix returns a prefix no other test uses and drops the tables of
// modules under it when the test ends.
func tablePrefix(t *testing.T, db *sqlx.DB, modules ...string) string {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	prefix := "zhcmd_" + hex.EncodeToString(b) + "_"
	t.Cleanup(func() {
		for _, m := range append(modules, "_zhsync_state") {
			if _, err := db.Exec(`DROP TABLE IF EXISTS "` + prefix + strings.ToLower(m) + `" CASCADE`); err != nil {
				t.Errorf("dropping %s%s: %v", prefix, m, err)
			}
		}
	})
	return prefix
}

func openPostgres(t *testing.T) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := mirror.Open(ctx, testenv.PostgresDSN())
	if err != nil {
		testenv.PostgresFailed(t, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// eventually polls cond every 20 ms for up to d, failing the test when it
// never held.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// zhsync -watch -notify-url subscribes to the emulator's notifications,
// serves them on -listen, and applies a write within 2 s (passes are an
// hour apart); a forged callback is refused; a channel Zoho dropped is
// enabled again and a pass catches up; the channel is disabled on exit.
func TestWatchWithNotifications(t *testing.T) {
	srv := zohotest.New(t)
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Seeded", "Company": "Acme"}); err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	db := openPostgres(t)
	prefix := tablePrefix(t, db, "Leads")
	// The receiver serves on a listener open before the URL is built from
	// its address: a port found free beforehand can be taken by a parallel
	// test's socket before zhsync binds it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	notifyURL := "http://" + ln.Addr().String() + "/zoho/notify"
	args := []string{"-dsn", testenv.PostgresDSN(), "-prefix", prefix, "-modules", "Leads", "-access-token", access, "-api-domain", srv.URL(),
		"-watch", "-interval", "1h", "-notify-url", notifyURL, "-channel-lifetime", "2s",
		"-clock-skew", "0", "-progress", "none", "-json"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testenv.SyncBuffer
	done := make(chan error, 1)
	go func() { done <- runListening(ctx, args, &stdout, &stderr, ln) }()
	leadRow := func(id string) bool {
		var n int
		err := db.Get(&n, `SELECT COUNT(*) FROM "`+prefix+`leads" WHERE id = $1`, id)
		return err == nil && n == 1
	}
	eventually(t, 10*time.Second, "the first pass and the channel", func() bool {
		var n int
		err := db.Get(&n, `SELECT COUNT(*) FROM "`+prefix+`leads"`)
		return err == nil && n == 1 && len(srv.WatchChannels()) == 1
	})
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		t.Fatal(err)
	}
	leads := zohohub.RecordsOf(c, "Leads")
	create := func(name string) string {
		r := &zohohub.AnyRecord{}
		r.Set("Last_Name", name)
		if err := leads.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	id := create("Notified")
	start := time.Now()
	eventually(t, 2*time.Second, "a lead created in the emulator, in the table", func() bool { return leadRow(id) })
	t.Logf("the created lead reached PostgreSQL in %v", time.Since(start))

	resp, err := http.Post(notifyURL, "application/json", strings.NewReader(
		fmt.Sprintf(`{"module":"Leads","ids":["%s"],"operation":"delete","channel_id":"%s","token":"forged"}`, id, srv.WatchChannels()[0])))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !leadRow(id) {
		t.Fatalf("a callback with a forged token: %d, row kept %v; want 403 and the row kept", resp.StatusCode, leadRow(id))
	}

	srv.ExpireWatchChannels()
	missed := create("Missed")
	eventually(t, 4*time.Second, "the lead written while the channel was gone, by the pass after it was enabled again",
		func() bool { return leadRow(missed) })
	if len(srv.WatchChannels()) != 1 {
		t.Fatal("the channel is not live again")
	}
	id = create("Back")
	eventually(t, 2*time.Second, "a lead created once the channel is back", func() bool { return leadRow(id) })

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if got := srv.WatchChannels(); len(got) != 0 {
		t.Errorf("channels %v after zhsync stopped, want none (disabled)", got)
	}
	refreshes := 0
	for line := range strings.Lines(stdout.String()) {
		var sum mirror.Summary
		if err := json.Unmarshal([]byte(line), &sum); err != nil {
			t.Fatalf("-json line %q: %v", line, err)
		}
		if len(sum.Modules) > 0 && sum.Modules[0].Mode == mirror.ModeRefresh {
			refreshes++
			if sum.Credits == 0 {
				t.Errorf("a refresh summary without its credits: %s", line)
			}
		}
	}
	if refreshes < 2 {
		t.Errorf("%d refresh summaries, want one per notified write:\n%s", refreshes, stdout.String())
	}
}

// Four zhsync runs at once, each with its own connection to the shared
// limiter (Redis, then MySQL) at an org limit of 5, never have more than 5
// calls in flight at the emulator, which answers 429 beyond.
func TestLimiterSharesTheOrgLimit(t *testing.T) {
	modules := []string{"Leads", "Contacts", "Accounts", "Deals"}
	db := openPostgres(t)
	for _, lim := range []string{"redis://127.0.0.1:6379", "mysql:root@tcp(127.0.0.1:3306)/test"} {
		kind, _, _ := strings.Cut(lim, ":")
		t.Run(kind, func(t *testing.T) {
			srv := zohotest.New(t, zohotest.WithConcurrencyLimit(5), zohotest.WithLatency(5*time.Millisecond))
			seedModules(t, srv, 300)
			access, _ := srv.IssueToken()
			name := "zhsync-test-" + hex.EncodeToString([]byte(t.Name()))[:12] + fmt.Sprint(time.Now().UnixNano())
			errs := make(chan error, 4)
			for range 4 {
				prefix := tablePrefix(t, db, modules...)
				go func() {
					var out, errOut bytes.Buffer
					err := run(context.Background(), []string{"-dsn", testenv.PostgresDSN(), "-prefix", prefix, "-modules", strings.Join(modules, ","),
						"-access-token", access, "-api-domain", srv.URL(), "-once", "-progress", "none",
						"-limiter", lim, "-limiter-name", name, "-org-concurrency", "5"}, &out, &errOut)
					if err != nil {
						err = fmt.Errorf("%w\n%s", err, errOut.String())
					}
					errs <- err
				}()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			calls, tooMany := 0, 0
			for _, r := range srv.Requests() {
				calls++
				if r.Status == http.StatusTooManyRequests {
					tooMany++
				}
			}
			if tooMany != 0 {
				t.Errorf("%d calls, %d answered 429; want none with the shared limit of 5", calls, tooMany)
			}
			t.Logf("%d calls, %d answered 429", calls, tooMany)
		})
	}
}

// seedModules seeds n records in each of the four modules the limiter
// test syncs.
func seedModules(t *testing.T, srv *zohotest.Server, n int) {
	t.Helper()
	for i := range n {
		for module, rec := range map[string]map[string]any{
			"Leads":    {"Last_Name": fmt.Sprint("Lead ", i), "Company": "Acme"},
			"Contacts": {"Last_Name": fmt.Sprint("Contact ", i)},
			"Accounts": {"Account_Name": fmt.Sprint("Account ", i)},
			"Deals":    {"Deal_Name": fmt.Sprint("Deal ", i), "Stage": "Qualification"},
		} {
			if _, err := srv.Seed(module, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
}
