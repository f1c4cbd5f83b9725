package zohohub

import (
	"fmt"
	"strings"
)

// criteriaEscaper backslash-escapes the characters that would otherwise
// end a value in search criteria: ( ) , and the backslash itself.
var criteriaEscaper = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, `,`, `\,`)

// criteria compiles the condition to Zoho search criteria, such as
// ((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M)). URL
// encoding is left to url.Values.
func (c Condition) criteria() (string, error) {
	if err := c.Err(); err != nil {
		return "", err
	}
	if n := c.leaves(); n > maxCriteriaConditions {
		return "", fmt.Errorf("zohohub: search takes at most %d conditions, this query has %d", maxCriteriaConditions, n)
	}
	var b strings.Builder
	if err := c.writeCriteria(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (c Condition) writeCriteria(b *strings.Builder) error {
	if c.isGroup() {
		b.WriteByte('(')
		for i, ch := range c.children {
			if i > 0 {
				b.WriteString(c.join)
			}
			if err := ch.writeCriteria(b); err != nil {
				return err
			}
		}
		b.WriteByte(')')
		return nil
	}
	if !inCriteria(c.kind, c.op) {
		return fmt.Errorf("zohohub: %s: operator %s needs COQL, not search", c.field, c.op)
	}
	b.WriteString("(" + c.field + ":" + string(c.op) + ":")
	for i, v := range c.values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(criteriaEscaper.Replace(v.text))
	}
	b.WriteByte(')')
	return nil
}

// coqlQuote writes a COQL string literal: quotes doubled, backslashes
// escaped, so no value can end the literal early.
func coqlQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'"
}

func (v literal) coql() string {
	if v.quoted {
		return coqlQuote(v.text)
	}
	return v.text
}

var coqlOps = map[Operator]string{
	OpEquals: "=", OpNotEqual: "!=", OpGreaterThan: ">", OpGreaterEqual: ">=", OpLessThan: "<", OpLessEqual: "<=",
}

// coql compiles the condition to a COQL WHERE expression. Zoho wants more
// than two conditions parenthesised pairwise, ((A and B) and C), so
// groups are folded from the left.
func (c Condition) coql() (string, error) {
	if err := c.Err(); err != nil {
		return "", err
	}
	if c.isGroup() {
		var acc string
		for i, ch := range c.children {
			s, err := ch.coql()
			if err != nil {
				return "", err
			}
			if i == 0 {
				acc = s
				continue
			}
			acc = "(" + acc + " " + c.join + " " + s + ")"
		}
		return acc, nil
	}
	f := c.field
	switch c.op {
	case OpIsNull:
		return f + " is null", nil
	case OpIsNotNull:
		return f + " is not null", nil
	case OpStartsWith:
		if strings.ContainsAny(c.values[0].text, "%_") {
			return "", fmt.Errorf("zohohub: %s: COQL cannot match %q literally (%% and _ are wildcards); use search criteria", f, c.values[0].text)
		}
		return f + " like " + coqlQuote(c.values[0].text+"%"), nil
	case OpLike:
		return f + " like " + coqlQuote(c.values[0].text), nil
	case OpIn:
		parts := make([]string, len(c.values))
		for i, v := range c.values {
			parts[i] = v.coql()
		}
		return f + " in (" + strings.Join(parts, ", ") + ")", nil
	case OpBetween:
		return f + " between " + c.values[0].coql() + " and " + c.values[1].coql(), nil
	}
	if c.kind == kindMultiSelect && c.op == OpEquals {
		return f + " like " + coqlQuote("%"+c.values[0].text+"%"), nil
	}
	op, ok := coqlOps[c.op]
	if !ok {
		return "", fmt.Errorf("zohohub: %s: operator %s has no COQL form", f, c.op)
	}
	return f + " " + op + " " + c.values[0].coql(), nil
}

// criteriaOnly reports whether search criteria can express c.
func (c Condition) criteriaOnly() bool {
	ok := true
	c.walk(func(l Condition) { ok = ok && inCriteria(l.kind, l.op) })
	return ok && c.leaves() <= maxCriteriaConditions
}
