package zohohub

import (
	"encoding/json"
	"errors"
)

// bulkCriterion is a Bulk Read criteria group or comparison
// (docs/wire.md §7).
type bulkCriterion struct {
	GroupOperator string          `json:"group_operator,omitempty"`
	Group         []bulkCriterion `json:"group,omitempty"`
	Field         *apiNameRef     `json:"field,omitempty"`
	Comparator    string          `json:"comparator,omitempty"`
	Value         json.RawMessage `json:"value,omitempty"`
}

// bulkEmpty is the Bulk Read value that stands for an empty field.
var bulkEmpty = json.RawMessage(`"${EMPTY}"`)

// bulkCriteria compiles the condition to Bulk Read criteria. A Like
// pattern becomes the comparator of its shape (likeEquivalent); Bulk
// Read's comparators take their text literally, so % and _ need no
// escape.
func (c Condition) bulkCriteria() (bulkCriterion, error) {
	if err := c.Err(); err != nil {
		return bulkCriterion{}, err
	}
	if c.isGroup() {
		g := bulkCriterion{GroupOperator: c.join, Group: make([]bulkCriterion, len(c.children))}
		for i, ch := range c.children {
			var err error
			if g.Group[i], err = ch.bulkCriteria(); err != nil {
				return bulkCriterion{}, err
			}
		}
		return g, nil
	}
	spec := operators[c.op]
	switch {
	case spec.param:
		return bulkCriterion{}, errors.New("zohohub: Bulk Read has no " + string(c.op) + " search; only Zoho's search API runs it (use All)")
	case spec.like == likePattern:
		eq, err := c.likeEquivalent("Bulk Read criteria")
		if err != nil {
			return bulkCriterion{}, err
		}
		return eq.bulkCriteria()
	case !spec.bulk.on.has(c.kind):
		return bulkCriterion{}, c.cannot("Bulk Read")
	}
	leaf := bulkCriterion{Field: &apiNameRef{c.field}, Comparator: spec.bulk.name}
	switch spec.arity {
	case noValue:
		leaf.Value = bulkEmpty
	case oneValue:
		v, err := c.values[0].bulkJSON(c.field)
		if err != nil {
			return bulkCriterion{}, err
		}
		leaf.Value = v
	default:
		vals := make([]json.RawMessage, len(c.values))
		for i, v := range c.values {
			var err error
			if vals[i], err = v.bulkJSON(c.field); err != nil {
				return bulkCriterion{}, err
			}
		}
		leaf.Value, _ = json.Marshal(vals)
	}
	return leaf, nil
}

// bulkJSON is the literal as a criteria value: text as a JSON string,
// numbers and booleans as themselves.
func (v literal) bulkJSON(field string) (json.RawMessage, error) {
	if v.quoted {
		b, _ := json.Marshal(v.text)
		return b, nil
	}
	if !json.Valid([]byte(v.text)) {
		return nil, errors.New("zohohub: " + field + ": value " + v.text + " is not a number or boolean")
	}
	return json.RawMessage(v.text), nil
}
