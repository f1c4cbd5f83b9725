package zohohub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"
	"unsafe"
)

// Model is the base every record type embeds. It holds the record's id
// and the system fields every module has, and, unexported, the record as
// last read or written (so that a save sends only what changed) and the
// fields Zoho returned that the type does not map (so that custom fields
// are never lost: read them with Get, write them with Set).
//
//	type Account struct {
//		zohohub.Model
//		AccountName string `zoho:"Account_Name"`
//	}
//
//	func (Account) ZohoModule() string { return "Accounts" }
//
// A record is a plain value owned by its caller: it is not safe for
// concurrent mutation. Copies of a record are independent: Set on one is
// not seen by the other.
type Model struct {
	// ID is Zoho's record id, a numeric string. It is empty for a record
	// not yet inserted.
	ID string `zoho:"id,readonly"`
	// Owner is the user who owns the record. Set its ID to reassign it.
	Owner User `zoho:"Owner"`
	// CreatedBy, ModifiedBy, CreatedTime and ModifiedTime are maintained
	// by Zoho and never sent.
	CreatedBy    User      `zoho:"Created_By,readonly"`
	ModifiedBy   User      `zoho:"Modified_By,readonly"`
	CreatedTime  time.Time `zoho:"Created_Time,readonly"`
	ModifiedTime time.Time `zoho:"Modified_Time,readonly"`

	// snap is the record as last read or written, a JSON object; nil for
	// a record never read or saved. A save compares against it.
	snap []byte
	// Members Zoho returned that the type does not map live in snap while
	// extraInSnap is set (no copy, no map, at decode time), and in extra
	// once a save has replaced snap.
	extraInSnap bool
	// snapAllMapped: snap holds no unmapped member (decodeAt counted), so
	// there is nothing to look for in it.
	snapAllMapped bool
	// snapMerged: snap is the snapshot before a write with the members
	// written and Zoho's details after it (later members win; see
	// applyDetails), not one object per field.
	snapMerged bool
	extra      map[string]json.RawMessage
	// shadow is a *T copy of the record as it was when the snapshot at
	// shadowSnap (of shadowLen bytes) was taken (shadow.go): a save
	// compares with it while that snapshot is snap.
	shadow     any
	shadowSnap *byte
	shadowLen  int
	// set holds unmapped fields given to Set, sent on the next save.
	set map[string]json.RawMessage
	// pending holds values given to Set before the record's type was
	// known; the next save checks and applies them.
	pending map[string]any

	// home is the *T this Model is embedded in, meta its type; addr is the
	// Model's own address when bound, to notice a copy.
	home any
	meta *typeInfo
	addr uintptr

	// included holds the records Query.Include loaded for the record's
	// lookups, by field API name (include.go); never modified once set.
	included map[string]loadedRecord
}

// IsNew reports whether the record has not been inserted yet (no ID).
func (m *Model) IsNew() bool { return m == nil || m.ID == "" }

// bind records that m is the Model inside home (a *T of type meta).
func (m *Model) bind(meta *typeInfo, home any) {
	m.home, m.meta = home, meta
	m.addr = reflect.ValueOf(m).Pointer()
}

// bound returns the record m lives in, or false when m was never bound or
// is a copy of a bound Model. A copy stops sharing its maps here.
func (m *Model) bound() (reflect.Value, bool) {
	if m.home == nil {
		return reflect.Value{}, false
	}
	if m.addr != reflect.ValueOf(m).Pointer() {
		m.home, m.addr = nil, 0 // a copy: bound again on its next save
		return reflect.Value{}, false
	}
	return reflect.ValueOf(m.home).Elem(), true
}

// Get returns the JSON value of field apiName: a field Zoho returned that
// the record type does not map, a value given to Set, or (for a record
// read or saved through Records) a mapped field's current value.
func (m *Model) Get(apiName string) (json.RawMessage, bool) {
	if m == nil {
		return nil, false
	}
	rv, isBound := m.bound()
	if isBound {
		if f := m.meta.byName[apiName]; f != nil {
			b, err := f.appendJSON(nil, rv.FieldByIndex(f.index))
			return b, err == nil
		}
	}
	if raw, ok := m.set[apiName]; ok {
		return bytes.Clone(raw), true
	}
	if v, ok := m.pending[apiName]; ok {
		b, err := json.Marshal(v)
		return b, err == nil
	}
	if raw, ok := m.extra[apiName]; ok {
		return bytes.Clone(raw), true
	}
	var found json.RawMessage
	m.eachSnapUnmapped(func(name string, val []byte) bool {
		if name == apiName {
			found = bytes.Clone(val)
			return false
		}
		return true
	})
	return found, found != nil
}

// eachSnapUnmapped calls fn for the unmapped members still in snap.
func (m *Model) eachSnapUnmapped(fn func(name string, val []byte) bool) {
	if m.extraInSnap && !m.snapAllMapped && m.meta != nil {
		m.meta.eachUnmapped(m.snap, fn)
	}
}

// keepUnmapped moves the unmapped members out of snap (and out of more,
// another response about the same record) into extra, before snap is
// replaced.
func (m *Model) keepUnmapped(more []byte) {
	extra := maps.Clone(m.extra)
	add := func(name string, val []byte) bool {
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[name] = val
		return true
	}
	m.eachSnapUnmapped(add)
	if more != nil && m.meta != nil {
		m.meta.eachUnmapped(more, add)
	}
	m.extra, m.extraInSnap = extra, false
}

