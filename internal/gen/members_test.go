package gen

import (
	"reflect"
	"testing"

	"github.com/zohohub/zohohub"
)

// TestModelMembers keeps modelMembers in step with zohohub.Model: a
// generated field named like one of Model's exported fields or methods
// would hide it.
func TestModelMembers(t *testing.T) {
	typ := reflect.TypeFor[zohohub.Model]()
	var names []string
	for i := range typ.NumField() {
		names = append(names, typ.Field(i).Name)
	}
	for _, tt := range []reflect.Type{typ, reflect.PointerTo(typ)} {
		for i := range tt.NumMethod() {
			names = append(names, tt.Method(i).Name)
		}
	}
	for _, n := range names {
		if reflect.ValueOf(n).Len() > 0 && n[0] >= 'A' && n[0] <= 'Z' && !modelMembers[n] {
			t.Errorf("zohohub.Model has exported member %s, missing from modelMembers", n)
		}
	}
}
