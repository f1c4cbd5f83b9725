package mysqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

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

func TestSDKSchemaCompatibility(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	db.MustExec(fmt.Sprintf(sdkDDL, "`"+table+"`"))
	// Rows as an SDK inserts them: all columns as strings, unset ones NULL.
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) VALUES (?,?,?,?,?,?,?,?,?,?)",
		"1", "jane@example.com:333", "cid", "csec", "RT-1", "AT-2", "GT-1", "1795341180470", "http://localhost/cb", "https://www.zohoapis.com")
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) VALUES (?,?,?,?,?,?,?,?,?,?)",
		"9", nil, "cid", "csec", "RT-9", nil, nil, nil, nil, nil)

	s, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, persistence.Key{UserName: "jane@example.com:333", ClientID: "cid"})
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualToken(t, got, storetest.SDKExampleToken())
	got, err = s.Get(ctx, persistence.Key{ClientID: "cid"}) // NULL user_name is the empty key
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualToken(t, got, &persistence.Token{ID: "9", ClientID: "cid", ClientSecret: "csec", RefreshToken: "RT-9"})

	// Ours, as the SDK will read it.
	tok := storetest.SampleToken("new@example.com", 3)
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
	upd := storetest.SDKExampleToken()
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
func TestLatin1SDKTable(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	db.MustExec(fmt.Sprintf(sdkDDL, "`"+table+"`") + " DEFAULT CHARSET=latin1")
	db.MustExec("INSERT INTO `"+table+"` (id, user_name, client_id, refresh_token) VALUES ('1', ?, 'cid', 'RT')", "zoë@exämple.com")
	s, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(table))
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

// A table made by an SDK from before api_domain gains the column, unless
// the caller forbade DDL: then it is refused, unchanged.
func TestLegacyTableGainsAPIDomain(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	table := uniqueTable(t, db)
	legacy := strings.Replace(sdkDDL, "  api_domain varchar(255),\n", "", 1)
	db.MustExec(fmt.Sprintf(legacy, "`"+table+"`"))
	before := tableSnapshot(t, db, table)
	_, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(table), mysqlstore.WithoutTableCreation())
	if err == nil || !strings.Contains(err.Error(), "api_domain") || !strings.Contains(err.Error(), table) {
		t.Fatalf("legacy table without table creation: %v, want an error naming the table and api_domain", err)
	}
	if after := tableSnapshot(t, db, table); after != before {
		t.Fatalf("WithoutTableCreation changed the table:\nbefore %s\nafter  %s", before, after)
	}
	s, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	tok := storetest.SampleToken("a@x", 1)
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, tok.Key())
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualToken(t, got, tok)
}

func TestTableNames(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for _, bad := range []string{
		"", "1abc", "a-b", "tokens; DROP TABLE users", "a`b", "a b", "a.b.c", ".a", "a.",
		strings.Repeat("x", 65), "ünïcode",
	} {
		_, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(bad))
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
	s, err := mysqlstore.New(ctx, db, mysqlstore.WithTable(current+"."+table))
	if err != nil {
		t.Fatal(err)
	}
	if s.Table() != current+"."+table {
		t.Fatalf("Table() = %q", s.Table())
	}
	if err := s.Save(ctx, storetest.SampleToken("a@x", 1)); err != nil {
		t.Fatal(err)
	}

	// Without table creation a missing table is an error naming it.
	missing := uniqueTable(t, db)
	_, err = mysqlstore.New(ctx, db, mysqlstore.WithTable(missing), mysqlstore.WithoutTableCreation())
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing table without creation: %v", err)
	}
}

func TestValueTooLong(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	tok := storetest.SampleToken("a@x", 1)
	tok.AccessToken = "SECRET" + strings.Repeat("z", 300)
	err := s.Save(ctx, tok)
	if err == nil || !strings.Contains(err.Error(), "access_token") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Save of a 306-character access token: %v", err)
	}
	if _, err := s.Get(ctx, tok.Key()); !errors.Is(err, persistence.ErrNotFound) {
		t.Fatalf("rejected token was stored: %v", err)
	}
}

// A table that is not a token table is refused before any DDL runs: it
// keeps its schema and rows byte for byte, with or without table creation.
func TestForeignTableRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for _, tc := range []struct {
		name, ddl string
		missing   []string // columns the error must name
	}{
		{"unrelated", "CREATE TABLE %s (id int NOT NULL, user_name varchar(255), note text, PRIMARY KEY (id))",
			[]string{"client_id", "client_secret", "refresh_token", "access_token", "grant_token", "expiry_time", "redirect_url"}},
		{"token table without refresh_token", strings.Replace(sdkDDL, "  refresh_token varchar(255),\n", "", 1),
			[]string{"refresh_token"}},
		{"legacy token table without refresh_token",
			strings.Replace(strings.Replace(sdkDDL, "  refresh_token varchar(255),\n", "", 1), "  api_domain varchar(255),\n", "", 1),
			[]string{"refresh_token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			table := uniqueTable(t, db)
			db.MustExec(fmt.Sprintf(tc.ddl, "`"+table+"`"))
			db.MustExec("INSERT INTO `" + table + "` (id, user_name) VALUES ('7', 'keep me')")
			before := tableSnapshot(t, db, table)
			for _, opts := range [][]mysqlstore.Option{
				{mysqlstore.WithTable(table)},
				{mysqlstore.WithTable(table), mysqlstore.WithoutTableCreation()},
			} {
				_, err := mysqlstore.New(ctx, db, opts...)
				if err == nil {
					t.Fatalf("New accepted table %s", tc.ddl)
				}
				for _, want := range append([]string{table, "not a token table"}, tc.missing...) {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error does not name %q: %v", want, err)
					}
				}
			}
			if _, err := mysqlstore.Open(ctx, testenv.MySQLDSN(), mysqlstore.WithTable(table)); err == nil {
				t.Fatal("Open accepted a table that is not a token table")
			}
			if after := tableSnapshot(t, db, table); after != before {
				t.Fatalf("refused table changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// tableSnapshot returns SHOW CREATE TABLE and a checksum of the rows.
func tableSnapshot(t *testing.T, db *sqlx.DB, table string) string {
	t.Helper()
	var name, ddl string
	if err := db.QueryRow("SHOW CREATE TABLE `"+table+"`").Scan(&name, &ddl); err != nil {
		t.Fatal(err)
	}
	var sum sql.NullInt64
	if err := db.QueryRow("CHECKSUM TABLE `"+table+"`").Scan(&name, &sum); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s; rows checksum %d", ddl, sum.Int64)
}
