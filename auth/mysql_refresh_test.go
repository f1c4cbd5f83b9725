package auth_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
	"github.com/zohohub/zohohub/zohotest"
)

// TestMySQLTwoProcessesRefreshOnce starts two processes that share one
// expired token in MySQL; together they make exactly one refresh request.
// It fails (never skips) when MariaDB is unreachable: CI must run it.
func TestMySQLTwoProcessesRefreshOnce(t *testing.T) {
	ctx := context.Background()
	table := fmt.Sprintf("zhauth_%d", time.Now().UnixNano())
	store, err := mysqlstore.Open(ctx, testenv.MySQLDSN(), mysqlstore.WithTable(table))
	if err != nil {
		testenv.MySQLFailed(t, err)
	}
	t.Cleanup(func() {
		store.Close()
		if db, err := sql.Open("mysql", testenv.MySQLDSN()); err == nil {
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
	store, err := mysqlstore.Open(ctx, testenv.MySQLDSN(), mysqlstore.WithTable(os.Getenv("ZOHOHUB_REFRESH_TABLE")))
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

// TestMySQLReadOnlyStoreRefreshesOnce opens the store as a MariaDB user
// that may only SELECT the token table, as in the field report of a
// read-only database: ten AccessToken calls make exactly one refresh at
// zohotest's accounts server and all get its token, while SaveErr reports
// the refused write.
func TestMySQLReadOnlyStoreRefreshesOnce(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	table := fmt.Sprintf("zhauth_ro_%d", time.Now().UnixNano())
	admin, err := mysqlstore.Open(ctx, testenv.MySQLDSN(), mysqlstore.WithTable(table))
	if err != nil {
		testenv.MySQLFailed(t, err)
	}
	db, err := sql.Open("mysql", testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	user := fmt.Sprintf("zhro_%d", time.Now().UnixNano()%1e9)
	t.Cleanup(func() {
		admin.Close()
		db.ExecContext(ctx, "DROP USER IF EXISTS '"+user+"'@'%'")
		db.ExecContext(ctx, "DROP TABLE IF EXISTS `"+table+"`")
		db.Close()
	})
	_, refresh := srv.IssueToken()
	key := persistence.Key{UserName: "ro@example.com", ClientID: srv.ClientID()}
	if err := admin.Save(ctx, &persistence.Token{UserName: key.UserName, ClientID: key.ClientID, AccessToken: "1000.expired",
		RefreshToken: refresh, Expiry: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	dsn, err := mysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"CREATE USER '" + user + "'@'%' IDENTIFIED BY 'read-only-pw'",
		"GRANT SELECT ON `" + dsn.DBName + "`.`" + table + "` TO '" + user + "'@'%'",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	dsn.User, dsn.Passwd = user, "read-only-pw"
	readOnly, err := mysqlstore.Open(ctx, dsn.FormatDSN(), mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	c, err := auth.NewCache(cfg, readOnly, key)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	var first string
	for i := range 10 {
		tok, err := c.AccessToken(ctx)
		if err != nil || tok == "1000.expired" || i > 0 && tok != first {
			t.Fatalf("call %d: token %q (first %q) err %v", i, tok, first, err)
		}
		first = tok
	}
	if refreshes := tokenRequests(srv); refreshes != 1 {
		t.Fatalf("10 calls on a read-only store made %d refreshes, want 1", refreshes)
	}
	if err := c.SaveErr(); err == nil {
		t.Fatal("SaveErr() = nil, but the user cannot write the table")
	} else {
		t.Logf("SaveErr: %v", err)
	}
	if stored, err := admin.Get(ctx, key); err != nil || stored.AccessToken != "1000.expired" {
		t.Fatalf("the table holds %v (err %v), want the old token", stored, err)
	}
}
