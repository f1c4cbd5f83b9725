package zohohub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// shadowRecord has a field of every kind a shadow holds: flat values,
// structs of them, and slices and pointers whose copies are deep.
type shadowRecord struct {
	Model
	S   string          `zoho:"S"`
	I   int             `zoho:"I"`
	I8  int8            `zoho:"I8"`
	B   int64           `zoho:"B"`
	F   float64         `zoho:"F"`
	T   bool            `zoho:"T"`
	D   Date            `zoho:"D"`
	DT  time.Time       `zoho:"DT"`
	L   Lookup          `zoho:"L"`
	U   User            `zoho:"U"`
	M   []string        `zoho:"M"`
	Fs  []File          `zoho:"Fs"`
	Raw json.RawMessage `zoho:"Raw"`
	P   *int            `zoho:"P"`
	PD  *Date           `zoho:"PD"`
	X   Decimal         `zoho:"X,decimals=4"`
	PX  *Decimal        `zoho:"PX"`
	RO  string          `zoho:"RO,readonly"`
}

func (shadowRecord) ZohoModule() string { return "Fuzz" }

// snapshotUpdate is the update rec's snapshot alone makes (the record
// without its shadow), to hold the shadow's answer against.
func snapshotUpdate(rs *RecordSet[shadowRecord], rec *shadowRecord) ([]byte, bool, error) {
	cp := *rec
	m := rs.model(&cp)
	m.shadow = nil
	return rs.updateJSON(&cp, m)
}

// sameUpdates fails t when rec's shadow, which it must have, and its
// snapshot do not make the same update.
func sameUpdates(t *testing.T, rs *RecordSet[shadowRecord], rec *shadowRecord, what string) {
	t.Helper()
	m := rs.model(rec)
	if _, ok := m.shadowOf(); !ok {
		t.Fatalf("%s: the record has no shadow of its snapshot %s", what, m.snap)
	}
	objS, chS, errS := rs.updateJSON(rec, m)
	objN, chN, errN := snapshotUpdate(rs, rec)
	if errS == nil && errN != nil && unchangedFieldError(rs, rec, errN) {
		// A value Zoho gave that cannot be sent back (a lookup without its
		// id) fails a save compared with the snapshot even when untouched;
		// compared with the shadow it is, rightly, no change.
		return
	}
	if chS != chN || !bytes.Equal(objS, objN) || (errS == nil) != (errN == nil) {
		t.Fatalf("%s: snapshot %s\nthe shadow sends %s (%v, %v)\nthe snapshot     %s (%v, %v)", what, m.snap, objS, chS, errS, objN, chN, errN)
	}
}

// unchangedFieldError reports whether err is about a field of rec that
// is identical to its shadow's.
func unchangedFieldError(rs *RecordSet[shadowRecord], rec *shadowRecord, err error) bool {
	var fe *FieldError
	sh, ok := rs.model(rec).shadowOf()
	if !errors.As(err, &fe) || !ok {
		return false
	}
	f := rs.info.byName[fe.APIName]
	return f != nil && f.equal != nil && f.equal(unsafe.Add(unsafe.Pointer(rec), f.offset), unsafe.Add(reflect.ValueOf(sh).UnsafePointer(), f.offset))
}

