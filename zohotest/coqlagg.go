package zohotest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
)

// COQL aggregates and GROUP BY (docs/wire.md §4): SUM, MIN, MAX, AVG and
// COUNT (upper case, at most 5) over a column, and up to 4 GROUP BY
// columns. Zoho answers one row per group (a single row without GROUP BY),
// keyed by the group columns and "FUNC(column)" (or the alias), with no id:
//
//	{"data":[{"Lead_Source":"Web","COUNT(id)":3}],"info":{"count":1,"more_records":false}}
//
// Deviations: ORDER BY may name group columns only (default: the group
// columns ascending); over no records every aggregate row still comes back,
// COUNT 0 and the others null, as SQL answers.

const (
	maxCOQLAggregates = 5
	maxCOQLGroupBy    = 4
)

var coqlAggregateFuncs = map[string]bool{"SUM": true, "MIN": true, "MAX": true, "AVG": true, "COUNT": true}

// aggregate is one aggregate select item.
type aggregate struct {
	fn  string
	col column
	key string // response key: alias or FUNC(column)
}

// aggregateItem parses FUNC ( column ) after the function name.
func (p *coqlParser) aggregateItem(fn token) (selectItem, error) {
	p.next() // "("
	col := p.next()
	if (col.kind != tokIdent && col.kind != tokString) || col.text == "" {
		return selectItem{}, p.errAt(col, "expected a column inside "+fn.text+"()")
	}
	if !p.acceptSym(")") {
		return selectItem{}, p.errAt(p.peek(), "expected \")\"")
	}
	return selectItem{col: col, fn: fn.text}, nil
}

// groupByClause parses the columns after GROUP BY.
func (p *coqlParser) groupByClause(st *statement) error {
	if !p.accept("by") {
		return p.errAt(p.peek(), "expected BY after GROUP")
	}
	for {
		t := p.next()
		if t.kind != tokIdent && t.kind != tokString {
			return p.errAt(t, "expected a column to group by")
		}
		st.group = append(st.group, t)
		if !p.acceptSym(",") {
			return nil
		}
	}
}

// resolveAggregate checks one aggregate against its column's kind.
func resolveAggregate(module string, it selectItem, types fieldTypeFunc) (aggregate, error) {
	c, ok := resolveColumn(module, it.col.text, types)
	if !ok {
		return aggregate{}, invalidColumn(it.col.text, "select")
	}
	okKind := true
	switch it.fn {
	case "SUM", "AVG":
		okKind = c.kind == kindNumber
	case "MIN", "MAX":
		okKind = c.kind == kindNumber || c.kind == kindDate || c.kind == kindDateTime
	}
	if !okKind {
		return aggregate{}, newQueryError("INVALID_QUERY", "data type not supported",
			map[string]any{"column_name": c.name, "clause": "select", "function": it.fn})
	}
	key := it.fn + "(" + c.name + ")"
	if it.alias != "" {
		key = it.alias
	}
	return aggregate{fn: it.fn, col: c, key: key}, nil
}

// validateGroups resolves GROUP BY and checks that every plain select
// column is grouped, once aggregates or GROUP BY are in play.
func (st *statement) validateGroups(q *coqlQuery, module string, types fieldTypeFunc) error {
	if len(q.aggs) == 0 && len(st.group) == 0 {
		return nil
	}
	if len(q.aggs) > maxCOQLAggregates {
		return limitExceeded(fmt.Sprintf("%d aggregate functions", len(q.aggs)), "select", maxCOQLAggregates)
	}
	if len(st.group) > maxCOQLGroupBy {
		return limitExceeded(fmt.Sprintf("%d group by columns", len(st.group)), "group by", maxCOQLGroupBy)
	}
	grouped := map[string]bool{}
	for _, t := range st.group {
		c, ok := resolveColumn(module, t.text, types)
		if !ok {
			return invalidColumn(t.text, "group by")
		}
		grouped[c.name] = true
		q.group = append(q.group, c)
	}
	for _, c := range q.cols {
		if !grouped[c.name] {
			return newQueryError("INVALID_QUERY", "column given seems to be invalid",
				map[string]any{"column_name": c.name, "clause": "group by", "reason": "a selected column must be in GROUP BY"})
		}
	}
	return nil
}

