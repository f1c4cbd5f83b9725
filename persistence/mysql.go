package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
)

// DefaultMySQLDSN is the official SDKs' default database: user root with no
// password on localhost:3306, database zohooauth. Pass it, or your own DSN
// in go-sql-driver/mysql syntax, to [OpenMySQL].
const DefaultMySQLDSN = "root@tcp(localhost:3306)/zohooauth"

// DefaultMySQLTable is the official SDKs' token table.
const DefaultMySQLTable = "oauthtoken"

// sdkTableDDL is the official SDKs' schema (README), with a utf8mb4 default
// so that non-ASCII user names survive on servers defaulting to latin1.
// %s is the validated, backquoted table name.
const sdkTableDDL = `CREATE TABLE IF NOT EXISTS %s (
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
  PRIMARY KEY (id)
) DEFAULT CHARSET=utf8mb4`

// identPattern is what a table or database name may look like; it is the
// only text ever interpolated into SQL.
var identPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// keyWhere matches a key exactly: byte for byte in UTF-8, unlike the
// columns' collation (case-insensitive, trailing spaces ignored) and
// whatever charset an SDK-created table has. NULL matches the empty string,
// as rows written by the SDKs may hold NULLs.
const keyWhere = `CAST(CONVERT(COALESCE(user_name, '') USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY)` +
	` AND CAST(CONVERT(COALESCE(client_id, '') USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY)`

const tokenColumns = `id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain`

// MySQL is a [Store] and [Locker] backed by a MySQL or MariaDB table with the
// official Zoho SDKs' `oauthtoken` schema: it reads rows the SDKs wrote and
// writes rows they can read. Empty fields are stored as NULL, as the SDKs do.
//
// Save is an upsert keyed by (user_name, client_id) in a transaction,
// serialized across processes by a named lock (GET_LOCK) on the table, so
// concurrent first saves of one key never create two rows. Lock uses a named
// lock per key held on a dedicated connection.
type MySQL struct {
	db       *sqlx.DB
	ownsDB   bool
	cfg      mysqlConfig
	table    string         // validated and backquoted, e.g. `zohooauth`.`oauthtoken`
	name     string         // schema.table, for errors and lock names
	widths   map[string]int // column name → maximum length in characters
	writeMu  keyMutex
	keyMu    keyMutex
	lockBase string
}

var (
	_ Store  = (*MySQL)(nil)
	_ Locker = (*MySQL)(nil)
)

// OpenMySQL connects to the database named by dsn (go-sql-driver/mysql
// syntax, see [DefaultMySQLDSN]) and returns a store on it; Close closes the
// connection pool. An unreachable server is reported with its address and
// user, never the password.
func OpenMySQL(ctx context.Context, dsn string, opts ...MySQLOption) (*MySQL, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		// ParseDSN errors describe the syntax problem, not the DSN's contents.
		return nil, fmt.Errorf("persistence: invalid MySQL DSN: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("persistence: invalid MySQL DSN: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "mysql")
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("persistence: cannot connect to MySQL at %s %s as user %q (database %q): %w",
			cfg.Net, cfg.Addr, cfg.User, cfg.DBName, err)
	}
	s, err := NewMySQL(ctx, db, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.ownsDB = true
	return s, nil
}

// NewMySQL returns a store on an open database. The table (default
// "oauthtoken" in the connection's database, see [WithTable]) is created
// with the SDKs' schema if missing; a table an older SDK created without
// api_domain gains that column.
func NewMySQL(ctx context.Context, db *sqlx.DB, opts ...MySQLOption) (*MySQL, error) {
	if db == nil {
		return nil, errors.New("persistence: NewMySQL: nil *sqlx.DB")
	}
	cfg := mysqlConfig{commonConfig: defaultCommon(), table: DefaultMySQLTable, createTable: true}
	for _, o := range opts {
		o.applyMySQL(&cfg)
	}
	schema, table, err := splitTableName(cfg.table)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("persistence: cannot connect to MySQL: %w", err)
	}
	if schema == "" {
		var current sql.NullString
		if err := db.GetContext(ctx, &current, `SELECT DATABASE()`); err != nil {
			return nil, fmt.Errorf("persistence: mysql: %w", err)
		}
		if !current.Valid || current.String == "" {
			return nil, fmt.Errorf("persistence: mysql: no database selected for table %s: name one in the DSN (e.g. %q) or use WithTable(\"db.%s\")", table, DefaultMySQLDSN, table)
		}
		schema = current.String
	}
	s := &MySQL{
		db:    db,
		cfg:   cfg,
		table: "`" + schema + "`.`" + table + "`",
		name:  schema + "." + table,
	}
	s.lockBase = "zohohub:" + s.name
	if err := s.ensureTable(ctx, schema, table); err != nil {
		return nil, err
	}
	return s, nil
}

