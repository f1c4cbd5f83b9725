package zohohub

import (
	"reflect"
	"strconv"
	"unsafe"
)

// A fastCodec writes the JSON of one kind of value read at its address,
// without a reflect.Value: text, booleans and ints, most of a record's
// fields. It writes exactly what the field's codec writes for the same
// value (TestFastCodecsWriteWhatTheirCodecsWrite); the codec still decides
// everything else (whether the zero value is a value, reading, comparing).
type fastCodec struct {
	isZero func(p unsafe.Pointer) bool
	encode func(b []byte, p unsafe.Pointer) ([]byte, error)
}

var (
	fastText = &fastCodec{
		isZero: func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 },
		encode: func(b []byte, p unsafe.Pointer) ([]byte, error) { return appendText(b, *(*string)(p)) },
	}
	fastBool = &fastCodec{
		isZero: func(p unsafe.Pointer) bool { return !*(*bool)(p) },
		encode: func(b []byte, p unsafe.Pointer) ([]byte, error) { return strconv.AppendBool(b, *(*bool)(p)), nil },
	}
	fastInt = &fastCodec{
		isZero: func(p unsafe.Pointer) bool { return *(*int)(p) == 0 },
		encode: func(b []byte, p unsafe.Pointer) ([]byte, error) {
			return strconv.AppendInt(b, int64(*(*int)(p)), 10), nil
		},
	}
)

// fastCodecOf returns the fastCodec that writes what c writes for values
// of type t, nil when there is none.
func fastCodecOf(c *codec, t reflect.Type) *fastCodec {
	switch {
	case c == stringCodec && t.Kind() == reflect.String:
		return fastText
	case c == boolCodec && t.Kind() == reflect.Bool:
		return fastBool
	case c == intCodec && t.Kind() == reflect.Int:
		return fastInt
	}
	return nil
}

// addressOf returns the address of v's value when v is addressable (a
// record reached through its pointer), nil otherwise.
func addressOf(v reflect.Value) unsafe.Pointer {
	if !v.CanAddr() {
		return nil
	}
	return unsafe.Pointer(v.UnsafeAddr())
}

// emptyAt is empty for the field's value in the struct at base.
func (f *fieldInfo) emptyAt(base unsafe.Pointer) bool {
	return !f.codec.zeroIsValue && f.fast.isZero(unsafe.Add(base, f.offset))
}

// appendJSONAt is appendJSON for the field's value in the struct at base
// (f.fast is set).
func (f *fieldInfo) appendJSONAt(b []byte, base unsafe.Pointer) ([]byte, error) {
	if f.emptyAt(base) {
		return append(b, "null"...), nil
	}
	out, err := f.fast.encode(b, unsafe.Add(base, f.offset))
	if err != nil {
		return b, f.errorf(err)
	}
	return out, nil
}
