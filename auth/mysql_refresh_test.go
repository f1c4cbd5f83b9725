package auth_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

func mysqlDSN() string {
	if dsn := os.Getenv("ZOHOHUB_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return "root@tcp(127.0.0.1:3306)/test?parseTime=true"
}

// TestMySQLTwoProcessesRefreshOnce starts two processes that share one
// expired token in MySQL; together they make exactly one refresh request.
// It fails (never skips) when MariaDB is unreachable: CI must run it.
func TestMySQLTwoProcessesRefreshOnce(t *testing.T) {
	ctx := context.Background()
	table := fmt.Sprintf("zhauth_%d", time.Now().UnixNano())
	store, err := mysqlstore.Open(ctx, mysqlDSN(), mysqlstore.WithTable(table))
	if err != nil {
		t.Fatalf("MySQL store (start MariaDB with ./scripts/ensure-mariadb.sh or set ZOHOHUB_MYSQL_DSN): %v", err)
	}
	t.Cleanup(func() {
		store.Close()
		if db, err := sql.Open("mysql", mysqlDSN()); err == nil {
			db.ExecContext(ctx, "DROP TABLE IF EXISTS `"+table+"`")
			db.Close()
		}
	})
	if err := store.Save(ctx, expiredToken()); err != nil {
		t.Fatal(err)
	}
	ts := newTokenServer(t)
	ts.delay.Store(int64(200 * time.Millisecond))
	var cmds []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMySQLRefreshHelperProcess$")
		cmd.Env = append(os.Environ(), "ZOHOHUB_REFRESH_HELPER=1", "ZOHOHUB_REFRESH_TABLE="+table, "ZOHOHUB_REFRESH_URL="+ts.srv.URL)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
	}
	if n := ts.refreshes.Load(); n != 1 {
		t.Fatalf("two processes made %d refreshes, want 1", n)
	}
}

// TestMySQLRefreshHelperProcess is the child of the test above.
func TestMySQLRefreshHelperProcess(t *testing.T) {
	if os.Getenv("ZOHOHUB_REFRESH_HELPER") != "1" {
		return
	}
	ctx := context.Background()
	store, err := mysqlstore.Open(ctx, mysqlDSN(), mysqlstore.WithTable(os.Getenv("ZOHOHUB_REFRESH_TABLE")))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u := os.Getenv("ZOHOHUB_REFRESH_URL")
	env, _ := auth.Custom(u, u, u)
	c, err := auth.NewCache(auth.Config{ClientID: clientID, ClientSecret: clientSecret, Environment: env}, store, persistence.Key{UserName: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := c.AccessToken(ctx); err != nil || tok == "1000.expired" {
		t.Fatalf("token %q err %v", tok, err)
	}
}
