package zohohub

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// noRawRecord has a field of most kinds, but no json.RawMessage, so that
// its writes are put together by writeBodyJSON.
type noRawRecord struct {
	Model
	S   string            `zoho:"S"`
	N   namedText         `zoho:"N"`
	I   int               `zoho:"I"`
	B   int64             `zoho:"B"`
	F   float64           `zoho:"F"`
	T   bool              `zoho:"T"`
	D   Date              `zoho:"D"`
	DT  time.Time         `zoho:"DT"`
	L   Lookup            `zoho:"L"`
	M   []string          `zoho:"M"`
	Fs  []File            `zoho:"Fs"`
	R   []Record          `zoho:"R"`
	Sub []fuzzRow         `zoho:"Sub"`
	Map map[string]string `zoho:"Map"`
	Any any               `zoho:"Any"`
	P   *int              `zoho:"P"`
	X   Decimal           `zoho:"X"`
	J   jsonText          `zoho:"J"`
}

func (noRawRecord) ZohoModule() string { return "NoRaw" }

// FuzzWriteBodyJSON: the body writeBodyJSON puts together is the one
// json.Marshal writes for the same objects.
func FuzzWriteBodyJSON(f *testing.F) {
	for _, seed := range []string{
		`{"S":"x <b> & \u2028 \u00e9 \"q\" \\ \n","N":"n","I":3,"B":"12","F":1.5,"T":true,"D":"2024-01-31","DT":"2024-01-31T10:00:00+05:30"}`,
		`{"L":{"id":"2","name":"n"},"M":["a","<b>"],"Fs":[{"File_Id__s":"z"}],"R":[{"x":{"id":"1"},"y":"<&>"}]}`,
		`{"Sub":[{"id":"5","Name":"r & s"}],"Map":{"k":"<v>"},"Any":[1,"\u2029",{"a":null}],"P":0,"X":"-0.50"}`,
		`{"S":"caf\u00e9","Unknown":1}`, `{}`,
	} {
		f.Add(seed, "workflow", "Email")
	}
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		f.Fatal(err)
	}
	rs := Records[noRawRecord](c)
	if rs.info.rawJSON {
		f.Fatal("noRawRecord holds a json.RawMessage")
	}
	f.Fuzz(func(t *testing.T, data, trigger, dup string) {
		rec := new(noRawRecord)
		m, err := rs.prepare("test", rec)
		if err != nil || rs.info.decodeInto(reflect.ValueOf(rec).Elem(), []byte(data)) != nil {
			return
		}
		m.ID = ""
		_ = m.Set("Extra_Field", map[string]any{"html": "<a href='x'>&</a>", "n": 1.5})
		obj, err := rs.insertJSON(rec, m)
		if err != nil {
			return
		}
		objs := [][]byte{obj, obj}
		for _, triggers := range []*[]Trigger{nil, {}, {Trigger(trigger), TriggerWorkflow}} {
			for _, d := range [][]string{nil, {dup}, {dup, "Last_Name"}} {
				got := writeBodyJSON(objs, triggers, d)
				want, err := json.Marshal(writeBody{Data: []json.RawMessage{obj, obj}, Trigger: triggers, DuplicateCheckFields: d})
				if err != nil {
					t.Fatalf("json.Marshal: %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("writeBodyJSON wrote\n%s\njson.Marshal\n%s", got, want)
				}
			}
		}
	})
}

// TestWriteBodyJSONNilTriggers: a handle whose trigger list is nil (not
// empty) writes it as null, as json.Marshal does.
func TestWriteBodyJSONNilTriggers(t *testing.T) {
	var none []Trigger
	got := writeBodyJSON([][]byte{[]byte(`{"id":"1"}`)}, &none, nil)
	want, _ := json.Marshal(writeBody{Data: []json.RawMessage{[]byte(`{"id":"1"}`)}, Trigger: &none})
	if !bytes.Equal(got, want) {
		t.Fatalf("got %s, want %s", got, want)
	}
}
