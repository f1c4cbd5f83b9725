//go:build goexperiment.jsonv2

package zohohub_test

import (
	jsonv2 "encoding/json/v2"
	"testing"
)

// BenchmarkDecodeAccountsPageJSONv2 decodes the page of
// BenchmarkDecodeAccountsPage with encoding/json/v2 directly (built with
// GOEXPERIMENT=jsonv2).
func BenchmarkDecodeAccountsPageJSONv2(b *testing.B) {
	page := accountsPage()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		var out struct {
			Data []*plainAccount `json:"data"`
		}
		if err := jsonv2.Unmarshal(page, &out); err != nil || len(out.Data) != 200 {
			b.Fatal(err)
		}
	}
}
