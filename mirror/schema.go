package mirror

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// kind is the SQL shape of a column, which each dialect spells.
type kind int

const (
	kindText      kind = iota // varchar(Length), or text beyond what varchar holds
	kindInt                   // 32-bit integer
	kindBigint                // 64-bit integer: ids, bigint fields
	kindDouble                // double precision
	kindNumeric               // numeric(Precision, Scale): currency, decimal
	kindBool                  // boolean
	kindDate                  // date
	kindTimestamp             // timestamp with time zone (UTC DATETIME in MySQL)
	kindJSON                  // jsonb / JSON: file uploads, multi-select lookups, reminders, …
	kindTextList              // text[] in PostgreSQL, a JSON array in MySQL: multi-select picklists
)

func (k kind) String() string {
	return [...]string{"text", "integer", "bigint", "double", "numeric", "boolean", "date", "timestamp", "json", "text list"}[k]
}

// part is which part of a field's value a column holds.
type part int

const (
	partValue  part = iota // the value itself
	partID                 // a lookup's or user's id
	partName               // a lookup's or user's name
	partModule             // the module of a multi-module lookup ($se_module)
)

// column is one column of a mirrored table.
type column struct {
	Name   string // SQL identifier: lower case letters, digits and _
	Kind   kind
	Length int // kindText: characters, 0 for unbounded
	// Precision and Scale of a kindNumeric.
	Precision, Scale int
	// field is the API name of the field the column holds (a part of);
	// "" for the columns the mirror adds (_synced_at, _parent_id, …).
	field string
	part  part
	// user: the field is an owner or user lookup, whose name Bulk Read
	// does not export (the mirror reads it from the org's users).
	user bool
}

// table is the table of a module, or of a subform's rows.
type table struct {
	Name    string
	module  string
	columns []column // id first, _synced_at last
	// children are the tables of the module's subforms.
	children []*table
	// subformField is the API name of the subform a child table holds.
	subformField string
	// fields are the API names read from Zoho for the table (subforms
	// excluded); lookups maps a lookup field to its target module.
	fields  []string
	lookups map[string]string
	// skipped are the columns a pass leaves alone: their field's type
	// changed to one they cannot hold.
	skipped map[string]bool
}

// The columns every table has besides its fields.
const (
	colID       = "id"
	colSyncedAt = "_synced_at"
	colParentID = "_parent_id" // child tables: the record the row belongs to
	colPosition = "_position"  // child tables: the row's place in the subform
)

// maxIdent is the longest identifier kept as is: PostgreSQL allows 63
// bytes, MySQL 64 characters.
const maxIdent = 63

// ident turns an API name into a column or table name: lower case, only
// letters, digits and _; too long a name is cut and given a hash of the
// whole, so two long names stay apart. ok is false for a name that has
// nothing to keep.
func ident(name string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r == '$':
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" || strings.Trim(s, "_") == "" {
		return "", false
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "f_" + s
	}
	if len(s) > maxIdent {
		sum := sha256.Sum256([]byte(name))
		s = s[:maxIdent-9] + "_" + hex.EncodeToString(sum[:4])
	}
	return s, true
}

