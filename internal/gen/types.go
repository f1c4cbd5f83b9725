package gen

import "strings"

// goKind is what a Zoho data_type becomes in Go: the field's type and the
// field-helper type used to query it ("" when the field cannot be queried).
type goKind struct {
	goType string
	helper string
	// shape is the JSON shape the Go type decodes: scalar, object or array.
	shape string
	// readonly marks types Zoho computes (formula, rollup, auto-number).
	readonly bool
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
	bigintHelper = rootPkg + ".NumberField[int64]"
)

var (
	kindString = goKind{goType: "string", helper: textHelper, shape: shapeScalar}
	kindInt    = goKind{goType: "int", helper: rootPkg + ".NumberField[int]", shape: shapeScalar}
	kindInt64  = goKind{goType: "int64", helper: bigintHelper, shape: shapeScalar}
	kindFloat  = goKind{goType: "float64", helper: rootPkg + ".NumberField[float64]", shape: shapeScalar}
	kindBool   = goKind{goType: "bool", helper: rootPkg + ".BoolField", shape: shapeScalar}
	kindDate   = goKind{goType: dateType, helper: rootPkg + ".DateField", shape: shapeScalar}
	kindTime   = goKind{goType: timeType, helper: rootPkg + ".DateTimeField", shape: shapeScalar}
	kindLookup = goKind{goType: lookupType, helper: rootPkg + ".LookupField", shape: shapeObject}
	kindUser   = goKind{goType: userType, helper: rootPkg + ".UserField", shape: shapeObject}
	kindRecord = goKind{goType: recordType, shape: shapeObject}
	kindRecs   = goKind{goType: "[]" + recordType, shape: shapeArray}
	kindFiles  = goKind{goType: "[]" + fileType, shape: shapeArray}
	kindRaw    = goKind{goType: rawType, shape: shapeAny}
)

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
