package zohohub

import (
	"bytes"
	"reflect"
	"time"
	"unsafe"
)

// A record's shadow is a copy of its values as last read or written, kept
// beside its JSON snapshot, so that a save finds what changed by comparing
// each writable field with its copy, typed, instead of walking the
// snapshot's JSON and looking every member up by name (a 100-record
// update: BenchmarkEncodeDirtyUpdate). The snapshot stays the record of
// what Zoho holds: a shadow is used only while the snapshot it was taken
// with is the record's snapshot (Model.shadowOf), and a record without one
// (a type with a field the shadow cannot copy, a snapshot merged from
// field groups) is compared with its snapshot as before.
//
// Fields are read at their offsets, which reflect gives when the type is
// first seen (fieldInfo.offset), through functions chosen for their Go
// type there (equalFor); nothing assumes a layout.

// equalFunc reports whether the values of one Go type at a and b are
// identical. Identical values are never changed (fieldInfo.changed), so a
// save skips a field whose value is identical to its shadow's and asks
// changed about the others.
type equalFunc func(a, b unsafe.Pointer) bool

// equalFor returns the equalFunc of values of type t, and whether a copy
// of such a value must copy what it points to (a slice's elements, a
// pointer's target) to stay unchanged when the original's are changed in
// place. ok is false for a type a shadow does not hold: maps, interfaces,
// and slices or pointers of anything but flat values.
func equalFor(t reflect.Type) (eq equalFunc, deep, ok bool) {
	switch t.Kind() {
	case reflect.String:
		return func(a, b unsafe.Pointer) bool { return *(*string)(a) == *(*string)(b) }, false, true
	case reflect.Bool:
		return func(a, b unsafe.Pointer) bool { return *(*bool)(a) == *(*bool)(b) }, false, true
	case reflect.Int8, reflect.Uint8:
		return func(a, b unsafe.Pointer) bool { return *(*uint8)(a) == *(*uint8)(b) }, false, true
	case reflect.Int16, reflect.Uint16:
		return func(a, b unsafe.Pointer) bool { return *(*uint16)(a) == *(*uint16)(b) }, false, true
	case reflect.Int32, reflect.Uint32:
		return func(a, b unsafe.Pointer) bool { return *(*uint32)(a) == *(*uint32)(b) }, false, true
	case reflect.Int, reflect.Uint, reflect.Int64, reflect.Uint64, reflect.Uintptr:
		if t.Size() == 4 {
			return func(a, b unsafe.Pointer) bool { return *(*uint32)(a) == *(*uint32)(b) }, false, true
		}
		return func(a, b unsafe.Pointer) bool { return *(*uint64)(a) == *(*uint64)(b) }, false, true
	case reflect.Float32:
		return func(a, b unsafe.Pointer) bool { return *(*float32)(a) == *(*float32)(b) }, false, true
	case reflect.Float64:
		return func(a, b unsafe.Pointer) bool { return *(*float64)(a) == *(*float64)(b) }, false, true
	case reflect.Struct:
		if t == timeType {
			// The same instant, offset and location: == on time.Time.
			return func(a, b unsafe.Pointer) bool { return *(*time.Time)(a) == *(*time.Time)(b) }, false, true
		}
		return structEqual(t)
	case reflect.Array:
		elem, deep, ok := equalFor(t.Elem())
		if !ok || deep {
			return nil, false, false
		}
		n, size := t.Len(), t.Elem().Size()
		return func(a, b unsafe.Pointer) bool {
			for i := range n {
				off := uintptr(i) * size
				if !elem(unsafe.Add(a, off), unsafe.Add(b, off)) {
					return false
				}
			}
			return true
		}, false, true
	case reflect.Slice:
		return sliceEqual(t)
	case reflect.Pointer:
		elem, deep, ok := equalFor(t.Elem())
		if !ok || deep {
			return nil, false, false
		}
		return func(a, b unsafe.Pointer) bool {
			pa, pb := *(*unsafe.Pointer)(a), *(*unsafe.Pointer)(b)
			if pa == nil || pb == nil {
				return pa == pb
			}
			return elem(pa, pb)
		}, true, true
	}
	return nil, false, false
}

