package criteria

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func show(n *Node) string {
	switch {
	case n.Cond != nil:
		return fmt.Sprintf("%s %s %q", n.Cond.Field, n.Cond.Op, n.Cond.Raw)
	case n.And != nil:
		return "and" + showAll(n.And)
	}
	return "or" + showAll(n.Or)
}

func showAll(ns []*Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = show(n)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func TestParseTree(t *testing.T) {
	for in, want := range map[string]string{
		"A:equals:x":                          `A equals "x"`,
		"((A:equals:x)and(B:in:1\\,2,3))":     `and[A equals "x", B in "1\\,2,3"]`,
		"(A:EQUALS:x) or (B:x:y) and (C:z:w)": `or[A equals "x", and[B x "y", C z "w"]]`,
		"(((A:e:x)and(B:e:y))or(C:e:z))":      `or[and[A e "x", B e "y"], C e "z"]`,
	} {
		n, _, err := Parse(in)
		if err != nil || show(n) != want {
			t.Errorf("Parse(%q) = %v, %v; want %s", in, n, err, want)
		}
	}
	n, conds, _ := Parse(`(A:in: a\,b ,c\\)`)
	if got := n.Cond.Values(); conds != 1 || len(got) != 2 || got[0] != "a,b" || got[1] != `c\` {
		t.Errorf("Values = %q (%d conditions)", got, conds)
	}
	var e *Error
	if _, _, err := Parse("(A:equals:x"); !errors.As(err, &e) || e.Position == 0 {
		t.Errorf("unterminated condition: %v", err)
	}
}
