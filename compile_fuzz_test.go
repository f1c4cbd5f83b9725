package zohohub

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zohohub/zohohub/internal/criteria"
)

// The round trips: for every operator of the table, a condition holding a
// fuzzed value is compiled to each form Zoho has, read back with that
// form's parser (search criteria with zohotest's, through
// internal/criteria), and compared with the same condition compiled from
// the placeholder value: the value must come back intact, and change
// nothing else.

// placeholder is the value the template conditions hold.
const placeholder = "ph"

// fuzzConditions returns, for each operator, a condition of v in a small
// and/or tree (word, email and phone alone: they cannot be combined).
func fuzzConditions(v string) map[Operator]Condition {
	out := map[Operator]Condition{}
	for op, spec := range operators {
		if spec.param {
			out[op] = compare("", kindAny, op, text(v))
			continue
		}
		kind := kindText
		if !spec.appliesTo(kind) {
			kind = kindAny
		}
		value := v
		if spec.like == likePattern { // the value is text inside a pattern
			value = "%" + v + "%"
		}
		var vals []literal
		switch spec.arity {
		case oneValue:
			vals = []literal{text(value)}
		case twoValues, someValues:
			vals = []literal{text(value), text(value)}
		}
		leaf := compare("Last_Name", kind, op, vals...)
		out[op] = And(leaf, Or(TextField("Company").Equals(v), TextField("Email").In(v, v)))
	}
	out["multi-select "+OpEquals] = MultiSelectField[string]("Courses").Contains(v)
	out["multi-select "+OpNotIn] = MultiSelectField[string]("Courses").NotIn(v, v)
	// A tag filter: search criteria alone (COQL and Bulk Read refuse it).
	out["tag "+OpEquals] = And(TagField("Tag").Contains(v), TextField("Company").Equals(v))
	return out
}

// searchNode is parsed criteria in a comparable form.
type searchNode struct {
	Join   string
	Field  string
	Op     string
	Values []string
	Kids   []searchNode
}

func fromCriteria(n *criteria.Node) searchNode {
	switch {
	case n.Cond != nil:
		vals := []string{n.Cond.Value()}
		if criteria.MultiValued(n.Cond.Op) {
			vals = n.Cond.Values()
		}
		return searchNode{Field: n.Cond.Field, Op: n.Cond.Op, Values: vals}
	case n.And != nil:
		return searchNode{Join: "and", Kids: fromCriteriaAll(n.And)}
	}
	return searchNode{Join: "or", Kids: fromCriteriaAll(n.Or)}
}

func fromCriteriaAll(ns []*criteria.Node) []searchNode {
	out := make([]searchNode, len(ns))
	for i, n := range ns {
		out[i] = fromCriteria(n)
	}
	return out
}

// withValue replaces the placeholder in every value of the tree.
func (n searchNode) withValue(v string) searchNode {
	if n.Values != nil {
		n.Values = replaced(n.Values, v)
	}
	if n.Kids != nil {
		kids := make([]searchNode, len(n.Kids))
		for i, k := range n.Kids {
			kids[i] = k.withValue(v)
		}
		n.Kids = kids
	}
	return n
}

// parseSearch reads back compiled search parameters.
func parseSearch(t *testing.T, params url.Values) searchNode {
	t.Helper()
	decoded, err := url.ParseQuery(params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	crit := decoded.Get("criteria")
	if crit == "" {
		for _, p := range []string{"word", "email", "phone"} {
			if v, ok := decoded[p]; ok {
				return searchNode{Op: p, Values: v}
			}
		}
		t.Fatalf("no criteria nor search parameter in %v", params)
	}
	tree, _, err := criteria.Parse(crit)
	if err != nil {
		t.Fatalf("criteria %q does not parse: %v", crit, err)
	}
	return fromCriteria(tree)
}

// splitCOQL reads every single-quoted COQL literal in s as zohotest's
// lexer does (a doubled quote or \' is a quote, \\ a backslash) and returns them with
// the text around them, each literal replaced by "?".
func splitCOQL(s string) (skeleton string, lits []string, err error) {
	var sk strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			sk.WriteByte(s[i])
			continue
		}
		var b strings.Builder
		for i++; ; i++ {
			if i >= len(s) {
				return "", nil, fmt.Errorf("unterminated literal in %q", s)
			}
			if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '\'') {
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
		lits = append(lits, b.String())
		sk.WriteString("?")
	}
	return sk.String(), lits, nil
}

