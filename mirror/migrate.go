package mirror

import (
	"context"
	"fmt"

	"github.com/zohohub/zohohub/schema"
)

// table reads a module's field metadata (and its subforms') and returns
// the table that mirrors it.
func (m *Mirror) table(ctx context.Context, module string) (*table, error) {
	fields, err := readFields(ctx, m.c, module)
	if err != nil {
		return nil, err
	}
	subforms := map[string][]schema.Field{}
	for _, f := range fields {
		if sub := f.SubformModule(); f.DataType == "subform" && sub != "" {
			if subforms[sub], err = readFields(ctx, m.c, sub); err != nil {
				return nil, err
			}
		}
	}
	t, err := buildTable(m.o.prefix, module, fields, subforms)
	if err != nil {
		return nil, err
	}
	for _, tt := range append([]*table{t}, t.children...) {
		if !validIdent(tt.Name) {
			return nil, fmt.Errorf("mirror: %s: %q is not a table name", module, tt.Name)
		}
		for _, c := range tt.columns {
			if !validIdent(c.Name) {
				return nil, fmt.Errorf("mirror: %s: %q is not a column name", module, c.Name)
			}
		}
	}
	return t, nil
}

// schemaChange is what a pass did to, or found wrong with, a table.
type schemaChange struct {
	// created: the table did not exist. added: the columns added for new
	// fields. widened: columns made wider (longer text, bigger integers).
	created bool
	added   []string
	widened []string
	// incompatible: columns whose field changed to a type they cannot
	// hold; they are left as they are and no longer written.
	incompatible []string
}

// migrate creates t, or adds the columns of fields that appeared since it
// was created (calling beforeAdd first), and returns the columns a pass
// writes: all of t's but those the existing table cannot hold. Nothing is
// ever dropped.
func (m *Mirror) migrate(ctx context.Context, t *table, beforeAdd func() error) ([]column, schemaChange, error) {
	var ch schemaChange
	existing, err := m.d.columns(ctx, m.db, t.Name)
	if err != nil {
		return nil, ch, fmt.Errorf("mirror: reading the columns of %s: %w", t.Name, err)
	}
	if existing == nil {
		for _, stmt := range m.d.createTable(t) {
			if _, err := m.db.ExecContext(ctx, stmt); err != nil {
				return nil, ch, fmt.Errorf("mirror: creating %s: %w", t.Name, err)
			}
		}
		ch.created = true
		return t.columns, ch, nil
	}
	writable := make([]column, 0, len(t.columns))
	for _, c := range t.columns {
		e, ok := existing[c.Name]
		switch {
		case !ok:
			if err := beforeAdd(); err != nil {
				return nil, ch, err
			}
			if _, err := m.db.ExecContext(ctx, m.d.addColumn(t, c, existing)); err != nil {
				return nil, ch, fmt.Errorf("mirror: adding column %s to %s: %w", c.Name, t.Name, err)
			}
			ch.added = append(ch.added, c.Name)
			existing[c.Name] = dbColumn{name: c.Name}
		case !m.d.compatible(c, e):
			if c.field == "" {
				return nil, ch, fmt.Errorf("mirror: table %s: column %s is %s, not what the mirror made it", t.Name, c.Name, e.dataType)
			}
			ch.incompatible = append(ch.incompatible, fmt.Sprintf("%s.%s is %s; field %s now needs %s", t.Name, c.Name, e.dataType, c.field, c.Kind))
			if t.skipped == nil {
				t.skipped = map[string]bool{}
			}
			t.skipped[c.Name] = true
			continue
		default:
			if stmt := m.d.widen(t, c, e); stmt != "" {
				if _, err := m.db.ExecContext(ctx, stmt); err != nil {
					return nil, ch, fmt.Errorf("mirror: widening %s.%s: %w", t.Name, c.Name, err)
				}
				ch.widened = append(ch.widened, c.Name)
			}
		}
		writable = append(writable, c)
	}
	return writable, ch, nil
}
