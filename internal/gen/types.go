package gen

import (
	"fmt"
	"strings"
)

// goKind is what a Zoho data_type becomes in Go: the field's type and the
// field-helper type used to query it ("" when the field cannot be queried).
type goKind struct {
	goType string
	helper string
	// shape is the JSON shape the Go type decodes: scalar, object or array.
	shape string
	// readonly marks types Zoho computes (formula, rollup, auto-number).
	readonly bool
	// places says the Go type is a number whose field may carry Zoho's
	// decimal_place in its tag (decimals=N), so that a value needing more
	// places is refused instead of rounded by Zoho.
	places bool
}

// DecimalMode chooses the Go type of currency and decimal fields.
type DecimalMode string

const (
	// DecimalExact, the default, makes them zohohub.Decimal: Zoho keeps
	// up to 16 digits before the point and up to 9 after it, more than
	// float64's 15 to 16 significant digits, and the values are money, so
	// they are read and written exactly, as bigint fields are int64 and
	// ids are strings.
	DecimalExact DecimalMode = "exact"
	// DecimalFloat makes them float64, for code that prefers arithmetic
	// to exactness; a value with more places than the field keeps is
	// still refused.
	DecimalFloat DecimalMode = "float"
)

// ParseDecimalMode reads the -decimal flag; "" is the default.
func ParseDecimalMode(s string) (DecimalMode, error) {
	switch m := DecimalMode(s); m {
	case "":
		return DecimalExact, nil
	case DecimalExact, DecimalFloat:
		return m, nil
	}
	return "", fmt.Errorf("gen: -decimal=%s: want exact or float", s)
}

const (
	shapeScalar = "scalar"
	shapeObject = "object"
	shapeArray  = "array"
	shapeAny    = "any"
)

const (
	rootPkg      = "zohohub"
	rawType      = "json.RawMessage"
	timeType     = "time.Time"
	textHelper   = rootPkg + ".TextField"
	recordType   = rootPkg + ".Record"
	lookupType   = rootPkg + ".Lookup"
	userType     = rootPkg + ".User"
	fileType     = rootPkg + ".File"
	dateType     = rootPkg + ".Date"
	decimalType  = rootPkg + ".Decimal"
	bigintHelper = rootPkg + ".NumberField[int64]"
)

var (
	kindString = goKind{goType: "string", helper: textHelper, shape: shapeScalar}
	kindInt    = goKind{goType: "int", helper: rootPkg + ".NumberField[int]", shape: shapeScalar}
	kindInt64  = goKind{goType: "int64", helper: bigintHelper, shape: shapeScalar}
	kindFloat  = goKind{goType: "float64", helper: rootPkg + ".NumberField[float64]", shape: shapeScalar, places: true}
	kindDec    = goKind{goType: decimalType, helper: rootPkg + ".DecimalField", shape: shapeScalar, places: true}
	kindBool   = goKind{goType: "bool", helper: rootPkg + ".BoolField", shape: shapeScalar}
	kindDate   = goKind{goType: dateType, helper: rootPkg + ".DateField", shape: shapeScalar}
	kindTime   = goKind{goType: timeType, helper: rootPkg + ".DateTimeField", shape: shapeScalar}
	kindLookup = goKind{goType: lookupType, helper: rootPkg + ".LookupField", shape: shapeObject}
	kindUser   = goKind{goType: userType, helper: rootPkg + ".UserField", shape: shapeObject}
	kindRecord = goKind{goType: recordType, shape: shapeObject}
	kindRecs   = goKind{goType: "[]" + recordType, shape: shapeArray}
	kindFiles  = goKind{goType: "[]" + fileType, shape: shapeArray}
	kindRaw    = goKind{goType: rawType, shape: shapeAny}
	// kindTags is the system field Tag: the record's tags, changed only by
	// the tag actions (docs/wire.md §12.3).
	kindTags = goKind{goType: "[]" + rootPkg + ".Tag", helper: rootPkg + ".TagField", shape: shapeArray, readonly: true}
)

// tagField is the API name of the system field every module has for a
// record's tags.
const tagField = "Tag"

// isTagField reports whether f is the system field Tag: data_type text,
// json_type jsonarray (Zoho's metadata writes it so).
func isTagField(f Field) bool {
	return f.APIName == tagField && jsonShape(f.JSONType) == shapeArray
}

// scalarKinds maps the data types whose Go type does not depend on the
// field's other metadata. Picklists, multi-select picklists, subforms,
// formulas and rollups are handled by the generator.
var scalarKinds = map[string]goKind{
	"text": kindString, "textarea": kindString, "email": kindString, "phone": kindString,
	"website": kindString, "mediumtext": kindString, "profileimage": kindString,
	"autonumber": {goType: "string", helper: textHelper, shape: shapeScalar, readonly: true},
	"integer":    kindInt,
	"bigint":     kindInt64, "long": kindInt64,
	"double": kindFloat, "currency": kindFloat, "percent": kindFloat, "decimal": kindFloat,
	"boolean": kindBool,
	"date":    kindDate, "datetime": kindTime,
	"lookup": kindLookup, "consent_lookup": kindLookup, "layout": kindLookup,
	"ownerlookup": kindUser, "userlookup": kindUser,
	"multi_module_lookup": kindRecord,
	"multiselectlookup":   kindRecs, "multiuserlookup": kindRecs, "territories": kindRecs,
	"fileupload": kindFiles, "imageupload": kindFiles,
}

// returnKinds maps a formula's or rollup's return_type.
var returnKinds = map[string]goKind{
	"": kindString, "text": kindString, "string": kindString,
	"integer": kindInt, "bigint": kindInt64, "long": kindInt64,
	"double": kindFloat, "currency": kindFloat, "percent": kindFloat, "decimal": kindFloat,
	"boolean": kindBool, "date": kindDate, "datetime": kindTime,
}

// exactTypes are the data types (and formula return types) that hold
// money or fixed-point numbers: zohohub.Decimal under DecimalExact.
var exactTypes = map[string]bool{"currency": true, "decimal": true}

// scalarKind returns the kind of a data type listed in scalarKinds.
func scalarKind(dataType string, mode DecimalMode) (goKind, bool) {
	return kindIn(scalarKinds, dataType, mode)
}

// returnKind returns the kind of a formula's or rollup's return type.
func returnKind(returnType string, mode DecimalMode) (goKind, bool) {
	return kindIn(returnKinds, strings.ToLower(returnType), mode)
}

func kindIn(table map[string]goKind, name string, mode DecimalMode) (goKind, bool) {
	k, ok := table[name]
	if ok && exactTypes[name] && mode != DecimalFloat {
		k = kindDec
	}
	return k, ok
}

// jsonShape returns the shape a json_type promises, or "" when unknown.
func jsonShape(jsonType string) string {
	switch strings.ToLower(jsonType) {
	case "string", "integer", "double", "boolean":
		return shapeScalar
	case "jsonobject":
		return shapeObject
	case "jsonarray":
		return shapeArray
	}
	return ""
}

// compatible reports whether a Go type of shape k can decode the field's
// JSON. When Zoho's json_type disagrees with the data_type (the Tag field
// is data_type text but json_type jsonarray), the JSON wins.
func (k goKind) compatible(jsonType string) bool {
	s := jsonShape(jsonType)
	return s == "" || k.shape == shapeAny || s == k.shape
}
