package zohohub

import (
	"fmt"
	"strings"
)

// maxCOQLConditions is the most comparisons a COQL WHERE clause takes.
const maxCOQLConditions = 25

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

// coql compiles the condition to a COQL WHERE expression (docs/wire.md
// §4). Zoho wants more than two conditions parenthesised pairwise,
// ((A and B) and C), so groups are folded from the left.
func (c Condition) coql() (string, error) {
	if err := c.Err(); err != nil {
		return "", err
	}
	w, n, err := c.coqlExpr()
	if err != nil {
		return "", err
	}
	if n > maxCOQLConditions {
		return "", fmt.Errorf("zohohub: the conditions make %d COQL comparisons; Zoho takes at most %d", n, maxCOQLConditions)
	}
	return w, nil
}

// coqlFold joins expressions pairwise from the left.
func coqlFold(join string, parts []string) string {
	acc := parts[0]
	for _, p := range parts[1:] {
		acc = "(" + acc + " " + join + " " + p + ")"
	}
	return acc
}

// coqlExpr compiles c and counts the comparisons it makes.
func (c Condition) coqlExpr() (string, int, error) {
	if c.isGroup() {
		parts := make([]string, len(c.children))
		total := 0
		for i, ch := range c.children {
			s, n, err := ch.coqlExpr()
			if err != nil {
				return "", 0, err
			}
			parts[i], total = s, total+n
		}
		return coqlFold(c.join, parts), total, nil
	}
	spec := operators[c.op]
	if !spec.coql.on.has(c.kind) {
		if spec.param {
			return "", 0, fmt.Errorf("zohohub: COQL has no %s search; only Zoho's search API runs it", c.op)
		}
		return "", 0, c.cannot("COQL")
	}
	f, op := c.field, spec.coql.name
	var expr string
	n := 1
	switch {
	case c.kind == kindMultiSelect && spec.arity != noValue:
		var err error
		if expr, n, err = c.coqlElements(spec); err != nil {
			return "", 0, err
		}
	case spec.arity == noValue:
		expr = f + " " + op
	case spec.like != notLike:
		pattern, err := c.coqlPattern(spec.like)
		if err != nil {
			return "", 0, err
		}
		expr = f + " " + op + " " + coqlQuote(pattern)
	case spec.arity == someValues:
		parts := make([]string, len(c.values))
		for i, v := range c.values {
			parts[i] = v.coql()
		}
		expr = f + " " + op + " (" + strings.Join(parts, ", ") + ")"
	case spec.arity == twoValues:
		expr = f + " " + op + " " + c.values[0].coql() + " and " + c.values[1].coql()
	default:
		expr = f + " " + op + " " + c.values[0].coql()
	}
	if spec.negative {
		// Search and Bulk Read match an empty field with a negative
		// operator; COQL, like SQL, would not.
		expr, n = "("+f+" is null or "+expr+")", n+1
	}
	return expr, n, nil
}

// coqlPattern is the like pattern of a like-based operator. Zoho documents
// no escape for % and _ in a pattern (docs/wire.md §4), so text holding
// either cannot be matched literally; Like's own % are its wildcards.
func (c Condition) coqlPattern(shape likeShape) (string, error) {
	v := c.values[0].text
	if shape == likePattern {
		if strings.Contains(v, "_") {
			return "", fmt.Errorf("zohohub: %s: COQL cannot match the _ in %s %q literally (Zoho's like has no escape)", c.field, c.op, v)
		}
		return v, nil
	}
	if strings.ContainsAny(v, "%_") {
		return "", fmt.Errorf("zohohub: %s: COQL cannot match %q literally: %% and _ are like wildcards and Zoho's like has no escape", c.field, v)
	}
	return map[likeShape]string{likePrefix: v + "%", likeSuffix: "%" + v, likeInfix: "%" + v + "%"}[shape], nil
}

// coqlElements matches the elements of a multi-select picklist, which
// COQL compares as its values joined by ";" ("A;B;C"): v is selected when
// the text is v, starts with "v;", ends with ";v" or holds ";v;". A
// substring match ('%v%') would also find "vw". Equals and In match when a
// value is selected; NotEqual and NotIn when none is.
func (c Condition) coqlElements(spec operatorSpec) (string, int, error) {
	positive := !spec.negative
	var parts []string
	for _, v := range c.values {
		if strings.ContainsAny(v.text, "%_;") {
			return "", 0, fmt.Errorf("zohohub: %s: COQL cannot match the multi-select value %q (%%, _ and ; are special in its like)", c.field, v.text)
		}
		for _, p := range []string{v.text, v.text + ";%", "%;" + v.text, "%;" + v.text + ";%"} {
			if positive {
				parts = append(parts, c.field+" like "+coqlQuote(p))
			} else {
				parts = append(parts, c.field+" not like "+coqlQuote(p))
			}
		}
	}
	join := "or"
	if !positive {
		join = "and"
	}
	return coqlFold(join, parts), len(parts), nil
}
