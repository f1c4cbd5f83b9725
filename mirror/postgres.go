package mirror

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// postgres is the PostgreSQL dialect (driver pgx).
type postgres struct{}

func (postgres) name() string { return "postgres" }

func (postgres) quote(id string) string { return `"` + id + `"` }

// maxVarchar is the longest varchar PostgreSQL declares.
const maxVarchar = 10485760

func (postgres) columnType(c column) string {
	switch c.Kind {
	case kindText:
		if c.Length > 0 && c.Length <= maxVarchar {
			return fmt.Sprintf("varchar(%d)", c.Length)
		}
		return "text"
	case kindInt:
		return "integer"
	case kindBigint:
		return "bigint"
	case kindDouble:
		return "double precision"
	case kindNumeric:
		return fmt.Sprintf("numeric(%d,%d)", c.Precision, c.Scale)
	case kindBool:
		return "boolean"
	case kindDate:
		return "date"
	case kindTimestamp:
		return "timestamptz"
	case kindJSON:
		return "jsonb"
	case kindTextList:
		return "text[]"
	}
	return "text"
}

func (d postgres) columnDef(c column) string {
	return columnDef(d, c, d.columnType(c), "PRIMARY KEY")
}

func (d postgres) createTable(t *table) []string {
	defs := make([]string, len(t.columns))
	for i, c := range t.columns {
		defs[i] = d.columnDef(c)
	}
	stmts := []string{"CREATE TABLE IF NOT EXISTS " + d.quote(t.Name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"}
	if t.subformField != "" {
		stmts = append(stmts, "CREATE INDEX IF NOT EXISTS "+d.quote(t.Name+"_parent")+" ON "+d.quote(t.Name)+" ("+d.quote(colParentID)+")")
	}
	return stmts
}

func (d postgres) addColumn(t *table, c column, _ map[string]dbColumn) string {
	return "ALTER TABLE " + d.quote(t.Name) + " ADD COLUMN IF NOT EXISTS " + d.columnDef(c)
}

func (d postgres) widen(t *table, c column, e dbColumn) string {
	alter := "ALTER TABLE " + d.quote(t.Name) + " ALTER COLUMN " + d.quote(c.Name) + " TYPE "
	switch {
	case c.Kind == kindText && e.dataType == "character varying" && e.length > 0 && (c.Length == 0 || c.Length > e.length):
		return alter + d.columnType(c)
	case c.Kind == kindBigint && (e.dataType == "integer" || e.dataType == "smallint"):
		return alter + "bigint"
	case c.Kind == kindInt && e.dataType == "smallint":
		return alter + "integer"
	}
	return ""
}

func (postgres) compatible(c column, e dbColumn) bool {
	switch c.Kind {
	case kindText:
		return e.dataType == "character varying" || e.dataType == "text" || e.dataType == "character"
	case kindInt, kindBigint:
		return e.dataType == "integer" || e.dataType == "bigint" || e.dataType == "smallint"
	case kindDouble:
		return e.dataType == "double precision" || e.dataType == "real"
	case kindNumeric:
		return e.dataType == "numeric"
	case kindBool:
		return e.dataType == "boolean"
	case kindDate:
		return e.dataType == "date"
	case kindTimestamp:
		return strings.HasPrefix(e.dataType, "timestamp")
	case kindJSON:
		return e.dataType == "jsonb" || e.dataType == "json"
	case kindTextList:
		return e.dataType == "array" && (e.udt == "_text" || e.udt == "_varchar")
	}
	return false
}

func (postgres) columns(ctx context.Context, q sqlx.QueryerContext, table string) (map[string]dbColumn, error) {
	return readColumns(ctx, q, `SELECT column_name, lower(data_type), coalesce(character_maximum_length, 0),
		coalesce(numeric_precision, 0), coalesce(numeric_scale, 0), udt_name
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, table,
		func(c *dbColumn) []any { return []any{&c.name, &c.dataType, &c.length, &c.precision, &c.scale, &c.udt} })
}

// upsert inserts the rows, or updates those whose id exists and whose
// values differ (IS DISTINCT FROM): unchanged rows are not written, so
// their _synced_at stays. RETURNING says which rows were inserted (xmax
// is 0 for a fresh tuple).
func (d postgres) upsert(ctx context.Context, tx *sqlx.Tx, t *table, cols []column, rows [][]any) (inserted, updated int, err error) {
	var b strings.Builder
	args := insertRows(&b, d, t, cols, rows, true)
	b.WriteString(" ON CONFLICT (" + d.quote(colID) + ") DO UPDATE SET ")
	var set, old, fresh []string
	for _, c := range cols[1:] {
		q := d.quote(c.Name)
		set = append(set, q+"=EXCLUDED."+q)
		if c.Name != colSyncedAt {
			old = append(old, d.quote(t.Name)+"."+q)
			fresh = append(fresh, "EXCLUDED."+q)
		}
	}
	b.WriteString(strings.Join(set, ","))
	if len(old) > 0 {
		b.WriteString(" WHERE (" + strings.Join(old, ",") + ") IS DISTINCT FROM (" + strings.Join(fresh, ",") + ")")
	}
	b.WriteString(" RETURNING (xmax = 0)")
	res, err := tx.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return 0, 0, err
	}
	defer res.Close()
	for res.Next() {
		var ins bool
		if err := res.Scan(&ins); err != nil {
			return 0, 0, err
		}
		if ins {
			inserted++
		} else {
			updated++
		}
	}
	return inserted, updated, res.Err()
}

// syncNames sets the names of rows whose target exists, then clears
// those whose target is gone: two statements that plan as an index join
// and an anti-join whatever the tables' statistics.
func (d postgres) syncNames(ctx context.Context, ex sqlx.ExecerContext, t *table, idCol, nameCol string, target *table, displayCol string, now time.Time) (int64, error) {
	tbl, id, name, to, disp, synced, pk := d.quote(t.Name), d.quote(idCol), d.quote(nameCol), d.quote(target.Name), d.quote(displayCol), d.quote(colSyncedAt), d.quote(colID)
	var n int64
	for _, q := range []string{
		"UPDATE " + tbl + " AS t SET " + name + " = m." + disp + ", " + synced + " = $1 FROM " + to + " AS m" +
			" WHERE m." + pk + " = t." + id + " AND t." + name + " IS DISTINCT FROM m." + disp,
		"UPDATE " + tbl + " AS t SET " + name + " = NULL, " + synced + " = $1 WHERE t." + id + " IS NOT NULL AND t." + name + " IS NOT NULL" +
			" AND NOT EXISTS (SELECT 1 FROM " + to + " AS m WHERE m." + pk + " = t." + id + ")",
	} {
		res, err := ex.ExecContext(ctx, q, now)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// analyze refreshes the planner's statistics of a table just loaded.
func (d postgres) analyze(ctx context.Context, ex sqlx.ExecerContext, t *table) error {
	_, err := ex.ExecContext(ctx, "ANALYZE "+d.quote(t.Name))
	return err
}

func (postgres) listValue(vs []string) (any, error) { return vs, nil }

func (d postgres) stateTable(name string) string {
	return "CREATE TABLE IF NOT EXISTS " + d.quote(name) + ` (
  "module" varchar(100) PRIMARY KEY,
  "watermark" timestamptz,
  "load_started" timestamptz NOT NULL,
  "updated_at" timestamptz NOT NULL
)`
}

func (d postgres) upsertState(name string) string {
	return "INSERT INTO " + d.quote(name) + ` ("module", "watermark", "load_started", "updated_at") VALUES ($1, $2, $3, $4)
ON CONFLICT ("module") DO UPDATE SET "watermark" = EXCLUDED."watermark", "load_started" = EXCLUDED."load_started", "updated_at" = EXCLUDED."updated_at"`
}