// splitTableName validates "table" or "db.table".
func splitTableName(full string) (schema, table string, err error) {
	parts := strings.Split(full, ".")
	if len(parts) > 2 {
		return "", "", fmt.Errorf("persistence: invalid MySQL table name %q: want name or db.name", full)
	}
	for _, p := range parts {
		if !identPattern.MatchString(p) {
			return "", "", fmt.Errorf("persistence: invalid MySQL table name %q: each part must match %s", full, identPattern)
		}
	}
	if len(parts) == 2 {
		return parts[0], parts[1], nil
	}
	return "", parts[0], nil
}

// ensureTable creates the table if allowed and checks it has the SDK columns.
func (s *MySQL) ensureTable(ctx context.Context, schema, table string) error {
	widths, err := s.columnWidths(ctx, schema, table)
	if err != nil {
		return err
	}
	if len(widths) == 0 {
		if !s.cfg.createTable {
			return fmt.Errorf("persistence: mysql: table %s does not exist", s.name)
		}
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(sdkTableDDL, s.table)); err != nil {
			return fmt.Errorf("persistence: mysql: create table %s: %w", s.name, err)
		}
		s.cfg.logger.Debug("persistence: created token table", "table", s.name)
		if widths, err = s.columnWidths(ctx, schema, table); err != nil {
			return err
		}
	}
	if _, ok := widths["api_domain"]; !ok && s.cfg.createTable {
		// Tables from SDKs older than api_domain; the 8.0 SDKs add it too.
		if _, err := s.db.ExecContext(ctx, "ALTER TABLE "+s.table+" ADD COLUMN api_domain varchar(255)"); err != nil {
			return fmt.Errorf("persistence: mysql: add column api_domain to %s: %w", s.name, err)
		}
		if widths, err = s.columnWidths(ctx, schema, table); err != nil {
			return err
		}
	}
	for _, c := range sdkColumns {
		if _, ok := widths[c]; !ok {
			return fmt.Errorf("persistence: mysql: table %s has no column %s; it must have the official SDK schema (%s)", s.name, c, tokenColumns)
		}
	}
	s.widths = widths
	return nil
}

