package zohotest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zohohub/zohohub/internal/criteria"
)

// Search criteria (GET /{module}/search?criteria=…): the grammar is parsed
// by internal/criteria (see its package comment), shared with the client's
// fuzz tests; this file checks the tree against the module's fields and
// builds the evaluator of filter.go.
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
	maxNesting            = criteria.MaxNesting // guards COQL's recursive descent too
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
	tagDataType:           {"equals", "not_equal", "in"}, // by the tag's name (tags.go)
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
func parseCriteria(module, crit string, types fieldTypeFunc) (*filter, error) {
	tree, conds, err := criteria.Parse(crit)
	if err != nil {
		var ce *criteria.Error
		if errors.As(err, &ce) && ce.Position > 0 {
			return nil, invalidCriteria(ce.Reason, map[string]any{"position": ce.Position})
		}
		return nil, invalidCriteria(err.Error(), nil)
	}
	if conds > maxCriteriaConditions {
		return nil, invalidCriteria(fmt.Sprintf("criteria has %d conditions, at most %d are allowed",
			conds, maxCriteriaConditions), map[string]any{"limit": maxCriteriaConditions})
	}
	root, err := criteriaNode(module, tree, types)
	if err != nil {
		return nil, err
	}
	return &filter{root: root, conds: conds}, nil
}

func invalidCriteria(reason string, details map[string]any) *queryError {
	if details == nil {
		details = map[string]any{}
	}
	details["reason"] = reason
	return newQueryError("INVALID_QUERY", "Invalid query formed", details) // module_search.json's message; the reason is in details
}

// criteriaNode checks a parsed tree against the module's fields and
// builds the evaluator's.
func criteriaNode(module string, n *criteria.Node, types fieldTypeFunc) (*node, error) {
	if n.Cond != nil {
		c, err := criteriaCondition(module, n.Cond, types)
		if err != nil {
			return nil, err
		}
		return &node{cond: c}, nil
	}
	kids := n.And
	if kids == nil {
		kids = n.Or
	}
	out := make([]*node, len(kids))
	for i, k := range kids {
		var err error
		if out[i], err = criteriaNode(module, k, types); err != nil {
			return nil, err
		}
	}
	if n.And != nil {
		return &node{and: out}, nil
	}
	return &node{or: out}, nil
}

// criteriaCondition checks one api_name:operator:value against the
// field's data type.
func criteriaCondition(module string, cc *criteria.Cond, types fieldTypeFunc) (*condition, error) {
	field, op := cc.Field, cc.Op
	col, ok := resolveColumn(module, field, types)
	if !ok {
		return nil, newQueryError("INVALID_QUERY", "Invalid query formed",
			map[string]any{"api_name": field, "reason": fmt.Sprintf("%s is not a field of %s", field, module)})
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
	values := []string{cc.Value()}
	if criteria.MultiValued(op) {
		values = cc.Values()
	}
	switch {
	case spec.op == opBetween && len(values) != 2:
		return nil, invalidCriteria("between takes two comma-separated values",
			map[string]any{"api_name": field, "operator": op})
	case spec.op == opIn && len(values) > maxCriteriaInValues:
		return nil, invalidCriteria(fmt.Sprintf("in takes at most %d values", maxCriteriaInValues),
			map[string]any{"api_name": field, "operator": op, "limit": maxCriteriaInValues})
	}
	for _, v := range values {
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