// FuzzShadowDiff: a save finds the same changes with the record's shadow
// as with its snapshot, after a read, after an update merges its
// snapshot, and after an insert.
func FuzzShadowDiff(f *testing.F) {
	read := `{"id":"1","S":"x","I":3,"I8":-2,"B":"9007199254740993","F":1.5,"T":true,"D":"2024-01-31","DT":"2024-01-31T10:00:00+05:30",` +
		`"L":{"id":"2","name":"n"},"U":{"id":"3","email":"e"},"M":["a","b"],"Fs":[{"id":"4","File_Name__s":"a.pdf"}],` +
		`"Raw":{"a":[1,{}]},"P":0,"PD":"2020-02-29","X":"1.50","PX":null,"RO":"r","$x":1}`
	details := `{"id":"1","Modified_Time":"2024-05-10T01:10:47-07:00","Modified_By":{"id":"9","name":"P"}}`
	for _, c := range [][2]string{
		{`{"S":"y"}`, `{"S":"x"}`},
		{`{"S":""}`, `{"S":"x","RO":"s"}`},
		{`{"S":"x","I":4}`, `{"I":3}`},
		{`{"DT":"2024-01-31T10:00:00.400+05:30"}`, `{"DT":"2024-01-31T10:00:00.900+05:30"}`},
		{`{"DT":"2024-01-31T05:30:00+01:00"}`, `{"DT":"2024-01-31T04:30:00Z"}`},
		{`{"X":"1.5"}`, `{"X":"1.500"}`},
		{`{"M":["b"]}`, `{"M":["a","b"]}`},
		{`{"M":[]}`, `{"M":null}`},
		{`{"Fs":[]}`, `{"Fs":[{"id":"4","File_Name__s":"b.pdf"}]}`},
		{`{"T":false,"P":null}`, `{"T":true,"P":1}`},
		{`{"PD":"2020-03-01","PX":"2"}`, `{"PD":"2020-02-29","PX":"2.0"}`},
		{`{"U":{"id":"4"}}`, `{"U":{"id":"3","email":"e"}}`},
		{`{"Raw":{"a": [1, {}]}}`, `{"Raw":{"a":[1,{}]}}`},
		{`{"S":"caf\u00e9 <b>"}`, `{"S":"caf\u00e9 <b>","L":null}`},
		{`{"B":"12","F":0}`, `{"B":12,"F":1e300}`},
	} {
		f.Add(read, c[0], details, c[1])
		f.Add(read, c[0], `{"id":"1","S":"z","M":["c"]}`, c[1])
	}
	// Zoho's lookup without its id, which cannot be sent back.
	f.Add(`{"id":"0","L":{"name":"0"}}`, `{}`, `{}`, `0`)
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		f.Fatal(err)
	}
	rs := Records[shadowRecord](c)
	if !rs.info.shadowed {
		f.Fatal("shadowRecord keeps no shadow")
	}
	change := func(rec *shadowRecord, change string) bool {
		return rs.info.decodeInto(reflect.ValueOf(rec).Elem(), []byte(change)) == nil
	}
	f.Fuzz(func(t *testing.T, read, change1, details, change2 string) {
		if !validJSON([]byte(details)) {
			return // every answer is checked before it is read
		}
		for _, insert := range []bool{false, true} {
			rec := new(shadowRecord)
			if !insert {
				var err error
				if rec, err = rs.decodeOne([]byte(read)); err != nil {
					return
				}
			}
			m, err := rs.prepare("test", rec)
			if err != nil || !change(rec, change1) {
				return
			}
			var obj []byte
			changed := true
			if insert {
				m.ID = ""
				obj, err = rs.insertJSON(rec, m)
			} else {
				sameUpdates(t, rs, rec, "after a read")
				obj, changed, err = rs.updateJSON(rec, m)
			}
			if err != nil || !changed {
				continue
			}
			if rs.applyDetails(rec, m, []byte(details), &sentObject{obj: obj, update: !insert}, true) != nil {
				continue
			}
			if m.ID == "" {
				continue // an insert's details must give the id
			}
			if !change(rec, change2) {
				continue
			}
			sameUpdates(t, rs, rec, "after a write")
		}
	})
}

