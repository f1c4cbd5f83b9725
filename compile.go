package zohohub

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A condition compiles to three of Zoho's filter languages, each from the
// operator table (operators.go): search criteria or a search parameter
// (compile_criteria.go), a COQL WHERE clause (compile_coql.go) and Bulk
// Read criteria (compile_bulk.go). A form that cannot express a condition
// says why; the planner (Query.plan) sends a query in a form that can.

// String shows the condition as Zoho's search receives it, or else as
// COQL, or else as Bulk Read criteria.
func (c Condition) String() string {
	if v, err := c.searchParams(); err == nil {
		if crit := v.Get("criteria"); crit != "" {
			return crit
		}
		return v.Encode()
	}
	s, err := c.coql()
	if err == nil {
		return s
	}
	if b, berr := c.bulkCriteria(); berr == nil {
		j, _ := json.Marshal(b)
		return string(j)
	}
	return "invalid condition: " + err.Error()
}

// cannot is the error of a form that has no spelling of c's operator for
// its field's kind.
func (c Condition) cannot(form string) error {
	return fmt.Errorf("zohohub: %s: %s has no %s for a %s field", c.field, form, c.op, c.kind)
}

// likeEquivalent is the operator a Like or NotLike pattern's shape stands
// for, for the forms that have no patterns: 'x' is Equals, 'x%'
// StartsWith, '%x' EndsWith, '%x%' Contains, and a pattern of only % is
// IsNotNull (NotLike: their opposites). A % inside the text has none.
func (c Condition) likeEquivalent(form string) (Condition, error) {
	p := c.values[0].text
	var eq Condition
	switch lead, trail := strings.HasPrefix(p, "%"), strings.HasSuffix(p, "%"); {
	case p != "" && strings.Trim(p, "%") == "":
		eq = compare(c.field, c.kind, OpIsNotNull)
	default:
		inner := p
		if lead {
			inner = inner[1:]
		}
		if trail {
			inner = inner[:len(inner)-1]
		}
		if strings.Contains(inner, "%") {
			return Condition{}, fmt.Errorf("zohohub: %s: %s %q has a wildcard inside the text, which %s cannot express (only COQL can)", c.field, c.op, p, form)
		}
		op := map[[2]bool]Operator{{false, false}: OpEquals, {false, true}: OpStartsWith, {true, false}: OpEndsWith, {true, true}: OpContains}[[2]bool{lead, trail}]
		eq = compare(c.field, c.kind, op, text(inner))
	}
	if c.op == OpNotLike {
		return Not(eq), eq.Err()
	}
	return eq, eq.Err()
}
