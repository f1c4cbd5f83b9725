package schema

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Snapshot is metadata as files: paths relative to the metadata root
// ("modules.json", "fields/Accounts.json") mapped to their JSON bytes,
// each one of Zoho's answers as it was sent. It is the layout of
// spec/metadata and of a zhgen -dump directory.
type Snapshot map[string][]byte

// Snapshot file names. Each per-module directory holds <Module>.json, the
// answer of the settings API of that name for the module.
const (
	ModulesFile     = "modules.json"
	FieldsDir       = "fields"
	LayoutsDir      = "layouts"
	RelatedListsDir = "related_lists"
	// UsersFile and OrgFile are read by zohotest only: a snapshot of a
	// real org leaves its users out.
	UsersFile = "users.json"
	OrgFile   = "org.json"
)

// moduleDirs are the per-module directories of a snapshot.
var moduleDirs = []string{FieldsDir, LayoutsDir, RelatedListsDir}

// FieldsFile returns the snapshot path of a module's fields.
func FieldsFile(module string) string { return FieldsDir + "/" + module + ".json" }

// LayoutsFile returns the snapshot path of a module's layouts.
func LayoutsFile(module string) string { return LayoutsDir + "/" + module + ".json" }

// RelatedListsFile returns the snapshot path of a module's related lists.
func RelatedListsFile(module string) string { return RelatedListsDir + "/" + module + ".json" }

// Metadata is a decoded Snapshot.
type Metadata struct {
	// Modules is the content of modules.json, in file order.
	Modules []Module
	// Fields holds each module's fields by module API name, including
	// subform modules that modules.json does not list.
	Fields map[string][]Field
	// Layouts and RelatedLists hold the modules' layouts and related lists
	// where the snapshot has them.
	Layouts      map[string][]Layout
	RelatedLists map[string][]RelatedList
}

// Module returns the module named apiName.
func (m Metadata) Module(apiName string) (Module, bool) {
	i := slices.IndexFunc(m.Modules, func(mod Module) bool { return mod.APIName == apiName })
	if i < 0 {
		return Module{}, false
	}
	return m.Modules[i], true
}

// ReadSnapshot reads modules.json and the per-module files (fields,
// layouts, related lists) from fsys. Other files are left out.
func ReadSnapshot(fsys fs.FS) (Snapshot, error) {
	snap := Snapshot{}
	b, err := fs.ReadFile(fsys, ModulesFile)
	if err != nil {
		return nil, &FileError{ModulesFile, unwrapPathError(err)}
	}
	snap[ModulesFile] = b
	for _, dir := range moduleDirs {
		names, err := fs.Glob(fsys, dir+"/*.json")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, &FileError{name, unwrapPathError(err)}
			}
			snap[name] = b
		}
	}
	return snap, nil
}

// Load reads and decodes the metadata of fsys.
func Load(fsys fs.FS) (Metadata, error) {
	snap, err := ReadSnapshot(fsys)
	if err != nil {
		return Metadata{}, err
	}
	return snap.Decode()
}

// LoadDir reads and decodes the metadata directory dir. A *FileError names
// the file joined to dir.
func LoadDir(dir string) (Metadata, error) {
	meta, err := Load(os.DirFS(dir))
	if fe, ok := errors.AsType[*FileError](err); ok {
		return Metadata{}, &FileError{filepath.Join(dir, filepath.FromSlash(fe.Path)), fe.Err}
	}
	return meta, err
}

func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// Decode decodes every file of the snapshot. A file that is not valid JSON
// or not shaped like Zoho's answer is a *FileError naming it.
func (s Snapshot) Decode() (Metadata, error) {
	raw, ok := s[ModulesFile]
	if !ok {
		return Metadata{}, &FileError{ModulesFile, fs.ErrNotExist}
	}
	mods, err := DecodeModules(raw)
	if err != nil {
		return Metadata{}, &FileError{ModulesFile, err}
	}
	meta := Metadata{Modules: mods, Fields: map[string][]Field{}, Layouts: map[string][]Layout{},
		RelatedLists: map[string][]RelatedList{}}
	for _, name := range slices.Sorted(maps.Keys(s)) {
		dir, file := path.Split(name)
		module, isJSON := strings.CutSuffix(file, ".json")
		if !isJSON {
			continue
		}
		var err error
		switch dir {
		case FieldsDir + "/":
			meta.Fields[module], err = DecodeFields(s[name])
		case LayoutsDir + "/":
			meta.Layouts[module], err = DecodeLayouts(s[name])
		case RelatedListsDir + "/":
			meta.RelatedLists[module], err = DecodeRelatedLists(s[name])
		}
		if err != nil {
			return Metadata{}, &FileError{name, err}
		}
	}
	return meta, nil
}
