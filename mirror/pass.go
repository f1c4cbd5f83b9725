package mirror

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub"
)

// Zoho reads at most 50 fields a page and 200 a Bulk Read job.
const (
	pageFields = 50
	bulkFields = 200
)

// Sync runs one pass over the modules (API names, such as "Leads"),
// several at once: each module's table is created or extended to its
// current fields, then loaded the first time, or brought up to date with
// the records modified and deleted since the last pass. Then the names of
// lookups between the modules are brought up to date (see
// syncLookupNames). A module that fails does not stop the others; the
// error joins every module's.
func (m *Mirror) Sync(ctx context.Context, modules ...string) (Summary, error) {
	start := time.Now()
	var sum Summary
	if len(modules) == 0 {
		return sum, errNoModules
	}
	if err := m.ensureStateTable(ctx); err != nil {
		return sum, err
	}
	seen := map[string]bool{}
	modules = slices.DeleteFunc(slices.Clone(modules), func(mod string) bool { // one pass per module
		dup := seen[mod]
		seen[mod] = true
		return dup
	})
	before := m.allCounted()
	stats := make([]ModuleStats, len(modules))
	tables := make([]*table, len(modules))
	errs := make([]error, len(modules))
	var wg sync.WaitGroup
	slots := make(chan struct{}, m.o.concurrency)
	for i, module := range modules {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			tables[i], stats[i], errs[i] = m.syncModule(ctx, module)
		})
	}
	wg.Wait()
	errs = append(errs, m.syncLookupNames(ctx, tables, stats))
	for _, st := range stats {
		sum.add(st)
	}
	m.totals(&sum, before) // the modules' and the lookup names'
	sum.Duration = time.Since(start)
	return sum, errors.Join(errs...)
}

// syncModule runs the pass of one module, and returns its table.
func (m *Mirror) syncModule(ctx context.Context, module string) (t *table, st ModuleStats, err error) {
	start := time.Now()
	st.Module = module
	ctx = withModule(ctx, module)
	before := m.counted(module)
	progress := m.progress()
	defer func() {
		st.Duration = time.Since(start)
		st.setCounts(m.counted(module), before)
		if err != nil {
			st.Error = err.Error()
			m.o.log.ErrorContext(ctx, "mirror: pass failed", "module", module, "error", err)
		} else {
			m.o.log.InfoContext(ctx, "mirror: pass", "module", module, "mode", st.Mode, "read", st.Read, "inserted", st.Inserted,
				"updated", st.Updated, "deleted", st.Deleted, "requests", st.Requests, "credits", st.Credits, "watermark", st.Watermark, "duration", st.Duration)
		}
		progress.End(module, st, err)
	}()
	t, err = m.table(ctx, module)
	if err != nil {
		return nil, st, err
	}
	st.Table = t.Name
	p := &pass{m: m, t: t, stats: &st, progress: progress, start: m.o.now()}
	if err := p.prepare(ctx); err != nil {
		return t, st, err
	}
	defer p.settle()
	if p.state.watermark == nil {
		err = p.load(ctx)
	} else {
		err = p.incremental(ctx)
	}
	return t, st, err
}

// prepare reads the module's state and brings its tables to its fields:
// the columns a pass writes, and the schema changes in the stats. When a
// field is new, its column is added and the module loaded again, so that
// every row gets the field's value: the state loses its watermark before
// the first column is added (deletions since it are applied by the load),
// so that a pass killed in between loads again too.
func (p *pass) prepare(ctx context.Context) error {
	m, module := p.m, p.t.module
	var err error
	if p.state, err = m.loadState(ctx, module, p.start); err != nil {
		return err
	}
	reload := func() error {
		if p.state.watermark == nil {
			return nil // a load is due anyway
		}
		p.state = state{loadStarted: *p.state.watermark}
		return m.saveState(ctx, m.db, module, p.state)
	}
	var ch schemaChange
	if p.writable, ch, err = m.migrate(ctx, p.t, reload); err != nil {
		return err
	}
	for _, ct := range p.t.children {
		cols, cch, err := m.migrate(ctx, ct, reload)
		if err != nil {
			return err
		}
		ch.added = append(ch.added, cch.added...)
		ch.widened = append(ch.widened, cch.widened...)
		ch.incompatible = append(ch.incompatible, cch.incompatible...)
		p.children = append(p.children, childWriter{t: ct, cols: cols})
	}
	st := p.stats
	st.Created, st.AddedColumns, st.WidenedColumns, st.Incompatible = ch.created, ch.added, ch.widened, ch.incompatible
	for _, inc := range ch.incompatible {
		m.o.log.WarnContext(ctx, "mirror: field type changed; its column is left as it is and no longer written", "module", module, "column", inc)
	}
	if len(ch.added) > 0 && !ch.created {
		m.o.log.WarnContext(ctx, "mirror: new fields: columns added, the module is loaded again", "module", module, "columns", ch.added)
	}
	return nil
}

