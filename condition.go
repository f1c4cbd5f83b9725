package zohohub

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Operator is a comparison in a condition. Its value is the name Zoho's
// search criteria use; COQL spells some differently.
type Operator string

// The operators. Like, IsNull and IsNotNull exist only in COQL, so a query
// using them is sent as COQL.
const (
	OpEquals       Operator = "equals"
	OpNotEqual     Operator = "not_equal"
	OpStartsWith   Operator = "starts_with"
	OpIn           Operator = "in"
	OpGreaterThan  Operator = "greater_than"
	OpGreaterEqual Operator = "greater_equal"
	OpLessThan     Operator = "less_than"
	OpLessEqual    Operator = "less_equal"
	OpBetween      Operator = "between"
	OpLike         Operator = "like"
	OpIsNull       Operator = "is_null"
	OpIsNotNull    Operator = "is_not_null"
)

// literal is a value already formatted as Zoho expects it; quoted says
// whether COQL needs it in single quotes (text, dates) or not (numbers).
type literal struct {
	text   string
	quoted bool
}

// Condition is a test on a record: a comparison of one field, or a group
// of conditions joined with And or Or, nested to any depth. Conditions are
// immutable values built by the field helpers (such as TextField.Equals)
// and by And and Or. A condition built from bad input carries its error,
// which a query reports before sending anything.
type Condition struct {
	field  string
	kind   fieldKind
	op     Operator
	values []literal

	join     string // "and" or "or" for a group
	children []Condition
	err      error
}

// Err returns why the condition is invalid, or nil.
func (c Condition) Err() error {
	if c.err != nil {
		return c.err
	}
	for _, ch := range c.children {
		if err := ch.Err(); err != nil {
			return err
		}
	}
	return nil
}

// And joins conditions that must all hold.
func And(conds ...Condition) Condition { return group("and", conds) }

// Or joins conditions of which at least one must hold.
func Or(conds ...Condition) Condition { return group("or", conds) }

func group(join string, conds []Condition) Condition {
	switch len(conds) {
	case 0:
		return Condition{err: fmt.Errorf("zohohub: %s() of no conditions", strings.ToUpper(join))}
	case 1:
		return conds[0]
	}
	return Condition{join: join, children: append([]Condition(nil), conds...)}
}

func (c Condition) isGroup() bool { return c.join != "" }

// leaves counts the comparisons in the condition.
func (c Condition) leaves() int {
	if !c.isGroup() {
		return 1
	}
	n := 0
	for _, ch := range c.children {
		n += ch.leaves()
	}
	return n
}

// walk calls f for every comparison.
func (c Condition) walk(f func(Condition)) {
	if !c.isGroup() {
		f(c)
		return
	}
	for _, ch := range c.children {
		ch.walk(f)
	}
}

// String shows the condition as search criteria, or as COQL when search
// criteria cannot express it.
func (c Condition) String() string {
	if s, err := c.criteria(); err == nil {
		return s
	}
	s, err := c.coql()
	if err != nil {
		return "invalid condition: " + err.Error()
	}
	return s
}

// fieldKind is the family of Zoho data types a field belongs to; it
// decides which operators apply and how values are written.
type fieldKind int

const (
	kindAny fieldKind = iota
	kindText
	kindPicklist
	kindMultiSelect
	kindNumber
	kindDate
	kindDateTime
	kindBool
	kindLookup
	kindUser
)

func (k fieldKind) String() string {
	return [...]string{"field", "text", "picklist", "multi-select picklist", "number", "date", "datetime", "boolean", "lookup", "user lookup"}[k]
}

// criteriaOps lists the operators Zoho's search supports per kind
// (api-notes §3); COQL adds like and null checks.
var criteriaOps = map[fieldKind][]Operator{
	kindAny:         {OpEquals, OpNotEqual, OpStartsWith, OpIn, OpGreaterThan, OpGreaterEqual, OpLessThan, OpLessEqual, OpBetween},
	kindText:        {OpEquals, OpNotEqual, OpStartsWith, OpIn},
	kindPicklist:    {OpEquals, OpNotEqual, OpIn},
	kindMultiSelect: {OpEquals, OpNotEqual, OpIn, OpStartsWith},
	kindNumber:      {OpEquals, OpNotEqual, OpGreaterThan, OpGreaterEqual, OpLessThan, OpLessEqual, OpBetween, OpIn},
	kindDate:        {OpEquals, OpNotEqual, OpGreaterThan, OpGreaterEqual, OpLessThan, OpLessEqual, OpBetween, OpIn},
	kindDateTime:    {OpEquals, OpNotEqual, OpGreaterThan, OpGreaterEqual, OpLessThan, OpLessEqual, OpBetween, OpIn},
	kindBool:        {OpEquals, OpNotEqual},
	kindLookup:      {OpEquals, OpNotEqual, OpIn},
	kindUser:        {OpEquals, OpNotEqual, OpIn},
}

