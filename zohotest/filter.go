package zohotest

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// This file holds the evaluator shared by search criteria (criteria.go) and
// COQL (coql.go): a parsed, immutable condition tree that is matched against
// records decoded by encoding/json with UseNumber. A *filter is safe for
// concurrent use.

// fieldTypeFunc reports the Zoho data_type of a field of a module, e.g.
// "text" or "integer". Lookup fields report "lookup:<TargetModule>" (plain
// "lookup" is accepted too, but then dot paths through it cannot resolve);
// ownerlookup and userlookup point at "Users" unless they say otherwise
// ("ownerlookup:Users").
type fieldTypeFunc func(module, apiName string) (dataType string, ok bool)

// recordLookupFunc returns the stored record id of module, for lookup dot
// paths (Account_Name.Account_Name).
type recordLookupFunc func(module, id string) (map[string]any, bool)

// queryError is a search or COQL rejection in Zoho's terms: Code is the
// envelope's "code" (INVALID_QUERY, SYNTAX_ERROR, LIMIT_EXCEEDED, …),
// Message its "message" and Details its "details". All are HTTP 400.
type queryError struct {
	Code    string
	Message string
	Details map[string]any
}

// Error implements error.
func (e *queryError) Error() string {
	if len(e.Details) == 0 {
		return e.Code + ": " + e.Message
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Details)
}

func newQueryError(code, msg string, details map[string]any) *queryError {
	if details == nil {
		details = map[string]any{}
	}
	return &queryError{Code: code, Message: msg, Details: details}
}

// valueKind is how values of a data_type compare.
type valueKind int

const (
	kindUnsupported valueKind = iota // subform, fileupload, …: not filterable
	kindText                         // text, picklist, email, …: case-insensitive strings
	kindMulti                        // multiselectpicklist: array of strings
	kindNumber                       // integer, bigint, double, currency, …: exact decimals
	kindBool                         // boolean
	kindDate                         // date: civil day
	kindDateTime                     // datetime: instant
	kindLookup                       // lookup, ownerlookup, userlookup: {id, name}
	kindTags                         // the system field Tag: array of {name, id, color_code}; search only
)

// splitDataType separates "lookup:Accounts" into "lookup" and "Accounts".
// User lookups default to the Users module.
func splitDataType(dt string) (base, target string) {
	base, target, _ = strings.Cut(dt, ":")
	base = strings.ToLower(strings.TrimSpace(base))
	target = strings.TrimSpace(target)
	if target == "" && (base == "ownerlookup" || base == "userlookup") {
		target = "Users"
	}
	return base, target
}

func kindOf(base string) valueKind {
	switch base {
	case "text", "textarea", "email", "phone", "website", "picklist", "autonumber",
		"mediumtext", "formula":
		return kindText
	case "multiselectpicklist":
		return kindMulti
	case "integer", "bigint", "long", "double", "currency", "percent", "decimal":
		return kindNumber
	case "boolean":
		return kindBool
	case "date":
		return kindDate
	case "datetime":
		return kindDateTime
	case "lookup", "ownerlookup", "userlookup":
		return kindLookup
	case tagDataType:
		return kindTags
	}
	return kindUnsupported
}

// userFallbackTypes are the sub-fields of an owner/user lookup that resolve
// even when the Users module has no field metadata: they live in the
// embedded {"id","name","email"} object.
var userFallbackTypes = map[string]string{"id": "bigint", "name": "text", "email": "email"}

// column is a resolved field reference: a field of the queried module, or a
// one-level lookup dot path (Account_Name.Account_Name).
type column struct {
	name      string // as written: "Last_Name" or "Account_Name.Account_Name"
	field     string // field of the queried module
	sub       string // field of the looked-up record, "" without a dot path
	subModule string // module of the looked-up record
	dataType  string // base data_type of the leaf field
	kind      valueKind
}