// structEqual is equalFor of a struct type other than time.Time: every
// field, exported or not, identical.
func structEqual(t reflect.Type) (equalFunc, bool, bool) {
	type part struct {
		off uintptr
		eq  equalFunc
	}
	parts := make([]part, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		eq, deep, ok := equalFor(sf.Type)
		if !ok || deep {
			return nil, false, false
		}
		parts = append(parts, part{sf.Offset, eq})
	}
	return func(a, b unsafe.Pointer) bool {
		for _, p := range parts {
			if !p.eq(unsafe.Add(a, p.off), unsafe.Add(b, p.off)) {
				return false
			}
		}
		return true
	}, false, true
}

// sliceEqual is equalFor of a slice type: both nil, or both not nil with
// identical elements (nil and empty are written differently: sliceCodec).
func sliceEqual(t reflect.Type) (equalFunc, bool, bool) {
	if t.Elem().Kind() == reflect.Uint8 { // json.RawMessage and []byte
		return func(a, b unsafe.Pointer) bool {
			sa, sb := *(*[]byte)(a), *(*[]byte)(b)
			return (sa == nil) == (sb == nil) && bytes.Equal(sa, sb)
		}, true, true
	}
	elem, deep, ok := equalFor(t.Elem())
	if !ok || deep {
		return nil, false, false
	}
	size := t.Elem().Size()
	return func(a, b unsafe.Pointer) bool {
		ha, hb := (*sliceHeader)(a), (*sliceHeader)(b)
		if (ha.data == nil) != (hb.data == nil) || ha.len != hb.len {
			return false
		}
		for i := range ha.len {
			off := uintptr(i) * size
			if !elem(unsafe.Add(ha.data, off), unsafe.Add(hb.data, off)) {
				return false
			}
		}
		return true
	}, true, true
}

// sliceHeader is how every slice is held (the layout unsafe.Slice and
// unsafe.SliceData use), read here for a slice of any element type.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// fieldOffset returns the offset of the field at index in struct type t:
// the sum of the offsets along the index, every step a struct held by
// value (inspect refuses embedded pointers).
func fieldOffset(t reflect.Type, index []int) uintptr {
	var off uintptr
	for _, i := range index {
		sf := t.Field(i)
		off += sf.Offset
		t = sf.Type
	}
	return off
}

// prepareShadow decides whether records of the type keep a shadow: every
// writable field's type has an equalFunc. It sets the fields' equal
// functions and lists those whose copies must be deep.
func (ti *typeInfo) prepareShadow() {
	if ti.modelIndex == nil {
		return // a subform row: saved with its record, never on its own
	}
	var deep []*fieldInfo
	for _, f := range ti.fields {
		if f.readonly {
			continue // never sent, never compared
		}
		eq, d, ok := equalFor(f.typ)
		if !ok {
			return
		}
		f.equal = eq
		if d {
			deep = append(deep, f)
		}
	}
	ti.shadowed, ti.deepFields = true, deep
	ti.modelOffset = fieldOffset(ti.typ, ti.modelIndex)
}

// copyDeep makes the fields of the shadow sh (a copy of a record) that
// share a slice's elements or a pointer's target with the record hold
// copies of their own.
func (ti *typeInfo) copyDeep(sh reflect.Value) {
	for _, f := range ti.deepFields {
		fv := sh.FieldByIndex(f.index)
		switch {
		case fv.IsNil():
		case fv.Kind() == reflect.Slice:
			c := reflect.MakeSlice(fv.Type(), fv.Len(), fv.Len())
			reflect.Copy(c, fv)
			fv.Set(c)
		default: // a pointer
			c := reflect.New(fv.Type().Elem())
			c.Elem().Set(fv.Elem())
			fv.Set(c)
		}
	}
}

