package zohohub

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// literal is a value already formatted as Zoho expects it; quoted says
// whether COQL needs it in single quotes (text, dates) or not (numbers).
type literal struct {
	text   string
	quoted bool
}

// Condition is a test on a record: a comparison of one field, or a group
// of conditions joined with And or Or, nested to any depth. Conditions are
// immutable values built by the field helpers (such as TextField.Equals),
// SearchWord, SearchEmail and SearchPhone, and by And, Or and Not. A
// condition built from bad input carries its error,
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

// Not matches what c does not. No form of Zoho's has a NOT, so Not
// rewrites c: And becomes Or and Or And (De Morgan), and each comparison
// becomes its opposite: Equals and NotEqual, In and NotIn, GreaterThan and
// LessEqual, GreaterEqual and LessThan, Between and NotBetween,
// StartsWith, EndsWith, Contains and Like and their Not forms, IsNull and
// IsNotNull, a checkbox's Is(v) and Is(!v). An empty field matches the
// negative operators (NotEqual, NotIn, …), as Zoho's search does, but
// neither side of an ordering: Not(GreaterThan(5)) skips it too. Word,
// email and phone searches have no opposite.
func Not(c Condition) Condition {
	if err := c.Err(); err != nil {
		return c
	}
	if c.isGroup() {
		kids := make([]Condition, len(c.children))
		for i, ch := range c.children {
			kids[i] = Not(ch)
		}
		return group(map[string]string{"and": "or", "or": "and"}[c.join], kids)
	}
	if c.kind == kindBool && c.op == OpEquals {
		flipped := literal{text: map[string]string{"true": "false", "false": "true"}[c.values[0].text]}
		return compare(c.field, c.kind, OpEquals, flipped)
	}
	opposite := operators[c.op].opposite
	if opposite == "" {
		return Condition{field: c.field, err: fmt.Errorf("zohohub: Not: %q has no opposite", c.op)}
	}
	return compare(c.field, c.kind, opposite, c.values...)
}

// SearchWord matches records holding the word in any field, as Zoho's
// search by word does (GET {module}/search?word=). It is a search of its
// own: only Zoho's search API runs it, alone (Zoho takes one of criteria,
// email, phone and word), without OrderBy and within search's 2,000
// results; COQL and Bulk Read cannot, so All and Count send it to search
// and Export refuses it. Zoho wants at least 2 characters.
func SearchWord(word string) Condition { return compare("", kindAny, OpWord, text(word)) }

// SearchEmail matches records whose email fields hold the address (Zoho's
// search by email); see SearchWord for where it runs.
func SearchEmail(address string) Condition { return compare("", kindAny, OpEmail, text(address)) }

// SearchPhone matches records whose phone fields hold the number (Zoho's
// search by phone); see SearchWord for where it runs.
func SearchPhone(number string) Condition { return compare("", kindAny, OpPhone, text(number)) }

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
	kindTag // the system field Tag: the record's tags
)

func (k fieldKind) String() string {
	return [...]string{"field", "text", "picklist", "multi-select picklist", "number", "date", "datetime", "boolean", "lookup", "user lookup", "tag"}[k]
}

// compare builds a comparison, checking the field name, the operator
// against the kind (some form of Zoho's must accept it) and the number of
// values against the operator.
func compare(field string, kind fieldKind, op Operator, values ...literal) Condition {
	c := Condition{field: field, kind: kind, op: op, values: values}
	spec, known := operators[op]
	switch {
	case !known:
		c.err = fmt.Errorf("zohohub: %s: unknown operator %q", field, op)
	case spec.param:
		if len(values) == 1 && utf8.RuneCountInString(strings.TrimSpace(values[0].text)) < 2 {
			c.err = fmt.Errorf("zohohub: a %s search needs at least 2 characters, got %q", op, values[0].text)
		}
	case strings.TrimSpace(field) == "":
		c.err = errors.New("zohohub: condition on an empty field name")
	case !validFieldPath(field):
		c.err = fmt.Errorf("zohohub: %q is not a Zoho field API name", field)
	case !spec.appliesTo(kind):
		c.err = fmt.Errorf("zohohub: %s: operator %s does not apply to a %s field", field, op, kind)
	}
	if c.err == nil {
		c.err = spec.checkValues(field, op, len(values))
	}
	for _, v := range values {
		if c.err == nil && !utf8.ValidString(v.text) {
			// JSON (COQL, Bulk Read) would turn it into U+FFFD unseen.
			c.err = fmt.Errorf("zohohub: %s: value %q is not valid UTF-8", field, v.text)
		}
	}
	return c
}

// checkValues checks the number of values against the operator's arity.
func (s operatorSpec) checkValues(field string, op Operator, n int) error {
	switch {
	case s.arity == noValue && n != 0:
		return fmt.Errorf("zohohub: %s: %s takes no value, got %d", field, op, n)
	case s.arity == oneValue && n != 1:
		return fmt.Errorf("zohohub: %s: %s takes 1 value, got %d", field, op, n)
	case s.arity == twoValues && n != 2:
		return fmt.Errorf("zohohub: %s: %s takes 2 values, got %d", field, op, n)
	case s.arity == someValues && n == 0:
		return fmt.Errorf("zohohub: %s: %s takes at least one value", field, op)
	case s.arity == someValues && n > maxInValues:
		return fmt.Errorf("zohohub: %s: %s takes at most %d values, got %d", field, op, maxInValues, n)
	}
	return nil
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

// numeric is what a NumberField's values may be.
type numeric interface {
	~int | ~int64 | ~float64 | Decimal
}

// number writes an integer in base 10, a float in its shortest form
// without an exponent and a Decimal with its places. Decimal in the union
// leaves N no conversions, so the value is read through its kind.
func number[N numeric](n N) literal {
	if d, ok := any(n).(Decimal); ok {
		return decimalLit(d)
	}
	v := reflect.ValueOf(n)
	if v.CanFloat() {
		return literal{text: strconv.FormatFloat(v.Float(), 'f', -1, 64)}
	}
	return literal{text: strconv.FormatInt(v.Int(), 10)}
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