// resolveColumn checks name against the module's fields; ok is false for an
// unknown field, a dot path through a non-lookup (or a lookup without a
// known target) and paths deeper than one level.
func resolveColumn(module, name string, types fieldTypeFunc) (column, bool) {
	c := column{name: name, field: name}
	field, sub, dotted := strings.Cut(name, ".")
	if dotted {
		c.field, c.sub = field, sub
		if field == "" || sub == "" || strings.Contains(sub, ".") {
			return c, false
		}
	}
	dt, ok := fieldType(module, c.field, types)
	if !ok {
		return c, false
	}
	base, target := splitDataType(dt)
	if !dotted {
		c.dataType, c.kind = base, kindOf(base)
		return c, true
	}
	if kindOf(base) != kindLookup || target == "" {
		return c, false
	}
	c.subModule = target
	subType, ok := fieldType(target, sub, types)
	if !ok && (base == "ownerlookup" || base == "userlookup") {
		subType, ok = userFallbackTypes[strings.ToLower(sub)]
	}
	if !ok {
		return c, false
	}
	sb, _ := splitDataType(subType)
	c.dataType, c.kind = sb, kindOf(sb)
	return c, true
}

// fieldType asks types and falls back to treating "id" as a bigint: record
// ids are 19-digit strings and every module has one.
func fieldType(module, name string, types fieldTypeFunc) (string, bool) {
	if types != nil {
		if dt, ok := types(module, name); ok {
			return dt, true
		}
	}
	if name == "id" {
		return "bigint", true
	}
	return "", false
}

// value returns the column's value in rec, following a dot path through
// lookup. A missing target record or field falls back to the embedded lookup
// object ({"id","name","email"} for users).
func (c *column) value(rec map[string]any, lookup recordLookupFunc) any {
	v := rec[c.field]
	if c.sub == "" {
		return v
	}
	id, _ := lookupParts(v)
	if id == "" {
		return nil
	}
	if c.sub == "id" {
		return id
	}
	if lookup != nil {
		if target, ok := lookup(c.subModule, id); ok {
			if v, ok := target[c.sub]; ok {
				return v
			}
		}
	}
	if m, ok := v.(map[string]any); ok {
		return m[c.sub]
	}
	return nil
}

// opKind is a comparison; negated forms are a flag on the condition.
type opKind int

const (
	opEq opKind = iota
	opStartsWith
	opLike
	opIn
	opGt
	opGe
	opLt
	opLe
	opBetween
	opIsNull
)

// operand is one literal of a condition, pre-parsed for its column's kind.
type operand struct {
	raw  string
	fold string // lower-cased raw, for case-insensitive text comparisons
	num  *big.Rat
	t    time.Time
	b    bool
	like []string // pattern split on '%'
}

// condition is one leaf of a filter.
type condition struct {
	col    column
	op     opKind
	negate bool
	values []operand
	// nullNegates makes a negated condition match a null value, as search's
	// not_equal does; COQL uses SQL semantics (null matches only IS NULL).
	nullNegates bool
	// byName lets a lookup match on its display name as well as its id
	// (search); COQL compares lookup ids only.
	byName bool
	// likeJoined makes like read a multi-select as COQL does: its values
	// joined by ";", as Zoho stores them ("A;B"); Bulk Read's contains
	// and ends_with look at each value.
	likeJoined bool
}

// node is an and/or tree over conditions.
type node struct {
	and, or []*node
	cond    *condition
}

// filter is a parsed search criteria or COQL WHERE clause.
type filter struct {
	root  *node
	conds int
}

// match reports whether rec satisfies the filter. lookup resolves dot paths
// and may be nil. A nil filter matches everything.
func (f *filter) match(rec map[string]any, lookup recordLookupFunc) bool {
	if f == nil || f.root == nil {
		return true
	}
	return f.root.eval(rec, lookup)
}

func (n *node) eval(rec map[string]any, lookup recordLookupFunc) bool {
	switch {
	case n.cond != nil:
		return n.cond.eval(rec, lookup)
	case n.and != nil:
		for _, k := range n.and {
			if !k.eval(rec, lookup) {
				return false
			}
		}
		return true
	default:
		for _, k := range n.or {
			if k.eval(rec, lookup) {
				return true
			}
		}
		return false
	}
}

