package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zohohub/zohohub/schema"
)

var update = flag.Bool("update", false, "rewrite the expected output of the testdata cases")

// goldenCase is one directory of testdata: a metadata directory shaped like
// Zoho's answers (modules.json, fields/<Module>.json), and what generating
// from it gives. Exactly one of:
//
//	want/<file>.go.golden  the generated files, when generation succeeds
//	error.txt              the error, when it fails
//
// and optionally warnings.txt, the warnings one a line, and config.json,
// the Config (modules, rename, package) when it is not the default.
type goldenCase struct {
	name, dir string
	config    Config
}

// goldenCases lists testdata's case directories, as sqlc's end-to-end tests
// do: adding a case is adding a directory.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		tc := goldenCase{name: e.Name(), dir: filepath.Join("testdata", e.Name())}
		if b, err := os.ReadFile(filepath.Join(tc.dir, "config.json")); err == nil {
			var cfg struct {
				Package string            `json:"package"`
				Modules []string          `json:"modules"`
				Rename  map[string]string `json:"rename"`
			}
			if err := json.Unmarshal(b, &cfg); err != nil {
				t.Fatalf("%s/config.json: %v", tc.dir, err)
			}
			tc.config = Config{Package: cfg.Package, Modules: cfg.Modules, Rename: cfg.Rename}
		}
		cases = append(cases, tc)
	}
	if len(cases) == 0 {
		t.Fatal("no case in testdata")
	}
	return cases
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			meta, err := schema.LoadDir(tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			var warns []string
			cfg := tc.config
			cfg.Warn = func(m string) { warns = append(warns, m) }
			files, err := Generate(meta, cfg)
			got := map[string]string{}
			for _, f := range files {
				got[filepath.Join("want", f.Name+".golden")] = string(f.Data)
			}
			if err != nil {
				got["error.txt"] = err.Error() + "\n"
			}
			if len(warns) > 0 {
				got["warnings.txt"] = strings.Join(warns, "\n") + "\n"
			}
			if *update {
				writeExpected(t, tc.dir, got)
				return
			}
			want := readExpected(t, tc.dir)
			for _, name := range sortedKeys(mergeKeys(want, got)) {
				w, expected := want[name]
				g, produced := got[name]
				switch {
				case !expected:
					t.Errorf("%s: %s not expected (run go test -update and review):\n%s", tc.dir, name, g)
				case !produced:
					t.Errorf("%s: %s expected, not produced (run go test -update and review)", tc.dir, name)
				default:
					if diff := cmp.Diff(strings.Split(w, "\n"), strings.Split(g, "\n")); diff != "" {
						t.Errorf("%s: %s differs (-want +got; run go test -update and review):\n%s", tc.dir, name, diff)
					}
				}
			}
		})
	}
}

// expectedFiles are the files of a case that hold expected output.
func expectedFiles(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, "want", "*.go.golden"))
	for _, n := range []string{"error.txt", "warnings.txt"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			names = append(names, filepath.Join(dir, n))
		}
	}
	return names
}

// readExpected returns a case's expected output, by path relative to dir.
func readExpected(t *testing.T, dir string) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, path := range expectedFiles(dir) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, path)
		want[rel] = string(b)
	}
	return want
}

// writeExpected replaces a case's expected output with got.
func writeExpected(t *testing.T, dir string, got map[string]string) {
	t.Helper()
	for _, path := range expectedFiles(dir) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	for rel, data := range got {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A collision is a *CollisionError, which -rename resolves; a rename to an
// unexported name is refused.
func TestCollisionErrors(t *testing.T) {
	meta, err := schema.LoadDir(filepath.Join("testdata", "collision_fields"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(meta, Config{}); !errorIs[*CollisionError](err) {
		t.Errorf("error %T is not a *CollisionError: %v", err, err)
	}
	if _, err := Generate(meta, Config{Rename: map[string]string{"Leads.type": "Kind"}}); err != nil {
		t.Errorf("rename did not resolve the collision: %v", err)
	}
	if _, err := Generate(meta, Config{Rename: map[string]string{"Leads.type": "kind"}}); err == nil {
		t.Error("unexported rename accepted")
	}
}

func errorIs[E error](err error) bool {
	_, ok := errors.AsType[E](err)
	return ok
}

func TestDeterministic(t *testing.T) {
	meta, err := schema.LoadDir(filepath.Join("testdata", "alltypes"))
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
			if diff := cmp.Diff(string(first[i].Data), string(again[i].Data)); first[i].Name != again[i].Name || diff != "" {
				t.Fatalf("%s: output changed between runs (-first +again):\n%s", first[i].Name, diff)
			}
		}
	}
}

func TestSelectModules(t *testing.T) {
	meta, err := schema.LoadDir(filepath.Join("testdata", "alltypes"))
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
	ue, ok := errors.AsType[*schema.UnknownModuleError](err)
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
