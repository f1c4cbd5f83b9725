package zohohub

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzMergedSnapshot: after a write, the snapshot merged from the old
// one, the members sent and Zoho's details (applyDetails with sent) makes
// the next save send exactly what the record encoded again would.
func FuzzMergedSnapshot(f *testing.F) {
	read := `{"id":"1","S":"x","I":3,"B":"9007199254740993","F":1.5,"T":true,"D":"2024-01-31","DT":"2024-01-31T10:00:00+05:30",` +
		`"L":{"id":"2","name":"n"},"U":{"id":"3","email":"e"},"M":["a","b"],"Raw":{"a":[1,{}]},"P":0,"X":"1.50","PX":null,"$x":1}`
	details := `{"id":"1","Modified_Time":"2024-05-10T01:10:47-07:00","Modified_By":{"id":"9","name":"P"}}`
	for _, c := range [][2]string{
		{`{"S":"y"}`, `{"S":"x"}`},
		{`{"S":""}`, `{"S":"x"}`},
		{`{"S":"x","I":4}`, `{"I":3}`},
		{`{"DT":"2024-01-31T10:00:00.400+05:30"}`, `{"DT":"2024-01-31T10:00:00.900+05:30"}`},
		{`{"X":"1.5"}`, `{"X":"1.500"}`},
		{`{"M":["b"]}`, `{"M":["a","b"]}`},
		{`{"T":false,"P":null}`, `{"T":true,"P":1}`},
		{`{"U":{"id":"4"}}`, `{"U":{"id":"3","email":"e"}}`},
		{`{"Raw":{"a": [1, {}]}}`, `{"Raw":{"a":[1,{}]}}`},
		{`{"S":"caf\u00e9 <b>"}`, `{"S":"caf\u00e9 <b>","L":null}`},
	} {
		f.Add(read, c[0], details, c[1])
	}
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		f.Fatal(err)
	}
	rs := Records[fuzzRecord](c)
	f.Fuzz(func(t *testing.T, read, change1, details, change2 string) {
		if !validJSON([]byte(details)) {
			return // every answer is checked before it is read
		}
		for _, insert := range []bool{false, true} {
			merged, encoded, ok := savedTwice(rs, read, change1, details, insert)
			if !ok {
				continue
			}
			objM, chM, errM := applyAndUpdate(rs, merged, change2)
			objE, chE, errE := applyAndUpdate(rs, encoded, change2)
			if chM != chE || !bytes.Equal(objM, objE) || (errM == nil) != (errE == nil) {
				t.Fatalf("insert %v: merged snapshot %s sends %s (%v, %v); encoded snapshot %s sends %s (%v, %v)",
					insert, rs.model(merged).snap, objM, chM, errM, rs.model(encoded).snap, objE, chE, errE)
			}
		}
	})
}

// savedTwice makes two copies of a record (read, or new for an insert),
// applies change1 and saves both, one applying details with the members
// sent, one encoding the record again; ok is false when nothing was sent.
func savedTwice(rs *RecordSet[fuzzRecord], read, change1, details string, insert bool) (merged, encoded *fuzzRecord, ok bool) {
	recs := [2]*fuzzRecord{}
	for k := range recs {
		rec := new(fuzzRecord)
		if !insert {
			var err error
			if rec, err = rs.decodeOne([]byte(read)); err != nil {
				return nil, nil, false
			}
		}
		m, err := rs.prepare("test", rec)
		if err != nil || rs.info.decodeInto(reflect.ValueOf(rec).Elem(), []byte(change1)) != nil {
			return nil, nil, false
		}
		var obj []byte
		changed := true
		if insert {
			m.ID = ""
			obj, err = rs.insertJSON(rec, m)
		} else {
			obj, changed, err = rs.updateJSON(rec, m)
		}
		if err != nil || !changed {
			return nil, nil, false
		}
		var sent *sentObject
		if k == 0 {
			sent = &sentObject{obj: obj, update: !insert}
		}
		if rs.applyDetails(rec, m, []byte(details), sent, false) != nil {
			return nil, nil, false
		}
		recs[k] = rec
	}
	return recs[0], recs[1], true
}

func applyAndUpdate(rs *RecordSet[fuzzRecord], rec *fuzzRecord, change string) ([]byte, bool, error) {
	if err := rs.info.decodeInto(reflect.ValueOf(rec).Elem(), []byte(change)); err != nil {
		return nil, false, nil
	}
	return rs.updateJSON(rec, rs.model(rec))
}

// FuzzSameAsRaw: a codec's sameAsRaw, when it answers, answers as decoding
// the snapshot's member and asking changed does.
func FuzzSameAsRaw(f *testing.F) {
	for _, c := range [][3]string{
		{"S", `"x"`, `"x"`}, {"S", `""`, `"x"`}, {"S", `"é"`, `"\u00e9"`}, {"S", `"x"`, `12`},
		{"T", `true`, `"true"`}, {"T", `false`, `false`}, {"I", `0`, `"0"`}, {"I", `3`, `3.0`}, {"B", `"12"`, `12`},
		{"X", `"1.50"`, `1.5`}, {"X", `0`, `0`}, {"X", `1.5`, `"1.5"`},
		{"U", `{"id":"1","name":"a"}`, `{"id":"1"}`}, {"U", `{"name":"a"}`, `{"name":"a"}`}, {"U", `{}`, `{"id":null,"email":""}`},
		{"U", `{"id":"1"}`, `{"id":"2","id":"1"}`}, {"L", `{"id":"7"}`, `{"id":7,"name":"n"}`}, {"L", `{"name":"n"}`, `{"id":"\u0037"}`},
	} {
		f.Add(c[0], c[1], c[2])
	}
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		f.Fatal(err)
	}
	rs := Records[fuzzRecord](c)
	f.Fuzz(func(t *testing.T, name, cur, raw string) {
		fi := rs.info.byName[name]
		if fi == nil || fi.codec.sameAsRaw == nil || !validJSON([]byte(raw)) || string(trimJSON([]byte(raw))) == "null" {
			return
		}
		rec, old := new(fuzzRecord), new(fuzzRecord)
		if rs.info.decodeInto(reflect.ValueOf(rec).Elem(), []byte(`{"`+name+`":`+cur+`}`)) != nil ||
			rs.info.decodeInto(reflect.ValueOf(old).Elem(), []byte(`{"`+name+`":`+raw+`}`)) != nil {
			return
		}
		cv := reflect.ValueOf(rec).Elem().FieldByIndex(fi.index)
		same, ok := fi.codec.sameAsRaw(cv, trimJSON([]byte(raw)))
		if !ok {
			return
		}
		if changed := fi.changed(cv, reflect.ValueOf(old).Elem().FieldByIndex(fi.index)); same == changed {
			t.Fatalf("%s: current %s, snapshot %s: sameAsRaw says %v, changed says %v", name, cur, raw, same, changed)
		}
	})
}
