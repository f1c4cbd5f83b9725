package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The decoding in this file follows Zoho's JSON shapes (api-notes §5), not
// the Go types of package spec: the generator must keep working on any
// org's metadata, so every type here ignores keys it does not know and
// tolerates the shape changes between API versions that matter to it
// (lookup.module is a string in v2 and an object since v3).

// Metadata is the decoded module and field metadata the generator works
// from.
type Metadata struct {
	// Modules is the content of modules.json, in file order.
	Modules []Module
	// Fields holds each module's fields by module API name, including
	// subform modules that modules.json does not list.
	Fields map[string][]Field
}

// Module is one element of GET /settings/modules.
type Module struct {
	ID            string `json:"id"`
	APIName       string `json:"api_name"`
	ModuleName    string `json:"module_name"`
	SingularLabel string `json:"singular_label"`
	PluralLabel   string `json:"plural_label"`
	// GeneratedType is default, custom, linking, subform or web.
	GeneratedType string `json:"generated_type"`
	// APISupported is nil when the key is absent (older metadata).
	APISupported *bool `json:"api_supported"`
}

// Field is one element of GET /settings/fields?module=X.
type Field struct {
	ID             string          `json:"id"`
	APIName        string          `json:"api_name"`
	FieldLabel     string          `json:"field_label"`
	DisplayLabel   string          `json:"display_label"`
	DataType       string          `json:"data_type"`
	JSONType       string          `json:"json_type"`
	ReadOnly       bool            `json:"read_only"`
	FieldReadOnly  bool            `json:"field_read_only"`
	CustomField    bool            `json:"custom_field"`
	PickListValues []PickListValue `json:"pick_list_values"`
	Lookup         *Lookup         `json:"lookup"`
	Subform        *ModuleRef      `json:"subform"`
	// AssociatedModule names the subform module of a subform field.
	AssociatedModule  *ModuleRef         `json:"associated_module"`
	MultiSelectLookup *MultiSelectLookup `json:"multiselectlookup"`
	Formula           *ReturnTyped       `json:"formula"`
	RollupSummary     *ReturnTyped       `json:"rollup_summary"`
}

// multiModule is the lookup module Zoho's metadata names for a multi-module
// lookup (What_Id of Tasks, Events and Calls; Parent_Id of Notes).
const multiModule = "se_module"

// IsMultiModuleLookup reports whether f is a lookup whose target module
// varies per record, named by the record's $se_module.
func (f Field) IsMultiModuleLookup() bool {
	return f.DataType == "lookup" && f.Lookup != nil && f.Lookup.Module.APIName == multiModule
}

// Label returns the field's label for documentation.
func (f Field) Label() string {
	if f.DisplayLabel != "" {
		return f.DisplayLabel
	}
	return f.FieldLabel
}

// PickListValue is one element of a field's pick_list_values.
type PickListValue struct {
	DisplayValue   string `json:"display_value"`
	ActualValue    string `json:"actual_value"`
	SequenceNumber int    `json:"sequence_number"`
}

// Value returns the value sent to and received from the API.
func (v PickListValue) Value() string {
	if v.ActualValue != "" {
		return v.ActualValue
	}
	return v.DisplayValue
}

// Lookup is a lookup field's target.
type Lookup struct {
	Module ModuleRef `json:"module"`
}

// MultiSelectLookup describes a multi-select lookup's linking module.
type MultiSelectLookup struct {
	LinkingModule   ModuleRef `json:"linking_module"`
	ConnectedModule ModuleRef `json:"connected_module"`
}

// ReturnTyped is the formula or rollup_summary object of a field.
type ReturnTyped struct {
	ReturnType string `json:"return_type"`
}

// ModuleRef names a module. Zoho writes it as a plain string (v2 lookups),
// as {"api_name":…,"id":…} (v3+) or as {"module":…,"id":…} (subforms).
type ModuleRef struct {
	APIName string
	ID      string
}

