// Package mirror keeps a copy of Zoho CRM modules in a SQL database,
// PostgreSQL or MySQL (MariaDB), so that an application can join them with
// its own tables and report on them with SQL.
//
// Each module becomes a table whose typed columns come from the module's
// field metadata; a pass loads a module the first time (through Bulk Read
// when it is large, page by page otherwise) and from then on reads only
// the records modified since the last pass and the records deleted since,
// upserting rows in transactions. The watermark of each module is
// committed in the same transaction as the last of its rows, so a pass
// killed at any moment resumes where the last committed one ended with
// nothing lost or doubled.
//
//	db, _ := mirror.Open(ctx, "postgres://postgres@127.0.0.1:5432/crm")
//	m, _ := mirror.New(client, db)
//	summary, err := m.Sync(ctx, "Leads", "Contacts", "Accounts")
//
// Command zhsync runs it from the command line. See docs/mirror.md for the
// table shapes, guarantees and limits.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub"
)

// Mirror copies modules of one Zoho CRM org into one database. It is safe
// for concurrent use, but one database (and table prefix) should be
// written by one Mirror at a time.
type Mirror struct {
	c  *zohohub.Client
	db *sqlx.DB
	d  dialect
	o  options
}

// options are the settings Option changes.
type options struct {
	prefix        string
	bulkThreshold int
	batch         int
	skew          time.Duration
	concurrency   int
	log           *slog.Logger
	progress      Progress
	counter       *RequestCounter
	now           func() time.Time
}

// Option configures a Mirror.
type Option func(*options) error

// Defaults of the options.
const (
	// DefaultBulkThreshold is the number of records beyond which a
	// module's first load goes through Bulk Read: at 200 records a page,
	// 10,000 records cost 50 calls, what one Bulk Read job costs in
	// credits.
	DefaultBulkThreshold = 10000
	// DefaultClockSkew is how far the clocks of the client and Zoho may
	// differ; see WithClockSkew.
	DefaultClockSkew = 5 * time.Second
	// DefaultBatch is the number of rows written per statement.
	DefaultBatch = 500
)

// WithTablePrefix puts prefix before every table name: the Leads module
// is mirrored in table prefix+"leads", and the watermarks are kept in
// prefix+"_zhsync_state". A prefix is lower case letters, digits and _.
func WithTablePrefix(prefix string) Option {
	return func(o *options) error {
		if prefix != "" && !validIdent(prefix) {
			return fmt.Errorf("mirror: WithTablePrefix: %q is not lower case letters, digits and _", prefix)
		}
		o.prefix = prefix
		return nil
	}
}

// WithBulkThreshold sets the number of records beyond which a module is
// first loaded through Bulk Read (Query.Export) rather than page by page;
// a negative n never uses Bulk Read. Modules with subforms are always
// read page by page: Bulk Read does not export subforms.
func WithBulkThreshold(n int) Option {
	return func(o *options) error {
		o.bulkThreshold = n
		return nil
	}
}

// WithBatchSize sets the number of rows written per statement (default
// 500). Each batch of a load is its own transaction.
func WithBatchSize(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("mirror: WithBatchSize: %d is not a positive number", n)
		}
		o.batch = n
		return nil
	}
}

// WithClockSkew sets how far the client's clock may be ahead of Zoho's.
// A pass's watermark never passes its start time minus one second (Zoho's
// times have seconds) minus the skew, so that a record modified while the
// pass ran is read again by the next. The default is 5 s; tests against
// zohotest, which shares the client's clock, use 0.
func WithClockSkew(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("mirror: WithClockSkew: negative skew %v", d)
		}
		o.skew = d
		return nil
	}
}

// WithModuleConcurrency sets how many modules a pass syncs at once
// (default 4). Requests stay bounded by the client's concurrency.
func WithModuleConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("mirror: WithModuleConcurrency: %d is not a positive number", n)
		}
		o.concurrency = n
		return nil
	}
}

// WithLogger sets the logger: a line per module pass at info level,
// schema changes and incompatible fields at warn level.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("mirror: WithLogger: nil logger")
		}
		o.log = l
		return nil
	}
}

