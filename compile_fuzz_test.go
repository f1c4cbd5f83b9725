package zohohub

import (
	"fmt"
	"strings"
	"testing"
)

// node is a parsed condition tree, for comparing a compiled query with
// the condition it came from.
type node struct {
	join     string
	field    string
	op       string
	values   []string
	children []node
}

func (n node) String() string {
	if n.join != "" {
		parts := make([]string, len(n.children))
		for i, c := range n.children {
			parts[i] = c.String()
		}
		return n.join + "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("%s %s %q", n.field, n.op, n.values)
}

func treeOf(c Condition) node {
	if c.isGroup() {
		n := node{join: c.join}
		for _, ch := range c.children {
			n.children = append(n.children, treeOf(ch))
		}
		return n
	}
	n := node{field: c.field, op: string(c.op)}
	for _, v := range c.values {
		n.values = append(n.values, v.text)
	}
	return n
}

// parseCriteria reads back Zoho search criteria as Zoho does: groups of
// parenthesised conditions joined by and/or, values split on unescaped
// commas, backslash escapes removed.
func parseCriteria(s string) (node, string, error) {
	if !strings.HasPrefix(s, "(") {
		return node{}, s, fmt.Errorf("want ( at %q", s)
	}
	if strings.HasPrefix(s, "((") { // a group
		g := node{}
		rest := s[1:]
		for {
			child, r, err := parseCriteria(rest)
			if err != nil {
				return node{}, "", err
			}
			g.children = append(g.children, child)
			rest = r
			switch {
			case strings.HasPrefix(rest, ")"):
				return g, rest[1:], nil
			case strings.HasPrefix(rest, "and("), strings.HasPrefix(rest, "or("):
				j := rest[:strings.IndexByte(rest, '(')]
				if g.join != "" && g.join != j {
					return node{}, "", fmt.Errorf("mixed joins")
				}
				g.join, rest = j, rest[len(j):]
			default:
				return node{}, "", fmt.Errorf("unexpected %q", rest)
			}
		}
	}
	body := s[1:]
	parts := strings.SplitN(body, ":", 3)
	if len(parts) < 3 {
		return node{}, "", fmt.Errorf("bad condition %q", s)
	}
	n := node{field: parts[0], op: parts[1]}
	var cur strings.Builder
	v := parts[2]
	for i := 0; i < len(v); i++ {
		switch ch := v[i]; ch {
		case '\\':
			i++
			if i == len(v) {
				return node{}, "", fmt.Errorf("dangling backslash")
			}
			cur.WriteByte(v[i])
		case ',':
			n.values = append(n.values, cur.String())
			cur.Reset()
		case ')':
			n.values = append(n.values, cur.String())
			return n, v[i+1:], nil
		case '(':
			return node{}, "", fmt.Errorf("unescaped ( in value")
		default:
			cur.WriteByte(ch)
		}
	}
	return node{}, "", fmt.Errorf("unterminated condition")
}

// unquoteCOQL reads every single-quoted COQL literal in s.
func unquoteCOQL(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		var b strings.Builder
		for i++; ; i++ {
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated literal")
			}
			if s[i] == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
				continue
			}
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(s[i])
		}
		out = append(out, b.String())
	}
	return out, nil
}

func fuzzCondition(v string) Condition {
	return And(TextField("Last_Name").Equals(v),
		Or(TextField("Company").In(v, v+"x"), TextField("Email").StartsWith(v)),
		TextField("City").NotEqual(v))
}

func FuzzCriteriaRoundTrip(f *testing.F) {
	for _, s := range []string{"", "Burns,B", "a(b)c", `x\`, `\\`, "a:b:c", "O'Leary", "日本", ")or(", `\,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c := fuzzCondition(v)
		crit, err := c.criteria()
		if err != nil {
			t.Fatal(err)
		}
		got, rest, err := parseCriteria(crit)
		if err != nil || rest != "" {
			t.Fatalf("criteria %q does not parse: %v (rest %q)", crit, err, rest)
		}
		if want := treeOf(c); got.String() != want.String() {
			t.Fatalf("criteria %q parses to\n%s\nwant\n%s", crit, got, want)
		}
	})
}

func FuzzCOQLRoundTrip(f *testing.F) {
	for _, s := range []string{"", "O'Leary", `x\`, `\'`, "''", "a' or Last_Name != '", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c := And(TextField("Last_Name").Equals(v), TextField("Company").In(v, v+"x"), TextField("City").NotEqual(v))
		w, err := c.coql()
		if err != nil {
			t.Fatal(err)
		}
		lits, err := unquoteCOQL(w)
		if err != nil {
			t.Fatalf("%q: %v", w, err)
		}
		want := []string{v, v, v + "x", v}
		if fmt.Sprint(lits) != fmt.Sprint(want) {
			t.Fatalf("COQL %q has literals %q, want %q", w, lits, want)
		}
		// Outside the literals only the query's own structure remains.
		skeleton := w
		for _, l := range lits {
			q := coqlQuote(l)
			skeleton = strings.Replace(skeleton, q, "?", 1)
		}
		if skeleton != "((Last_Name = ? and Company in (?, ?)) and City != ?)" {
			t.Fatalf("COQL structure changed by the value: %q", skeleton)
		}
	})
}
