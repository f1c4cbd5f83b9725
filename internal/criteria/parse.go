// Package criteria parses Zoho CRM search criteria, the criteria parameter
// of GET /crm/{version}/{module}/search, into a syntax tree. It knows the
// grammar only: field names, operators and values are left to the caller
// (zohotest checks them against a module's fields; the client's fuzz tests
// compare the tree with the condition it compiled).
//
//	criteria  = expr | condition                  (one condition may omit its parentheses)
//	expr      = term { "or" term }                (and binds tighter than or)
//	term      = factor { "and" factor }
//	factor    = "(" expr ")" | "(" condition ")"
//	condition = api_name ":" operator ":" value   (split on the first two colons only)
//
// Keywords are case-insensitive; whitespace around parentheses, keywords,
// names and operators is ignored. Inside a value "\(", "\)", "\," and "\\"
// stand for the character (any "\x" is read as "x"); unescaped whitespace at
// either end of a value is dropped. "in" and "between" split their value on
// unescaped commas (Cond.Values).
package criteria

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNesting bounds the parentheses the parser descends into, far above
// any real query, so hostile input cannot exhaust the stack.
const MaxNesting = 64

// Node is a parsed criteria: a condition, or an and/or group of nodes.
// Exactly one of And, Or and Cond is set.
type Node struct {
	And, Or []*Node
	Cond    *Cond
}

// Cond is one api_name:operator:value condition.
type Cond struct {
	Field string // the API name (or dot path), trimmed
	Op    string // the operator, trimmed and lower-cased
	Raw   string // the value as written, escapes kept
}

// Value is the condition's value with its escapes resolved and its
// unescaped surrounding whitespace dropped.
func (c *Cond) Value() string { return Unescape(c.Raw) }

// Values splits the value on unescaped commas, as in and between read
// it, and resolves each part's escapes.
func (c *Cond) Values() []string {
	parts := SplitEscaped(c.Raw, ',')
	for i, p := range parts {
		parts[i] = Unescape(p)
	}
	return parts
}

// MultiValued reports whether op reads a comma-separated list of values.
func MultiValued(op string) bool { return op == "in" || op == "between" }

// Error is malformed criteria. Position is the 1-based byte offset the
// parser stopped at, or 0 when the error is about a whole condition.
type Error struct {
	Reason   string
	Position int
}

// Error implements error.
func (e *Error) Error() string { return e.Reason }

// Parse parses URL-decoded criteria and returns its tree and the number of
// conditions in it.
func Parse(s string) (*Node, int, error) {
	p := &parser{s: strings.TrimSpace(s)}
	if p.s == "" {
		return nil, 0, &Error{Reason: "criteria is empty"}
	}
	if p.s[0] != '(' {
		c, err := p.condition(p.s)
		if err != nil {
			return nil, 0, err
		}
		return &Node{Cond: c}, p.conds, nil
	}
	n, err := p.or(0)
	if err != nil {
		return nil, 0, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, 0, p.syntax("expected \"and\", \"or\" or the end of the criteria")
	}
	return n, p.conds, nil
}

type parser struct {
	s     string
	pos   int
	conds int
}

// syntax reports malformed criteria at the current position.
func (p *parser) syntax(what string) *Error {
	near := p.s[p.pos:]
	if len(near) > 20 {
		near = near[:20]
	}
	return &Error{Reason: fmt.Sprintf("%s at position %d near %q", what, p.pos+1, near), Position: p.pos + 1}
}

func (p *parser) skipSpace() {
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
func (p *parser) keyword(word string) bool {
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

func (p *parser) or(depth int) (*Node, error) { return p.list(depth, "or", p.and) }

func (p *parser) and(depth int) (*Node, error) { return p.list(depth, "and", p.factor) }

// list parses operands joined by keyword.
func (p *parser) list(depth int, keyword string, operand func(int) (*Node, error)) (*Node, error) {
	first, err := operand(depth)
	if err != nil {
		return nil, err
	}
	kids := []*Node{first}
	for p.keyword(keyword) {
		n, err := operand(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	switch {
	case len(kids) == 1:
		return first, nil
	case keyword == "and":
		return &Node{And: kids}, nil
	}
	return &Node{Or: kids}, nil
}

func (p *parser) factor(depth int) (*Node, error) {
	p.skipSpace()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, p.syntax("expected \"(\"")
	}
	if depth >= MaxNesting {
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
	return &Node{Cond: c}, nil
}

// condition splits "api_name:operator:value".
func (p *parser) condition(text string) (*Cond, error) {
	p.conds++
	field, rest, ok1 := strings.Cut(text, ":")
	op, raw, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 {
		return nil, &Error{Reason: fmt.Sprintf("condition %q is not api_name:operator:value", text)}
	}
	return &Cond{Field: strings.TrimSpace(field), Op: strings.ToLower(strings.TrimSpace(op)), Raw: raw}, nil
}

// SplitEscaped splits s on sep where sep is not backslash-escaped; the
// parts keep their escapes.
func SplitEscaped(s string, sep byte) []string {
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

// Unescape resolves backslash escapes and drops unescaped whitespace at
// both ends. A lone trailing backslash stays literal.
func Unescape(s string) string {
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
