package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
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

// The connection timeouts [Open] sets when the DSN does not name them
// (go-sql-driver/mysql's timeout, readTimeout and writeTimeout; "0" turns
// one off). Without them a server that accepts a connection and never
// answers blocks Open, and any later call whose context has no deadline,
// forever. Every statement of the store is small: a read or write that
// takes longer than this means the server is in trouble.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 10 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
)

// Open connects to the database named by dsn (go-sql-driver/mysql syntax,
// see [DefaultDSN] and the timeouts above) and returns a store on it, as
// [New] does; Close closes the connection pool. An unreachable server is
// reported with its address and user, never the password.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.Logger = driverLog{storeopt.Apply(&config{}, opts).Logger}
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

// parseDSN parses dsn and sets the default timeouts it does not name.
func parseDSN(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		// ParseDSN errors describe the syntax problem, not the DSN's contents.
		return nil, fmt.Errorf("mysqlstore: invalid MySQL DSN: %w", err)
	}
	// The parameters follow the first '?' after the last '/', which
	// ParseDSN has just found to be there.
	_, rawParams, _ := strings.Cut(dsn[strings.LastIndex(dsn, "/")+1:], "?")
	params, _ := url.ParseQuery(rawParams) // ParseDSN accepted them
	for _, d := range []struct {
		param string
		field *time.Duration
		value time.Duration
	}{
		{"timeout", &cfg.Timeout, DefaultConnectTimeout},
		{"readTimeout", &cfg.ReadTimeout, DefaultReadTimeout},
		{"writeTimeout", &cfg.WriteTimeout, DefaultWriteTimeout},
	} {
		if !params.Has(d.param) {
			*d.field = d.value
		}
	}
	return cfg, nil
}

// New returns a store on an open database; closing db is left to its
// owner, and so are its timeouts. The table (default [DefaultTable] in the
// connection's database, see [WithTable]) is created with the SDKs' schema
// if missing; a token table an older SDK created without api_domain gains
// that column. A table that lacks the SDKs' other columns is refused with
// an error naming them, and left untouched.
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

// driverLog hands go-sql-driver/mysql's messages (about connection errors,
// which it also returns) to the store's logger at debug level, instead of
// the driver's default, standard error.
type driverLog struct{ l *slog.Logger }

func (d driverLog) Print(v ...any) { d.l.Debug("mysqlstore: go-sql-driver/mysql: " + fmt.Sprint(v...)) }