// UnmarshalJSON accepts every shape listed on ModuleRef, and null.
func (m *ModuleRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &m.APIName)
	}
	var obj struct {
		APIName string `json:"api_name"`
		Module  string `json:"module"`
		ID      string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	m.APIName, m.ID = obj.APIName, obj.ID
	if m.APIName == "" {
		m.APIName = obj.Module
	}
	return nil
}

// Snapshot is metadata as files: paths relative to the metadata root
// ("modules.json", "fields/Accounts.json") mapped to their JSON bytes, the
// layout of spec/metadata and of a -dump directory.
type Snapshot map[string][]byte

// Snapshot file names.
const (
	ModulesFile = "modules.json"
	FieldsDir   = "fields"
)

// FieldsFile returns the snapshot path of a module's fields.
func FieldsFile(module string) string { return FieldsDir + "/" + module + ".json" }

// FileError is an error about one metadata file.
type FileError struct {
	Path string
	Err  error
}

// Error names the metadata file.
func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the reading or parsing error.
func (e *FileError) Unwrap() error { return e.Err }

// ReadSnapshot reads modules.json and fields/*.json from fsys. Other files
// (layouts, related lists, users) are ignored.
func ReadSnapshot(fsys fs.FS) (Snapshot, error) {
	snap := Snapshot{}
	b, err := fs.ReadFile(fsys, ModulesFile)
	if err != nil {
		return nil, &FileError{ModulesFile, unwrapPathError(err)}
	}
	snap[ModulesFile] = b
	names, err := fs.Glob(fsys, FieldsDir+"/*.json")
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
	return snap, nil
}

// LoadDir reads and decodes the metadata directory dir. Errors name the
// file, joined to dir.
func LoadDir(dir string) (Metadata, error) {
	snap, err := ReadSnapshot(os.DirFS(dir))
	if err == nil {
		var meta Metadata
		if meta, err = snap.Decode(); err == nil {
			return meta, nil
		}
	}
	if fe, ok := errors.AsType[*FileError](err); ok {
		return Metadata{}, &FileError{filepath.Join(dir, filepath.FromSlash(fe.Path)), fe.Err}
	}
	return Metadata{}, err
}

func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// Decode decodes every file of the snapshot. A file that is not valid JSON
// or not shaped like Zoho's response is a *FileError naming it.
func (s Snapshot) Decode() (Metadata, error) {
	raw, ok := s[ModulesFile]
	if !ok {
		return Metadata{}, &FileError{ModulesFile, fs.ErrNotExist}
	}
	var mods struct {
		Modules *[]Module `json:"modules"`
	}
	if err := decodeJSON(raw, &mods); err != nil {
		return Metadata{}, &FileError{ModulesFile, err}
	}
	if mods.Modules == nil {
		return Metadata{}, &FileError{ModulesFile, errors.New(`no "modules" array`)}
	}
	meta := Metadata{Modules: *mods.Modules, Fields: map[string][]Field{}}
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		dir, file := path.Split(name)
		if dir != FieldsDir+"/" || !strings.HasSuffix(file, ".json") {
			continue
		}
		var fields struct {
			Fields *[]Field `json:"fields"`
		}
		if err := decodeJSON(s[name], &fields); err != nil {
			return Metadata{}, &FileError{name, err}
		}
		if fields.Fields == nil {
			return Metadata{}, &FileError{name, errors.New(`no "fields" array`)}
		}
		for i, f := range *fields.Fields {
			if f.APIName == "" {
				return Metadata{}, &FileError{name, fmt.Errorf("field %d has no api_name", i)}
			}
		}
		meta.Fields[strings.TrimSuffix(file, ".json")] = *fields.Fields
	}
	for i, m := range meta.Modules {
		if m.APIName == "" {
			return Metadata{}, &FileError{ModulesFile, fmt.Errorf("module %d has no api_name", i)}
		}
	}
	return meta, nil
}

// decodeJSON decodes b into v and reports syntax and type errors with their
// line and column.
func decodeJSON(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var offset int64
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		offset = se.Offset
	} else if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		offset = te.Offset
	} else {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line, col := 1, 1
	for _, c := range b[:min(int(offset), len(b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}