func (m *Mirror) progress() Progress {
	if m.o.progress == nil {
		return noProgress{}
	}
	return m.o.progress
}

// pass is one pass over one module.
type pass struct {
	m        *Mirror
	t        *table
	writable []column
	children []childWriter
	stats    *ModuleStats
	progress Progress
	state    state
	// start is when the pass began reading records.
	start time.Time
	// ws are the writers of the pass; mu guards the counts they write in
	// stats from the background.
	ws []*writer
	mu sync.Mutex
}

// limit is the latest watermark the pass may commit: a second (Zoho's
// times have seconds) and the clock skew before it started, so that a
// record modified while it ran is read again by the next pass.
func (p *pass) limit() time.Time {
	return p.start.Add(-time.Second - p.m.o.skew).UTC().Truncate(time.Second)
}

// groups splits the fields read into the groups one request reads,
// subforms with the first.
func (p *pass) groups(size int, subforms bool) [][]string {
	names := slices.Clone(p.t.fields)
	if subforms {
		for _, c := range p.children {
			names = append(names, c.t.subformField)
		}
	}
	return slices.Collect(slices.Chunk(names, size))
}

// writers returns a writer per group of fields.
func (p *pass) writers(groups [][]string, bulkNames map[string]string) []*writer {
	ws := make([]*writer, len(groups))
	for i, g := range groups {
		w := p.m.newWriter(p.t, p.writable, g, bulkNames, p.stats, &p.mu)
		w.countReads = i == 0
		for _, c := range p.children {
			if slices.Contains(g, c.t.subformField) {
				w.children = append(w.children, c)
			}
		}
		ws[i] = w
	}
	p.ws = append(p.ws, ws...)
	return ws
}

// settle waits for the writers' batches in flight, so that none outlives
// a pass that failed.
func (p *pass) settle() {
	for _, w := range p.ws {
		w.wait()
	}
}

// load reads every record of the module, the first time: through Bulk
// Read beyond the threshold (unless the module has subforms), page by
// page otherwise.
func (p *pass) load(ctx context.Context) error {
	rs := zohohub.RecordsOf(p.m.c, p.t.module)
	total := -1
	bulk := false
	if p.m.o.bulkThreshold >= 0 {
		n, err := rs.Query().Count(ctx)
		if err != nil {
			return fmt.Errorf("mirror: counting %s: %w", p.t.module, err)
		}
		total, bulk = n, n > p.m.o.bulkThreshold && !p.t.hasSubforms()
	}
	var ws []*writer
	var reads []iter.Seq2[*zohohub.AnyRecord, error]
	if bulk {
		p.stats.Mode = ModeBulk
		display, err := readDisplayFields(ctx, p.m.c)
		if err != nil {
			return err
		}
		users, err := readUserNames(ctx, p.m.c)
		if err != nil {
			return err
		}
		names := map[string]string{}
		var selected []string
		for _, f := range p.t.fields {
			selected = append(selected, f)
			if target, ok := p.t.lookups[f]; ok && display[target] != "" {
				names[f] = lookupNameKey(f, display[target])
				selected = append(selected, names[f])
			}
		}
		groups := slices.Collect(slices.Chunk(selected, bulkFields))
		ws = p.writers(groups, names)
		for i, g := range groups {
			ws[i].bulk, ws[i].users = true, users
			reads = append(reads, rs.Query().Select(g...).Export(ctx))
		}
	} else {
		p.stats.Mode = ModePages
		groups := p.groups(pageFields, true)
		ws = p.writers(groups, nil)
		for _, g := range groups {
			reads = append(reads, rs.Query().Select(g...).All(ctx))
		}
	}
	p.progress.Begin(p.t.module, p.stats.Mode, total)
	for i, read := range reads {
		if err := p.copy(ctx, ws[i], read); err != nil {
			return err
		}
	}
	// Rows may have been written since the first attempt at this load
	// began: apply every deletion since then.
	since := p.state.loadStarted.Add(-time.Second - p.m.o.skew)
	if err := p.finish(ctx, ws, since, !bulk); err != nil {
		return err
	}
	for _, t := range append([]*table{p.t}, p.t.children...) {
		if err := p.m.d.analyze(ctx, p.m.db, t); err != nil {
			return fmt.Errorf("mirror: analyzing %s: %w", t.Name, err)
		}
	}
	return nil
}

