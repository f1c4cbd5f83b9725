package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Difference is one file on disk that is not what Generate produces.
type Difference struct {
	// File is the path on disk.
	File string
	// Status is "missing", "differs" or "stale" (a zhgen file no longer
	// generated).
	Status string
	// Changes name what changed, for "differs": fields added, removed,
	// renamed or retyped and picklist values added or removed. Empty when
	// only other text (comments, fingerprint) changed.
	Changes []string
}

// String names the file and what differs in it.
func (d Difference) String() string {
	s := d.File + ": " + d.Status
	if len(d.Changes) > 0 {
		s += ": " + strings.Join(d.Changes, "; ")
	}
	return s
}

// Check compares files with those in dir. With stale set, a file in dir
// that starts with a zhgen header but is not among files is reported too
// (pass it only when every module was generated).
func Check(dir string, files []File, stale bool) ([]Difference, error) {
	var diffs []Difference
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
			diffs = append(diffs, Difference{File: path, Status: "not a regular file"})
			continue
		}
		old, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			diffs = append(diffs, Difference{File: path, Status: "missing"})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
		if !bytes.Equal(old, f.Data) {
			diffs = append(diffs, Difference{File: path, Status: "differs", Changes: describeChanges(old, f.Data)})
		}
	}
	if stale {
		paths, err := StaleFiles(dir, files)
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			diffs = append(diffs, Difference{File: path, Status: "stale"})
		}
	}
	slices.SortFunc(diffs, func(a, b Difference) int { return strings.Compare(a.File, b.File) })
	return diffs, nil
}

// StaleFiles returns the zhgen-generated .go files in dir that are not
// among files.
func StaleFiles(dir string, files []File) ([]string, error) {
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("gen: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".go") || want[e.Name()] {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if src, err := os.ReadFile(path); err == nil && IsGenerated(src) {
			out = append(out, path)
		}
	}
	return out, nil
}

// apiField is what a generated struct field says about one API field.
type apiField struct {
	goName, goType string
}

// outline is what matters of a generated file: per struct, API name →
// field; per picklist type, its values.
type outline struct {
	structs   map[string]map[string]apiField
	picklists map[string][]string
}

func parseOutline(src []byte) (outline, bool) {
	o := outline{structs: map[string]map[string]apiField{}, picklists: map[string][]string{}}
	file, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return o, false
	}
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				st, ok := s.Type.(*ast.StructType)
				if !ok {
					continue
				}
				fields := map[string]apiField{}
				for _, fl := range st.Fields.List {
					if fl.Tag == nil || len(fl.Names) != 1 {
						continue
					}
					tag, _ := strconv.Unquote(fl.Tag.Value)
					api, _, _ := strings.Cut(reflect.StructTag(tag).Get("zoho"), ",")
					fields[api] = apiField{goName: fl.Names[0].Name, goType: exprString(fl.Type)}
				}
				o.structs[s.Name.Name] = fields
			case *ast.ValueSpec:
				id, ok := s.Type.(*ast.Ident)
				if !ok || len(s.Values) != 1 {
					continue
				}
				if lit, ok := s.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					o.picklists[id.Name] = append(o.picklists[id.Name], v)
				}
			}
		}
	}
	return o, true
}

func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.IndexExpr:
		return exprString(t.X) + "[" + exprString(t.Index) + "]"
	}
	return fmt.Sprintf("%T", e)
}

// describeChanges names the API-level changes between an old and a new
// version of a generated file.
func describeChanges(old, new []byte) []string {
	a, okA := parseOutline(old)
	b, okB := parseOutline(new)
	if !okA {
		return []string{"file on disk does not parse"}
	}
	if !okB {
		return nil
	}
	var out []string
	for _, name := range sortedKeys(mergeKeys(a.structs, b.structs)) {
		of, nf := a.structs[name], b.structs[name]
		switch {
		case of == nil:
			out = append(out, "type "+name+" added")
			continue
		case nf == nil:
			out = append(out, "type "+name+" removed")
			continue
		}
		var removed, added []string
		for _, api := range sortedKeys(mergeKeys(of, nf)) {
			o, inOld := of[api]
			n, inNew := nf[api]
			switch {
			case !inNew:
				removed = append(removed, api)
			case !inOld:
				added = append(added, api)
			case o.goType != n.goType:
				out = append(out, fmt.Sprintf("%s: field %s changed type from %s to %s", name, api, o.goType, n.goType))
			case o.goName != n.goName:
				out = append(out, fmt.Sprintf("%s: field %s changed Go name from %s to %s", name, api, o.goName, n.goName))
			}
		}
		// A removed and an added field of the same type, with no other
		// candidate, are reported as a rename.
		for _, r := range removed {
			var cands []string
			for _, ad := range added {
				if nf[ad].goType == of[r].goType {
					cands = append(cands, ad)
				}
			}
			if len(cands) == 1 {
				out = append(out, fmt.Sprintf("%s: field %s renamed to %s", name, r, cands[0]))
				added = slices.DeleteFunc(added, func(s string) bool { return s == cands[0] })
				continue
			}
			out = append(out, fmt.Sprintf("%s: field %s removed", name, r))
		}
		for _, ad := range added {
			out = append(out, fmt.Sprintf("%s: field %s added", name, ad))
		}
	}
	for _, name := range sortedKeys(mergeKeys(a.picklists, b.picklists)) {
		ov, nv := a.picklists[name], b.picklists[name]
		for _, v := range nv {
			if !slices.Contains(ov, v) {
				out = append(out, fmt.Sprintf("%s: value %q added", name, v))
			}
		}
		for _, v := range ov {
			if !slices.Contains(nv, v) {
				out = append(out, fmt.Sprintf("%s: value %q removed", name, v))
			}
		}
	}
	return out
}

func mergeKeys[V any](a, b map[string]V) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