// bulkValues reads back compiled Bulk Read criteria as JSON and returns
// its structure with the values replaced by "?", and the values.
func bulkValues(t *testing.T, c bulkCriterion) (string, []string) {
	t.Helper()
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back bulkCriterion
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var vals []string
	var walk func(*bulkCriterion)
	walk = func(b *bulkCriterion) {
		for i := range b.Group {
			walk(&b.Group[i])
		}
		if b.Value == nil {
			return
		}
		var one string
		var many []string
		if json.Unmarshal(b.Value, &one) == nil {
			vals = append(vals, one)
		} else if err := json.Unmarshal(b.Value, &many); err == nil {
			vals = append(vals, many...)
		} else {
			t.Fatalf("value %s is neither a string nor a list of strings", b.Value)
		}
		b.Value = json.RawMessage(`"?"`)
	}
	walk(&back)
	shape, _ := json.Marshal(back)
	return string(shape), vals
}

// replaced substitutes v for the placeholder in each string.
func replaced(ss []string, v string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Replace(s, placeholder, v, 1)
	}
	return out
}

func roundTrips(t *testing.T, v string) {
	templates := fuzzConditions(placeholder)
	for op, c := range fuzzConditions(v) {
		tmpl := templates[op]
		spec, single := operators[op]
		if err := c.Err(); err != nil {
			if spec.param || !utf8.ValidString(v) {
				continue // word, email and phone need 2 characters; text must be UTF-8
			}
			t.Fatalf("%s of %q: %v", op, v, err)
		}
		if spec.like == likePattern && (v == "" || strings.Contains(v, "%")) {
			continue // the value would change the pattern's shape
		}
		likeBased := spec.like != notLike
		// Search.
		if params, err := c.searchParams(); err == nil {
			want, _ := tmpl.searchParams()
			if got, want := parseSearch(t, params), parseSearch(t, want).withValue(v); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: search %v parses to\n%+v\nwant\n%+v", op, params, got, want)
			}
		} else if _, terr := tmpl.searchParams(); terr == nil && v != "" && strings.TrimSpace(v) == v {
			t.Fatalf("%s: search refused %q: %v", op, v, err)
		}
		// COQL.
		if w, err := c.coql(); err == nil {
			tw, _ := tmpl.coql()
			skel, lits, err := splitCOQL(w)
			if err != nil {
				t.Fatal(err)
			}
			tskel, tlits, _ := splitCOQL(tw)
			if skel != tskel || !slices.Equal(lits, replaced(tlits, v)) {
				t.Fatalf("%s: COQL %q reads back as %q %q, want %q %q", op, w, skel, lits, tskel, replaced(tlits, v))
			}
		} else if _, terr := tmpl.coql(); terr == nil && !(likeBased && strings.ContainsAny(v, "%_") || !single && strings.ContainsAny(v, "%_;")) {
			t.Fatalf("%s: COQL refused %q: %v", op, v, err)
		}
		// Bulk Read.
		if b, err := c.bulkCriteria(); err == nil {
			tb, _ := tmpl.bulkCriteria()
			shape, vals := bulkValues(t, b)
			tshape, tvals := bulkValues(t, tb)
			if shape != tshape || !slices.Equal(vals, replaced(tvals, v)) {
				t.Fatalf("%s: Bulk Read %s %q, want %s %q", op, shape, vals, tshape, replaced(tvals, v))
			}
		} else if _, terr := tmpl.bulkCriteria(); terr == nil {
			t.Fatalf("%s: Bulk Read refused %q: %v", op, v, err)
		}
	}
}

func FuzzConditionRoundTrip(f *testing.F) {
	for _, s := range []string{"", " x", "Burns,B", "a(b)c", `x\`, `\\`, "a:b:c", "O'Leary", "日本", ")or(", `\,`,
		`\'`, "''", "a' or Last_Name != '", "50%", "a_b", "a;b", "%", "${EMPTY}", "x", "xx"} {
		f.Add(s)
	}
	f.Fuzz(roundTrips)
}

// TestRoundTripsCoverEveryOperator keeps the fuzz target in step with the
// table.
func TestRoundTripsCoverEveryOperator(t *testing.T) {
	conds := fuzzConditions(placeholder)
	for op := range operators {
		c, ok := conds[op]
		if !ok {
			t.Errorf("%s: no round trip", op)
			continue
		}
		if err := c.Err(); err != nil {
			t.Errorf("%s: %v", op, err)
		}
		_, serr := c.searchParams()
		_, cerr := c.coql()
		_, berr := c.bulkCriteria()
		if serr != nil && cerr != nil && berr != nil {
			t.Errorf("%s: no form expresses %v", op, c)
		}
	}
}
