package zohohub

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type fuzzRow struct {
	ID   string `zoho:"id"`
	Name string `zoho:"Name"`
	Due  Date   `zoho:"Due"`
}

type fuzzRecord struct {
	Model
	S   string          `zoho:"S"`
	I   int             `zoho:"I"`
	B   int64           `zoho:"B"`
	F   float64         `zoho:"F"`
	T   bool            `zoho:"T"`
	D   Date            `zoho:"D"`
	DT  time.Time       `zoho:"DT"`
	L   Lookup          `zoho:"L"`
	U   User            `zoho:"U"`
	M   []string        `zoho:"M"`
	Fs  []File          `zoho:"Fs"`
	R   []Record        `zoho:"R"`
	Sub []fuzzRow       `zoho:"Sub"`
	Raw json.RawMessage `zoho:"Raw"`
	P   *int            `zoho:"P"`
	PD  *Date           `zoho:"PD"`
	X   Decimal         `zoho:"X,decimals=4"`
	PX  *Decimal        `zoho:"PX"`
}

func (fuzzRecord) ZohoModule() string { return "Fuzz" }

type noTokens struct{}

func (noTokens) AccessToken(context.Context) (string, error) { return "", nil }
func (noTokens) Invalidate(string)                           {}

// FuzzDecodeRecord: any bytes decode to a record or an error, never a
// panic; a decoded record encodes, and decoding that encoding gives the
// same encoding back (the snapshot a save compares with is stable).
func FuzzDecodeRecord(f *testing.F) {
	for _, seed := range []string{
		`{"id":"1","S":"x","I":3,"B":"9007199254740993","F":1.5,"T":true,"D":"2024-01-31","DT":"2024-01-31T10:00:00+05:30"}`,
		`{"L":{"id":"2","name":"n"},"U":{"id":"3","email":"e"},"M":["a","b"],"Fs":[{"File_Id__s":"z","id":"4"}]}`,
		`{"R":[{"x":{"id":"1"}}],"Sub":[{"id":"5","Name":"r","Due":null}],"Raw":{"a":[1,{}]},"P":0,"PD":"2020-02-29"}`,
		`{"S":"\u00e9\n\"","$approved":true,"Unknown":[null,1e3,-0.5]}`,
		`{"I":1e3,"B":12,"F":"2.5","S":12}`, `{"X":1234567890123456.78,"PX":"-0.50"}`, `{"X":1e-3,"PX":0}`, `{}`, `[]`, `{"S":`, `{"I":"x"}`, `{"Sub":[{"Sub":1}]}`,
	} {
		f.Add([]byte(seed))
	}
	c, err := New(WithTokenSource(noTokens{}))
	if err != nil {
		f.Fatal(err)
	}
	rs := Records[fuzzRecord](c)
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := rs.decodeOne(data)
		if err != nil {
			return
		}
		if _, ok := rec.Get("S"); !ok {
			t.Fatal("bound record cannot Get a mapped field")
		}
		_ = rec.Unmapped()
		v := reflect.ValueOf(rec).Elem()
		enc1, err := rs.info.encodeObject(nil, v, encodeSnapshot, nil)
		if err != nil {
			return // e.g. a lookup with a name but no id cannot be sent
		}
		if !json.Valid(enc1) {
			t.Fatalf("invalid encoding %s", enc1)
		}
		rec2, err := rs.decodeOne(enc1)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", enc1, err)
		}
		enc2, err := rs.info.encodeObject(nil, reflect.ValueOf(rec2).Elem(), encodeSnapshot, nil)
		if err != nil || !bytes.Equal(enc1, enc2) {
			t.Fatalf("unstable encoding:\n%s\n%s (%v)", enc1, enc2, err)
		}
		if obj, _, err := rs.updateJSON(rec2, rs.model(rec2)); err != nil || !json.Valid(obj) {
			t.Fatalf("update JSON %s: %v", obj, err)
		}
	})
}