func inCriteria(k fieldKind, op Operator) bool {
	for _, o := range criteriaOps[k] {
		if o == op {
			return true
		}
	}
	return false
}

// compare builds a comparison, checking the operator against the kind and
// the number of values against the operator.
func compare(field string, kind fieldKind, op Operator, values ...literal) Condition {
	c := Condition{field: field, kind: kind, op: op, values: values}
	switch {
	case strings.TrimSpace(field) == "":
		c.err = errors.New("zohohub: condition on an empty field name")
	case !validFieldPath(field):
		c.err = fmt.Errorf("zohohub: %q is not a Zoho field API name", field)
	case op == OpIsNull || op == OpIsNotNull:
	case op == OpLike:
		if kind != kindText && kind != kindAny && kind != kindPicklist {
			c.err = fmt.Errorf("zohohub: %s: like does not apply to a %s field", field, kind)
		}
	case !inCriteria(kind, op):
		c.err = fmt.Errorf("zohohub: %s: operator %s does not apply to a %s field", field, op, kind)
	case op == OpBetween && len(values) != 2:
		c.err = fmt.Errorf("zohohub: %s: between takes 2 values, got %d", field, len(values))
	case op == OpIn && len(values) == 0:
		c.err = fmt.Errorf("zohohub: %s: in takes at least one value", field)
	case op == OpIn && len(values) > maxInValues:
		c.err = fmt.Errorf("zohohub: %s: in takes at most %d values, got %d", field, maxInValues, len(values))
	case op != OpIn && op != OpBetween && len(values) != 1:
		c.err = fmt.Errorf("zohohub: %s: %s takes 1 value, got %d", field, op, len(values))
	}
	return c
}

// validFieldPath reports whether field is an API name, or API names joined
// with "." through lookups (Account_Name.Owner): it goes into criteria and
// COQL unquoted, so white space or operators in it would change the query.
func validFieldPath(field string) bool {
	for part := range strings.SplitSeq(field, ".") {
		if !validAPIName(part) {
			return false
		}
	}
	return true
}

func text(s string) literal { return literal{text: s, quoted: true} }
func textAll(s []string) []literal {
	out := make([]literal, len(s))
	for i, v := range s {
		out[i] = text(v)
	}
	return out
}

func number[N ~int | ~int64 | ~float64](n N) literal {
	if N(1)/N(2) != 0 { // a floating-point type
		return literal{text: strconv.FormatFloat(float64(n), 'f', -1, 64)}
	}
	return literal{text: strconv.FormatInt(int64(n), 10)}
}

func dateLit(d Date) literal { return literal{text: d.String(), quoted: true} }

// dateTimeLit writes a datetime as Zoho does, with a numeric offset even
// for UTC ("+00:00", never "Z").
func dateTimeLit(t time.Time) literal { return literal{text: t.Format(wireTimeLayout), quoted: true} }

// anyLiteral formats a value of an untyped condition by its Go type.
func anyLiteral(v any) (literal, error) {
	switch x := v.(type) {
	case string:
		return text(x), nil
	case bool:
		return literal{text: strconv.FormatBool(x)}, nil
	case int:
		return number(x), nil
	case int64:
		return literal{text: strconv.FormatInt(x, 10)}, nil
	case float64:
		return number(x), nil
	case Date:
		return dateLit(x), nil
	case time.Time:
		return dateTimeLit(x), nil
	case Lookup:
		return text(x.ID), nil
	case User:
		return text(x.ID), nil
	}
	return literal{}, fmt.Errorf("zohohub: a condition value of type %T is not supported (use string, bool, int, int64, float64, Date, time.Time, Lookup or User)", v)
}