// appendChanges appends the object an update of the record cur sends: its
// id and the writable fields that changed since old, its shadow; changed
// is false when no field did. It writes what encodeObject writes for
// encodeFull with updateJSON's choice of fields (FuzzShadowDiff).
func (ti *typeInfo) appendChanges(b []byte, cur reflect.Value, pc, po unsafe.Pointer) (_ []byte, changed bool, err error) {
	b = append(b, '{')
	first := true
	for _, f := range ti.fields {
		switch {
		case f == ti.idField:
			if f.fast != nil && f.fast.isZero(unsafe.Add(pc, f.offset)) || f.fast == nil && f.codec.isZero(cur.FieldByIndex(f.index)) {
				continue
			}
		case f.readonly:
			continue
		case f.equal(unsafe.Add(pc, f.offset), unsafe.Add(po, f.offset)):
			continue
		case f.fast != nil:
			// Two texts, booleans or ints that differ are never the same
			// to Zoho (changed).
			changed = true
		default:
			old := reflect.NewAt(ti.typ, po).Elem()
			if !f.changed(cur.FieldByIndex(f.index), old.FieldByIndex(f.index)) {
				continue
			}
			changed = true
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		if f.fast != nil {
			b, err = f.appendJSONAt(b, pc)
		} else {
			b, err = f.appendJSON(b, cur.FieldByIndex(f.index))
		}
		if err != nil {
			return b, false, err
		}
	}
	return append(b, '}'), changed, nil
}

// A shadowSlab hands out the shadows of a page's records from one array:
// one allocation for many records, which the records' snapshots (slices of
// one body) keep alive together anyway. A nil shadowSlab allocates each
// shadow on its own.
type shadowSlab[T any] struct {
	free []T
	// want is the number of records expected (the previous page's), for
	// the first array; more get arrays of shadowSlabMore.
	want int
}

// shadowSlabMore is the size of the arrays after the first.
const shadowSlabMore = 16

// get returns a zero T of the slab's.
func (s *shadowSlab[T]) get() *T {
	if s == nil {
		return new(T)
	}
	if len(s.free) == 0 {
		n := s.want
		if n < 1 {
			n = shadowSlabMore
		}
		s.free, s.want = make([]T, n), 0
	}
	sh := &s.free[0]
	s.free = s.free[1:]
	return sh
}

// takeShadow makes a copy of rec the shadow of its current snapshot, which
// must hold what rec holds (decoded from it, or encoded from rec).
func (rs *RecordSet[T]) takeShadow(rec *T, m *Model, slab *shadowSlab[T]) {
	if !rs.info.shadowed || len(m.snap) == 0 {
		return
	}
	sh := slab.get()
	*sh = *rec
	rs.info.shadowModel(unsafe.Pointer(sh)).keepValuesOnly()
	if len(rs.info.deepFields) > 0 {
		rs.info.copyDeep(reflect.ValueOf(sh).Elem())
	}
	m.setShadow(sh)
}

// shadowModel returns the Model embedded in the record at p.
func (ti *typeInfo) shadowModel(p unsafe.Pointer) *Model {
	return (*Model)(unsafe.Add(p, ti.modelOffset))
}

// shadowAfterUpdate returns the shadow of the snapshot an update merges
// (applyDetails): the old shadow with the fields the objects written name
// (what was sent, Zoho's details) as rec now holds them. ok is false when
// the record had no shadow of its snapshot.
func (rs *RecordSet[T]) shadowAfterUpdate(rec *T, m *Model, written ...[]byte) (_ *T, ok bool) {
	old, ok := m.shadowOf()
	if !ok {
		return nil, false
	}
	sh := new(T)
	*sh = *old.(*T)
	sv, rv := reflect.ValueOf(sh).Elem(), reflect.ValueOf(rec).Elem()
	for _, obj := range written {
		if len(obj) == 0 {
			continue
		}
		err := eachMember(obj, func(key, _ []byte) error {
			f, err := rs.info.fieldOfKey(key)
			if f != nil && !f.readonly {
				sv.FieldByIndex(f.index).Set(rv.FieldByIndex(f.index))
			}
			return err
		})
		if err != nil {
			return nil, false
		}
	}
	if len(rs.info.deepFields) > 0 {
		rs.info.copyDeep(sv)
	}
	return sh, true
}
