package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/persistence/internal/storeopt"
)

// DefaultDSN is the official SDKs' default database: user root with no
// password on localhost:3306, database zohooauth. Pass it, or your own DSN
// in go-sql-driver/mysql syntax, to [Open].
const DefaultDSN = "root@tcp(localhost:3306)/zohooauth"

// DefaultTable is the official SDKs' token table.
const DefaultTable = "oauthtoken"

// Open connects to the database named by dsn (go-sql-driver/mysql syntax,
// see [DefaultDSN]) and returns a store on it, as
// [New] does; Close closes the connection pool. An unreachable server is
// reported with its address and user, never the password.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: invalid MySQL DSN: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "mysql")
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("mysqlstore: cannot connect to MySQL at %s %s as user %q (database %q): %w",
			cfg.Net, cfg.Addr, cfg.User, cfg.DBName, err)
	}
	s, err := New(ctx, db, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.ownsDB = true
	return s, nil
}

// parseDSN parses dsn and sets a connect timeout if it names none.
func parseDSN(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		// ParseDSN errors describe the syntax problem, not the DSN's contents.
		return nil, fmt.Errorf("mysqlstore: invalid MySQL DSN: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	return cfg, nil
}

// New returns a store on an open database; closing db is left to its
// owner, and so are its timeouts. The table (default [DefaultTable] in the
// connection's database, see [WithTable]) is created with the SDKs' schema
// if missing; a table an older SDK created without api_domain gains that
// column.
func New(ctx context.Context, db *sqlx.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("mysqlstore: New: nil *sqlx.DB")
	}
	own := &config{table: DefaultTable, createTable: true}
	settings := storeopt.Apply(own, opts)
	schema, table, err := splitTableName(own.table)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("mysqlstore: cannot connect to MySQL: %w", err)
	}
	if schema == "" {
		var current sql.NullString
		if err := db.GetContext(ctx, &current, `SELECT DATABASE()`); err != nil {
			return nil, fmt.Errorf("mysqlstore: %w", err)
		}
		if !current.Valid || current.String == "" {
			return nil, fmt.Errorf("mysqlstore: no database selected for table %s: name one in the DSN (e.g. %q) or use WithTable(\"db.%s\")", table, DefaultDSN, table)
		}
		schema = current.String
	}
	s := &Store{
		db:       db,
		settings: settings,
		cfg:      *own,
		table:    "`" + schema + "`.`" + table + "`",
		name:     schema + "." + table,
	}
	s.lockBase = "zohohub:" + s.name
	if err := s.ensureTable(ctx, schema, table); err != nil {
		return nil, err
	}
	return s, nil
}
