package zohotest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Bulk read criteria (docs/wire.md §7): a JSON tree of groups
//
//	{"group_operator":"and","group":[…]}
//
// and conditions
//
//	{"field":{"api_name":"Last_Name"},"comparator":"equal","value":"Boyle"}
//
// ("api_name" at the top of a condition is accepted too), compiled into the
// evaluator of filter.go. "${EMPTY}" with equal or not_equal matches empty
// or non-empty values. Lookups compare by id. Text comparisons are
// case-insensitive, as in search (criteria.go).

type bulkCriteria struct {
	GroupOperator string         `json:"group_operator"`
	Group         []bulkCriteria `json:"group"`
	Field         *struct {
		APIName string `json:"api_name"`
	} `json:"field"`
	APIName    string `json:"api_name"`
	Comparator string `json:"comparator"`
	Value      any    `json:"value"`
}

const maxBulkCriteriaDepth = 16

var bulkComparators = map[string]struct {
	op     opKind
	negate bool
}{
	"equal": {opEq, false}, "not_equal": {opEq, true}, "in": {opIn, false}, "not_in": {opIn, true},
	"less_than": {opLt, false}, "less_equal": {opLe, false}, "greater_than": {opGt, false}, "greater_equal": {opGe, false},
	"contains": {opLike, false}, "not_contains": {opLike, true}, "starts_with": {opStartsWith, false}, "ends_with": {opLike, false},
	"between": {opBetween, false}, "not_between": {opBetween, true},
}

// bulkComparatorsFor lists the comparators a kind of field accepts.
func bulkComparatorsFor(k valueKind) []string {
	switch k {
	case kindText, kindMulti:
		return []string{"equal", "not_equal", "in", "not_in", "contains", "not_contains", "starts_with", "ends_with"}
	case kindNumber, kindDate, kindDateTime:
		return []string{"equal", "not_equal", "in", "not_in", "less_than", "less_equal", "greater_than", "greater_equal", "between", "not_between"}
	case kindBool:
		return []string{"equal", "not_equal"}
	case kindLookup:
		return []string{"equal", "not_equal", "in", "not_in"}
	}
	return nil
}

// badCriteria is a criteria error with the code bulk_read.json gives it.
func badCriteria(code, message, path string, details map[string]any) *zerr {
	details["json_path"] = path
	return newErr(400, code, message, details)
}

// node compiles the criteria at JSON path path.
func (bc *bulkCriteria) node(module string, types fieldTypeFunc, path string, depth int) (*node, *zerr) {
	if depth > maxBulkCriteriaDepth {
		return nil, badCriteria("INVALID_CRITERIA", "the criteria is nested too deep", path, map[string]any{"api_name": "group"})
	}
	if bc.Group != nil || bc.GroupOperator != "" {
		op := strings.ToLower(bc.GroupOperator)
		if op != "and" && op != "or" {
			return nil, badCriteria("GROUP_OPERATOR_NOT_SUPPORTED", "the group operator is not supported", path+".group_operator", map[string]any{"api_name": "group_operator", "supported_values": []string{"and", "or"}})
		}
		if len(bc.Group) == 0 {
			return nil, badCriteria("INVALID_CRITERIA", "the group is empty", path+".group", map[string]any{"api_name": "group"})
		}
		kids := make([]*node, len(bc.Group))
		for i := range bc.Group {
			k, err := bc.Group[i].node(module, types, fmt.Sprintf("%s.group[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			kids[i] = k
		}
		if op == "and" {
			return &node{and: kids}, nil
		}
		return &node{or: kids}, nil
	}
	name := bc.APIName
	if bc.Field != nil {
		name = bc.Field.APIName
	}
	col, ok := resolveColumn(module, name, types)
	if !ok {
		return nil, badCriteria("FIELD_IN_CRITERIA_NOT_AVAILABLE", "the field given in the criteria is not available", path+".field.api_name", map[string]any{"api_name": name})
	}
	spec, known := bulkComparators[bc.Comparator]
	allowed := bulkComparatorsFor(col.kind)
	if !known || !slices.Contains(allowed, bc.Comparator) {
		return nil, badCriteria("FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE", "the comparator is not supported for the field", path+".comparator", map[string]any{"api_name": name, "comparator": bc.Comparator, "supported_values": allowed})
	}
	c := &condition{col: col, op: spec.op, negate: spec.negate, nullNegates: true}
	if s, ok := bc.Value.(string); ok && s == "${EMPTY}" && spec.op == opEq {
		c.op = opIsNull
		return &node{cond: c}, nil
	}
	var raws []any
	switch spec.op {
	case opIn, opBetween:
		arr, ok := bc.Value.([]any)
		if !ok {
			arr = []any{bc.Value}
		}
		raws = arr
	default:
		raws = []any{bc.Value}
	}
	if len(raws) == 0 || (spec.op == opBetween && len(raws) != 2) {
		return nil, badCriteria("COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", "the value does not fit the comparator", path+".value", map[string]any{"api_name": name, "comparator": bc.Comparator})
	}
	for _, rv := range raws {
		raw, ok := scalarText(rv)
		o, valid := operandFor(col.kind, raw)
		if !ok || !valid {
			return nil, badCriteria("FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", "the value does not fit the field", path+".value", map[string]any{"api_name": name, "expected_data_type": col.dataType})
		}
		switch bc.Comparator {
		case "contains", "not_contains":
			o.like = []string{"", o.fold, ""}
		case "ends_with":
			o.like = []string{"", o.fold}
		}
		c.values = append(c.values, o)
	}
	return &node{cond: c}, nil
}

// scalarText is the text of a scalar JSON value: a criteria value, a
// mapping's default value, a bulk read CSV cell. A lookup ({"id": "…"}) is
// its id.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case map[string]any:
		id, ok := x["id"].(string)
		return id, ok
	}
	return "", false
}