// Unmapped returns the API names of the fields Zoho returned, or Set was
// given, that the record type does not map, sorted.
func (m *Model) Unmapped() []string {
	if m == nil {
		return nil
	}
	seen := map[string]bool{}
	for k := range m.extra {
		seen[k] = true
	}
	m.eachSnapUnmapped(func(name string, _ []byte) bool { seen[name] = true; return true })
	for k := range m.set {
		seen[k] = true
	}
	for k := range m.pending {
		if m.meta == nil || m.meta.byName[k] == nil {
			seen[k] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Set sets field apiName to value. For a field the record type maps, the
// value must fit the Go field (the same type, a named type of the same
// kind, a number that converts exactly, or nil to clear it); the struct
// field is updated. Any other name is kept and sent on the next save as
// value encodes to JSON. For a record that has not been through Records
// yet, the check happens at the next save, before anything is sent.
func (m *Model) Set(apiName string, value any) error {
	if m == nil {
		return errors.New("zohohub: Set on a nil *Model")
	}
	if !validAPIName(apiName) {
		return fmt.Errorf("zohohub: Set: %q is not a Zoho API name", apiName)
	}
	rv, isBound := m.bound()
	if !isBound {
		if _, err := marshalUnmapped(apiName, value); err != nil {
			return err // checked now, so that a bad value is reported where it is set
		}
		pending := maps.Clone(m.pending) // copy on write: copies of a record never share changes
		if pending == nil {
			pending = map[string]any{}
		}
		pending[apiName] = value
		m.pending = pending
		return nil
	}
	return m.setBound(rv, apiName, value)
}

func (m *Model) setBound(rv reflect.Value, apiName string, value any) error {
	if f := m.meta.byName[apiName]; f != nil {
		if f.readonly {
			return fmt.Errorf("zohohub: Set(%q): field %s is read-only", apiName, f.goName)
		}
		if err := assign(f, rv.FieldByIndex(f.index), value); err != nil {
			return fmt.Errorf("zohohub: Set(%q): field %s: %w", apiName, f.goName, err)
		}
		return nil
	}
	raw, err := marshalUnmapped(apiName, value)
	if err != nil {
		return err
	}
	set := maps.Clone(m.set)
	if set == nil {
		set = map[string]json.RawMessage{}
	}
	set[apiName] = raw
	m.set = set
	return nil
}

// applyPending checks and applies the values Set was given before m was
// bound. m must be bound.
func (m *Model) applyPending() error {
	if len(m.pending) == 0 {
		return nil
	}
	rv, _ := m.bound()
	for _, name := range slices.Sorted(maps.Keys(m.pending)) {
		if err := m.setBound(rv, name, m.pending[name]); err != nil {
			return err
		}
	}
	m.pending = nil
	return nil
}

// saved records that the record was written as it now is: the values Set
// gave unmapped fields are now Zoho's, and snap is the new baseline.
func (m *Model) saved(snap []byte) {
	if m.extraInSnap {
		m.keepUnmapped(nil)
	}
	if len(m.set) > 0 {
		extra := maps.Clone(m.extra)
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		maps.Copy(extra, m.set)
		m.extra = extra
	}
	m.set = nil
	m.snap = snap
}

// assign sets field value v of field f to value if value fits f's type
// (see assignTo).
func assign(f *fieldInfo, v reflect.Value, value any) error {
	if value == nil {
		v.SetZero()
		return nil
	}
	if !assignTo(f.codec, v, reflect.ValueOf(value)) {
		return fmt.Errorf("a %T does not fit a %s", value, v.Type())
	}
	return nil
}

// marshalUnmapped is the JSON of a value given to Set for a field the
// record type does not map.
func marshalUnmapped(apiName string, value any) (json.RawMessage, error) {
	raw, err := marshalValid(value)
	if err != nil {
		if errors.Is(err, ErrInvalidUTF8) {
			err = &FieldError{APIName: apiName, Err: err}
		}
		return nil, fmt.Errorf("zohohub: Set(%q): %w", apiName, err)
	}
	return raw, nil
}

// keepValuesOnly drops all but the mapped fields of the Model of a
// record's shadow: a shadow holding the record's own shadow, snapshot and
// maps would keep every earlier shadow alive.
func (m *Model) keepValuesOnly() {
	*m = Model{ID: m.ID, Owner: m.Owner, CreatedBy: m.CreatedBy, ModifiedBy: m.ModifiedBy, CreatedTime: m.CreatedTime, ModifiedTime: m.ModifiedTime}
}

// setShadow makes sh the shadow of the record's current snapshot.
func (m *Model) setShadow(sh any) {
	m.shadow, m.shadowSnap, m.shadowLen = sh, unsafe.SliceData(m.snap), len(m.snap)
}

// shadowOf returns the record's shadow, if it was taken with the record's
// current snapshot: any code that replaces the snapshot without taking a
// shadow leaves the record compared with its snapshot.
func (m *Model) shadowOf() (any, bool) {
	ok := m.shadow != nil && len(m.snap) > 0 && unsafe.SliceData(m.snap) == m.shadowSnap && len(m.snap) == m.shadowLen
	return m.shadow, ok
}
