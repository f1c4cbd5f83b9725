// Package mysqllimit is a zohohub.Limiter over MySQL or MariaDB, for
// processes that already share a database (the token store,
// persistence/mysqlstore) and run no Redis: a semaphore shared by every
// process of an organisation, so that together they keep within Zoho's
// per-org concurrency limit, and a shared cool-down, so that a 429 seen
// by one process makes all of them wait.
//
// The slots are rows of a small table, one per slot and a row for the
// cool-down, under a name shared by the processes. A slot is a lease with
// an expiry in the database's clock (UTC_TIMESTAMP, so process clocks and
// session time zones may differ), taken by one UPDATE of the first free or
// expired row: a process that dies holding a slot loses it when the lease
// expires, while a live holder extends its lease until it releases it.
// No connection is held between calls, so the limiter works through
// connection pools and proxies.
//
//	lim, err := mysqllimit.Open(ctx, "user:pw@tcp(db:3306)/crm", "zohohub:org:123", 10)
//	client, err := zohohub.New(zohohub.WithLimiter(lim), …)
package mysqllimit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/zohohub/zohohub/limiter/internal/lease"
)

// DefaultTable is the table the slots are kept in.
const DefaultTable = "zohohub_limiter"

// DefaultConnectTimeout is the connection timeout Open sets when the DSN
// names none (go-sql-driver/mysql's timeout parameter).
const DefaultConnectTimeout = 10 * time.Second

// Limiter is a semaphore of limit slots in a MySQL table under a name. It
// is safe for concurrent use and implements zohohub.Limiter.
type Limiter struct {
	sem    *lease.Semaphore
	db     *sql.DB
	ownsDB bool
	name   string
	limit  int
	q      queries
}

// Option configures a Limiter.
type Option func(*settings)

type settings struct {
	lease.Settings
	table string
}

// WithTable sets the table of the slots (default DefaultTable), created
// when missing. Every process sharing a budget must use the same one.
func WithTable(name string) Option { return func(s *settings) { s.table = name } }

// WithLeaseTTL sets how long a slot outlives a process that died holding
// it (default 30 s). A live holder renews its lease every third of it.
func WithLeaseTTL(d time.Duration) Option { return func(s *settings) { s.TTL = d } }

// WithCoolDown sets how long every process waits after one of them is
// answered 429 TOO_MANY_REQUESTS (default 2 s; Zoho sends no Retry-After).
func WithCoolDown(d time.Duration) Option { return func(s *settings) { s.CoolDown = d } }

// WithPoll sets the longest wait between two attempts to take a slot when
// all are held (default 25 ms, jittered).
func WithPoll(d time.Duration) Option { return func(s *settings) { s.Poll = d } }

// WithLogger sets where failures to renew or release a lease are logged
// (they are not fatal: the lease expires). Default: discarded.
func WithLogger(log *slog.Logger) Option { return func(s *settings) { s.Log = log } }

// tableName is what WithTable accepts: a plain identifier, quoted anyway.
var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// maxName is the longest name: the key column's width.
const maxName = 191

// Open connects to the database of dsn (go-sql-driver/mysql syntax;
// DefaultConnectTimeout unless it sets timeout) and returns a limiter on
// it, as New does; Close closes the connection pool.
// An unreachable server is reported with its address and user, never the
// password.
func Open(ctx context.Context, dsn, name string, limit int, opts ...Option) (*Limiter, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("mysqllimit: invalid MySQL DSN: %w", err)
	}
	if cfg.Timeout == 0 { // a server that never answers the connection must not block Open for minutes
		cfg.Timeout = DefaultConnectTimeout
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysqllimit: invalid MySQL DSN: %w", err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("mysqllimit: cannot connect to MySQL at %s %s as user %q: %w", cfg.Net, cfg.Addr, cfg.User, err)
	}
	l, err := New(ctx, db, name, limit, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	l.ownsDB = true
	return l, nil
}

// New returns a limiter of limit slots kept in db under name, creating the
// table and the name's rows when missing. Every process sharing an
// organisation's budget must use the same table, name and limit (Zoho's
// concurrency limit for the edition: 5 Free … 25 Ultimate). Closing db is
// left to its owner.
func New(ctx context.Context, db *sql.DB, name string, limit int, opts ...Option) (*Limiter, error) {
	set := settings{Settings: lease.Settings{TTL: lease.DefaultTTL, CoolDown: lease.DefaultCoolDown, Poll: lease.DefaultPoll},
		table: DefaultTable}
	for _, o := range opts {
		o(&set)
	}
	switch {
	case db == nil:
		return nil, errors.New("mysqllimit: nil database")
	case name == "" || len(name) > maxName:
		return nil, fmt.Errorf("mysqllimit: name of %d bytes, want 1 to %d", len(name), maxName)
	case limit < 1:
		return nil, fmt.Errorf("mysqllimit: limit %d, want at least 1", limit)
	case !tableName.MatchString(set.table):
		return nil, fmt.Errorf("mysqllimit: table name %q is not a plain identifier", set.table)
	}
	if err := set.Check(); err != nil {
		return nil, fmt.Errorf("mysqllimit: %w", err)
	}
	set.Log = set.Log.With("limiter", "mysqllimit")
	l := &Limiter{db: db, name: name, limit: limit, q: newQueries("`" + set.table + "`")}
	if err := l.ensureRows(ctx); err != nil {
		return nil, err
	}
	l.sem = lease.New(store{l}, set.Settings)
	return l, nil
}

