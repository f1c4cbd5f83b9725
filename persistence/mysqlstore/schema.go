package mysqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/zohohub/zohohub/persistence/internal/sdkschema"
)

// tableDDL is the official SDKs' schema (README), with a utf8mb4 default
// so that non-ASCII user names survive on servers defaulting to latin1.
// %s is the validated, backquoted table name.
const tableDDL = `CREATE TABLE IF NOT EXISTS %s (
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

// tokenColumns lists the SDKs' columns for SELECT and INSERT, in
// sdkschema order.
var tokenColumns = func() string {
	cols := sdkschema.Columns()
	return strings.Join(cols[:], ", ")
}()

// identPattern is what a table or database name may look like; it is the
// only text ever interpolated into SQL.
var identPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// splitTableName validates "table" or "db.table".
func splitTableName(full string) (schema, table string, err error) {
	parts := strings.Split(full, ".")
	if len(parts) > 2 {
		return "", "", fmt.Errorf("mysqlstore: invalid MySQL table name %q: want name or db.name", full)
	}
	for _, p := range parts {
		if !identPattern.MatchString(p) {
			return "", "", fmt.Errorf("mysqlstore: invalid MySQL table name %q: each part must match %s", full, identPattern)
		}
	}
	if len(parts) == 2 {
		return parts[0], parts[1], nil
	}
	return "", parts[0], nil
}

// ensureTable creates the table if it is missing and allowed, checks that
// an existing one is a token table, and only then adds the api_domain
// column a table from an older SDK lacks: a table that is not a token
// table is refused before any DDL touches it.
func (s *Store) ensureTable(ctx context.Context, schema, table string) error {
	widths, err := s.columnWidths(ctx, schema, table)
	if err != nil {
		return err
	}
	if len(widths) == 0 {
		if !s.cfg.createTable {
			return fmt.Errorf("mysqlstore: table %s does not exist", s.name)
		}
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(tableDDL, s.table)); err != nil {
			return fmt.Errorf("mysqlstore: create table %s: %w", s.name, err)
		}
		s.settings.Logger.Debug("mysqlstore: created token table", "table", s.name)
		if widths, err = s.columnWidths(ctx, schema, table); err != nil {
			return err
		}
	}
	cols := sdkschema.Columns()
	var missing []string
	for _, c := range cols[:sdkschema.ColAPIDomain] {
		if _, ok := widths[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("mysqlstore: table %s is not a token table: it has no column %s of the official SDKs' schema (%s); name a token table, or a new one, with WithTable",
			s.name, strings.Join(missing, ", "), tokenColumns)
	}
	if _, ok := widths["api_domain"]; !ok {
		// A token table from an SDK older than api_domain; the 8.0 SDKs
		// add the column too.
		if !s.cfg.createTable {
			return fmt.Errorf("mysqlstore: token table %s has no column api_domain (an older SDK made it): run ALTER TABLE %s ADD COLUMN api_domain varchar(255), or let the store do it by leaving out WithoutTableCreation", s.name, s.table)
		}
		if _, err := s.db.ExecContext(ctx, "ALTER TABLE "+s.table+" ADD COLUMN api_domain varchar(255)"); err != nil {
			return fmt.Errorf("mysqlstore: add column api_domain to %s: %w", s.name, err)
		}
		s.settings.Logger.Debug("mysqlstore: added column api_domain", "table", s.name)
		if widths, err = s.columnWidths(ctx, schema, table); err != nil {
			return err
		}
	}
	s.widths = widths
	return nil
}

// columnWidths returns the table's columns and their maximum lengths in
// characters (-1 for a column that is not a character column); an empty
// map means the table does not exist.
func (s *Store) columnWidths(ctx context.Context, schema, table string) (map[string]int, error) {
	var cols []struct {
		Name  string        `db:"COLUMN_NAME"`
		Width sql.NullInt64 `db:"CHARACTER_MAXIMUM_LENGTH"`
	}
	err := s.db.SelectContext(ctx, &cols,
		`SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
		schema, table)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: inspect table %s: %w", s.name, err)
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