// columnWidths returns the table's columns and their maximum lengths; an
// empty map means the table does not exist.
func (s *MySQL) columnWidths(ctx context.Context, schema, table string) (map[string]int, error) {
	var cols []struct {
		Name  string        `db:"COLUMN_NAME"`
		Width sql.NullInt64 `db:"CHARACTER_MAXIMUM_LENGTH"`
	}
	err := s.db.SelectContext(ctx, &cols,
		`SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
		schema, table)
	if err != nil {
		return nil, fmt.Errorf("persistence: mysql: inspect table %s: %w", s.name, err)
	}
	widths := make(map[string]int, len(cols))
	for _, c := range cols {
		w := -1 // not a character column: no length check
		if c.Width.Valid {
			w = int(min(c.Width.Int64, 1<<31-1))
		}
		widths[strings.ToLower(c.Name)] = w
	}
	return widths, nil
}

// Table returns the table the store uses, as "database.table".
func (s *MySQL) Table() string { return s.name }

// Close closes the connection pool if OpenMySQL opened it; a *sqlx.DB
// passed to NewMySQL is left to its owner.
func (s *MySQL) Close() error {
	if s.ownsDB {
		return s.db.Close()
	}
	return nil
}

// tokenRow is one table row; every column but id may be NULL in rows the
// SDKs wrote.
type tokenRow struct {
	ID           string         `db:"id"`
	UserName     sql.NullString `db:"user_name"`
	ClientID     sql.NullString `db:"client_id"`
	ClientSecret sql.NullString `db:"client_secret"`
	RefreshToken sql.NullString `db:"refresh_token"`
	AccessToken  sql.NullString `db:"access_token"`
	GrantToken   sql.NullString `db:"grant_token"`
	ExpiryTime   sql.NullString `db:"expiry_time"`
	RedirectURL  sql.NullString `db:"redirect_url"`
	APIDomain    sql.NullString `db:"api_domain"`
}

func (s *MySQL) toToken(r tokenRow) (*Token, error) {
	exp, err := parseExpiryMillis(r.ExpiryTime.String)
	if err != nil {
		return nil, fmt.Errorf("persistence: mysql: table %s, row id %q: column expiry_time is not an integer number of epoch milliseconds", s.name, r.ID)
	}
	return &Token{
		ID:           r.ID,
		UserName:     r.UserName.String,
		ClientID:     r.ClientID.String,
		ClientSecret: r.ClientSecret.String,
		RefreshToken: r.RefreshToken.String,
		AccessToken:  r.AccessToken.String,
		GrantToken:   r.GrantToken.String,
		Expiry:       exp,
		RedirectURL:  r.RedirectURL.String,
		APIDomain:    r.APIDomain.String,
	}, nil
}

// nullable stores an empty field as NULL, as the SDKs do for unset fields.
func nullable(v string) sql.NullString { return sql.NullString{String: v, Valid: v != ""} }

// Get returns the row stored under key (the lowest id if an SDK left
// several).
func (s *MySQL) Get(ctx context.Context, key Key) (*Token, error) {
	var rows []tokenRow
	err := s.db.SelectContext(ctx, &rows,
		`SELECT `+tokenColumns+` FROM `+s.table+` WHERE `+keyWhere+` ORDER BY LENGTH(id), id LIMIT 1`,
		key.UserName, key.ClientID)
	if err != nil {
		return nil, fmt.Errorf("persistence: mysql: get token from %s: %w", s.name, err)
	}
	if len(rows) == 0 {
		return nil, notFound(key)
	}
	return s.toToken(rows[0])
}

// List returns every row, ordered by numeric id.
func (s *MySQL) List(ctx context.Context) ([]*Token, error) {
	var rows []tokenRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+tokenColumns+` FROM `+s.table+` ORDER BY LENGTH(id), id`); err != nil {
		return nil, fmt.Errorf("persistence: mysql: list tokens in %s: %w", s.name, err)
	}
	out := make([]*Token, 0, len(rows))
	for _, r := range rows {
		t, err := s.toToken(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Delete removes every row stored under key.
func (s *MySQL) Delete(ctx context.Context, key Key) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+s.table+` WHERE `+keyWhere, key.UserName, key.ClientID); err != nil {
		return fmt.Errorf("persistence: mysql: delete token from %s: %w", s.name, err)
	}
	return nil
}

// DeleteAll removes every row.
func (s *MySQL) DeleteAll(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+s.table); err != nil {
		return fmt.Errorf("persistence: mysql: delete all tokens from %s: %w", s.name, err)
	}
	return nil
}

// checkWidths rejects values the columns cannot hold, since a server not in
// strict mode would silently truncate a token. Errors name the column only.
func (s *MySQL) checkWidths(t *Token) error {
	fields := [...]struct{ col, v string }{
		{"id", t.ID}, {"user_name", t.UserName}, {"client_id", t.ClientID},
		{"client_secret", t.ClientSecret}, {"refresh_token", t.RefreshToken},
		{"access_token", t.AccessToken}, {"grant_token", t.GrantToken},
		{"expiry_time", formatExpiryMillis(t.Expiry)}, {"redirect_url", t.RedirectURL},
		{"api_domain", t.APIDomain},
	}
	for _, f := range fields {
		if w := s.widths[f.col]; w >= 0 {
			if n := utf8.RuneCountInString(f.v); n > w {
				return fmt.Errorf("persistence: mysql: value for column %s.%s is %d characters long; the column holds %d", s.name, f.col, n, w)
			}
		}
	}
	return nil
}

// Save updates the row stored under tok.Key() or inserts one with the next
// numeric id (max + 1, as the SDKs do), and sets tok.ID.
func (s *MySQL) Save(ctx context.Context, tok *Token) error {
	if tok == nil {
		return errNilToken
	}
	row := tok.Clone()
	if err := s.checkWidths(row); err != nil {
		return err
	}
	unlockLocal, err := s.writeMu.lock(ctx, "")
	if err != nil {
		return err
	}
	defer unlockLocal()
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	release, err := s.namedLock(ctx, conn, s.lockName("write", ""))
	if err != nil {
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	defer release()
	if err := s.upsert(ctx, conn, row); err != nil {
		return err
	}
	tok.ID = row.ID
	return nil
}

func (s *MySQL) upsert(ctx context.Context, conn *sqlx.Conn, row *Token) (err error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var existing []string
	err = tx.SelectContext(ctx, &existing,
		`SELECT id FROM `+s.table+` WHERE `+keyWhere+` ORDER BY LENGTH(id), id LIMIT 1 FOR UPDATE`,
		row.UserName, row.ClientID)
	if err != nil {
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	if row.ID == "" && len(existing) > 0 {
		row.ID = existing[0]
	}
	if row.ID == "" {
		var ids []string
		if err = tx.SelectContext(ctx, &ids, `SELECT id FROM `+s.table+` FOR UPDATE`); err != nil {
			return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
		}
		row.ID = nextID(func(yield func(string) bool) {
			for _, id := range ids {
				if !yield(id) {
					return
				}
			}
		})
	}
	args := []any{
		row.ID, nullable(row.UserName), nullable(row.ClientID), nullable(row.ClientSecret),
		nullable(row.RefreshToken), nullable(row.AccessToken), nullable(row.GrantToken),
		nullable(formatExpiryMillis(row.Expiry)), nullable(row.RedirectURL), nullable(row.APIDomain),
	}
	if len(existing) > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE `+s.table+` SET id = ?, user_name = ?, client_id = ?, client_secret = ?, refresh_token = ?, access_token = ?, grant_token = ?, expiry_time = ?, redirect_url = ?, api_domain = ? WHERE id = ?`,
			append(args, existing[0])...)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO `+s.table+` (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	}
	if err != nil {
		if me, ok := errors.AsType[*mysql.MySQLError](err); ok && me.Number == 1062 { // ER_DUP_ENTRY on the id key
			return fmt.Errorf("%w: id %q in %s", ErrIDInUse, row.ID, s.name)
		}
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("persistence: mysql: save token in %s: %w", s.name, err)
	}
	return nil
}
