package zohotest

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search criteria (GET /{module}/search?criteria=…), api-notes §3:
//
//	criteria  = expr | condition                  (one condition may omit its parentheses)
//	expr      = term { "or" term }                (and binds tighter than or)
//	term      = factor { "and" factor }
//	factor    = "(" expr ")" | "(" condition ")"
//	condition = api_name ":" operator ":" value   (split on the first two colons only)
//
// Keywords and operators are case-insensitive; whitespace around parentheses,
// keywords, names and operators is ignored. Inside a value "\(", "\)", "\,"
// and "\\" stand for the character (any "\x" is read as "x"); unescaped
// whitespace at either end of a value is dropped. "in" and "between" split
// their value on unescaped commas.
//
// Deviations from Zoho, chosen so tests are deterministic:
//   - equals on text fields is a case-insensitive exact match; Zoho's search
//     index treats it like a word/contains match ("ABC" also finds "ABC Inc").
//   - starts_with is a case-insensitive prefix match.
//   - a lookup matches equals/in by id or by display name (case-insensitive).
//   - a record whose field is empty matches not_equal and nothing else.
//   - mixed and/or without parentheses is accepted with and binding tighter.
//   - the "≥2 characters" rule for search values is not enforced here.
//   - more than 10 conditions is INVALID_QUERY (Zoho's code for it is not
//     documented).

const (
	maxCriteriaConditions = 10
	maxCriteriaInValues   = 100
	maxNesting            = 64 // guards the recursive descent, far above any real query
)

// criteriaOperators lists the search operators each data_type accepts.
var criteriaOperators = map[string][]string{
	"text":                {"equals", "not_equal", "starts_with", "in"},
	"email":               {"equals", "not_equal", "starts_with", "in"},
	"phone":               {"equals", "not_equal", "starts_with", "in"},
	"website":             {"equals", "not_equal", "starts_with", "in"},
	"textarea":            {"equals", "not_equal", "starts_with"},
	"mediumtext":          {"equals", "not_equal", "starts_with"},
	"picklist":            {"equals", "not_equal", "in"},
	"autonumber":          {"equals", "not_equal", "in"},
	"multiselectpicklist": {"equals", "not_equal", "in", "starts_with"},
	"ownerlookup":         {"equals", "not_equal", "in"},
	"userlookup":          {"equals", "not_equal", "in"},
	"lookup":              {"equals", "not_equal", "in"},
	"boolean":             {"equals", "not_equal"},
	"formula":             {"equals", "not_equal"},
	"date":                orderedCriteriaOperators,
	"datetime":            orderedCriteriaOperators,
	"integer":             orderedCriteriaOperators,
	"bigint":              orderedCriteriaOperators,
	"long":                orderedCriteriaOperators,
	"double":              orderedCriteriaOperators,
	"currency":            orderedCriteriaOperators,
	"decimal":             orderedCriteriaOperators,
	"percent":             orderedCriteriaOperators,
}

var orderedCriteriaOperators = []string{"equals", "not_equal", "greater_than", "greater_equal",
	"less_than", "less_equal", "between", "in"}

// criteriaOps maps a search operator to the evaluator's.
var criteriaOps = map[string]struct {
	op     opKind
	negate bool
}{
	"equals":        {opEq, false},
	"not_equal":     {opEq, true},
	"starts_with":   {opStartsWith, false},
	"in":            {opIn, false},
	"greater_than":  {opGt, false},
	"greater_equal": {opGe, false},
	"less_than":     {opLt, false},
	"less_equal":    {opLe, false},
	"between":       {opBetween, false},
}

// parseCriteria parses an already URL-decoded criteria string for module.
// Errors are *queryError with code INVALID_QUERY.
func parseCriteria(module, criteria string, types fieldTypeFunc) (*filter, error) {
	p := &criteriaParser{module: module, types: types, s: strings.TrimSpace(criteria)}
	if p.s == "" {
		return nil, invalidCriteria("criteria is empty", nil)
	}
	var root *node
	if p.s[0] != '(' {
		c, err := p.condition(p.s)
		if err != nil {
			return nil, err
		}
		root = &node{cond: c}
	} else {
		n, err := p.or(0)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos < len(p.s) {
			return nil, p.syntax("expected \"and\", \"or\" or the end of the criteria")
		}
		root = n
	}
	if p.conds > maxCriteriaConditions {
		return nil, invalidCriteria(fmt.Sprintf("criteria has %d conditions, at most %d are allowed",
			p.conds, maxCriteriaConditions), map[string]any{"limit": maxCriteriaConditions})
	}
	return &filter{root: root, conds: p.conds}, nil
}

type criteriaParser struct {
	module string
	types  fieldTypeFunc
	s      string
	pos    int
	conds  int
}

func invalidCriteria(reason string, details map[string]any) *queryError {
	if details == nil {
		details = map[string]any{}
	}
	details["reason"] = reason
	return newQueryError("INVALID_QUERY", "Invalid query formed", details) // module_search.json's message; the reason is in details
}

// syntax reports a malformed criteria at the current position.
func (p *criteriaParser) syntax(what string) *queryError {
	near := p.s[p.pos:]
	if len(near) > 20 {
		near = near[:20]
	}
	return invalidCriteria(fmt.Sprintf("%s at position %d near %q", what, p.pos+1, near),
		map[string]any{"position": p.pos + 1})
}

