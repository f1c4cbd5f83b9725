package zohohub

import (
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"testing"
)

// TestDecodePathImportsNoEncodingJSON keeps encoding/json off the path
// that decodes a page of records (the scanner, the object and scalar
// codecs, paging): built with GOEXPERIMENT=jsonv2, encoding/json runs on
// another engine, slower for small values, so that a call into it makes
// the two builds decode at different costs. Both run the same code
// (docs/performance.md has their instruction counts); the
// codecs of Lookup, User, File and Record in codec_compound.go keep to
// jsonscan too (TestDecodeFileMatchesEncodingJSON and
// TestDecodeRecordMatchesEncodingJSON check them against it).
func TestDecodePathImportsNoEncodingJSON(t *testing.T) {
	for _, name := range []string{"jsonscan.go", "codec_object.go", "codec_scalar.go", "codec_time.go", "query.go", "paging.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "encoding/json" || path == "encoding/json/v2" {
				t.Errorf("%s imports %s: the decode path reads JSON with jsonscan, the same code in every build", name, path)
			}
		}
	}
}

// TestPageInfoDecodeMatchesEncodingJSON checks that pageInfo.decode reads
// what encoding/json reads, and refuses what it refuses.
func TestPageInfoDecodeMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		`{}`, `{"per_page":200,"count":200,"page":1,"more_records":true}`, `{"more_records":false,"next_page_token":"c2Vjb25k"}`,
		`{"more_records":null,"count":null,"page":null,"next_page_token":null}`, `{"More_Records":true,"COUNT":3}`,
		`{"count":1.5}`, `{"count":1e2}`, `{"count":-0}`, `{"count":"3"}`, `{"count":99999999999999999999}`,
		`{"more_records":"true"}`, `{"more_records":1}`, `{"next_page_token":5}`, `{"next_page_token":"a\nb\u00e9"}`,
		`{"count":2,"count":3}`, `{"x":{"y":[1,2]},"page":4}`, `[]`, `5`, `{"page":4}x`, `{"more_r\u0065cords":true}`,
		`{"page":{}}`, `{"next_page_token":["a"]}`, `{"count":01}`,
	}
	for _, c := range cases {
		var got, want pageInfo
		err := got.decode([]byte(c))
		werr := json.Unmarshal([]byte(c), &want)
		if (err == nil) != (werr == nil) || err == nil && describeInfo(got) != describeInfo(want) {
			t.Errorf("%s: decode %s, %v; encoding/json %s, %v", c, describeInfo(got), err, describeInfo(want), werr)
		}
	}
}

func describeInfo(p pageInfo) string {
	num := func(n *int) string {
		if n == nil {
			return "nil"
		}
		return fmt.Sprint(*n)
	}
	return fmt.Sprintf("{%v %q %s %s}", p.MoreRecords, p.NextPageToken, num(p.Count), num(p.Page))
}

// TestDecodeFileMatchesEncodingJSON checks that decodeFile reads what
// encoding/json reads into a File, and refuses what it refuses.
func TestDecodeFileMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		`{}`, `null`, `{"id":"1","File_Id__s":"f","File_Name__s":"a.pdf","Size__s":"12","Preview_Id__s":"p","Description__s":"d\n","State__s":"s"}`,
		`{"ID":"1","file_name__s":"b"}`, `{"id":null}`, `{"id":5}`, `{"Size__s":12}`, `{"id":true}`, `{"id":{}}`, `{"x":[1,{"y":2}],"id":"3"}`,
		`[]`, `"x"`, `{"id":"a","id":"b"}`, `{"\u0069d":"c"}`, `{"id":"\ud83d"}`,
	}
	for _, c := range cases {
		var got File
		err := decodeFile(reflect.ValueOf(&got).Elem(), []byte(c))
		var want File
		werr := json.Unmarshal([]byte(c), &want)
		if (err == nil) != (werr == nil) || err == nil && got != want {
			t.Errorf("%s: decodeFile %+v, %v; encoding/json %+v, %v", c, got, err, want, werr)
		}
	}
}
