package zohohub

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// LookupTo is a lookup field whose value points to a record of type R,
// such as a contact's Account_Name pointing to an Account. Generated code
// declares one per lookup whose target module has a generated type:
//
//	const ContactAccountName zohohub.LookupTo[Account] = "Account_Name"
//
// It compares like a LookupField, and Query.Include loads the records it
// points to. A multi-module lookup (What_Id, Parent_Id), declared as a
// LookupField, is loaded one target type at a time by converting it:
//
//	tasks.Query().Include(zohohub.LookupTo[modules.Deal](modules.TaskWhatID))
type LookupTo[R any] string

// Equals matches records linked to the record with this id.
func (f LookupTo[R]) Equals(id string) Condition { return LookupField(f).Equals(id) }

// In matches records linked to any of the ids.
func (f LookupTo[R]) In(ids ...string) Condition { return LookupField(f).In(ids...) }

// IsNull matches records linked to nothing.
func (f LookupTo[R]) IsNull() Condition { return LookupField(f).IsNull() }

// Includer is a lookup field Query.Include can load, a LookupTo: it names
// the field and the type of the records it points to.
type Includer interface {
	inclusion() inclusion
}

// inclusion is one Include argument with its target type erased, so that
// a Query[T] can hold lookups to several record types.
type inclusion struct {
	field  string
	target reflect.Type
	// check returns the target module, or why R cannot be a record type.
	check func(c *Client) (module string, err error)
	// load returns the records with the given ids (each a *R) by id;
	// ids that match no record are absent.
	load func(ctx context.Context, c *Client, ids []string) (map[string]any, error)
}

func (f LookupTo[R]) inclusion() inclusion {
	return inclusion{
		field:  string(f),
		target: reflect.TypeFor[R](),
		check: func(c *Client) (string, error) {
			rs := Records[R](c)
			return rs.module(), rs.check()
		},
		load: func(ctx context.Context, c *Client, ids []string) (map[string]any, error) {
			rs := Records[R](c)
			recs, err := rs.FindMany(ctx, ids...)
			if err != nil {
				return nil, err
			}
			out := make(map[string]any, len(recs))
			for _, r := range recs {
				out[rs.model(r).ID] = r
			}
			return out, nil
		},
	}
}

// Include returns a query that also loads the records the given lookup
// fields point to, as ActiveRecord's includes does: after each page, the
// ids the page's lookups hold that no earlier page loaded are read with
// FindMany, one request per 100 distinct ids of a module (two when the
// target type maps more than 50 fields), never one per record; read each
// record's with Loaded. A record that several lookups point to is read
// once and shared. With Select, name the lookup fields too: an unread
// lookup is empty.
//
// A multi-module lookup (What_Id of activities, Parent_Id of notes and
// attachments) points to the module its record names in $se_module; a
// LookupTo[R] of such a field loads only the values pointing to R's
// module, so include it once per module you want loaded.
func (q Query[T]) Include(lookups ...Includer) Query[T] {
	for _, l := range lookups {
		q.includes = append(slices.Clip(q.includes), l.inclusion())
	}
	return q
}

// isMultiModuleLookup reports whether field is a lookup whose target
// module the record names in its $se_module member (Zoho's "se_module"
// lookup module, see spec/metadata/fields/Tasks.json and Notes.json).
func isMultiModuleLookup(field string) bool { return field == "What_Id" || field == "Parent_Id" }

// loadedRecord is what Include loaded for one lookup of a record: the id
// the lookup held, and the record with that id, nil when it was not found.
type loadedRecord struct {
	module, id string
	rec        any // a *R
}

// modeler is implemented by every record type, through its embedded Model.
type modeler interface{ modelOf() *Model }

func (m *Model) modelOf() *Model { return m }

// ErrNotLoaded is the error of Loaded for a lookup its query did not
// Include.
var ErrNotLoaded = errors.New("zohohub: lookup not loaded (use Query.Include)")

// Loaded returns the record that rec's lookup field points to, which
// Query.Include loaded with rec:
//
//	for c, err := range contacts.Query().Include(modules.ContactAccountName).All(ctx) {
//		acct, err := zohohub.Loaded(c, modules.ContactAccountName)
//
// It returns nil and no error for an empty lookup; an error matching
// ErrNotLoaded when the query did not include the field (or included it
// for another module of a multi-module lookup, or the lookup was changed
// since); an error matching ErrNotFound when the record was not found
// (deleted since it was linked, or not visible to the user). The record
// is shared by every lookup of the query pointing to it.
func Loaded[T, R any](rec *T, field LookupTo[R]) (*R, error) {
	md, ok := any(rec).(modeler)
	if !ok || rec == nil {
		return nil, fmt.Errorf("zohohub: Loaded: %T is not a record (no embedded zohohub.Model)", rec)
	}
	m := md.modelOf()
	var id string
	if m.meta != nil {
		if f := m.meta.byName[string(field)]; f != nil && f.typ == lookupType {
			id = reflect.ValueOf(rec).Elem().FieldByIndex(f.index).Interface().(Lookup).ID
		}
	}
	lr, included := m.included[string(field)]
	switch {
	case id == "" && !included:
		return nil, nil
	case !included || lr.id != id:
		return nil, fmt.Errorf("zohohub: %s of record %s: %w", field, m.ID, ErrNotLoaded)
	case lr.rec == nil:
		return nil, notFound(lr.module, id, nil)
	}
	r, ok := lr.rec.(*R)
	if !ok {
		return nil, fmt.Errorf("zohohub: %s of record %s: loaded a %s record, not a %s: %w", field, m.ID, lr.module, reflect.TypeFor[R](), ErrNotLoaded)
	}
	return r, nil
}

