package mysqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

// openTestDB connects to the test MariaDB. These tests never skip: a
// missing server is a failure.
func openTestDB(t *testing.T) *sqlx.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sqlx.Open("mysql", testenv.MySQLDSN())
	if err == nil {
		err = db.PingContext(ctx)
	}
	if err != nil {
		testenv.MySQLFailed(t, err)
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

func newTestStore(t *testing.T) persistence.Store {
	t.Helper()
	db := openTestDB(t)
	s, err := mysqlstore.New(context.Background(), db, mysqlstore.WithTable(uniqueTable(t, db)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
