package mirror

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// A lookup's name is the display field of the record it points to (an
// account's Account_Name), which Zoho answers with the record that holds
// the lookup. When the record pointed to is renamed or deleted, Zoho
// answers another name (none, for a deleted one) without modifying the
// records that point to it, so an incremental pass does not read them
// again. When both modules are mirrored together, syncLookupNames brings
// those names up to date from the mirrored table itself, with one UPDATE
// per lookup field. It recomputes from the tables, so a pass killed before
// it loses nothing: the next one does it.

// syncLookupNames brings up to date the names of the lookups from the
// synced modules' tables to the loaded ones.
func (m *Mirror) syncLookupNames(ctx context.Context, tables []*table, stats []ModuleStats) error {
	loaded := map[string]*table{}
	for i, t := range tables {
		if t != nil && stats[i].Error == "" && !stats[i].Watermark.IsZero() {
			loaded[t.module] = t
		}
	}
	type link struct {
		from     int // index in tables
		id, name column
		to       *table
	}
	var links []link
	for i, t := range tables {
		if t == nil || stats[i].Error != "" {
			continue
		}
		for _, field := range t.fields {
			to := loaded[t.lookups[field]]
			if to == nil {
				continue
			}
			var l link
			l.from, l.to = i, to
			for _, c := range t.columns {
				if c.field == field && c.part == partID {
					l.id = c
				}
				if c.field == field && c.part == partName {
					l.name = c
				}
			}
			if l.id.Name != "" && l.name.Name != "" && !t.skipped[l.id.Name] && !t.skipped[l.name.Name] {
				links = append(links, l)
			}
		}
	}
	if len(links) == 0 {
		return nil
	}
	display, err := readDisplayFields(ctx, m.c)
	if err != nil {
		return err
	}
	now := m.o.now().UTC().Truncate(time.Microsecond)
	var errs []error
	for _, l := range links {
		i := slices.IndexFunc(l.to.columns, func(c column) bool {
			return c.field == display[l.to.module] && c.part == partValue && c.Kind == kindText
		})
		if i < 0 {
			continue // the display field is no text column of the table (a lookup, a formula)
		}
		n, err := m.d.syncNames(ctx, m.db, tables[l.from], l.id.Name, l.name.Name, l.to, l.to.columns[i].Name, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("mirror: names of %s.%s: %w", tables[l.from].Name, l.name.Name, err))
			continue
		}
		stats[l.from].LookupNames += int(n)
	}
	return errors.Join(errs...)
}