// includePlan is a query's Include arguments, checked against T, and the
// records loaded so far (by target type, then id; nil for an id found
// missing), so that each record is read once per iteration.
type includePlan struct {
	c          *Client
	modelIndex []int // of T
	lookups    []includedLookup
	loaded     map[reflect.Type]map[string]any
}

type includedLookup struct {
	inclusion
	module string // the target module
	index  []int  // the Lookup field in T
	multi  bool   // a multi-module lookup: only values whose $se_module is module
}

// checkIncludes checks the query's Include arguments: each must name a
// field T maps as a Lookup, and point to a record type.
func (q Query[T]) checkIncludes() (*includePlan, error) {
	if len(q.includes) == 0 {
		return nil, nil
	}
	if err := q.rs.check(); err != nil {
		return nil, err
	}
	p := &includePlan{c: q.rs.c, modelIndex: q.rs.info.modelIndex, loaded: map[reflect.Type]map[string]any{}}
	for _, inc := range q.includes {
		f := q.rs.info.byName[inc.field]
		if f == nil {
			return nil, fmt.Errorf("zohohub: Include: %s has no field %q", q.rs.module(), inc.field)
		}
		if f.typ != lookupType {
			return nil, fmt.Errorf("zohohub: Include: %s.%s is a %s, not a zohohub.Lookup", q.rs.module(), inc.field, f.typ)
		}
		module, err := inc.check(q.rs.c)
		if err != nil {
			return nil, fmt.Errorf("zohohub: Include(%s): %w", inc.field, err)
		}
		p.lookups = append(p.lookups, includedLookup{inclusion: inc, module: module, index: f.index, multi: isMultiModuleLookup(inc.field)})
		if p.loaded[inc.target] == nil {
			p.loaded[inc.target] = map[string]any{}
		}
	}
	return p, nil
}

// load reads the records recs' lookups point to that were not read yet,
// one FindMany per target type, and records in each record's Model what
// its lookups point to.
func (p *includePlan) load(ctx context.Context, recs []reflect.Value, seModule func(rv reflect.Value) string) error {
	// pointsTo is the id of l's lookup in rv, "" when empty or pointing to
	// another module than l's.
	pointsTo := func(rv reflect.Value, l includedLookup) string {
		id := rv.FieldByIndex(l.index).Interface().(Lookup).ID
		if l.multi && id != "" && seModule(rv) != l.module {
			return ""
		}
		return id
	}
	want := map[reflect.Type][]string{}
	loaders := map[reflect.Type]includedLookup{}
	asked := map[string]bool{} // ids are unique across modules
	for _, rv := range recs {
		for _, l := range p.lookups {
			id := pointsTo(rv, l)
			if _, done := p.loaded[l.target][id]; id == "" || done || asked[id] {
				continue
			}
			asked[id] = true
			want[l.target] = append(want[l.target], id)
			loaders[l.target] = l
		}
	}
	targets := slices.Collect(maps.Keys(want))
	found := make([]map[string]any, len(targets))
	errs := make([]error, len(targets))
	p.c.runConcurrently(len(targets), func(i int) {
		l := loaders[targets[i]]
		if found[i], errs[i] = l.load(ctx, p.c, want[targets[i]]); errs[i] != nil {
			errs[i] = fmt.Errorf("zohohub: Include(%s): %w", l.field, errs[i])
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, t := range targets {
		for _, id := range want[t] {
			p.loaded[t][id] = found[i][id] // nil: not found
		}
	}
	for _, rv := range recs {
		m := rv.FieldByIndex(p.modelIndex).Addr().Interface().(*Model)
		for _, l := range p.lookups {
			if id := pointsTo(rv, l); id != "" {
				if m.included == nil {
					m.included = map[string]loadedRecord{}
				}
				m.included[l.field] = loadedRecord{module: l.module, id: id, rec: p.loaded[l.target][id]}
			}
		}
	}
	return nil
}

// loadIncludes loads the records the lookups of recs point to, when the
// query includes any.
func (q Query[T]) loadIncludes(ctx context.Context, p *includePlan, recs []*T) error {
	if p == nil || len(recs) == 0 {
		return nil
	}
	rvs := make([]reflect.Value, len(recs))
	for i, r := range recs {
		rvs[i] = reflect.ValueOf(r).Elem()
	}
	return p.load(ctx, rvs, func(rv reflect.Value) string {
		m := rv.FieldByIndex(p.modelIndex).Addr().Interface().(*Model)
		raw, ok := m.Get(seModuleKey)
		if !ok || isNull(raw) {
			return ""
		}
		s, _ := unquote(raw)
		return s
	})
}

// seModuleKey is the record member naming the module of the record a
// multi-module lookup points to.
const seModuleKey = "$se_module"
