package zohohub

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodeRecordMatchesEncodingJSON: the native reader of Records gives
// what encoding/json gives, and leaves to it what it does not read.
func TestDecodeRecordMatchesEncodingJSON(t *testing.T) {
	c := jsonCodec(recordType)
	in := &internTable{m: map[string]string{}}
	for _, raw := range []string{
		`{"name":"vip","id":"5725767000000600001","color_code":"#F48435"}`, `{}`, `{"a":null,"b":true,"c":false}`,
		`{"n":-12.5e3,"z":0,"big":1e400}`, `{"nested":{"x":[1,"two",null,{"y":[]}]},"e":"caf\u00e9 \"q\""}`,
		`{"dup":1,"dup":2}`, `{"bad":"\xff"}`, `{"num":01}`, `{"num":1.}`, `[1,2]`, `"text"`, `{"k":tru}`,
	} {
		var want Record
		wantErr := json.Unmarshal([]byte(raw), &want)
		var got Record
		gotErr := c.decodeIn(in, reflect.ValueOf(&got).Elem(), []byte(raw))
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v (%v), encoding/json %#v (%v)", raw, got, gotErr, want, wantErr)
		}
	}
}
