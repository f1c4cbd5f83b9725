package testenv

import (
	"os"
	"testing"
)

// The tests that need a database use the local servers make test starts
// (scripts/ensure-mariadb.sh, scripts/ensure-postgres.sh), or the ones
// ZOHOHUB_MYSQL_DSN and ZOHOHUB_POSTGRES_DSN name. They fail, never skip,
// when a server is missing: CI must run them.
const (
	// defaultMySQLDSN is the local MariaDB's test database.
	defaultMySQLDSN = "root@tcp(127.0.0.1:3306)/test"
	// defaultPostgresDSN is the local PostgreSQL's postgres database.
	defaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

// MySQLDSN returns $ZOHOHUB_MYSQL_DSN, or defaultMySQLDSN.
func MySQLDSN() string { return envOr("ZOHOHUB_MYSQL_DSN", defaultMySQLDSN) }

// PostgresDSN returns $ZOHOHUB_POSTGRES_DSN, or defaultPostgresDSN.
func PostgresDSN() string { return envOr("ZOHOHUB_POSTGRES_DSN", defaultPostgresDSN) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// MySQLFailed fails t with err, met opening the test MariaDB, and says how
// to start it or point the tests at another server.
func MySQLFailed(t testing.TB, err error) {
	t.Helper()
	failed(t, "MariaDB/MySQL", MySQLDSN(), "ZOHOHUB_MYSQL_DSN", "ensure-mariadb.sh", err)
}

// PostgresFailed is MySQLFailed for the test PostgreSQL.
func PostgresFailed(t testing.TB, err error) {
	t.Helper()
	failed(t, "PostgreSQL", PostgresDSN(), "ZOHOHUB_POSTGRES_DSN", "ensure-postgres.sh", err)
}

func failed(t testing.TB, server, dsn, env, script string, err error) {
	t.Helper()
	t.Fatalf("%s at %s: %v\n"+
		"Start it (make test does: scripts/%s) or point %s at a server.", server, dsn, err, script, env)
}
