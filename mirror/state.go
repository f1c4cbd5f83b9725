package mirror

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// state is a module's row of the table of watermarks.
type state struct {
	// watermark: the rows hold every change up to this time; nil until
	// the first load has been committed.
	watermark *time.Time
	// loadStarted: when the first attempt at loading the module began.
	// Rows may have been written from then on, so deletions since then
	// must be applied when the load completes.
	loadStarted time.Time
}

// ensureStateTable creates the table of watermarks.
func (m *Mirror) ensureStateTable(ctx context.Context) error {
	if _, err := m.db.ExecContext(ctx, m.d.stateTable(m.stateTable())); err != nil {
		return fmt.Errorf("mirror: creating %s: %w", m.stateTable(), err)
	}
	return nil
}

// loadState returns the module's state; a module never seen gets one,
// committed before any of its rows is written, whose load starts now.
func (m *Mirror) loadState(ctx context.Context, module string, now time.Time) (state, error) {
	var st state
	var wm sql.NullTime
	q := m.db.Rebind("SELECT watermark, load_started FROM " + m.d.quote(m.stateTable()) + " WHERE module = ?")
	err := m.db.QueryRowxContext(ctx, q, module).Scan(&wm, &st.loadStarted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		st.loadStarted = now.UTC().Truncate(time.Second)
		if err := m.saveState(ctx, m.db, module, st); err != nil {
			return st, err
		}
		return st, nil
	case err != nil:
		return st, fmt.Errorf("mirror: reading the state of %s: %w", module, err)
	}
	if wm.Valid {
		t := wm.Time.UTC()
		st.watermark = &t
	}
	st.loadStarted = st.loadStarted.UTC()
	return st, nil
}

// saveState writes the module's state, in the transaction of its last
// rows when ex is one.
func (m *Mirror) saveState(ctx context.Context, ex sqlx.ExecerContext, module string, st state) error {
	var wm any
	if st.watermark != nil {
		wm = st.watermark.UTC()
	}
	_, err := ex.ExecContext(ctx, m.db.Rebind(m.d.upsertState(m.stateTable())), module, wm, st.loadStarted.UTC(), m.o.now().UTC().Truncate(time.Second))
	if err != nil {
		return fmt.Errorf("mirror: writing the state of %s: %w", module, err)
	}
	return nil
}
