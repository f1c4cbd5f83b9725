package mysqlstore_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := mysqlstore.Open(ctx, "zoho:hunter2pw@tcp(127.0.0.1:1)/zohooauth")
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "127.0.0.1:1") || !strings.Contains(msg, "cannot connect to MySQL") {
		t.Fatalf("error does not say which server is unreachable: %v", msg)
	}
	if strings.Contains(msg, "hunter2pw") {
		t.Fatalf("error reveals the password: %v", msg)
	}

	if _, err := mysqlstore.Open(ctx, "zoho:hunter2pw@tcp(127.0.0.1:3306"); err == nil ||
		!strings.Contains(err.Error(), "invalid MySQL DSN") || strings.Contains(err.Error(), "hunter2pw") {
		t.Fatalf("malformed DSN: %v", err)
	}

	// A DSN without a database and no db.table: say what to do.
	dsn := testenv.MySQLDSN()
	noDB := dsn[:strings.LastIndex(dsn, "/")+1]
	_, err = mysqlstore.Open(ctx, noDB)
	if err == nil || !strings.Contains(err.Error(), "no database selected") {
		t.Fatalf("DSN without database: %v", err)
	}
}

func TestOpenWithDSN(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	s, err := mysqlstore.Open(ctx, testenv.MySQLDSN(), mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	tok := storetest.SampleToken("a@x", 1)
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, tok.Key()); err == nil {
		t.Fatal("Get after Close succeeded")
	}
}

// A server that accepts connections and never answers (a hung MySQL, a
// firewall that black-holes after the handshake, the wrong service) makes
// Open fail within the read timeout, even with a context that never ends:
// the default one, or the DSN's.
func TestOpenSilentServer(t *testing.T) {
	addr := silentServer(t)
	for _, tc := range []struct {
		name, params string
		within       time.Duration
	}{
		{"default timeouts", "", mysqlstore.DefaultReadTimeout + 5*time.Second},
		{"readTimeout from the DSN", "?readTimeout=1s", 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &testenv.SyncBuffer{}
			logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				_, err := mysqlstore.Open(context.Background(), "root@tcp("+addr+")/test"+tc.params, persistence.WithLogger(logger))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), addr) {
					t.Fatalf("Open on a silent server: %v, want an error naming %s", err, addr)
				}
				t.Logf("Open failed after %v: %v", time.Since(start).Round(time.Millisecond), err)
				// The driver's own message goes to the store's logger, not to
				// standard error.
				if !strings.Contains(logs.String(), "go-sql-driver/mysql") {
					t.Errorf("the driver's message is not in the store's log: %q", logs.String())
				}
			case <-time.After(tc.within):
				t.Fatalf("Open on a server that never answers still blocked after %v", tc.within)
			}
		})
	}
}

// silentServer listens on 127.0.0.1, accepts every connection and never
// writes to it; it returns the address.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never written to
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}
