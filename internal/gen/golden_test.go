package gen

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/<case>/want")

// Each testdata/<case> directory is a metadata directory shaped like Zoho's
// responses (modules.json, fields/<Module>.json); testdata/<case>/want holds
// the expected files as <name>.go.golden.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name    string
		modules []string
		rename  map[string]string
		warns   []string // substrings expected among the warnings
	}{
		{name: "alltypes", warns: []string{
			"field Gadgets.Model: Go name Model is taken", "using ModelField", "field Gadgets.Bemerkung_Ä: API name is not ASCII",
			`values "Data/Telecom OEM" and "Data Telecom OEM" both map to AccountIndustryValueDataTelecomOEM`,
		}},
		{name: "custom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join("testdata", tc.name)
			meta, err := LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var warns []string
			files, err := Generate(meta, Config{Modules: tc.modules, Rename: tc.rename, Warn: func(m string) { warns = append(warns, m) }})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.warns {
				if !slices.ContainsFunc(warns, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no warning containing %q; got %q", w, warns)
				}
			}
			want := filepath.Join(dir, "want")
			if *update {
				if err := os.RemoveAll(want); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(want, 0o755); err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					if err := os.WriteFile(filepath.Join(want, f.Name+".golden"), f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			goldens, _ := filepath.Glob(filepath.Join(want, "*.go.golden"))
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
				b, err := os.ReadFile(filepath.Join(want, f.Name+".golden"))
				if err != nil {
					t.Errorf("%s: no golden file (run go test -update): %v", f.Name, err)
					continue
				}
				if !bytes.Equal(b, f.Data) {
					t.Errorf("%s differs from its golden file (run go test -update and review the diff):\n%s", f.Name, lineDiff(b, f.Data))
				}
			}
			if len(goldens) != len(files) {
				t.Errorf("generated %q, golden files %q", names, goldens)
			}
		})
	}
}

func TestCollisionsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string // substrings, both sides of the collision
	}{
		{"collision_fields", []string{"field Leads.type", "field Leads.Type", "Go name Type"}},
		{"collision_suffix", []string{"field Leads.Budget", "field Leads.Budget__c", "Go name Budget"}},
		{"collision_helper", []string{"picklist Leads.Source", "Leads.Source_Value", "LeadSourceValue"}},
		{"collision_modules", []string{"module Account", "module Accounts", "Go name Account"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			meta, err := LoadDir(filepath.Join("testdata", tc.name))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Generate(meta, Config{})
			if err == nil {
				t.Fatal("Generate succeeded, want a collision error")
			}
			if _, ok := errors.AsType[*CollisionError](err); !ok {
				t.Errorf("error %T is not a *CollisionError: %v", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestRenameResolvesCollision(t *testing.T) {
	meta, err := LoadDir(filepath.Join("testdata", "collision_fields"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(meta, Config{Rename: map[string]string{"Leads.type": "Kind"}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(files[0].Data)
	for _, want := range []string{"Kind string `zoho:\"type\"`", "Type string `zoho:\"Type\"`", `-rename Leads.type=Kind`} {
		if !strings.Contains(src, want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
	if _, err := Generate(meta, Config{Rename: map[string]string{"Leads.type": "kind"}}); err == nil {
		t.Error("unexported rename accepted")
	}
}

func TestDeterministic(t *testing.T) {
	meta, err := LoadDir(filepath.Join("testdata", "alltypes"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := Generate(meta, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		// Shuffle the input order: output must not depend on it.
		slices.Reverse(meta.Modules)
		for k := range meta.Fields {
			slices.Reverse(meta.Fields[k])
			for i := range meta.Fields[k] {
				slices.Reverse(meta.Fields[k][i].PickListValues)
			}
		}
		again, err := Generate(meta, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatalf("%d files, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Name != again[i].Name || !bytes.Equal(first[i].Data, again[i].Data) {
				t.Fatalf("%s: output changed between runs:\n%s", first[i].Name, lineDiff(first[i].Data, again[i].Data))
			}
		}
	}
}

func TestSelectModules(t *testing.T) {
	meta, err := LoadDir(filepath.Join("testdata", "alltypes"))
	if err != nil {
		t.Fatal(err)
	}
	mods, err := SelectModules(meta, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range mods {
		got = append(got, m.APIName)
	}
	// Home is a web tab, Gadget_Parts a subform, Activities has no fields.
	if want := []string{"Accounts", "Gadgets"}; !slices.Equal(got, want) {
		t.Errorf("default selection %q, want %q", got, want)
	}
	_, err = SelectModules(meta, []string{"Accounts", "Leeds"})
	ue, ok := errors.AsType[*UnknownModuleError](err)
	if !ok || ue.Name != "Leeds" || !strings.Contains(err.Error(), `"Leeds"`) {
		t.Errorf("unknown module: got %v", err)
	}
	if _, err := SelectModules(meta, []string{"Activities"}); err == nil || !strings.Contains(err.Error(), "fields/Activities.json") {
		t.Errorf("module without fields: got %v", err)
	}
	files, err := Generate(meta, Config{Modules: []string{"Accounts"}, Package: "crm"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "account.go" || !bytes.Contains(files[0].Data, []byte("package crm\n")) ||
		!bytes.HasPrefix(files[0].Data, []byte(`// Code generated by "zhgen -pkg crm -modules Accounts"; DO NOT EDIT.`)) {
		t.Errorf("got %d files, first:\n%s", len(files), files[0].Data)
	}
	if _, err := Generate(meta, Config{Package: "func"}); err == nil {
		t.Error("package name func accepted")
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out strings.Builder
	shown := 0
	for i := 0; i < max(len(al), len(bl)) && shown < 10; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			shown++
			out.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + x + "\n+ " + y + "\n")
		}
	}
	return out.String()
}
