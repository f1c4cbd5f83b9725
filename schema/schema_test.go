package schema_test

import (
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/spec"
)

// The shapes that differ between API versions and between Zoho's answers
// decode to the same values.
func TestDecodeShapes(t *testing.T) {
	t.Parallel()
	fields, err := schema.DecodeFields([]byte(`{"fields":[
		{"api_name":"V2_Lookup","data_type":"lookup","lookup":{"module":"Accounts"}},
		{"api_name":"V8_Lookup","data_type":"lookup","lookup":{"module":{"api_name":"Accounts","id":"7"}},"decimal_place":null,"unique":{}},
		{"api_name":"What_Id","data_type":"lookup","lookup":{"module":{"api_name":"se_module"},"api_name":null,"id":null},
		 "allowed_modules":[{"api_name":"Accounts","id":"1"},{"api_name":"Deals","id":"2"}]},
		{"api_name":"Related","data_type":"multi_module_lookup","multi_module_lookup":{"modules":[{"api_name":"Leads","id":"3"}]}},
		{"api_name":"Rows","data_type":"subform","subform":null,"associated_module":{"module":"Rows_Module","id":"4"}},
		{"api_name":"Revenue","data_type":"currency","decimal_place":2,"length":16,"unique":{"casesensitive":"false"},"field_read_only":true},
		{"api_name":"Total","data_type":"formula","formula":{"return_type":"double","expression":"1"},"rollup_summary":{}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]schema.Field{}
	for _, f := range fields {
		by[f.APIName] = f
	}
	two := 2
	checks := []struct {
		name      string
		got, want any
	}{
		{"v2 lookup module", by["V2_Lookup"].LookupModules(), []string{"Accounts"}},
		{"v8 lookup module", by["V8_Lookup"].Lookup.Module, schema.ModuleRef{APIName: "Accounts", ID: "7"}},
		{"null decimal_place", by["V8_Lookup"].DecimalPlace, (*int)(nil)},
		{"{} is not unique", by["V8_Lookup"].IsUnique(), false},
		{"se_module lookup", []bool{by["What_Id"].IsMultiModuleLookup(), by["What_Id"].UsesSEModule()}, []bool{true, true}},
		{"se_module targets", by["What_Id"].LookupModules(), []string{"Accounts", "Deals"}},
		{"multi_module_lookup", []bool{by["Related"].IsMultiModuleLookup(), by["Related"].UsesSEModule()}, []bool{true, false}},
		{"multi_module_lookup targets", by["Related"].LookupModules(), []string{"Leads"}},
		{"subform module", by["Rows"].SubformModule(), "Rows_Module"},
		{"decimal_place", by["Revenue"].DecimalPlace, &two},
		{"unique", by["Revenue"].Unique, schema.Unique{Enabled: true}},
		{"read-only", by["Revenue"].IsReadOnly(), true},
		{"return type", by["Total"].ReturnType(), "double"},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}

	mods, err := schema.DecodeModules([]byte(`{"modules":[{"api_name":"Old"},{"api_name":"Web","api_supported":false},
		{"api_name":"Parts","api_supported":true,"generated_type":"subform"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var holding []string
	for _, m := range mods {
		if m.HoldsRecords() {
			holding = append(holding, m.APIName)
		}
	}
	if !mods[0].APISupported || mods[1].APISupported || !slices.Equal(holding, []string{"Old"}) {
		t.Errorf("api_supported: %+v; holding records %q", mods, holding)
	}

	lists, err := schema.DecodeRelatedLists([]byte(`{"related_lists":[{"api_name":"Notes","sequence_number":"3","module":{"api_name":"Notes","id":"9"}},{"api_name":"Contacts","sequence_number":4}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if lists[0].SequenceNumber != 3 || lists[1].SequenceNumber != 4 || lists[0].Module.APIName != "Notes" {
		t.Errorf("related lists %+v", lists)
	}
	if _, err := schema.DecodeRelatedLists([]byte(`{"related_lists":[{"api_name":"Notes","sequence_number":"first"}]}`)); err == nil {
		t.Error("a sequence_number that is no number was accepted")
	}
}

// Unique encodes back to the object Zoho writes.
func TestUniqueRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{}`, `{"casesensitive":"false"}`, `{"casesensitive":"true"}`} {
		var u schema.Unique
		if err := json.Unmarshal([]byte(in), &u); err != nil {
			t.Fatal(err)
		}
		if out, _ := json.Marshal(u); string(out) != in {
			t.Errorf("%s → %+v → %s", in, u, out)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		snap schema.Snapshot
		want string // the error, with the file named first
	}{
		{"no modules file", schema.Snapshot{}, "modules.json: file does not exist"},
		{"not an envelope", schema.Snapshot{"modules.json": []byte(`{"data":[]}`)}, `modules.json: no "modules" array`},
		{"null list", schema.Snapshot{"modules.json": []byte(`{"modules":null}`)}, `modules.json: no "modules" array`},
		{"module without name", schema.Snapshot{"modules.json": []byte(`{"modules":[{"id":"1"}]}`)}, "modules.json: module 0 has no api_name"},
		{"syntax", schema.Snapshot{"modules.json": []byte(`{"modules":[]}`), "fields/Leads.json": []byte("{\"fields\":[\n{\"api_name\" \"x\"}]}")},
			"fields/Leads.json: invalid JSON at line 2, column 14"},
		{"shape", schema.Snapshot{"modules.json": []byte(`{"modules":[]}`), "layouts/Leads.json": []byte(`{"layouts":{"id":"1"}}`)},
			"layouts/Leads.json: invalid JSON at line 1, column 13"},
		{"field without name", schema.Snapshot{"modules.json": []byte(`{"modules":[]}`), "fields/Leads.json": []byte(`{"fields":[{"id":"1"}]}`)},
			"fields/Leads.json: field 0 has no api_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.snap.Decode()
			if _, ok := errors.AsType[*schema.FileError](err); !ok || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v, want a *FileError starting %q", err, tc.want)
			}
		})
	}
}

// LoadDir names the file with its directory; files outside the snapshot's
// layout are left out.
func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"modules.json":              {Data: []byte(`{"modules":[{"api_name":"Leads"}]}`)},
		"fields/Leads.json":         {Data: []byte(`{"fields":[{"api_name":"Last_Name"}]}`)},
		"layouts/Leads.json":        {Data: []byte(`{"layouts":[]}`)},
		"related_lists/Leads.json":  {Data: []byte(`{"related_lists":[]}`)},
		"users.json":                {Data: []byte(`not read`)},
		"fields/README.md":          {Data: []byte(`not read`)},
		"custom_views/Leads.json":   {Data: []byte(`not read`)},
		"fields/Nested/Leads.json":  {Data: []byte(`not read`)},
		"related_lists/Deals.jsonx": {Data: []byte(`not read`)},
	}
	snap, err := schema.ReadSnapshot(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(snap)); !slices.Equal(got, []string{"fields/Leads.json", "layouts/Leads.json", "modules.json", "related_lists/Leads.json"}) {
		t.Errorf("snapshot files %q", got)
	}
	meta, err := schema.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Fields["Leads"]) != 1 || meta.Layouts["Leads"] == nil || meta.RelatedLists["Leads"] == nil {
		t.Errorf("metadata %+v", meta)
	}
	if _, ok := meta.Module("Leads"); !ok {
		t.Error("no module Leads")
	}
	_, err = schema.LoadDir("/nonexistent/meta")
	if fe, ok := errors.AsType[*schema.FileError](err); !ok || fe.Path != filepath.Join("/nonexistent/meta", "modules.json") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadDir of a missing directory: %v", err)
	}
}

// Every file of package spec's metadata decodes, with the facts zohotest
// and the generator rely on.
func TestSpecMetadata(t *testing.T) {
	t.Parallel()
	meta, err := schema.Load(spec.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	leads, _ := meta.Module("Leads")
	if !leads.APISupported || leads.DisplayField.APIName != "Full_Name" || !leads.HoldsRecords() {
		t.Errorf("Leads: %+v", leads)
	}
	field := func(module, api string) schema.Field {
		i := slices.IndexFunc(meta.Fields[module], func(f schema.Field) bool { return f.APIName == api })
		if i < 0 {
			t.Fatalf("no field %s.%s", module, api)
		}
		return meta.Fields[module][i]
	}
	if f := field("Accounts", "Account_Name"); !f.IsUnique() || !f.SystemMandatory || f.Length != 200 {
		t.Errorf("Accounts.Account_Name: %+v", f)
	}
	if f := field("Accounts", "Annual_Revenue"); f.DecimalPlace == nil || *f.DecimalPlace != 2 || f.Currency.Precision != 2 {
		t.Errorf("Accounts.Annual_Revenue: %+v", f)
	}
	if f := field("Accounts", "Industry"); len(f.PickListValues) < 2 || f.PickListValues[0].Value() != "-None-" {
		t.Errorf("Accounts.Industry picklist: %+v", f.PickListValues)
	}
	if got := field("Tasks", "What_Id").LookupModules(); !slices.Equal(got, []string{"Accounts", "Deals", "Products", "Campaigns", "Vendors"}) {
		t.Errorf("Tasks.What_Id points to %q", got)
	}
	if got := field("Contacts", "Account_Name").LookupModules(); !slices.Equal(got, []string{"Accounts"}) {
		t.Errorf("Contacts.Account_Name points to %q", got)
	}
	if rl := meta.RelatedLists["Accounts"]; len(rl) == 0 || rl[0].Href == "" || rl[0].SequenceNumber == 0 {
		t.Errorf("Accounts related lists: %+v", rl)
	}
	required := 0
	for _, l := range meta.Layouts["Leads"] {
		for _, s := range l.Sections {
			for _, f := range s.Fields {
				if f.Required && f.APIName != "" {
					required++
				}
			}
		}
	}
	if required == 0 {
		t.Error("no required field in the layouts of Leads")
	}
	for module, fields := range meta.Fields {
		if _, ok := meta.Module(module); !ok {
			t.Errorf("fields of %s, a module modules.json does not list", module)
		}
		if len(fields) == 0 {
			t.Errorf("%s has no fields", module)
		}
	}
}

// The package imports nothing of zohohub: zohotest, spec and the
// generator import it, and the root package's tests import zohotest.
func TestImportsNoZohohubPackage(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, "github.com/zohohub/zohohub") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