// aggregated reports whether the query answers groups instead of records.
func (q *coqlQuery) aggregated() bool { return len(q.aggs) > 0 || len(q.group) > 0 }

// aggregateRows groups the matching records (already filtered and sorted
// by the group columns) and answers one row per group.
func (q *coqlQuery) aggregateRows(recs []map[string]any, lookup recordLookupFunc) []map[string]any {
	var groups [][]map[string]any
	index := map[string]int{}
	for _, r := range recs {
		var kb strings.Builder
		for i := range q.group {
			b, _ := json.Marshal(q.group[i].value(r, lookup))
			kb.Write(b)
			kb.WriteByte(0)
		}
		k := kb.String()
		at, ok := index[k]
		if !ok {
			at = len(groups)
			index[k] = at
			groups = append(groups, nil)
		}
		groups[at] = append(groups[at], r)
	}
	if len(groups) == 0 && len(q.group) == 0 {
		groups = [][]map[string]any{nil} // one row over no records, as SQL
	}
	rows := make([]map[string]any, 0, len(groups))
	for _, g := range groups {
		row := map[string]any{}
		if len(g) > 0 {
			for i := range q.group {
				c := &q.group[i]
				v := c.value(g[0], lookup)
				if c.kind == kindLookup {
					v = lookupProjection(v)
				}
				row[q.groupKey(c.name)] = deepCopy(v)
			}
		}
		for _, a := range q.aggs {
			row[a.key] = a.over(g, lookup)
		}
		rows = append(rows, row)
	}
	return rows
}

// groupKey is the response key of a group column: its select alias if it
// has one.
func (q *coqlQuery) groupKey(name string) string {
	for i, c := range q.cols {
		if c.name == name {
			return q.keys[i]
		}
	}
	return name
}

func (a *aggregate) over(recs []map[string]any, lookup recordLookupFunc) any {
	var (
		n    int
		sum  = new(big.Rat)
		best any
	)
	for _, r := range recs {
		v := a.col.value(r, lookup)
		if isNull(v) {
			continue
		}
		n++
		switch a.fn {
		case "SUM", "AVG":
			if x, ok := ratOf(v); ok {
				sum.Add(sum, x)
			}
		case "MIN":
			if best == nil || compareValues(a.col.kind, v, best) < 0 {
				best = v
			}
		case "MAX":
			if best == nil || compareValues(a.col.kind, v, best) > 0 {
				best = v
			}
		}
	}
	switch a.fn {
	case "COUNT":
		return n
	case "SUM":
		if n == 0 {
			return nil
		}
		return ratNumber(sum)
	case "AVG":
		if n == 0 {
			return nil
		}
		f, _ := new(big.Rat).Quo(sum, new(big.Rat).SetInt64(int64(n))).Float64()
		return f
	}
	return deepCopy(best)
}

// ratNumber writes an exact sum as a JSON number: an integer when whole.
func ratNumber(r *big.Rat) json.Number {
	if r.IsInt() {
		return json.Number(r.Num().String())
	}
	f, _ := r.Float64()
	return json.Number(fmt.Sprint(f))
}

// coqlGroups answers an aggregate query's rows, paged by LIMIT and OFFSET.
func (c *call) coqlGroups(q *coqlQuery, rows []map[string]any) {
	if q.Offset >= len(rows) {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	end := min(q.Offset+q.Limit, len(rows))
	data := make([]any, 0, end-q.Offset)
	for _, r := range rows[q.Offset:end] {
		data = append(data, r)
	}
	writeJSON(c.w, 200, map[string]any{"data": data, "info": map[string]any{"count": len(data), "more_records": end < len(rows)}})
}