func (c *condition) eval(rec map[string]any, lookup recordLookupFunc) bool {
	v := c.col.value(rec, lookup)
	null := isNull(v)
	if c.op == opIsNull {
		return null != c.negate
	}
	if null {
		return c.negate && c.nullNegates
	}
	return c.test(v) != c.negate
}

// isNull treats absent, null, empty strings, empty arrays and id-less lookup
// objects alike: Zoho stores none of them as a value.
func isNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	case map[string]any:
		id, _ := lookupParts(x)
		return id == ""
	}
	return false
}

// test applies the positive form of the operator to a non-null value.
func (c *condition) test(v any) bool {
	switch c.col.kind {
	case kindText:
		return c.testStrings([]string{textOf(v)})
	case kindMulti:
		if c.likeJoined && c.op == opLike {
			return c.testStrings([]string{strings.Join(stringsOf(v), ";")})
		}
		return c.testStrings(stringsOf(v))
	case kindTags:
		return c.testStrings(stringsOf(v)) // a tag's text is its name (textOf)
	case kindLookup:
		id, name := lookupParts(v)
		for _, o := range c.values {
			switch c.op {
			case opEq, opIn:
				if id == o.raw || (c.byName && strings.EqualFold(name, o.raw)) {
					return true
				}
			case opStartsWith:
				if c.byName && strings.HasPrefix(strings.ToLower(name), o.fold) {
					return true
				}
			}
		}
		return false
	case kindBool:
		b, ok := boolOf(v)
		return ok && len(c.values) > 0 && b == c.values[0].b
	case kindNumber, kindDate, kindDateTime:
		return c.testOrdered(v)
	}
	return false
}

// testStrings matches when any of the (multi-select) elements matches any
// operand. Text equality is case-insensitive and exact; see criteria.go.
func (c *condition) testStrings(elems []string) bool {
	for _, e := range elems {
		fe := strings.ToLower(e)
		for _, o := range c.values {
			switch c.op {
			case opEq, opIn:
				if fe == o.fold {
					return true
				}
			case opStartsWith:
				if strings.HasPrefix(fe, o.fold) {
					return true
				}
			case opLike:
				if likeMatch(o.like, fe) {
					return true
				}
			}
		}
	}
	return false
}

func (c *condition) testOrdered(v any) bool {
	cmp := func(o operand) (int, bool) { return compareOrdered(c.col.kind, v, o) }
	switch c.op {
	case opEq, opIn:
		for _, o := range c.values {
			if r, ok := cmp(o); ok && r == 0 {
				return true
			}
		}
		return false
	case opBetween:
		lo, ok1 := cmp(c.values[0])
		hi, ok2 := cmp(c.values[1])
		return ok1 && ok2 && lo >= 0 && hi <= 0
	}
	r, ok := cmp(c.values[0])
	if !ok {
		return false
	}
	switch c.op {
	case opGt:
		return r > 0
	case opGe:
		return r >= 0
	case opLt:
		return r < 0
	case opLe:
		return r <= 0
	}
	return false
}

// compareOrdered compares a record value with an operand of the same kind.
func compareOrdered(k valueKind, v any, o operand) (int, bool) {
	switch k {
	case kindNumber:
		r, ok := ratOf(v)
		if !ok || o.num == nil {
			return 0, false
		}
		return r.Cmp(o.num), true
	case kindDate, kindDateTime:
		t, ok := timeOf(v, k)
		if !ok {
			return 0, false
		}
		return t.Compare(o.t), true
	}
	return 0, false
}

// textOf renders a scalar record value as text.
func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	case map[string]any:
		_, name := lookupParts(x)
		return name
	}
	return fmt.Sprint(v)
}

// stringsOf returns the elements of a multi-select value.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if e != nil {
				out = append(out, textOf(e))
			}
		}
		return out
	case []string:
		return x
	case string:
		return []string{x}
	}
	return nil
}

