package zohohub

import (
	"math"
	"reflect"
	"testing"
	"unsafe"
)

type fastPicklist string

// TestFastCodecsWriteWhatTheirCodecsWrite: for each value, a fastCodec
// writes the bytes, and says the emptiness, that the field's codec does.
func TestFastCodecsWriteWhatTheirCodecsWrite(t *testing.T) {
	texts := []string{"", "x", "Jane Doe", "café", "<b>&", "line\nbreak", `quote " \`, "\u2028", "\xff", "a\x00b", "日本"}
	var values []any
	for _, s := range texts {
		values = append(values, s, fastPicklist(s))
	}
	values = append(values, true, false, 0, 1, -1, math.MaxInt, math.MinInt)
	for _, x := range values {
		v := reflect.New(reflect.TypeOf(x)).Elem()
		v.Set(reflect.ValueOf(x))
		c, err := (&typeBuilder{}).codecFor(v.Type(), &fieldOptions{places: -1})
		if err != nil {
			t.Fatal(err)
		}
		fast := fastCodecOf(c, v.Type())
		if fast == nil {
			t.Fatalf("%T has no fast codec", x)
		}
		p := unsafe.Pointer(v.UnsafeAddr())
		want, wantErr := c.encode([]byte("pre"), v)
		got, gotErr := fast.encode([]byte("pre"), p)
		if string(got) != string(want) || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%T %#v: fast writes %q (%v), codec %q (%v)", x, x, got, gotErr, want, wantErr)
		}
		if fast.isZero(p) != c.isZero(v) {
			t.Errorf("%T %#v: fast isZero %v, codec %v", x, x, fast.isZero(p), c.isZero(v))
		}
	}
	for _, t2 := range []reflect.Type{reflect.TypeFor[int32](), reflect.TypeFor[int64](), reflect.TypeFor[float64](), reflect.TypeFor[Decimal]()} {
		c, err := (&typeBuilder{}).codecFor(t2, &fieldOptions{places: -1})
		if err != nil {
			t.Fatal(err)
		}
		if fastCodecOf(c, t2) != nil {
			t.Errorf("%s has a fast codec: its codec writes it another way or at another size", t2)
		}
	}
}
