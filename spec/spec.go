// Package spec holds the Zoho CRM API contract as data: module metadata
// (modules, fields, layouts, related lists, users, org) shaped exactly like
// Zoho's v8 responses. The emulator in package zohotest serves it, and
// zhgen generates package modules from it.
//
// The files are written by internal/metagen/gen.py
// (python3 spec/internal/metagen/gen.py spec/metadata).
package spec

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

//go:embed metadata
var metadata embed.FS

// Metadata returns the metadata files, rooted at the metadata directory:
// modules.json, fields/<Module>.json, layouts/<Module>.json,
// related_lists/<Module>.json, users.json and org.json.
func Metadata() fs.FS {
	sub, err := fs.Sub(metadata, "metadata")
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return sub
}

// Module is the part of a module object of GET /settings/modules that
// zohohub uses. Unknown keys are ignored.
type Module struct {
	ID            string `json:"id"`
	APIName       string `json:"api_name"`
	ModuleName    string `json:"module_name"`
	SingularLabel string `json:"singular_label"`
	PluralLabel   string `json:"plural_label"`
	GeneratedType string `json:"generated_type"`
	APISupported  bool   `json:"api_supported"`
}

// PickListValue is one value of a picklist field.
type PickListValue struct {
	DisplayValue string `json:"display_value"`
	ActualValue  string `json:"actual_value"`
}

// Field is the part of a field object of GET /settings/fields that
// zohohub uses. Unknown keys are ignored.
type Field struct {
	ID              string          `json:"id"`
	APIName         string          `json:"api_name"`
	FieldLabel      string          `json:"field_label"`
	DataType        string          `json:"data_type"`
	JSONType        string          `json:"json_type"`
	Length          int             `json:"length"`
	ReadOnly        bool            `json:"read_only"`
	SystemMandatory bool            `json:"system_mandatory"`
	CustomField     bool            `json:"custom_field"`
	Unique          json.RawMessage `json:"unique"`
	PickListValues  []PickListValue `json:"pick_list_values"`
	Lookup          struct {
		Module struct {
			APIName string `json:"api_name"`
		} `json:"module"`
	} `json:"lookup"`
}

// MultiModule is the lookup module Zoho names for a multi-module lookup
// (the "Related To" What_Id of activities, a note's Parent_Id): the record
// pointed to may be in any of several modules, and the record's $se_module
// names which.
const MultiModule = "se_module"

// IsMultiModuleLookup reports whether f is a multi-module lookup: data_type
// lookup whose lookup module is "se_module" (as Zoho's v8 metadata writes
// What_Id), or the data_type multi_module_lookup.
func (f Field) IsMultiModuleLookup() bool {
	return f.DataType == "multi_module_lookup" || f.DataType == "lookup" && f.Lookup.Module.APIName == MultiModule
}

// IsUnique reports whether Zoho rejects duplicate values of the field.
func (f Field) IsUnique() bool { return len(f.Unique) > 2 } // {} is not unique

// LoadModules reads modules.json.
func LoadModules(fsys fs.FS) ([]Module, error) {
	var doc struct {
		Modules []Module `json:"modules"`
	}
	if err := readJSON(fsys, "modules.json", &doc); err != nil {
		return nil, err
	}
	return doc.Modules, nil
}

// LoadFields reads fields/<module>.json.
func LoadFields(fsys fs.FS, module string) ([]Field, error) {
	var doc struct {
		Fields []Field `json:"fields"`
	}
	if err := readJSON(fsys, "fields/"+module+".json", &doc); err != nil {
		return nil, err
	}
	return doc.Fields, nil
}

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("spec: %s: %w", name, err)
	}
	return nil
}
