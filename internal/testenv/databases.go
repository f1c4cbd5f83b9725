package testenv

import "os"

// The tests that need a database use the local servers make test starts
// (scripts/ensure-mariadb.sh, scripts/ensure-postgres.sh), or the ones
// ZOHOHUB_MYSQL_DSN and ZOHOHUB_POSTGRES_DSN name. They fail, never skip,
// when a server is missing: CI must run them.
const (
	// DefaultMySQLDSN is the local MariaDB's test database.
	DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/test"
	// DefaultPostgresDSN is the local PostgreSQL's postgres database.
	DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

// MySQLDSN returns $ZOHOHUB_MYSQL_DSN, or DefaultMySQLDSN.
func MySQLDSN() string { return envOr("ZOHOHUB_MYSQL_DSN", DefaultMySQLDSN) }

// PostgresDSN returns $ZOHOHUB_POSTGRES_DSN, or DefaultPostgresDSN.
func PostgresDSN() string { return envOr("ZOHOHUB_POSTGRES_DSN", DefaultPostgresDSN) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