// WithProgress sets what is told of each module's progress.
func WithProgress(p Progress) Option {
	return func(o *options) error {
		o.progress = p
		return nil
	}
}

// WithRequestCounter has each module's stats report the requests the
// pass sent, as counted by rc, which must be the transport of the
// client's http.Client.
func WithRequestCounter(rc *RequestCounter) Option {
	return func(o *options) error {
		o.counter = rc
		return nil
	}
}

// New returns a mirror of the org client talks to, in db, which must have
// been opened with driver "pgx" (PostgreSQL) or "mysql" (see Open).
func New(client *zohohub.Client, db *sqlx.DB, opts ...Option) (*Mirror, error) {
	if client == nil || db == nil {
		return nil, errors.New("mirror: New needs a client and a database")
	}
	d, err := dialectFor(db.DriverName())
	if err != nil {
		return nil, err
	}
	return newMirror(client, db, d, opts)
}

func newMirror(client *zohohub.Client, db *sqlx.DB, d dialect, opts []Option) (*Mirror, error) {
	o := options{bulkThreshold: DefaultBulkThreshold, batch: DefaultBatch, skew: DefaultClockSkew, concurrency: 4,
		log: slog.New(slog.DiscardHandler), now: time.Now}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	return &Mirror{c: client, db: db, d: d, o: o}, nil
}

// Open opens the database a DSN names: a PostgreSQL URL
// (postgres://user@host:5432/db) or key=value string (host=… dbname=…),
// or a MySQL DSN (user:password@tcp(host:3306)/db). MySQL connections
// read DATETIME as time.Time in UTC. The connection is checked.
func Open(ctx context.Context, dsn string) (*sqlx.DB, error) {
	driver, dsn, err := driverOf(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("mirror: opening the database: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("mirror: connecting to the database: %w", err)
	}
	return db, nil
}

// Dialect returns "postgres" or "mysql", the dialect of a DSN Open
// accepts, without connecting.
func Dialect(dsn string) (string, error) {
	driver, _, err := driverOf(dsn)
	if err != nil {
		return "", err
	}
	d, err := dialectFor(driver)
	if err != nil {
		return "", err
	}
	return d.name(), nil
}

// driverOf tells the driver a DSN is for, and normalises a MySQL DSN.
func driverOf(dsn string) (driver, normalized string, err error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"), strings.HasPrefix(dsn, "host="), strings.Contains(dsn, " dbname="):
		return "pgx", dsn, nil
	case strings.HasPrefix(dsn, "mysql://"):
		return "", "", errors.New("mirror: write a MySQL DSN as user:password@tcp(host:3306)/db, not as a URL")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", "", fmt.Errorf("mirror: DSN is neither a PostgreSQL URL nor a MySQL DSN: %w", err)
	}
	cfg.ParseTime, cfg.Loc = true, time.UTC
	return "mysql", cfg.FormatDSN(), nil
}

// Schema returns the DDL that creates the tables of the modules (and the
// table of watermarks) in dialectName ("postgres" or "mysql"), as a first
// pass would run it on an empty database. It reads the modules' metadata
// and needs no database.
func Schema(ctx context.Context, client *zohohub.Client, dialectName string, modules []string, opts ...Option) ([]string, error) {
	var d dialect
	switch dialectName {
	case "postgres":
		d = postgres{}
	case "mysql":
		d = mysqlDialect{}
	default:
		return nil, fmt.Errorf("mirror: Schema: dialect %q: want postgres or mysql", dialectName)
	}
	m, err := newMirror(client, nil, d, opts)
	if err != nil {
		return nil, err
	}
	stmts := []string{m.d.stateTable(m.stateTable())}
	for _, module := range modules {
		t, err := m.table(ctx, module)
		if err != nil {
			return nil, err
		}
		for _, tt := range append([]*table{t}, t.children...) {
			stmts = append(stmts, m.d.createTable(tt)...)
		}
	}
	return stmts, nil
}

// stateTable is the name of the table of watermarks.
func (m *Mirror) stateTable() string { return m.o.prefix + "_zhsync_state" }
