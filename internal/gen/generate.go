// Package gen generates typed Go structs for Zoho CRM modules from Zoho's
// module and field metadata. It is the engine of cmd/zhgen.
//
// Generate is pure: the same Metadata and Config give the same bytes. Every
// list is sorted before it is emitted (modules and fields by API name,
// picklist values by Zoho's sequence number, then value).
//
// # Names
//
// Every package-level name starts with the module's type name, so modules
// never step on each other and a reader can tell where a name comes from:
//
//	Account                       struct type of module Accounts (API name made singular)
//	AccountIndustry               field helper of field Industry (type name + field name)
//	AccountIndustryValue          named string type of picklist Industry (helper name + "Value")
//	AccountIndustryValueBanking   picklist constant (picklist type name + value name)
//	QuoteQuotedItemsRow           row struct of subform Quoted_Items (helper name + "Row")
//
// Field names come from API names (see naming.go); labels only appear in
// comments, because labels change more often than API names. Any two
// declarations that end up with the same name are an error naming both;
// the generator never renames silently. The only renames it makes are
// announced in the output: a field whose name is already taken by the
// embedded zohohub.Model gets the suffix "Field", and picklist values whose
// names repeat an earlier value's are numbered ("…2", "…3", in Zoho's order).
package gen

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/zohohub/zohohub/schema"
)

// File is one generated file: a base name and its gofmt'd content.
type File struct {
	Name string
	Data []byte
}

// Config controls what Generate emits.
type Config struct {
	// Package is the package clause of the generated files. Default "modules".
	Package string
	// Modules restricts generation to these module API names. Empty means
	// every module of the metadata that has fields and holds records.
	Modules []string
	// Rename overrides Go names of fields: "Module.Api_Name" → GoName. It
	// is the way out of a reported name collision.
	Rename map[string]string
	// Decimal chooses the Go type of currency and decimal fields; ""
	// is DecimalExact.
	Decimal DecimalMode
	// Warn, when set, receives a line for every announced rename.
	Warn func(msg string)
}

// RootImport is the import path of package zohohub, which generated code
// depends on.
const RootImport = "github.com/zohohub/zohohub"

// DefaultPackage is the package name used when Config.Package is empty.
const DefaultPackage = "modules"

// modelFields are the API names that zohohub.Model maps; generated structs
// embed Model and do not repeat them.
var modelFields = map[string]bool{
	"id": true, "Owner": true, "Created_By": true, "Modified_By": true, "Created_Time": true, "Modified_Time": true,
}

// modelMembers are the exported names zohohub.Model declares (fields and
// methods) plus the names a generated record type declares itself. A field
// with one of these names would hide Model's, so it gets the suffix "Field"
// (announced). TestModelMembers checks the list against the real Model.
var modelMembers = map[string]bool{
	"Model": true, "ZohoModule": true,
	"ID": true, "Owner": true, "CreatedBy": true, "ModifiedBy": true, "CreatedTime": true, "ModifiedTime": true,
	"IsNew": true, "Get": true, "Set": true, "Unmapped": true,
}

// rowMembers are the names a generated subform row declares itself.
var rowMembers = map[string]bool{"ID": true}

