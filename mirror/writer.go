package mirror

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub"
)

// writer turns records into rows and writes them, a batch per
// transaction. Its last transaction (finish) also writes the deletions and
// the module's state, so that they commit together with the last rows.
type writer struct {
	m     *Mirror
	t     *table
	cols  []column // id first, _synced_at last
	names []string // per column: the Bulk Read member of a lookup's name
	users map[string]string
	bulk  bool
	// children are the subform tables, with the columns written.
	children []childWriter

	now   time.Time
	rows  [][]any
	kids  map[*table][][]any
	pids  []any // parents whose subforms are replaced
	stats *ModuleStats
	// maxModified is the latest Modified_Time read.
	maxModified time.Time
	// countReads: this writer's records count as read (the first of the
	// field groups a module is read in).
	countReads bool
	// bg receives the error of the batch written in the background.
	bg chan error
	// mu guards the counts in stats the background writes.
	mu *sync.Mutex
}

type childWriter struct {
	t    *table
	cols []column
}

// newWriter writes the columns of fields among writable. bulkNames, for
// records read through Bulk Read, gives by lookup field the member that
// holds the name of the record it points to.
func (m *Mirror) newWriter(t *table, writable []column, fields []string, bulkNames map[string]string, stats *ModuleStats, statsMu *sync.Mutex) *writer {
	w := &writer{m: m, t: t, stats: stats, now: m.o.now().UTC().Truncate(time.Microsecond), kids: map[*table][][]any{}, mu: statsMu}
	for _, c := range writable {
		if c.field == "" || slices.Contains(fields, c.field) {
			w.cols = append(w.cols, c)
			name := ""
			if c.part == partName && !c.user {
				name = bulkNames[c.field]
			}
			w.names = append(w.names, name)
		}
	}
	return w
}

// add converts a record into a row, and writes the batch when it is full.
func (w *writer) add(ctx context.Context, rec *zohohub.AnyRecord) error {
	src := source{fields: rec.Fields(), users: w.users, bulk: w.bulk}
	row := make([]any, len(w.cols))
	for i, c := range w.cols {
		switch c.Name {
		case colID:
			id, err := parseID(rec.ID)
			if err != nil {
				return fmt.Errorf("mirror: %s: %w", w.t.module, err)
			}
			row[i] = id
		case colSyncedAt:
			row[i] = w.now
		default:
			v, err := src.value(c, w.names[i], w.m.d)
			if err != nil {
				return fmt.Errorf("mirror: %s record %s: field %s: %w", w.t.module, rec.ID, c.field, err)
			}
			row[i] = v
		}
	}
	w.rows = append(w.rows, row)
	if w.countReads {
		w.stats.Read++
	}
	if rec.ModifiedTime.After(w.maxModified) {
		w.maxModified = rec.ModifiedTime
	}
	if err := w.addChildren(row[0], src.fields); err != nil {
		return fmt.Errorf("mirror: %s record %s: %w", w.t.module, rec.ID, err)
	}
	if len(w.rows) >= w.txRows() {
		return w.handOff(ctx)
	}
	return nil
}

// txRows is the rows written per transaction: a few statements' worth,
// so that commits (a disk flush each) do not set the pace.
func (w *writer) txRows() int { return 4 * w.batchSize() }