// incremental reads the records modified since the watermark.
func (p *pass) incremental(ctx context.Context) error {
	p.stats.Mode = ModeIncremental
	p.progress.Begin(p.t.module, ModeIncremental, -1)
	rs := zohohub.RecordsOf(p.m.c, p.t.module)
	wm := *p.state.watermark
	groups := p.groups(pageFields, true)
	ws := p.writers(groups, nil)
	for i, g := range groups {
		if err := p.copy(ctx, ws[i], rs.Query().Select(g...).ModifiedSince(wm).All(ctx)); err != nil {
			return err
		}
	}
	return p.finish(ctx, ws, wm, true)
}

// copy writes the records read.
func (p *pass) copy(ctx context.Context, w *writer, read iter.Seq2[*zohohub.AnyRecord, error]) error {
	for rec, err := range read {
		if err != nil {
			return fmt.Errorf("mirror: reading %s: %w", p.t.module, err)
		}
		if err := w.add(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

// finish reads the records deleted since the given time and commits
// them, the rows still held and the new watermark in one transaction.
// paged: the records were read page by page, where a record deleted
// during the pass shifts the pages and may hide another from it; then
// the watermark does not move (a load stays to be done again), so the
// next pass reads again what this one may have missed.
func (p *pass) finish(ctx context.Context, ws []*writer, since time.Time, paged bool) error {
	rs := zohohub.RecordsOf(p.m.c, p.t.module)
	var gone []any
	shifted := false
	for d, err := range rs.Deleted(zohohub.DeletedAll).Since(since).All(ctx) {
		if err != nil {
			return fmt.Errorf("mirror: reading the deleted records of %s: %w", p.t.module, err)
		}
		id, err := parseID(d.ID)
		if err != nil {
			return fmt.Errorf("mirror: deleted record of %s: %w", p.t.module, err)
		}
		gone = append(gone, id)
		if !d.DeletedTime.Before(p.limit()) {
			shifted = true
		}
	}
	wm := p.limit()
	var latest time.Time
	for _, w := range ws {
		if w.maxModified.After(latest) {
			latest = w.maxModified
		}
	}
	if !latest.IsZero() && latest.Before(wm) {
		wm = latest.UTC().Truncate(time.Second)
	}
	next := p.state
	switch {
	case paged && shifted && p.state.watermark == nil:
		p.stats.Reload = true // next stays without a watermark: load again
	case paged && shifted:
		wm = *p.state.watermark
		next.watermark = &wm
	default:
		if p.state.watermark != nil && wm.Before(*p.state.watermark) {
			wm = *p.state.watermark // never back
		}
		next.watermark = &wm
	}
	if next.watermark != nil {
		p.stats.Watermark = *next.watermark
	}
	for _, w := range ws[:len(ws)-1] {
		if err := w.flush(ctx, nil); err != nil {
			return err
		}
	}
	return ws[len(ws)-1].flush(ctx, func(tx *sqlx.Tx) error {
		if len(gone) > 0 {
			for _, c := range p.children {
				if _, err := p.m.deleteWhere(ctx, tx, c.t, colParentID, gone); err != nil {
					return err
				}
			}
			n, err := p.m.deleteWhere(ctx, tx, p.t, colID, gone)
			if err != nil {
				return err
			}
			p.stats.Deleted += n
		}
		return p.m.saveState(ctx, tx, p.t.module, next)
	})
}