// Generate returns one file per module, sorted by name.
func Generate(meta Metadata, cfg Config) ([]File, error) {
	if cfg.Package == "" {
		cfg.Package = DefaultPackage
	}
	if !token.IsIdentifier(cfg.Package) || token.IsKeyword(cfg.Package) {
		return nil, fmt.Errorf("gen: invalid package name %q", cfg.Package)
	}
	mods, err := SelectModules(meta, cfg.Modules)
	if err != nil {
		return nil, err
	}
	g := &generator{meta: meta, mods: mods, cfg: cfg, names: map[string]string{}, files: map[string]string{}}
	plans := make([]*modulePlan, 0, len(mods))
	for _, m := range mods {
		p, err := g.planModule(m)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	files := make([]File, 0, len(plans))
	for _, p := range plans {
		var buf bytes.Buffer
		if err := fileTemplate.Execute(&buf, p); err != nil {
			return nil, fmt.Errorf("gen: module %s: %w", p.APIName, err)
		}
		src, err := format.Source(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("gen: module %s: generated code does not parse (a generator bug): %w", p.APIName, err)
		}
		files = append(files, File{Name: p.FileName, Data: src})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// Header returns the first line of every generated file for cfg. It names
// only the flags that change the output, so it is the same whether zhgen
// read a directory or a live org, and from whichever working directory.
func Header(cfg Config) string {
	args := []string{"zhgen"}
	pkg := cfg.Package
	if pkg == "" {
		pkg = DefaultPackage
	}
	args = append(args, "-pkg", pkg)
	if len(cfg.Modules) > 0 {
		mods := slices.Clone(cfg.Modules)
		slices.Sort(mods)
		args = append(args, "-modules", strings.Join(mods, ","))
	}
	if len(cfg.Rename) > 0 {
		keys := make([]string, 0, len(cfg.Rename))
		for k := range cfg.Rename {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			args = append(args, "-rename", k+"="+cfg.Rename[k])
		}
	}
	if cfg.Decimal != "" && cfg.Decimal != DecimalExact {
		args = append(args, "-decimal="+string(cfg.Decimal))
	}
	return `// Code generated by "` + strings.Join(args, " ") + `"; DO NOT EDIT.`
}

// SelectModules returns the modules to generate, sorted by API name. With
// explicit names, each must be a module of the metadata with fields;
// otherwise every module with fields that holds records is chosen.
func SelectModules(meta Metadata, names []string) ([]Module, error) {
	byName := map[string]Module{}
	for _, m := range meta.Modules {
		byName[m.APIName] = m
	}
	var out []Module
	if len(names) > 0 {
		seen := map[string]bool{}
		for _, n := range names {
			m, ok := byName[n]
			if !ok {
				return nil, &schema.UnknownModuleError{Name: n, Known: knownModules(meta)}
			}
			if _, ok := meta.Fields[n]; !ok {
				return nil, fmt.Errorf("gen: module %s has no field metadata (%s)", n, schema.FieldsFile(n))
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, m)
			}
		}
	} else {
		for _, m := range meta.Modules {
			if _, ok := meta.Fields[m.APIName]; ok && m.HoldsRecords() {
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].APIName < out[j].APIName })
	if len(out) == 0 {
		return nil, errors.New("gen: no module with field metadata to generate")
	}
	return out, nil
}

func knownModules(meta Metadata) []string {
	var names []string
	for _, m := range meta.Modules {
		if _, ok := meta.Fields[m.APIName]; ok && m.HoldsRecords() {
			names = append(names, m.APIName)
		}
	}
	slices.Sort(names)
	return names
}

// CollisionError reports two declarations that would get the same Go name.
type CollisionError struct {
	Name  string
	First string // what already has the name
	Then  string // what wanted it too
}

// Error names the fields that would get one Go name.
func (e *CollisionError) Error() string {
	return fmt.Sprintf("gen: name collision: %s and %s both map to Go name %s (use -rename Module.Api_Name=GoName)", e.First, e.Then, e.Name)
}

type generator struct {
	meta  Metadata
	mods  []Module // the modules generated
	cfg   Config
	names map[string]string // package-level Go name → what declared it
	files map[string]string // file name → module
}

// declare claims a package-level name.
func (g *generator) declare(name, what string) error {
	if prev, ok := g.names[name]; ok {
		return &CollisionError{Name: name, First: prev, Then: what}
	}
	g.names[name] = what
	return nil
}

func (g *generator) warn(format string, args ...any) {
	if g.cfg.Warn != nil {
		g.cfg.Warn(fmt.Sprintf(format, args...))
	}
}

type modulePlan struct {
	Header      string
	Package     string
	APIName     string
	Label       string
	TypeName    string
	FileName    string
	Fingerprint string
	FieldCount  int
	StdImports  []string
	Fields      []fieldPlan
	Helpers     []helperPlan
	Picklists   []picklistPlan
	Rows        []rowPlan
	// RelatedLists are the handles of the module's related lists (related.go).
	RelatedLists []relatedPlan
}

type fieldPlan struct {
	GoName  string
	GoType  string
	Tag     string
	Comment string
}

type helperPlan struct {
	Name    string
	Type    string
	APIName string
}

type picklistPlan struct {
	TypeName string
	Doc      string
	Values   []valuePlan
}

type valuePlan struct {
	Name    string
	Value   string
	Comment string
}

type rowPlan struct {
	TypeName string
	Doc      string
	Fields   []fieldPlan
}

func (g *generator) planModule(m Module) (*modulePlan, error) {
	typeName := typeGoName(m.APIName)
	if typeName == "" {
		return nil, fmt.Errorf("gen: module %q: no Go name can be made from its API name", m.APIName)
	}
	if err := g.declare(typeName, "module "+m.APIName); err != nil {
		return nil, err
	}
	file := fileName(m.APIName)
	if prev, ok := g.files[file]; ok {
		return nil, fmt.Errorf("gen: modules %s and %s would both be written to %s", prev, m.APIName, file)
	}
	g.files[file] = m.APIName
	label := m.SingularLabel
	p := &modulePlan{
		Header: Header(g.cfg), Package: g.cfg.Package,
		APIName: m.APIName, Label: label, TypeName: typeName, FileName: file,
	}
	fields := sortedFields(g.meta.Fields[m.APIName])
	p.Fingerprint, p.FieldCount = g.fingerprint(fields)
	imports := map[string]bool{}
	members := map[string]string{} // Go field name → API name, for this struct
	for _, f := range fields {
		what := fmt.Sprintf("field %s.%s", m.APIName, f.APIName)
		if modelFields[f.APIName] {
			// Model holds the value; a helper still lets queries name it.
			if k, ok := scalarKind(f.DataType, g.cfg.Decimal); ok && k.helper != "" {
				name := typeName + fieldGoName(f.APIName)
				if err := g.declare(name, "field helper of "+what); err != nil {
					return nil, err
				}
				p.Helpers = append(p.Helpers, helperPlan{name, k.helper, f.APIName})
			}
			continue
		}
		if !mappableAPIName(f.APIName) {
			g.warn("%s: API name is not ASCII letters, digits and _; left out (reach it with Get and Set)", what)
			continue
		}
		goName, err := g.fieldName(m.APIName, f, members, modelMembers)
		if err != nil {
			return nil, err
		}
		fp, helper, err := g.planField(p, f, goName, imports)
		if err != nil {
			return nil, err
		}
		p.Fields = append(p.Fields, fp)
		helper = g.lookupHelper(f, helper)
		if helper != "" {
			name := typeName + goName
			if err := g.declare(name, "field helper of "+what); err != nil {
				return nil, err
			}
			p.Helpers = append(p.Helpers, helperPlan{name, helper, f.APIName})
		}
	}
	if err := g.planSeModule(p, fields, members); err != nil {
		return nil, err
	}
	g.planRelated(p)
	for imp := range imports {
		p.StdImports = append(p.StdImports, imp)
	}
	slices.Sort(p.StdImports)
	sort.Slice(p.Helpers, func(i, j int) bool { return p.Helpers[i].Name < p.Helpers[j].Name })
	return p, nil
}

// seModuleAPIName is the record key naming the module of the record a
// multi-module lookup points to.
const seModuleAPIName = "$se_module"

// planSeModule adds the field SeModule (`zoho:"$se_module"`) to a module
// with a multi-module lookup: Zoho needs it next to the lookup's id on a
// write, and answers with it on a read.
func (g *generator) planSeModule(p *modulePlan, fields []Field, members map[string]string) error {
	var multi []string
	for _, f := range fields {
		if f.UsesSEModule() && !modelFields[f.APIName] && mappableAPIName(f.APIName) {
			multi = append(multi, f.APIName)
		}
	}
	if len(multi) == 0 {
		return nil
	}
	const goName = "SeModule"
	if prev, ok := members[goName]; ok {
		return &CollisionError{Name: goName,
			First: fmt.Sprintf("field %s.%s", p.APIName, prev), Then: fmt.Sprintf("%s of %s's multi-module lookup %s", seModuleAPIName, p.APIName, multi[0])}
	}
	members[goName] = seModuleAPIName
	p.Fields = append(p.Fields, fieldPlan{GoName: goName, GoType: "string", Tag: seModuleAPIName,
		Comment: "module of the record " + strings.Join(multi, ", ") + " points to"})
	return nil
}

// fieldName returns a field's Go name within one struct, applying renames
// and reporting collisions.
func (g *generator) fieldName(module string, f Field, members map[string]string, reserved map[string]bool) (string, error) {
	goName, renamed := g.cfg.Rename[module+"."+f.APIName]
	if renamed {
		if !token.IsExported(goName) || !token.IsIdentifier(goName) {
			return "", fmt.Errorf("gen: -rename %s.%s=%s: not an exported Go identifier", module, f.APIName, goName)
		}
	} else {
		goName = fieldGoName(f.APIName)
		if goName == "" {
			return "", fmt.Errorf("gen: field %s.%s: no Go name can be made from its API name (use -rename)", module, f.APIName)
		}
		if reserved[goName] {
			g.warn("field %s.%s: Go name %s is taken by the generated type itself or zohohub.Model; using %sField", module, f.APIName, goName, goName)
			goName += "Field"
		}
	}
	if prev, ok := members[goName]; ok {
		return "", &CollisionError{Name: goName,
			First: fmt.Sprintf("field %s.%s", module, prev), Then: fmt.Sprintf("field %s.%s", module, f.APIName)}
	}
	members[goName] = f.APIName
	return goName, nil
}

// planField returns the struct field for f and its helper type ("" when it
// has none), declaring the picklist and row types it needs.
func (g *generator) planField(p *modulePlan, f Field, goName string, imports map[string]bool) (fieldPlan, string, error) {
	k, err := g.kindOf(p, f, goName, imports)
	if err != nil {
		return fieldPlan{}, "", err
	}
	if !k.compatible(f.JSONType) {
		k = goKind{goType: rawType, shape: shapeAny}
		if (f.DataType == "bigint" || f.DataType == "long") && jsonShape(f.JSONType) == shapeArray {
			// An array of objects naming records by a long id: the
			// participants of an event (type, participant, name, …).
			k = kindRecs
		}
	}
	switch {
	case strings.Contains(k.goType, "time."):
		imports["time"] = true
	case strings.Contains(k.goType, "json."):
		imports["encoding/json"] = true
	}
	tag := f.APIName
	if k.readonly || f.IsReadOnly() {
		tag += ",readonly"
	}
	if k.places && f.DecimalPlace != nil {
		tag += ",decimals=" + strconv.Itoa(*f.DecimalPlace)
	}
	return fieldPlan{GoName: goName, GoType: k.goType, Tag: tag, Comment: fieldComment(f)}, k.helper, nil
}

func (g *generator) kindOf(p *modulePlan, f Field, goName string, imports map[string]bool) (goKind, error) {
	if isTagField(f) {
		return kindTags, nil
	}
	switch f.DataType {
	case "picklist", "multiselectpicklist":
		multi := f.DataType == "multiselectpicklist"
		elem := "string"
		if len(f.PickListValues) > 0 {
			pl, err := g.planPicklist(p, f, goName)
			if err != nil {
				return goKind{}, err
			}
			p.Picklists = append(p.Picklists, pl)
			elem = pl.TypeName
		}
		if multi {
			return goKind{goType: "[]" + elem, helper: rootPkg + ".MultiSelectField[" + elem + "]", shape: shapeArray}, nil
		}
		return goKind{goType: elem, helper: rootPkg + ".PicklistField[" + elem + "]", shape: shapeScalar}, nil
	case "formula", "rollup_summary":
		k, ok := returnKind(f.ReturnType(), g.cfg.Decimal)
		if !ok {
			k = kindRaw
		}
		k.readonly = true
		return k, nil
	case "subform":
		if _, ok := g.meta.Fields[f.SubformModule()]; !ok || f.SubformModule() == "" {
			// Without the row fields, rows stay whole as JSON objects:
			// nothing is lost on a round trip.
			return kindRecs, nil
		}
		row, err := g.planRow(p, f, goName, imports)
		if err != nil {
			return goKind{}, err
		}
		p.Rows = append(p.Rows, row)
		return goKind{goType: "[]" + row.TypeName, shape: shapeArray}, nil
	}
	if k, ok := scalarKind(f.DataType, g.cfg.Decimal); ok {
		return k, nil
	}
	return kindRaw, nil
}

func (g *generator) planPicklist(p *modulePlan, f Field, goName string) (picklistPlan, error) {
	typeName := p.TypeName + goName + "Value"
	what := fmt.Sprintf("picklist %s.%s", p.APIName, f.APIName)
	if err := g.declare(typeName, "type of "+what); err != nil {
		return picklistPlan{}, err
	}
	pl := picklistPlan{TypeName: typeName,
		Doc: fmt.Sprintf("%s is a value of the %s %s.%s%s.", typeName, f.DataType, p.APIName, f.APIName, quotedLabel(f.Label()))}
	vals := slices.Clone(f.PickListValues)
	sort.SliceStable(vals, func(i, j int) bool {
		if vals[i].SequenceNumber != vals[j].SequenceNumber {
			return vals[i].SequenceNumber < vals[j].SequenceNumber
		}
		return vals[i].Value() < vals[j].Value()
	})
	seenValue := map[string]bool{}
	local := map[string]string{} // constant name → value, within this picklist
	uses := map[string]int{}     // base constant name → values that wanted it
	for _, v := range vals {
		value := v.Value()
		if seenValue[value] {
			continue // Zoho lists some values twice (per layout); one constant is enough
		}
		seenValue[value] = true
		name := typeName + valueGoName(value)
		comment := ""
		if v.DisplayValue != "" && v.DisplayValue != value {
			comment = "displayed as " + strconv.Quote(v.DisplayValue)
		}
		uses[name]++
		if prev, ok := local[name]; ok {
			// Two values normalise to one name: number the later ones 2, 3, ….
			renamed := name + strconv.Itoa(uses[name])
			g.warn("%s: values %q and %q both map to %s; %q is named %s", what, prev, value, name, value, renamed)
			comment = strings.TrimPrefix(comment+"; ", "; ") + "numbered: " + strconv.Quote(prev) + " is " + name
			name = renamed
		}
		if err := g.declare(name, fmt.Sprintf("value %q of %s", value, what)); err != nil {
			return picklistPlan{}, err
		}
		local[name] = value
		pl.Values = append(pl.Values, valuePlan{Name: name, Value: strconv.Quote(value), Comment: comment})
	}
	return pl, nil
}

// planRow builds the row struct of a subform field from the subform
// module's fields. A row has its own ID (sent back so Zoho updates the row
// instead of adding one) and no Model: Zoho rejects record-level keys such
// as Owner inside rows.
func (g *generator) planRow(p *modulePlan, f Field, goName string, imports map[string]bool) (rowPlan, error) {
	typeName := p.TypeName + goName + "Row"
	what := fmt.Sprintf("subform %s.%s", p.APIName, f.APIName)
	if err := g.declare(typeName, "row type of "+what); err != nil {
		return rowPlan{}, err
	}
	sub := f.SubformModule()
	row := rowPlan{TypeName: typeName,
		Doc: fmt.Sprintf("%s is a row of the %s (subform module %s).", typeName, what, sub)}
	members := map[string]string{"ID": "id"}
	for _, sf := range sortedFields(g.meta.Fields[sub]) {
		if sf.APIName == "id" || !mappableAPIName(sf.APIName) {
			continue
		}
		name, err := g.fieldName(sub, sf, members, rowMembers)
		if err != nil {
			return rowPlan{}, err
		}
		if modelFields[sf.APIName] || sf.APIName == "Parent_Id" {
			sf.ReadOnly = true // Zoho sets these on rows
		}
		if sf.DataType == "subform" { // Zoho has no nested subforms; keep the JSON if one appears
			sf.DataType = "unknown"
		}
		// Picklists of rows are named after the row type.
		rp := &modulePlan{APIName: sub, TypeName: typeName}
		fp, _, err := g.planField(rp, sf, name, imports)
		if err != nil {
			return rowPlan{}, err
		}
		p.Picklists = append(p.Picklists, rp.Picklists...)
		row.Fields = append(row.Fields, fp)
	}
	return row, nil
}

// mappableAPIName reports whether zohohub's tag parser accepts an API name:
// ASCII letters, digits and "_" (all Zoho API names seen so far).
func mappableAPIName(s string) bool {
	for _, r := range s {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

func sortedFields(fields []Field) []Field {
	out := slices.Clone(fields)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].APIName), strings.ToLower(out[j].APIName)
		if a != b {
			return a < b
		}
		return out[i].APIName < out[j].APIName
	})
	return slices.CompactFunc(out, func(a, b Field) bool { return a.APIName == b.APIName })
}

