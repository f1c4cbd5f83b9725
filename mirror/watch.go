package mirror

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub"
)

// Change names records of a module that changed, or may have: what a
// notification (or any other source of changed ids) tells a mirror. A
// Change without IDs asks for a pass of the module: something changed,
// which ids is not known.
type Change struct {
	Module string
	IDs    []string
}

// Watch keeps the modules up to date until ctx is done: a pass over all
// of them at once, then one every interval, and between passes a Refresh
// of the records each Change on changes names, as it arrives (changes may
// be nil; see Notifications), or a pass of its module when it names none.
// after, when not nil, is called with the summary and error of each pass
// and each Refresh; an error does not stop the watch. Watch returns ctx's
// error.
func (m *Mirror) Watch(ctx context.Context, interval time.Duration, modules []string, changes <-chan Change, after func(Summary, error)) error {
	if interval <= 0 {
		return fmt.Errorf("mirror: Watch: interval %v is not positive", interval)
	}
	report := func(s Summary, err error) {
		if after != nil {
			after(s, err)
		}
	}
	tick := time.NewTimer(0)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			s, err := m.Sync(ctx, modules...)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report(s, err)
			tick.Reset(interval)
		case ch, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			s, err := m.apply(ctx, ch)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report(s, err)
		}
	}
}

// apply brings the change's records, or its module, up to date.
func (m *Mirror) apply(ctx context.Context, ch Change) (Summary, error) {
	if len(ch.IDs) == 0 {
		return m.Sync(ctx, ch.Module)
	}
	start := time.Now()
	st, err := m.Refresh(ctx, ch.Module, ch.IDs...)
	s := Summary{Duration: time.Since(start)}
	s.add(st)
	m.noteRemaining(&s)
	return s, err
}

// Refresh reads the records of module with the given ids now and writes
// them; an id Zoho no longer has is deleted from the table. The table
// must exist (a pass created it); the watermark does not move. The ids
// are read 100 a request, by id (GET {module}?ids=, as FindMany does; a
// credit a request), and 50 fields a request.
func (m *Mirror) Refresh(ctx context.Context, module string, ids ...string) (st ModuleStats, err error) {
	start := time.Now()
	st.Module, st.Mode = module, ModeRefresh
	ctx = withModule(ctx, module)
	before := m.counted(module)
	defer func() {
		st.Duration = time.Since(start)
		st.setCounts(m.counted(module), before)
		if err != nil {
			st.Error = err.Error()
		}
	}()
	want := map[int64]bool{}
	for _, id := range ids {
		n, err := parseID(id)
		if err != nil {
			return st, fmt.Errorf("mirror: Refresh %s: %w", module, err)
		}
		want[n] = true
	}
	if len(want) == 0 {
		return st, nil
	}
	t, err := m.table(ctx, module)
	if err != nil {
		return st, err
	}
	st.Table = t.Name
	existing, err := m.d.columns(ctx, m.db, t.Name)
	if err != nil {
		return st, fmt.Errorf("mirror: reading the columns of %s: %w", t.Name, err)
	}
	if existing == nil {
		return st, fmt.Errorf("mirror: Refresh %s: no table %s yet (run a pass first)", module, t.Name)
	}
	p := &pass{m: m, t: t, stats: &st, progress: noProgress{}, start: m.o.now()}
	defer p.settle()
	if err := p.prepare(ctx); err != nil {
		return st, err
	}
	rs := zohohub.RecordsOf(m.c, module)
	groups := p.groups(pageFields, true)
	ws := p.writers(groups, nil)
	asked := maps.Clone(want) // want loses the ids read
	idText := slices.Sorted(func(yield func(string) bool) {
		for id := range want {
			if !yield(fmt.Sprint(id)) {
				return
			}
		}
	})
	for chunk := range slices.Chunk(idText, refreshIDs) {
		for i, g := range groups {
			q := url.Values{"ids": {strings.Join(chunk, ",")}, "fields": {strings.Join(g, ",")}}
			resp, err := m.c.Do(ctx, &zohohub.Request{Method: http.MethodGet, Path: module, Query: q})
			if err != nil {
				return st, fmt.Errorf("mirror: reading %s: %w", module, err)
			}
			recs, err := rs.Decode(resp.Body)
			if err != nil {
				return st, fmt.Errorf("mirror: reading %s: %w", module, err)
			}
			for _, rec := range recs {
				id, err := parseID(rec.ID)
				if err != nil || !asked[id] {
					return st, fmt.Errorf("mirror: reading %s: the answer holds record %q, which was not asked for", module, rec.ID)
				}
				if err := ws[i].add(ctx, rec); err != nil {
					return st, err
				}
				if i == 0 {
					delete(want, id)
				}
			}
		}
	}
	var gone []any
	for id := range want {
		gone = append(gone, id)
	}
	for _, w := range ws[:len(ws)-1] {
		if err := w.flush(ctx, nil); err != nil {
			return st, err
		}
	}
	return st, ws[len(ws)-1].flush(ctx, func(tx *sqlx.Tx) error {
		if len(gone) == 0 {
			return nil
		}
		for _, c := range p.children {
			if _, err := m.deleteWhere(ctx, tx, c.t, colParentID, gone); err != nil {
				return err
			}
		}
		n, err := m.deleteWhere(ctx, tx, t, colID, gone)
		st.Deleted += n
		return err
	})
}

// refreshIDs is the most ids Refresh reads a request: Zoho's limit of the
// ids parameter (docs/wire.md §2.1, api-notes: ids ≤ 100).
const refreshIDs = 100

// errNoModules is the error of a pass given no module.
var errNoModules = errors.New("mirror: no modules to sync")