func (p *criteriaParser) skipSpace() {
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

// keyword consumes word (case-insensitive) when it stands alone before "("
// or whitespace.
func (p *criteriaParser) keyword(word string) bool {
	save := p.pos
	p.skipSpace()
	end := p.pos + len(word)
	if end < len(p.s) && strings.EqualFold(p.s[p.pos:end], word) &&
		(p.s[end] == '(' || p.s[end] == ' ' || p.s[end] == '\t' || p.s[end] == '\n' || p.s[end] == '\r') {
		p.pos = end
		return true
	}
	p.pos = save
	return false
}

func (p *criteriaParser) or(depth int) (*node, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for p.keyword("or") {
		n, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &node{or: kids}, nil
}

func (p *criteriaParser) and(depth int) (*node, error) {
	first, err := p.factor(depth)
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for p.keyword("and") {
		n, err := p.factor(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &node{and: kids}, nil
}

func (p *criteriaParser) factor(depth int) (*node, error) {
	p.skipSpace()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, p.syntax("expected \"(\"")
	}
	if depth >= maxNesting {
		return nil, p.syntax("parentheses nested too deeply")
	}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '(' {
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != ')' {
			return nil, p.syntax("expected \")\"")
		}
		p.pos++
		return n, nil
	}
	// A condition runs to the first unescaped ")"; its value must escape
	// parentheses.
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] != ')' {
		switch p.s[p.pos] {
		case '\\':
			p.pos++
		case '(':
			return nil, p.syntax("unescaped \"(\" inside a condition (write \\( in values)")
		}
		p.pos++
	}
	if p.pos >= len(p.s) {
		p.pos = start
		return nil, p.syntax("condition is missing its closing \")\" (a trailing \\ in a value must be doubled)")
	}
	text := p.s[start:p.pos]
	p.pos++
	c, err := p.condition(text)
	if err != nil {
		return nil, err
	}
	return &node{cond: c}, nil
}

// condition parses "api_name:operator:value".
func (p *criteriaParser) condition(text string) (*condition, error) {
	p.conds++
	field, rest, ok1 := strings.Cut(text, ":")
	op, raw, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 {
		return nil, invalidCriteria(fmt.Sprintf("condition %q is not api_name:operator:value", text), nil)
	}
	field = strings.TrimSpace(field)
	op = strings.ToLower(strings.TrimSpace(op))
	col, ok := resolveColumn(p.module, field, p.types)
	if !ok {
		return nil, newQueryError("INVALID_QUERY", "Invalid query formed",
			map[string]any{"api_name": field, "reason": fmt.Sprintf("%s is not a field of %s", field, p.module)})
	}
	spec, known := criteriaOps[op]
	allowed := criteriaOperators[col.dataType]
	if !known || !contains(allowed, op) {
		reason := fmt.Sprintf("operator %q is not supported for %s (%s)", op, field, col.dataType)
		if len(allowed) > 0 {
			reason += "; allowed: " + strings.Join(allowed, ", ")
		}
		return nil, newQueryError("INVALID_QUERY", "Invalid query formed",
			map[string]any{"api_name": field, "operator": op, "reason": reason})
	}
	c := &condition{col: col, op: spec.op, negate: spec.negate, nullNegates: true, byName: true}
	var pieces []string
	switch spec.op {
	case opIn, opBetween:
		pieces = splitEscaped(raw, ',')
	default:
		pieces = []string{raw}
	}
	switch {
	case spec.op == opBetween && len(pieces) != 2:
		return nil, invalidCriteria("between takes two comma-separated values",
			map[string]any{"api_name": field, "operator": op})
	case spec.op == opIn && len(pieces) > maxCriteriaInValues:
		return nil, invalidCriteria(fmt.Sprintf("in takes at most %d values", maxCriteriaInValues),
			map[string]any{"api_name": field, "operator": op, "limit": maxCriteriaInValues})
	}
	for _, piece := range pieces {
		v := unescapeValue(piece)
		if v == "" {
			return nil, invalidCriteria(fmt.Sprintf("value for %s is empty", field),
				map[string]any{"api_name": field, "operator": op})
		}
		o, ok := operandFor(col.kind, v)
		if !ok {
			return nil, invalidCriteria(fmt.Sprintf("value %q is not a valid %s for %s", v, col.dataType, field),
				map[string]any{"api_name": field, "expected_data_type": col.dataType})
		}
		c.values = append(c.values, o)
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// splitEscaped splits s on sep where sep is not backslash-escaped; the parts
// keep their escapes.
func splitEscaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// unescapeValue resolves backslash escapes and drops unescaped whitespace
// at both ends. A lone trailing backslash stays literal.
func unescapeValue(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	keep := 0 // length of b up to the last escaped or non-space rune
	for i := 0; i < len(s); {
		escaped := false
		if s[i] == '\\' && i+1 < len(s) {
			i++
			escaped = true
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+n] // original bytes, so invalid UTF-8 survives
		i += n
		if b.Len() == 0 && !escaped && unicode.IsSpace(r) {
			continue
		}
		b.WriteString(raw)
		if escaped || !unicode.IsSpace(r) {
			keep = b.Len()
		}
	}
	return b.String()[:keep]
}