// fingerprint hashes what the generated code depends on: each field's API
// name, types, read-only flags, targets and picklist values, plus the same
// for subform modules.
func (g *generator) fingerprint(fields []Field) (string, int) {
	h := sha256.New()
	var write func(prefix string, fs []Field)
	write = func(prefix string, fs []Field) {
		for _, f := range fs {
			var vals []string
			for _, v := range f.PickListValues {
				vals = append(vals, v.Value())
			}
			slices.Sort(vals)
			fmt.Fprintf(h, "%s%s\x1f%s\x1f%s\x1f%t\x1f%s\x1f%s\x1f%s\n", prefix, f.APIName, f.DataType, f.JSONType,
				f.IsReadOnly(), f.ReturnType(), f.SubformModule(), strings.Join(vals, "\x1e"))
			if f.DataType == "subform" && prefix == "" {
				write(f.APIName+".", sortedFields(g.meta.Fields[f.SubformModule()]))
			}
		}
	}
	write("", fields)
	return hex.EncodeToString(h.Sum(nil))[:16], len(fields)
}

func fieldComment(f Field) string {
	c := f.DataType
	if c == "" {
		c = "unknown type"
	}
	switch {
	case f.UsesSEModule():
		c += " → the module in " + seModuleAPIName
	case f.Lookup.Module.APIName != "":
		c += " → " + f.Lookup.Module.APIName
	case f.MultiSelectLookup.ConnectedModule.APIName != "":
		c += " → " + f.MultiSelectLookup.ConnectedModule.APIName + " via " + f.MultiSelectLookup.LinkingModule.APIName
	case f.ReturnType() != "":
		c += " → " + f.ReturnType()
	}
	if l := oneLine(f.Label()); l != "" {
		return strconv.Quote(l) + ", " + c
	}
	return c
}

func quotedLabel(l string) string {
	if l = oneLine(l); l == "" {
		return ""
	}
	return " (" + strconv.Quote(l) + ")"
}

// oneLine keeps a label from breaking out of a line comment.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

//go:embed module.go.tmpl
var templates embed.FS

var fileTemplate = template.Must(template.New("module.go.tmpl").Funcs(template.FuncMap{
	"quote": strconv.Quote,
	"label": quotedLabel,
}).ParseFS(templates, "module.go.tmpl"))
