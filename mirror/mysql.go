package mirror

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// mysqlDialect is the MySQL and MariaDB dialect (driver
// go-sql-driver/mysql). Tables use utf8mb4 with a binary collation, so
// that a change of case is a change, as it is in Zoho; datetimes are
// DATETIME in UTC.
type mysqlDialect struct{}

func (mysqlDialect) name() string { return "mysql" }

func (mysqlDialect) quote(id string) string { return "`" + id + "`" }

// InnoDB rows hold at most 65,535 bytes of VARCHAR columns; text fields
// beyond varcharBudget bytes (4 a character in utf8mb4) become TEXT.
const (
	varcharBudget = 32000
	maxVarcharLen = 255
)

// columnType spells c; budget is what remains of the row's VARCHAR
// bytes, and is charged for a VARCHAR.
func (mysqlDialect) columnType(c column, budget *int) string {
	switch c.Kind {
	case kindText:
		n := c.Length
		if n > 0 && n <= maxVarcharLen && *budget >= 4*n+2 {
			*budget -= 4*n + 2
			return fmt.Sprintf("VARCHAR(%d)", n)
		}
		if n > 0 && n <= 16383 {
			return "TEXT"
		}
		return "MEDIUMTEXT"
	case kindInt:
		return "INT"
	case kindBigint:
		return "BIGINT"
	case kindDouble:
		return "DOUBLE"
	case kindNumeric:
		return fmt.Sprintf("DECIMAL(%d,%d)", c.Precision, c.Scale)
	case kindBool:
		return "BOOLEAN"
	case kindDate:
		return "DATE"
	case kindTimestamp:
		return "DATETIME"
	case kindJSON, kindTextList:
		return "JSON"
	}
	return "MEDIUMTEXT"
}

func (d mysqlDialect) columnDef(c column, budget *int) string {
	return columnDef(d, c, d.columnType(c, budget), "NOT NULL PRIMARY KEY")
}

func (d mysqlDialect) createTable(t *table) []string {
	budget := varcharBudget
	defs := make([]string, 0, len(t.columns)+1)
	for _, c := range t.columns {
		defs = append(defs, d.columnDef(c, &budget))
	}
	if t.subformField != "" {
		defs = append(defs, "KEY "+d.quote(t.Name+"_parent")+" ("+d.quote(colParentID)+")")
	}
	return []string{"CREATE TABLE IF NOT EXISTS " + d.quote(t.Name) + " (\n  " + strings.Join(defs, ",\n  ") +
		"\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"}
}

// addColumn charges the new column against what the table's VARCHAR
// columns already take.
func (d mysqlDialect) addColumn(t *table, c column, existing map[string]dbColumn) string {
	budget := varcharBudget
	for _, e := range existing {
		if e.dataType == "varchar" {
			budget -= e.octets + 2
		}
	}
	return "ALTER TABLE " + d.quote(t.Name) + " ADD COLUMN " + d.columnDef(c, &budget)
}

func (d mysqlDialect) widen(t *table, c column, e dbColumn) string {
	modify := "ALTER TABLE " + d.quote(t.Name) + " MODIFY COLUMN " + d.quote(c.Name) + " "
	switch {
	case c.Kind == kindText && e.dataType == "varchar" && (c.Length == 0 || c.Length > e.length):
		if c.Length > 0 && c.Length <= maxVarcharLen {
			return modify + fmt.Sprintf("VARCHAR(%d)", c.Length)
		}
		return modify + "MEDIUMTEXT"
	case c.Kind == kindText && e.dataType == "text" && (c.Length == 0 || c.Length > 16383):
		return modify + "MEDIUMTEXT"
	case c.Kind == kindBigint && (e.dataType == "int" || e.dataType == "smallint" || e.dataType == "mediumint"):
		return modify + "BIGINT"
	}
	return ""
}

func (mysqlDialect) compatible(c column, e dbColumn) bool {
	isBool := e.dataType == "tinyint" && strings.HasPrefix(e.columnType, "tinyint(1)")
	switch c.Kind {
	case kindText:
		return e.dataType == "varchar" || e.dataType == "char" || strings.HasSuffix(e.dataType, "text")
	case kindInt, kindBigint:
		return !isBool && (e.dataType == "int" || e.dataType == "bigint" || e.dataType == "smallint" || e.dataType == "mediumint")
	case kindDouble:
		return e.dataType == "double" || e.dataType == "float"
	case kindNumeric:
		return e.dataType == "decimal"
	case kindBool:
		return isBool
	case kindDate:
		return e.dataType == "date"
	case kindTimestamp:
		return e.dataType == "datetime" || e.dataType == "timestamp"
	case kindJSON, kindTextList:
		return e.dataType == "json" || e.dataType == "longtext" // MariaDB's JSON is LONGTEXT
	}
	return false
}