// addChildren turns the subforms a record carries into child rows. A
// subform the record does not carry is left as it is in the database.
func (w *writer) addChildren(parent any, fields map[string]json.RawMessage) error {
	carried := false
	for _, cw := range w.children {
		raw, ok := fields[cw.t.subformField]
		if !ok {
			continue
		}
		carried = true
		var rowsJSON []map[string]json.RawMessage
		if !isNull(raw) {
			if err := json.Unmarshal(raw, &rowsJSON); err != nil {
				return fmt.Errorf("subform %s is not a list of rows", cw.t.subformField)
			}
		}
		for pos, r := range rowsJSON {
			src := source{fields: r}
			row := make([]any, len(cw.cols))
			for i, c := range cw.cols {
				var err error
				switch c.Name {
				case colID:
					row[i], err = parseID(textOf(r["id"]))
				case colParentID:
					row[i] = parent
				case colPosition:
					row[i] = pos
				case colSyncedAt:
					row[i] = w.now
				default:
					if c.field == "*" {
						row[i] = string(mustJSON(r))
						continue
					}
					row[i], err = src.value(c, "", w.m.d)
				}
				if err != nil {
					return fmt.Errorf("subform %s row %d: %s: %w", cw.t.subformField, pos, c.Name, err)
				}
			}
			w.kids[cw.t] = append(w.kids[cw.t], row)
		}
	}
	if carried {
		w.pids = append(w.pids, parent)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // a map of raw messages that were valid JSON
	return b
}

// batchSize is the rows per statement, within the engines' bound on
// parameters.
func (w *writer) batchSize() int { return max(1, min(w.m.o.batch, maxParams/len(w.cols))) }

// batch is rows on their way to the database: a record's row, the rows
// of its subforms, and the records whose subform rows are replaced.
type batch struct {
	rows [][]any
	kids map[*table][][]any
	pids []any
}

// take hands over the rows held as a batch.
func (w *writer) take() batch {
	b := batch{rows: w.rows, kids: w.kids, pids: w.pids}
	w.rows, w.kids, w.pids = make([][]any, 0, len(b.rows)), map[*table][][]any{}, nil
	return b
}

// handOff writes the rows held in the background, in a transaction of
// their own, while the next batch is read: at most one batch is in
// flight.
func (w *writer) handOff(ctx context.Context) error {
	if err := w.wait(); err != nil {
		return err
	}
	b := w.take()
	w.bg = make(chan error, 1)
	go func() { w.bg <- w.commit(ctx, b, nil) }()
	return nil
}

// wait waits for the batch in flight, if any, and returns its error.
func (w *writer) wait() error {
	if w.bg == nil {
		return nil
	}
	err := <-w.bg
	w.bg = nil
	return err
}

// flush writes the rows held, after the batch in flight, in one
// transaction, with last (deletions and state) when it is the final one.
func (w *writer) flush(ctx context.Context, last func(tx *sqlx.Tx) error) error {
	if err := w.wait(); err != nil {
		return err
	}
	if len(w.rows) == 0 && last == nil {
		return nil
	}
	return w.commit(ctx, w.take(), last)
}

// commit writes a batch, and last, in one transaction.
func (w *writer) commit(ctx context.Context, b batch, last func(tx *sqlx.Tx) error) error {
	tx, err := w.m.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mirror: %s: beginning a transaction: %w", w.t.Name, err)
	}
	defer tx.Rollback()
	ins, upd, err := w.write(ctx, tx, b)
	if err != nil {
		return err
	}
	if last != nil {
		if err := last(tx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mirror: %s: committing: %w", w.t.Name, err)
	}
	w.mu.Lock()
	w.stats.Inserted += ins
	w.stats.Updated += upd
	w.mu.Unlock()
	if w.m.o.progress != nil && len(b.rows) > 0 {
		w.m.o.progress.Add(w.t.module, len(b.rows))
	}
	return nil
}

// write upserts a batch's rows (the last of a duplicated id wins) and
// replaces the subform rows of their records.
func (w *writer) write(ctx context.Context, tx *sqlx.Tx, b batch) (inserted, updated int, err error) {
	for chunk := range slices.Chunk(dedupe(b.rows), w.batchSize()) {
		ins, upd, err := w.m.d.upsert(ctx, tx, w.t, w.cols, chunk)
		if err != nil {
			return 0, 0, fmt.Errorf("mirror: writing %d rows to %s: %w", len(chunk), w.t.Name, err)
		}
		inserted += ins
		updated += upd
	}
	for _, cw := range w.children {
		if len(b.pids) > 0 {
			if _, err := w.m.deleteWhere(ctx, tx, cw.t, colParentID, b.pids); err != nil {
				return 0, 0, err
			}
		}
		for chunk := range slices.Chunk(dedupe(b.kids[cw.t]), max(1, min(w.m.o.batch, maxParams/len(cw.cols)))) {
			if _, _, err := w.m.d.upsert(ctx, tx, cw.t, cw.cols, chunk); err != nil {
				return 0, 0, fmt.Errorf("mirror: writing %d rows to %s: %w", len(chunk), cw.t.Name, err)
			}
		}
	}
	return inserted, updated, nil
}

// dedupe keeps the last row of each id (rows[i][0]), in first-seen order.
func dedupe(rows [][]any) [][]any {
	at := make(map[any]int, len(rows))
	out := rows[:0:0]
	for _, r := range rows {
		if i, ok := at[r[0]]; ok {
			out[i] = r
			continue
		}
		at[r[0]] = len(out)
		out = append(out, r)
	}
	return out
}

// deleteWhere deletes the rows of t whose column col is one of vals, in
// statements of a bounded number of parameters.
func (m *Mirror) deleteWhere(ctx context.Context, tx *sqlx.Tx, t *table, col string, vals []any) (int, error) {
	n := 0
	for batch := range slices.Chunk(vals, 1000) {
		q, args, err := sqlx.In("DELETE FROM "+m.d.quote(t.Name)+" WHERE "+m.d.quote(col)+" IN (?)", batch)
		if err != nil {
			return n, err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
		if err != nil {
			return n, fmt.Errorf("mirror: deleting from %s: %w", t.Name, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}
