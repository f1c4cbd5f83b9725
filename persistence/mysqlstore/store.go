// Package mysqlstore keeps zohohub's OAuth tokens in a MySQL or MariaDB
// table with the official Zoho SDKs' oauthtoken schema, so that processes
// on several machines share them, and tokens the SDKs wrote are read as
// they are:
//
//	store, err := mysqlstore.Open(ctx, "zoho:pw@tcp(db.internal:3306)/zohooauth")
//
// It is a package of its own so that programs keeping their tokens
// elsewhere (package persistence's file and memory stores, or their own)
// link no database driver. It uses go-sql-driver/mysql and sqlx.
package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/lockwait"
	"github.com/zohohub/zohohub/persistence/internal/sdkschema"
	"github.com/zohohub/zohohub/persistence/internal/storeopt"
)

// keyWhere matches a key exactly: byte for byte in UTF-8, unlike the
// columns' collation (case-insensitive, trailing spaces ignored) and
// whatever charset an SDK-created table has. NULL matches the empty string,
// as rows written by the SDKs may hold NULLs.
const keyWhere = `CAST(CONVERT(COALESCE(user_name, '') USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY)` +
	` AND CAST(CONVERT(COALESCE(client_id, '') USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY)`

// Store is a persistence.Store and persistence.Locker backed by a MySQL or
// MariaDB table with the official Zoho SDKs' `oauthtoken` schema: it reads
// rows the SDKs wrote and writes rows they can read. Empty fields are
// stored as NULL, as the SDKs do.
//
// Save is an upsert keyed by (user_name, client_id) in a transaction,
// serialized across processes by a named lock (GET_LOCK) on the table, so
// concurrent first saves of one key never create two rows. Lock uses a named
// lock per key held on a dedicated connection.
type Store struct {
	db       *sqlx.DB
	ownsDB   bool
	settings storeopt.Settings
	cfg      config
	table    string         // validated and backquoted, e.g. `zohooauth`.`oauthtoken`
	name     string         // schema.table, for errors and lock names
	widths   map[string]int // column name → maximum length in characters
	writeMu  lockwait.KeyMutex
	keyMu    lockwait.KeyMutex
	lockBase string
}

var (
	_ persistence.Store  = (*Store)(nil)
	_ persistence.Locker = (*Store)(nil)
)

var errNilToken = errors.New("mysqlstore: Save called with a nil token")

// Table returns the table the store uses, as "database.table".
func (s *Store) Table() string { return s.name }

// Close closes the connection pool if Open opened it; a *sqlx.DB passed
// to New is left to its owner.
func (s *Store) Close() error {
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

func (s *Store) toToken(r tokenRow) (*persistence.Token, error) {
	exp, err := sdkschema.ParseExpiry(r.ExpiryTime.String)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: table %s, row id %q: column expiry_time is not an integer number of epoch milliseconds", s.name, r.ID)
	}
	return &persistence.Token{
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
func (s *Store) Get(ctx context.Context, key persistence.Key) (*persistence.Token, error) {
	var rows []tokenRow
	err := s.db.SelectContext(ctx, &rows,
		`SELECT `+tokenColumns+` FROM `+s.table+` WHERE `+keyWhere+` ORDER BY LENGTH(id), id LIMIT 1`,
		key.UserName, key.ClientID)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: get token from %s: %w", s.name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: %s", persistence.ErrNotFound, key)
	}
	return s.toToken(rows[0])
}

// List returns every row, ordered by numeric id.
func (s *Store) List(ctx context.Context) ([]*persistence.Token, error) {
	var rows []tokenRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+tokenColumns+` FROM `+s.table+` ORDER BY LENGTH(id), id`); err != nil {
		return nil, fmt.Errorf("mysqlstore: list tokens in %s: %w", s.name, err)
	}
	out := make([]*persistence.Token, 0, len(rows))
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
func (s *Store) Delete(ctx context.Context, key persistence.Key) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+s.table+` WHERE `+keyWhere, key.UserName, key.ClientID); err != nil {
		return fmt.Errorf("mysqlstore: delete token from %s: %w", s.name, err)
	}
	return nil
}

// DeleteAll removes every row.
func (s *Store) DeleteAll(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+s.table); err != nil {
		return fmt.Errorf("mysqlstore: delete all tokens from %s: %w", s.name, err)
	}
	return nil
}

// checkWidths rejects values the columns cannot hold, since a server not in
// strict mode would silently truncate a token. Errors name the column only.
func (s *Store) checkWidths(t *persistence.Token) error {
	cols := sdkschema.Columns()
	for i, v := range sdkschema.Token(*t).Row() {
		if w := s.widths[cols[i]]; w >= 0 {
			if n := utf8.RuneCountInString(v); n > w {
				return fmt.Errorf("mysqlstore: value for column %s.%s is %d characters long; the column holds %d", s.name, cols[i], n, w)
			}
		}
	}
	return nil
}

// Save updates the row stored under tok.Key() or inserts one with the next
// numeric id (max + 1, as the SDKs do), and sets tok.ID.
func (s *Store) Save(ctx context.Context, tok *persistence.Token) error {
	if tok == nil {
		return errNilToken
	}
	row := tok.Clone()
	if err := s.checkWidths(row); err != nil {
		return err
	}
	unlockLocal, err := s.writeMu.Lock(ctx, "")
	if err != nil {
		return err
	}
	defer unlockLocal()
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
	}
	release, err := s.namedLock(ctx, conn, s.lockName("write", ""))
	if err != nil {
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
	}
	defer release()
	if err := s.upsert(ctx, conn, row); err != nil {
		return err
	}
	tok.ID = row.ID
	return nil
}

func (s *Store) upsert(ctx context.Context, conn *sqlx.Conn, row *persistence.Token) (err error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
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
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
	}
	if row.ID == "" && len(existing) > 0 {
		row.ID = existing[0]
	}
	if row.ID == "" {
		var ids []string
		if err = tx.SelectContext(ctx, &ids, `SELECT id FROM `+s.table+` FOR UPDATE`); err != nil {
			return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
		}
		row.ID = sdkschema.NextID(func(yield func(string) bool) {
			for _, id := range ids {
				if !yield(id) {
					return
				}
			}
		})
	}
	args := make([]any, 0, sdkschema.NumColumns+1)
	for i, v := range sdkschema.Token(*row).Row() {
		if i == sdkschema.ColID {
			args = append(args, v) // the key: never NULL
		} else {
			args = append(args, nullable(v))
		}
	}
	if len(existing) > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE `+s.table+` SET id = ?, user_name = ?, client_id = ?, client_secret = ?, refresh_token = ?, access_token = ?, grant_token = ?, expiry_time = ?, redirect_url = ?, api_domain = ? WHERE id = ?`,
			append(args, existing[0])...)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO `+s.table+` (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	}
	if err != nil {
		if me, ok := errors.AsType[*mysql.MySQLError](err); ok && me.Number == 1062 { // ER_DUP_ENTRY on the id key
			return fmt.Errorf("%w: id %q in %s", persistence.ErrIDInUse, row.ID, s.name)
		}
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("mysqlstore: save token in %s: %w", s.name, err)
	}
	return nil
}
