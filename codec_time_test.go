package zohohub

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestParseWireTimeMatchesTimeParse: the allocation-free reader of Zoho's
// datetime form gives what time.Parse gives, zone included, and leaves
// every other form (and every invalid date) to it.
func TestParseWireTimeMatchesTimeParse(t *testing.T) {
	valid := []string{
		"2024-05-10T01:10:47-07:00", "2024-05-01T12:00:00+05:30", "2023-01-15T09:30:00+00:00", "2024-02-29T23:59:59-00:00",
		"1999-12-31T00:00:00+14:00", "2000-01-01T00:00:00-12:00", "2024-07-01T08:00:00+05:45", "0001-01-01T00:00:00+00:00",
		"2024-03-31T02:30:00" + time.Now().Format("-07:00"), // the local zone's own offset
	}
	for _, s := range valid {
		want, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseWireTime([]byte(s))
		if !ok {
			t.Fatalf("%s: not read", s)
		}
		wn, wo := want.Zone()
		gn, gotOff := got.Zone()
		if !got.Equal(want) || wn != gn || wo != gotOff || got.Location().String() != want.Location().String() || got.String() != want.String() {
			t.Errorf("%s: got %v (%s), time.Parse %v (%s)", s, got, got.Location(), want, want.Location())
		}
	}
	other := []string{
		"2024-05-10T01:10:47Z", "2024-05-10T01:10:47.5+01:00", "2024-05-10", "2024-02-30T00:00:00+00:00", "2023-02-29T00:00:00+00:00",
		"2024-13-01T00:00:00+00:00", "2024-05-10T24:00:00+00:00", "2024-05-10T23:60:00+00:00", "2024-05-10T23:00:60+00:00",
		"2024-05-10T01:10:47+15:00", "2024-05-10T01:10:47+01:07", "2024-05-10 01:10:47+01:00", "2024-05-10T01:10:4x+01:00",
		"+024-05-10T01:10:47+01:00", "2024-05-10T01:10:47+0100", "",
	}
	for _, s := range other {
		if got, ok := parseWireTime([]byte(s)); ok {
			t.Errorf("%q read as %v; time.Parse should decide", s, got)
		}
	}
}

func TestDecodeTimeAllocatesNothing(t *testing.T) {
	var v time.Time
	rv := reflect.ValueOf(&v).Elem()
	raw := []byte(`"2024-05-01T12:00:00+05:30"`)
	if n := testing.AllocsPerRun(100, func() {
		if err := timeCodec.decode(rv, raw); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations a datetime", n)
	}
	if v.Format(wireTimeLayout) != "2024-05-01T12:00:00+05:30" {
		t.Fatalf("decoded %v", v)
	}
}

// TestInternTableSharesRepeatedTexts: a page's repeated texts are
// allocated once, and a full table starts over rather than growing.
func TestInternTableSharesRepeatedTexts(t *testing.T) {
	in := &internTable{m: map[string]string{}}
	a := in.text([]byte("Patricia Boyle"))
	if n := testing.AllocsPerRun(100, func() {
		if in.text([]byte("Patricia Boyle")) != a {
			t.Fatal("changed text")
		}
	}); n != 0 {
		t.Fatalf("%v allocations for a repeated text", n)
	}
	for i := range internMaxTexts + 10 {
		in.text([]byte(fmt.Sprintf("unique %d", i)))
	}
	if len(in.m) > internMaxTexts {
		t.Fatalf("table holds %d texts", len(in.m))
	}
	long := make([]byte, internMaxLen+1)
	in.text(long)
	if _, kept := in.m[string(long)]; kept {
		t.Fatal("long text kept")
	}
	var none *internTable
	if none.text([]byte("x")) != "x" {
		t.Fatal("nil table")
	}
}