func (mysqlDialect) columns(ctx context.Context, q sqlx.QueryerContext, table string) (map[string]dbColumn, error) {
	return readColumns(ctx, q, `SELECT COLUMN_NAME, LOWER(DATA_TYPE), COALESCE(CHARACTER_MAXIMUM_LENGTH, 0),
		COALESCE(CHARACTER_OCTET_LENGTH, 0), COALESCE(NUMERIC_PRECISION, 0), COALESCE(NUMERIC_SCALE, 0), LOWER(COLUMN_TYPE)
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, table,
		func(c *dbColumn) []any {
			return []any{&c.name, &c.dataType, &c.length, &c.octets, &c.precision, &c.scale, &c.columnType}
		})
}

// upsert inserts the rows or updates existing ones. _synced_at is
// assigned first, while the other columns still hold their old values,
// and keeps its value when none of them changes; the server then reports
// 0 rows affected for an unchanged row, 1 for an insert, 2 for an update.
// Which ids existed is read first, in the same transaction, to tell
// inserts from updates.
func (d mysqlDialect) upsert(ctx context.Context, tx *sqlx.Tx, t *table, cols []column, rows [][]any) (inserted, updated int, err error) {
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r[0]
	}
	var sel strings.Builder
	sel.WriteString("SELECT COUNT(*) FROM " + d.quote(t.Name) + " WHERE " + d.quote(colID) + " IN (")
	placeholders(&sel, len(ids), 1, false)
	sel.WriteString(") FOR UPDATE")
	var existing int
	if err := tx.QueryRowContext(ctx, sel.String(), ids...).Scan(&existing); err != nil {
		return 0, 0, err
	}
	var b strings.Builder
	args := insertRows(&b, d, t, cols, rows, false)
	var same, set []string
	for _, c := range cols[1:] {
		q := d.quote(c.Name)
		if c.Name != colSyncedAt {
			same = append(same, q+" <=> VALUES("+q+")")
			set = append(set, q+"=VALUES("+q+")")
		}
	}
	synced := d.quote(colSyncedAt)
	b.WriteString(" ON DUPLICATE KEY UPDATE ")
	if len(same) > 0 {
		b.WriteString(synced + "=IF(" + strings.Join(same, " AND ") + "," + synced + ",VALUES(" + synced + "))," + strings.Join(set, ","))
	} else {
		b.WriteString(d.quote(colID) + "=" + d.quote(colID))
	}
	res, err := tx.ExecContext(ctx, b.String(), args...)
	if err != nil {
		return 0, 0, err
	}
	affected, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	inserted = len(rows) - existing
	return inserted, (int(affected) - inserted) / 2, nil
}

func (d mysqlDialect) syncNames(ctx context.Context, ex sqlx.ExecerContext, t *table, idCol, nameCol string, target *table, displayCol string, now time.Time) (int64, error) {
	q := fmt.Sprintf("UPDATE %[1]s AS t LEFT JOIN %[4]s AS m ON m.%[7]s = t.%[2]s SET t.%[3]s = m.%[5]s, t.%[6]s = ? "+
		"WHERE t.%[2]s IS NOT NULL AND NOT (t.%[3]s <=> m.%[5]s)",
		d.quote(t.Name), d.quote(idCol), d.quote(nameCol), d.quote(target.Name), d.quote(displayCol), d.quote(colSyncedAt), d.quote(colID))
	res, err := ex.ExecContext(ctx, q, now)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// analyze refreshes the optimizer's statistics of a table just loaded.
func (d mysqlDialect) analyze(ctx context.Context, ex sqlx.ExecerContext, t *table) error {
	_, err := ex.ExecContext(ctx, "ANALYZE TABLE "+d.quote(t.Name))
	return err
}

func (mysqlDialect) listValue(vs []string) (any, error) {
	b, err := json.Marshal(vs)
	return string(b), err
}

func (d mysqlDialect) stateTable(name string) string {
	return "CREATE TABLE IF NOT EXISTS " + d.quote(name) + ` (
  ` + "`module`" + ` VARCHAR(100) NOT NULL PRIMARY KEY,
  ` + "`watermark`" + ` DATETIME NULL,
  ` + "`load_started`" + ` DATETIME NOT NULL,
  ` + "`updated_at`" + ` DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`
}

func (d mysqlDialect) upsertState(name string) string {
	return "INSERT INTO " + d.quote(name) + " (`module`, `watermark`, `load_started`, `updated_at`) VALUES (?, ?, ?, ?)" +
		" ON DUPLICATE KEY UPDATE `watermark` = VALUES(`watermark`), `load_started` = VALUES(`load_started`), `updated_at` = VALUES(`updated_at`)"
}