// validIdent reports whether s is an identifier ident could have made, so
// that only such names are ever quoted into SQL.
func validIdent(s string) bool {
	if s == "" || len(s) > maxIdent+len("_zhsync_state") || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// columnsOf returns the columns of one field, and whether it is read at
// all (subforms become child tables, $ properties are not fields).
func columnsOf(f schema.Field) ([]column, bool) {
	name, ok := ident(f.APIName)
	if !ok || strings.HasPrefix(f.APIName, "$") || f.APIName == "id" {
		return nil, false
	}
	c := column{Name: name, field: f.APIName}
	switch f.DataType {
	case "subform":
		return nil, false
	case "lookup", "ownerlookup", "userlookup", "multi_module_lookup":
		id, nm := c, c
		id.Name, id.Kind, id.part = name+"_id", kindBigint, partID
		nm.Name, nm.Kind, nm.Length, nm.part = name+"_name", kindText, 255, partName
		user := f.DataType != "lookup" && f.DataType != "multi_module_lookup"
		id.user, nm.user = user, user
		cols := []column{id, nm}
		if f.IsMultiModuleLookup() {
			mod := c
			mod.Name, mod.Kind, mod.Length, mod.part = name+"_module", kindText, 100, partModule
			cols = append(cols, mod)
		}
		return cols, true
	case "formula", "rollup_summary":
		c.Kind, c.Length, c.Precision, c.Scale = scalarKind(f.ReturnType(), f)
		return []column{c}, true
	}
	c.Kind, c.Length, c.Precision, c.Scale = scalarKind(f.DataType, f)
	return []column{c}, true
}

// scalarKind maps a data_type (or a formula's return type) to a column
// kind; an unknown one goes by its json_type.
func scalarKind(dataType string, f schema.Field) (kind, int, int, int) {
	if f.JSONType == "jsonarray" && dataType == f.DataType && dataType != "multiselectpicklist" {
		// The JSON wins where the data_type says otherwise: Tag is text
		// holding an array of tags, Participants bigint holding rows.
		return kindJSON, 0, 0, 0
	}
	switch dataType {
	case "text", "email", "phone", "website", "picklist", "autonumber", "textarea", "event_reminder", "profileimage", "string":
		return kindText, f.Length, 0, 0
	case "integer":
		if f.Length > 9 {
			return kindBigint, 0, 0, 0
		}
		return kindInt, 0, 0, 0
	case "currency", "decimal":
		scale := 2
		if f.DecimalPlace != nil && *f.DecimalPlace >= 0 {
			scale = min(*f.DecimalPlace, 30)
		}
		precision := max(f.Length, 16)
		return kindNumeric, 0, min(precision+scale, 65), scale
	}
	if k, ok := dataTypeKinds[dataType]; ok {
		return k, 0, 0, 0
	}
	if k, ok := jsonTypeKinds[f.JSONType]; ok {
		return k, 0, 0, 0
	}
	return kindJSON, 0, 0, 0
}

// dataTypeKinds are the data_types whose kind needs nothing else of the
// field (no length, precision or scale).
var dataTypeKinds = map[string]kind{
	"bigint": kindBigint, "long": kindBigint, "double": kindDouble, "percent": kindDouble,
	"boolean": kindBool, "date": kindDate, "datetime": kindTimestamp, "multiselectpicklist": kindTextList,
}

// jsonTypeKinds are the kinds of the data_types scalarKind does not know,
// by their json_type.
var jsonTypeKinds = map[string]kind{"integer": kindBigint, "double": kindDouble, "boolean": kindBool, "string": kindText}

// buildTable is the table of a module from its fields, with a child table
// per subform whose row fields subforms gives.
func buildTable(prefix, module string, fields []schema.Field, subforms map[string][]schema.Field) (*table, error) {
	name, ok := ident(module)
	if !ok {
		return nil, fmt.Errorf("mirror: module %q has no usable table name", module)
	}
	t := &table{Name: prefix + name, module: module, lookups: map[string]string{}}
	t.columns = append(t.columns, column{Name: colID, Kind: kindBigint})
	seen := map[string]string{colID: "id", colSyncedAt: "", colParentID: "", colPosition: ""}
	for _, f := range fields {
		if f.DataType == "subform" {
			sub, err := childTable(t, f, subforms[f.SubformModule()])
			if err != nil {
				return nil, err
			}
			if sub != nil {
				t.children = append(t.children, sub)
			}
			continue
		}
		cols, ok := columnsOf(f)
		if !ok {
			continue
		}
		for i := range cols {
			if other, clash := seen[cols[i].Name]; clash {
				sum := sha256.Sum256([]byte(f.APIName))
				cols[i].Name = cols[i].Name[:min(len(cols[i].Name), maxIdent-9)] + "_" + hex.EncodeToString(sum[:4])
				if _, again := seen[cols[i].Name]; again {
					return nil, fmt.Errorf("mirror: %s: fields %s and %s need the same column %s", module, other, f.APIName, cols[i].Name)
				}
			}
			seen[cols[i].Name] = f.APIName
		}
		t.columns = append(t.columns, cols...)
		t.fields = append(t.fields, f.APIName)
		if f.DataType == "lookup" && !f.IsMultiModuleLookup() && f.Lookup.Module.APIName != "" {
			t.lookups[f.APIName] = f.Lookup.Module.APIName
		}
	}
	t.columns = append(t.columns, column{Name: colSyncedAt, Kind: kindTimestamp})
	return t, nil
}

// childTable is the table of a subform's rows: the row id, the parent's
// id and the row's position, then the row's fields. Without the row
// fields' metadata the rows are kept whole in one JSON column.
func childTable(parent *table, f schema.Field, rowFields []schema.Field) (*table, error) {
	name, ok := ident(f.APIName)
	if !ok {
		return nil, nil
	}
	t := &table{Name: parent.Name + "__" + name, module: f.SubformModule(), subformField: f.APIName, lookups: map[string]string{}}
	if len(t.Name) > maxIdent {
		t.Name, _ = ident(t.Name)
	}
	t.columns = []column{{Name: colID, Kind: kindBigint}, {Name: colParentID, Kind: kindBigint}, {Name: colPosition, Kind: kindInt}}
	seen := map[string]bool{colID: true, colParentID: true, colPosition: true, colSyncedAt: true}
	if len(rowFields) == 0 {
		t.columns = append(t.columns, column{Name: "_row", Kind: kindJSON, field: "*"})
	}
	for _, rf := range rowFields {
		cols, ok := columnsOf(rf)
		if !ok || rf.DataType == "subform" {
			continue
		}
		for _, c := range cols {
			if seen[c.Name] {
				return nil, fmt.Errorf("mirror: subform %s: two fields need the column %s", f.APIName, c.Name)
			}
			seen[c.Name] = true
		}
		t.columns = append(t.columns, cols...)
		t.fields = append(t.fields, rf.APIName)
	}
	t.columns = append(t.columns, column{Name: colSyncedAt, Kind: kindTimestamp})
	return t, nil
}

// column returns the table's column of that name.
func (t *table) column(name string) (column, bool) {
	for _, c := range t.columns {
		if c.Name == name {
			return c, true
		}
	}
	return column{}, false
}

// hasSubforms reports whether the module's records carry subforms, which
// Bulk Read does not export.
func (t *table) hasSubforms() bool { return len(t.children) > 0 }
