package spec_test

import (
	"io/fs"
	"testing"

	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/spec"
)

// load decodes package spec's metadata.
func load(t *testing.T) schema.Metadata {
	t.Helper()
	meta, err := schema.Load(spec.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	return meta
}

// The modules the issue asks for: the standard ones and at least one
// custom module.
var required = []string{"Leads", "Contacts", "Accounts", "Deals", "Tasks", "Events", "Calls", "Products", "Campaigns", "Vendors", "Notes"}

func TestRequiredModules(t *testing.T) {
	have := map[string]bool{}
	custom := 0
	for _, m := range load(t).Modules {
		have[m.APIName] = true
		if m.GeneratedType == "custom" {
			custom++
		}
	}
	for _, name := range required {
		if !have[name] {
			t.Errorf("module %s missing", name)
		}
	}
	if custom == 0 {
		t.Error("no custom module")
	}
}

func TestMultiModuleLookups(t *testing.T) {
	meta := load(t)
	for module, api := range map[string]string{"Tasks": "What_Id", "Events": "What_Id", "Calls": "What_Id", "Notes": "Parent_Id"} {
		fields, ok := meta.Fields[module]
		if !ok {
			t.Fatalf("no fields of %s", module)
		}
		found := false
		for _, f := range fields {
			if f.APIName == api {
				found = true
				if !f.IsMultiModuleLookup() {
					t.Errorf("%s.%s is not a multi-module lookup: %+v", module, api, f)
				}
			} else if f.IsMultiModuleLookup() {
				t.Errorf("%s.%s unexpectedly a multi-module lookup", module, f.APIName)
			}
		}
		if !found {
			t.Errorf("%s.%s missing", module, api)
		}
	}
}

func TestMetadataIsComplete(t *testing.T) {
	fsys := spec.Metadata()
	meta := load(t)
	mods := meta.Modules
	if len(mods) < 3 {
		t.Fatalf("%d modules", len(mods))
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
		fields, ok := meta.Fields[m.APIName]
		if !ok {
			t.Fatalf("no fields of %s", m.APIName)
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
			if f.IsMultiModuleLookup() {
				if f.JSONType != "jsonobject" {
					t.Errorf("%s.%s: multi-module lookup with json_type %q", m.APIName, f.APIName, f.JSONType)
				}
			} else if f.DataType == "lookup" && !known[f.Lookup.Module.APIName] {
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
