package mirror_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/mirror"
)

// engine is a database a test mirrors into: its own PostgreSQL database,
// or a table prefix of its own in the MySQL test database.
type engine struct {
	name   string
	dsn    string // for zhsync
	prefix string // table prefix
	db     *sqlx.DB
}

func randomName(prefix string) string {
	b := make([]byte, 5)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// postgresEngine creates a database for the test and drops it after.
func postgresEngine(t testing.TB) engine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	admin, err := mirror.Open(ctx, testenv.PostgresDSN())
	if err != nil {
		testenv.PostgresFailed(t, err)
	}
	name := randomName("zhsync_")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("creating database %s: %v", name, err)
	}
	u, err := url.Parse(testenv.PostgresDSN())
	if err != nil || u.Scheme == "" {
		t.Fatalf("ZOHOHUB_POSTGRES_DSN must be a postgres:// URL for the tests: %v", err)
	}
	u.Path = "/" + name
	db, err := mirror.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping database %s: %v", name, err)
		}
		admin.Close()
	})
	return engine{name: "postgres", dsn: u.String(), db: db}
}

// mysqlEngine gives the test a table prefix of its own and drops its
// tables after.
func mysqlEngine(t testing.TB) engine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := mirror.Open(ctx, testenv.MySQLDSN())
	if err != nil {
		testenv.MySQLFailed(t, err)
	}
	prefix := randomName("zht") + "_"
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var tables []string
		if err := db.SelectContext(ctx, &tables, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?", prefix+"%"); err != nil {
			t.Errorf("listing the test's tables: %v", err)
		}
		for _, name := range tables {
			if _, err := db.ExecContext(ctx, "DROP TABLE `"+name+"`"); err != nil {
				t.Errorf("dropping %s: %v", name, err)
			}
		}
	})
	cfg, err := mysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	return engine{name: "mysql", dsn: cfg.FormatDSN(), prefix: prefix, db: db}
}

// engines are both databases, each fresh for the test.
func engines(t testing.TB) []engine { return []engine{postgresEngine(t), mysqlEngine(t)} }

// quote quotes a table name of the test for the engine.
func (e engine) quote(name string) string {
	if e.name == "mysql" {
		return "`" + name + "`"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