// lookupParts extracts id and name from a lookup value ({"id","name"}) or a
// bare id string.
func lookupParts(v any) (id, name string) {
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["id"]; ok && s != nil {
			id = textOf(s)
		}
		if s, ok := x["name"].(string); ok {
			name = s
		}
	case string:
		id = x
	case fmt.Stringer: // json.Number id
		id = x.String()
	}
	return id, name
}

func boolOf(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// decimalPattern is a plain decimal number; big.Rat would also take "1/3".
var decimalPattern = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?$`)

// parseDecimal parses a number exactly, so bigint values beyond 2^53 and
// currency decimals compare without rounding.
func parseDecimal(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if !decimalPattern.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func ratOf(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case string:
		return parseDecimal(x)
	case fmt.Stringer: // json.Number
		return parseDecimal(x.String())
	case float64:
		r := new(big.Rat)
		if r.SetFloat64(x) == nil {
			return nil, false
		}
		return r, true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	}
	return nil, false
}

// parseDate and parseDateTime accept Zoho's wire formats: yyyy-MM-dd and
// ISO 8601 with an offset (or Z).
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func parseDateTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// timeOf reads a stored date or datetime. Stored values are tolerated in
// either format: a datetime in a date field counts as its civil day.
func timeOf(v any, k valueKind) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	if k == kindDate {
		if t, ok := parseDate(s); ok {
			return t, true
		}
		if t, ok := parseDateTime(s); ok {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
		}
		return time.Time{}, false
	}
	if t, ok := parseDateTime(s); ok {
		return t, true
	}
	return parseDate(s)
}

// operandFor parses raw as a literal for a column of kind k. ok is false when
// the literal cannot be a value of that kind.
func operandFor(k valueKind, raw string) (operand, bool) {
	o := operand{raw: raw, fold: strings.ToLower(raw)}
	switch k {
	case kindNumber:
		r, ok := parseDecimal(raw)
		o.num = r
		return o, ok
	case kindBool:
		b, ok := boolOf(raw)
		o.b = b
		return o, ok
	case kindDate, kindDateTime:
		parse := parseDate
		if k == kindDateTime {
			parse = parseDateTime
		}
		t, ok := parse(raw)
		o.t = t
		return o, ok
	case kindText, kindMulti, kindLookup, kindTags:
		return o, true
	}
	return o, false
}

// likeMatch matches s (lower-cased) against a pattern split on '%'. Only
// '%' is a wildcard, as Zoho documents; '_' is literal.
func likeMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// compareValues orders two record values of kind k for ORDER BY: nulls
// first (as MySQL sorts ascending), then by value.
func compareValues(k valueKind, a, b any) int {
	an, bn := isNull(a), isNull(b)
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	switch k {
	case kindNumber:
		ra, oka := ratOf(a)
		rb, okb := ratOf(b)
		if oka && okb {
			return ra.Cmp(rb)
		}
	case kindDate, kindDateTime:
		ta, oka := timeOf(a, k)
		tb, okb := timeOf(b, k)
		if oka && okb {
			return ta.Compare(tb)
		}
	case kindBool:
		ba, _ := boolOf(a)
		bb, _ := boolOf(b)
		switch {
		case ba == bb:
			return 0
		case !ba:
			return -1
		}
		return 1
	case kindLookup:
		ia, na := lookupParts(a)
		ib, nb := lookupParts(b)
		if r := strings.Compare(strings.ToLower(na), strings.ToLower(nb)); r != 0 {
			return r
		}
		return compareIDs(ia, ib)
	case kindMulti:
		return strings.Compare(strings.ToLower(strings.Join(stringsOf(a), ";")),
			strings.ToLower(strings.Join(stringsOf(b), ";")))
	}
	return strings.Compare(strings.ToLower(textOf(a)), strings.ToLower(textOf(b)))
}

// compareIDs orders numeric id strings numerically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// deepCopy copies maps and slices so projected values never alias stored
// records.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	case []string:
		return append([]string(nil), x...)
	}
	return v
}
