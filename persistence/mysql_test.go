package persistence_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/persistence"
)

const defaultTestDSN = "root@tcp(127.0.0.1:3306)/test?parseTime=true"

func testDSN() string {
	if dsn := os.Getenv("ZOHOHUB_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return defaultTestDSN
}

// openTestDB connects to the test MariaDB. These tests never skip: a
// missing server is a failure.
func openTestDB(t *testing.T) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sqlx.Open("mysql", testDSN())
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		t.Fatalf("MySQL/MariaDB for the token store tests is not reachable (DSN from ZOHOHUB_MYSQL_DSN, default %q): %v\n"+
			"Start it (make test does: scripts/ensure-mariadb.sh) or point ZOHOHUB_MYSQL_DSN at a server.", defaultTestDSN, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// uniqueTable returns a table name no other test run uses, and drops the
// table when the test ends.
func uniqueTable(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "zhtest_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE IF EXISTS `" + name + "`"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return name
}

func newTestMySQL(t *testing.T) persistence.Store {
	t.Helper()
	db := openTestDB(t)
	s, err := persistence.NewMySQL(context.Background(), db, persistence.WithTable(uniqueTable(t, db)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMySQL(t *testing.T) {
	testStore(t, newTestMySQL)
}

func TestMySQLLocker(t *testing.T) {
	testLocker(t, newTestMySQL)
}

// Two stores on one table in one process (so two connection pools and no
// shared in-process mutex) exclude each other through GET_LOCK alone.
func TestMySQLLockerTwoStoresOneTable(t *testing.T) {
	ctx := context.Background()
	table := uniqueTable(t, openTestDB(t))
	a, err := persistence.NewMySQL(ctx, openTestDB(t), persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	b, err := persistence.NewMySQL(ctx, openTestDB(t), persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "u", ClientID: "c"}
	unlock, err := a.Lock(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(tctx, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second store took a held GET_LOCK: %v", err)
	}
	unlock()
	tctx, cancel = context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlockB, err := b.Lock(tctx, key)
	if err != nil {
		t.Fatalf("lock not released by unlock: %v", err)
	}
	unlockB()
}

func TestMySQLMultiProcessLock(t *testing.T) {
	const procs, rounds = 2, 30
	db := openTestDB(t)
	table := uniqueTable(t, db)
	s, err := persistence.NewMySQL(context.Background(), db, persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	envs := make([][]string, procs)
	for i := range envs {
		envs[i] = []string{"ZH_DSN=" + testDSN(), "ZH_TABLE=" + table, fmt.Sprintf("ZH_ROUNDS=%d", rounds)}
	}
	runHelpers(t, "mysql-counter", envs)
	assertCounter(t, s, counterKey, procs*rounds)
}

// sdkDDL is the table exactly as the official SDKs' README creates it.
const sdkDDL = `CREATE TABLE %s (
  id varchar(10) NOT NULL,
  user_name varchar(255),
  client_id varchar(255),
  client_secret varchar(255),
  refresh_token varchar(255),
  access_token varchar(255),
  grant_token varchar(255),
  expiry_time varchar(20),
  redirect_url varchar(255),
  api_domain varchar(255),
  primary key (id)
)`

func TestMySQLSDKSchemaCompatibility(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	db.MustExec(fmt.Sprintf(sdkDDL, "`"+table+"`"))
	// Rows as an SDK inserts them: all columns as strings, unset ones NULL.
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) VALUES (?,?,?,?,?,?,?,?,?,?)",
		"1", "jane@example.com:333", "cid", "csec", "RT-1", "AT-2", "GT-1", "1795341180470", "http://localhost/cb", "https://www.zohoapis.com")
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) VALUES (?,?,?,?,?,?,?,?,?,?)",
		"9", nil, "cid", "csec", "RT-9", nil, nil, nil, nil, nil)

	s, err := persistence.NewMySQL(ctx, db, persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, persistence.Key{UserName: "jane@example.com:333", ClientID: "cid"})
	if err != nil {
		t.Fatal(err)
	}
	equalToken(t, got, sdkExampleToken())
	got, err = s.Get(ctx, persistence.Key{ClientID: "cid"}) // NULL user_name is the empty key
	if err != nil {
		t.Fatal(err)
	}
	equalToken(t, got, &persistence.Token{ID: "9", ClientID: "cid", ClientSecret: "csec", RefreshToken: "RT-9"})

	// Ours, as the SDK will read it.
	tok := sampleToken("new@example.com", 3)
	tok.GrantToken = ""
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if tok.ID != "10" {
		t.Fatalf("new row id %q, want 10 (numeric max + 1)", tok.ID)
	}
	var raw struct {
		ID           string         `db:"id"`
		UserName     string         `db:"user_name"`
		ClientID     string         `db:"client_id"`
		ClientSecret string         `db:"client_secret"`
		RefreshToken string         `db:"refresh_token"`
		AccessToken  string         `db:"access_token"`
		GrantToken   sql.NullString `db:"grant_token"`
		ExpiryTime   string         `db:"expiry_time"`
		RedirectURL  string         `db:"redirect_url"`
		APIDomain    string         `db:"api_domain"`
	}
	if err := db.Get(&raw, "SELECT * FROM `"+table+"` WHERE id = '10'"); err != nil {
		t.Fatal(err)
	}
	if raw.UserName != tok.UserName || raw.ClientID != tok.ClientID || raw.ClientSecret != tok.ClientSecret ||
		raw.RefreshToken != tok.RefreshToken || raw.AccessToken != tok.AccessToken || raw.GrantToken.Valid ||
		raw.ExpiryTime != "1795341180473" || raw.RedirectURL != tok.RedirectURL || raw.APIDomain != tok.APIDomain {
		t.Fatalf("row as the SDK reads it: %+v", raw)
	}

	// Updating the SDK's row keeps its id and changes it in place.
	upd := sdkExampleToken()
	upd.ID = ""
	upd.AccessToken = "AT-3"
	upd.Expiry = time.UnixMilli(1795341999000)
	if err := s.Save(ctx, upd); err != nil {
		t.Fatal(err)
	}
	var at, exp string
	var n int
	if err := db.QueryRow("SELECT access_token, expiry_time FROM `"+table+"` WHERE id = '1'").Scan(&at, &exp); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&n, "SELECT COUNT(*) FROM `"+table+"`"); err != nil {
		t.Fatal(err)
	}
	if upd.ID != "1" || at != "AT-3" || exp != "1795341999000" || n != 3 {
		t.Fatalf("update of SDK row: id %q, access_token %q, expiry_time %q, %d rows", upd.ID, at, exp, n)
	}
}

// The SDK DDL names no charset; on a server defaulting to latin1 the keys
// still match exactly.
func TestMySQLLatin1SDKTable(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	db.MustExec(fmt.Sprintf(sdkDDL, "`"+table+"`") + " DEFAULT CHARSET=latin1")
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, refresh_token) VALUES ('1', ?, 'cid', 'RT')", "zoë@exämple.com")
	s, err := persistence.NewMySQL(ctx, db, persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, persistence.Key{UserName: "zoë@exämple.com", ClientID: "cid"})
	if err != nil {
		t.Fatal(err)
	}
	if got.RefreshToken != "RT" {
		t.Fatalf("got %+v", got)
	}
	if _, err := s.Get(ctx, persistence.Key{UserName: "ZOË@exämple.com", ClientID: "cid"}); !errors.Is(err, persistence.ErrNotFound) {
		t.Fatalf("case-folded key matched: %v", err)
	}
}

// A table made by an SDK from before api_domain gains the column.
func TestMySQLLegacyTableGainsAPIDomain(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	legacy := strings.Replace(sdkDDL, "  api_domain varchar(255),\n", "", 1)
	db.MustExec(fmt.Sprintf(legacy, "`"+table+"`"))
	s, err := persistence.NewMySQL(ctx, db, persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	tok := sampleToken("a@x", 1)
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, tok.Key())
	if err != nil {
		t.Fatal(err)
	}
	equalToken(t, got, tok)
}

func TestMySQLTableNames(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for _, bad := range []string{
		"", "1abc", "a-b", "tokens; DROP TABLE users", "a`b", "a b", "a.b.c", ".a", "a.",
		strings.Repeat("x", 65), "ünïcode",
	} {
		_, err := persistence.NewMySQL(ctx, db, persistence.WithTable(bad))
		if err == nil || !strings.Contains(err.Error(), "invalid MySQL table name") {
			t.Errorf("WithTable(%q): %v, want an invalid table name error", bad, err)
		}
	}
	// db.table names another database explicitly.
	table := uniqueTable(t, db)
	var current string
	if err := db.Get(&current, "SELECT DATABASE()"); err != nil {
		t.Fatal(err)
	}
	s, err := persistence.NewMySQL(ctx, db, persistence.WithTable(current+"."+table))
	if err != nil {
		t.Fatal(err)
	}
	if s.Table() != current+"."+table {
		t.Fatalf("Table() = %q", s.Table())
	}
	if err := s.Save(ctx, sampleToken("a@x", 1)); err != nil {
		t.Fatal(err)
	}

	// Without table creation a missing table is an error naming it.
	missing := uniqueTable(t, db)
	_, err = persistence.NewMySQL(ctx, db, persistence.WithTable(missing), persistence.WithoutTableCreation())
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing table without creation: %v", err)
	}
}

func TestMySQLValueTooLong(t *testing.T) {
	ctx := context.Background()
	s := newTestMySQL(t)
	tok := sampleToken("a@x", 1)
	tok.AccessToken = "SECRET" + strings.Repeat("z", 300)
	err := s.Save(ctx, tok)
	if err == nil || !strings.Contains(err.Error(), "access_token") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Save of a 306-character access token: %v", err)
	}
	if _, err := s.Get(ctx, tok.Key()); !errors.Is(err, persistence.ErrNotFound) {
		t.Fatalf("rejected token was stored: %v", err)
	}
}

func TestMySQLUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := persistence.OpenMySQL(ctx, "zoho:hunter2pw@tcp(127.0.0.1:1)/zohooauth")
	if err == nil {
		t.Fatal("OpenMySQL on a closed port succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, "127.0.0.1:1") || !strings.Contains(msg, "cannot connect to MySQL") {
		t.Fatalf("error does not say which server is unreachable: %v", msg)
	}
	if strings.Contains(msg, "hunter2pw") {
		t.Fatalf("error reveals the password: %v", msg)
	}

	if _, err := persistence.OpenMySQL(ctx, "zoho:hunter2pw@tcp(127.0.0.1:3306"); err == nil ||
		!strings.Contains(err.Error(), "invalid MySQL DSN") || strings.Contains(err.Error(), "hunter2pw") {
		t.Fatalf("malformed DSN: %v", err)
	}

	// A DSN without a database and no db.table: say what to do.
	dsn := testDSN()
	noDB := dsn[:strings.LastIndex(dsn, "/")+1]
	_, err = persistence.OpenMySQL(ctx, noDB)
	if err == nil || !strings.Contains(err.Error(), "no database selected") {
		t.Fatalf("DSN without database: %v", err)
	}
}

func TestMySQLOpenWithDSN(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	s, err := persistence.OpenMySQL(ctx, testDSN(), persistence.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	tok := sampleToken("a@x", 1)
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