// Acquire waits for a slot, or until ctx is done. The release it returns
// gives the slot back; a status of 429 starts the shared cool-down.
func (l *Limiter) Acquire(ctx context.Context) (release func(status int), err error) {
	return l.sem.Acquire(ctx)
}

// InFlight returns the number of live leases: the calls in flight across
// every process sharing the name.
func (l *Limiter) InFlight(ctx context.Context) (int, error) {
	var n int
	if err := l.db.QueryRowContext(ctx, l.q.inFlight, l.name, l.limit).Scan(&n); err != nil {
		return 0, fmt.Errorf("mysqllimit: counting leases: %w", err)
	}
	return n, nil
}

// Close closes the database if Open opened it. Leases still held expire.
func (l *Limiter) Close() error {
	if l.ownsDB {
		return l.db.Close()
	}
	return nil
}

// queries are the statements on the table, its quoted name in place.
type queries struct {
	create, seed, coolDownLeft, take, renew, release, coolDown, inFlight string
}

// The table: row 0 of a name holds the end of its cool-down in expires;
// rows 1 … limit are its slots, free when lease is NULL or expires has
// passed. lease is unique, so a renewal or release touches its own row.
func newQueries(table string) queries {
	return queries{
		create: `CREATE TABLE IF NOT EXISTS ` + table + ` (
  name VARCHAR(191) NOT NULL,
  slot INT NOT NULL,
  lease CHAR(32) NULL,
  expires DATETIME(6) NOT NULL,
  PRIMARY KEY (name, slot),
  UNIQUE KEY lease (lease)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
		seed:         `INSERT IGNORE INTO ` + table + ` (name, slot, expires) VALUES `,
		coolDownLeft: `SELECT GREATEST(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), expires), 0) FROM ` + table + ` WHERE name = ? AND slot = 0`,
		take: `UPDATE ` + table + ` SET lease = ?, expires = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND
WHERE name = ? AND slot BETWEEN 1 AND ? AND (lease IS NULL OR expires <= UTC_TIMESTAMP(6)) ORDER BY slot LIMIT 1`,
		renew:    `UPDATE ` + table + ` SET expires = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE lease = ?`,
		release:  `UPDATE ` + table + ` SET lease = NULL WHERE lease = ?`,
		coolDown: `UPDATE ` + table + ` SET expires = GREATEST(expires, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND) WHERE name = ? AND slot = 0`,
		inFlight: `SELECT COUNT(*) FROM ` + table + ` WHERE name = ? AND slot BETWEEN 1 AND ? AND lease IS NOT NULL AND expires > UTC_TIMESTAMP(6)`,
	}
}

// ensureRows creates the table and the name's cool-down row and slots.
func (l *Limiter) ensureRows(ctx context.Context) error {
	if _, err := l.db.ExecContext(ctx, l.q.create); err != nil {
		return fmt.Errorf("mysqllimit: creating the table: %w", err)
	}
	rows := make([]string, 0, l.limit+1)
	args := make([]any, 0, 2*(l.limit+1))
	for slot := range l.limit + 1 {
		rows = append(rows, "(?, ?, '1970-01-01 00:00:00')")
		args = append(args, l.name, slot)
	}
	if _, err := l.db.ExecContext(ctx, l.q.seed+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("mysqllimit: adding the slots: %w", err)
	}
	return nil
}

// store is the limiter's leases, in the table.
type store struct{ l *Limiter }

func (s store) Take(ctx context.Context, id string, ttl, poll time.Duration) (time.Duration, error) {
	l := s.l
	var left int64
	if err := l.db.QueryRowContext(ctx, l.q.coolDownLeft, l.name).Scan(&left); err != nil {
		return 0, fmt.Errorf("mysqllimit: reading the cool-down: %w", err)
	}
	if left > 0 {
		return time.Duration(left) * time.Microsecond, nil
	}
	res, err := l.db.ExecContext(ctx, l.q.take, id, ttl.Microseconds(), l.name, l.limit)
	if err != nil {
		return 0, fmt.Errorf("mysqllimit: taking a slot: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return poll, err
	}
	return 0, nil
}

func (s store) Renew(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	res, err := s.l.db.ExecContext(ctx, s.l.q.renew, ttl.Microseconds(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s store) Release(ctx context.Context, id string, coolDown time.Duration) error {
	l := s.l
	if _, err := l.db.ExecContext(ctx, l.q.release, id); err != nil {
		return err
	}
	if coolDown > 0 {
		_, err := l.db.ExecContext(ctx, l.q.coolDown, coolDown.Microseconds(), l.name)
		return err
	}
	return nil
}
