package mirror

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// dialect is what differs between PostgreSQL and MySQL: how types,
// identifiers and upserts are spelled, and how the catalogue is read.
// Identifiers reach it checked by validIdent; values always travel as
// parameters.
type dialect interface {
	// name is "postgres" or "mysql".
	name() string
	// quote quotes an identifier that validIdent accepted.
	quote(ident string) string
	// createTable is the DDL that creates t (and its indexes).
	createTable(t *table) []string
	// addColumn is the DDL that adds c to table t.
	addColumn(t *table, c column, existing map[string]dbColumn) string
	// widen is the DDL that widens an existing column to hold c (a longer
	// text, a bigger integer), or "" when it already does.
	widen(t *table, c column, existing dbColumn) string
	// columns reads the columns of an existing table; nil when there is
	// no such table.
	columns(ctx context.Context, q sqlx.QueryerContext, table string) (map[string]dbColumn, error)
	// compatible reports whether an existing column can hold c's values
	// (perhaps after widen).
	compatible(c column, existing dbColumn) bool
	// upsert writes rows (values aligned with cols, id first) and
	// reports how many were inserted and how many changed.
	upsert(ctx context.Context, tx *sqlx.Tx, t *table, cols []column, rows [][]any) (inserted, updated int, err error)
	// syncNames sets t's lookup name column to the display column of the
	// row of target its id column points to (NULL when there is none),
	// and _synced_at to now, where they differ; it returns the rows set.
	syncNames(ctx context.Context, ex sqlx.ExecerContext, t *table, idCol, nameCol string, target *table, displayCol string, now time.Time) (int64, error)
	// analyze refreshes the statistics of a table just loaded, so that the
	// planner sees its size.
	analyze(ctx context.Context, ex sqlx.ExecerContext, t *table) error
	// listValue is the parameter of a kindTextList column.
	listValue(vs []string) (any, error)
	// stateTable is the DDL of the table of watermarks.
	stateTable(name string) string
	// upsertState is the statement that writes a module's state:
	// parameters module, watermark (or NULL), load_started, updated_at.
	upsertState(name string) string
}

// dbColumn is a column as the catalogue describes it.
type dbColumn struct {
	name     string
	dataType string // information_schema.columns.data_type, lower case
	// length of a character column (0: unbounded), octets of it (MySQL's
	// row size budget).
	length, octets int
	precision      int
	scale          int
	udt            string // PostgreSQL's udt_name: _text for text[]
	columnType     string // MySQL's column_type: tinyint(1) for booleans
}

// maxParams bounds the parameters of one statement: both engines take
// at most 65,535.
const maxParams = 60000

// placeholders writes n comma-separated placeholders, starting at the
// first-th, in PostgreSQL's $n or MySQL's ? form.
func placeholders(b *strings.Builder, n, first int, numbered bool) {
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if numbered {
			fmt.Fprintf(b, "$%d", first+i)
		} else {
			b.WriteByte('?')
		}
	}
}

// columnList is the quoted, comma-separated names of cols.
func columnList(d dialect, cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = d.quote(c.Name)
	}
	return strings.Join(names, ",")
}

// columnDef is the definition of c, of type typ, in CREATE TABLE or ADD
// COLUMN: the id column takes primaryKey, _synced_at and _parent_id NOT NULL.
func columnDef(d dialect, c column, typ, primaryKey string) string {
	def := d.quote(c.Name) + " " + typ
	switch c.Name {
	case colID:
		def += " " + primaryKey
	case colSyncedAt, colParentID:
		def += " NOT NULL"
	}
	return def
}

// insertRows writes "INSERT INTO t (cols) VALUES (…),(…)" for rows into b,
// in the placeholder form of numbered, and returns the rows' values as the
// statement's parameters.
func insertRows(b *strings.Builder, d dialect, t *table, cols []column, rows [][]any, numbered bool) []any {
	b.WriteString("INSERT INTO " + d.quote(t.Name) + " (" + columnList(d, cols) + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		placeholders(b, len(cols), len(args)+1, numbered)
		b.WriteByte(')')
		args = append(args, r...)
	}
	return args
}

// readColumns runs a catalogue query of one table's columns and scans each
// row through dest, which names the fields of c the query's columns fill;
// nil when there is no such table.
func readColumns(ctx context.Context, q sqlx.QueryerContext, query, table string, dest func(c *dbColumn) []any) (map[string]dbColumn, error) {
	rows, err := q.QueryxContext(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols map[string]dbColumn
	for rows.Next() {
		var c dbColumn
		if err := rows.Scan(dest(&c)...); err != nil {
			return nil, err
		}
		if cols == nil {
			cols = map[string]dbColumn{}
		}
		cols[c.name] = c
	}
	return cols, rows.Err()
}

// dialectFor returns the dialect of a database/sql driver name.
func dialectFor(driver string) (dialect, error) {
	switch driver {
	case "pgx", "pgx/v5", "postgres":
		return postgres{}, nil
	case "mysql":
		return mysqlDialect{}, nil
	}
	return nil, fmt.Errorf("mirror: driver %q: want pgx (PostgreSQL) or mysql", driver)
}