// TestShadowSeesChangesInPlace: a slice's element or a pointer's target
// changed in place is a change, since the shadow holds copies of its own.
func TestShadowSeesChangesInPlace(t *testing.T) {
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	rs := Records[shadowRecord](c)
	rec, err := rs.decodeOne([]byte(`{"id":"1","M":["a","b"],"Fs":[{"id":"4"}],"Raw":[1],"P":2,"PD":"2020-02-29"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func()
		want   string
	}{
		{"nothing", func() {}, `{"id":"1"}`},
		{"M", func() { rec.M[1] = "c" }, `{"id":"1","M":["a","c"]}`},
		{"Fs", func() { rec.Fs[0].Description = "signed" }, `{"id":"1","M":["a","c"],"Fs":[{"id":"4","Description__s":"signed"}]}`},
		{"Raw", func() { rec.Raw[1] = '2' }, `{"id":"1","M":["a","c"],"Fs":[{"id":"4","Description__s":"signed"}],"Raw":[2]}`},
		{"P", func() { *rec.P = 3 }, `{"id":"1","M":["a","c"],"Fs":[{"id":"4","Description__s":"signed"}],"Raw":[2],"P":3}`},
	} {
		tc.change()
		if obj, _, err := rs.updateJSON(rec, rs.model(rec)); err != nil || string(obj) != tc.want {
			t.Errorf("%s changed in place: sends %s (%v), want %s", tc.name, obj, err, tc.want)
		}
		sameUpdates(t, rs, rec, tc.name)
	}
}

// TestShadowFollowsTheSnapshot: a record whose snapshot another path
// replaces without a shadow is compared with its snapshot, not with a
// shadow of an older one.
func TestShadowFollowsTheSnapshot(t *testing.T) {
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	rs := Records[shadowRecord](c)
	rec, err := rs.decodeOne([]byte(`{"id":"1","S":"a"}`))
	if err != nil {
		t.Fatal(err)
	}
	m := rs.model(rec)
	if _, ok := m.shadowOf(); !ok {
		t.Fatal("a decoded record has no shadow")
	}
	m.snap = []byte(`{"id":"1","S":"b"}`) // as blueprint.go's transition does
	if _, ok := m.shadowOf(); ok {
		t.Fatal("the shadow of the old snapshot is still used")
	}
	if obj, _, err := rs.updateJSON(rec, m); err != nil || string(obj) != `{"id":"1","S":"a"}` {
		t.Fatalf("sends %s (%v), want S compared with the new snapshot", obj, err)
	}
}

// TestWhichTypesKeepShadows: a type whose writable fields a shadow can all
// hold keeps one; a map (Record, a subform) or an interface leaves its
// records compared with their snapshots.
func TestWhichTypesKeepShadows(t *testing.T) {
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		info *typeInfo
		want bool
	}{
		{Records[shadowRecord](c).info, true},
		{Records[encodeLead](c).info, true},
		{Records[fuzzRecord](c).info, false}, // []Record holds maps
	} {
		if tc.info.shadowed != tc.want {
			t.Errorf("%s: shadowed %v, want %v", tc.info.typ, tc.info.shadowed, tc.want)
		}
	}
}

// TestShadowsDoNotChain: a record saved again and again keeps one shadow,
// not a shadow holding the one before it, and so on.
func TestShadowsDoNotChain(t *testing.T) {
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	rs := Records[shadowRecord](c)
	rec, err := rs.decodeOne([]byte(`{"id":"1","S":"a","Owner":{"id":"7"}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := rs.model(rec)
	for i := range 3 {
		rec.S = fmt.Sprint(i)
		obj, _, err := rs.updateJSON(rec, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := rs.applyDetails(rec, m, nil, &sentObject{obj: obj, update: true}, true); err != nil {
			t.Fatal(err)
		}
		if err := rs.applyDetails(rec, m, nil, nil, true); err != nil { // encoded again: a copy of rec
			t.Fatal(err)
		}
		sh, ok := m.shadowOf()
		if !ok {
			t.Fatal("no shadow after a save")
		}
		sm := rs.model(sh.(*shadowRecord))
		if sm.shadow != nil || sm.snap != nil || sm.home != nil {
			t.Fatalf("save %d: the shadow's Model holds state: shadow %v, snap %s, home %v", i, sm.shadow != nil, sm.snap, sm.home != nil)
		}
		if sm.Owner.ID != "7" || sm.ID != "1" {
			t.Fatalf("save %d: the shadow lost its mapped Model fields: %+v", i, sm.Owner)
		}
	}
}
