package mysqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
	dsn := testDSN()
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
	s, err := mysqlstore.Open(ctx, testDSN(), mysqlstore.WithTable(table))
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
