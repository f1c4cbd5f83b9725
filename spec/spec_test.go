package spec_test

import (
	"io/fs"
	"testing"

	"github.com/zohohub/zohohub/spec"
)

func TestMetadataIsComplete(t *testing.T) {
	fsys := spec.Metadata()
	mods, err := spec.LoadModules(fsys)
	if err != nil || len(mods) < 3 {
		t.Fatalf("modules: %v (%d)", err, len(mods))
	}
	known := map[string]bool{}
	for _, m := range mods {
		known[m.APIName] = true
	}
	ids := map[string]string{}
	for _, m := range mods {
		for _, dir := range []string{"layouts", "related_lists"} {
			if _, err := fs.Stat(fsys, dir+"/"+m.APIName+".json"); err != nil {
				t.Errorf("%s: %v", m.APIName, err)
			}
		}
		fields, err := spec.LoadFields(fsys, m.APIName)
		if err != nil {
			t.Fatal(err)
		}
		mandatory := 0
		for _, f := range fields {
			if f.APIName == "" || f.DataType == "" || f.JSONType == "" || f.ID == "" {
				t.Errorf("%s: incomplete field %+v", m.APIName, f)
			}
			if other, dup := ids[f.ID]; dup {
				t.Errorf("%s.%s: id %s also used by %s", m.APIName, f.APIName, f.ID, other)
			}
			ids[f.ID] = m.APIName + "." + f.APIName
			if f.DataType == "lookup" && !known[f.Lookup.Module.APIName] {
				t.Errorf("%s.%s: lookup to unknown module %q", m.APIName, f.APIName, f.Lookup.Module.APIName)
			}
			if f.SystemMandatory {
				mandatory++
			}
		}
		if mandatory == 0 {
			t.Errorf("%s: no system-mandatory field", m.APIName)
		}
	}
}
