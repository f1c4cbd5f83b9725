package zohotest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// COQL (POST /coql {"select_query": …}), docs/wire.md §4:
//
//	query     = "select" item { "," item } "from" module
//	            [ "where" expr ] [ "order by" order { "," order } ]
//	            [ "limit" count [ "offset" offset ] | "limit" offset "," count | "offset" offset ] [ ";" ]
//	item      = column [ "as" alias ]        column = name | name "." name | 'quoted name'
//	order     = column-or-alias [ "asc" | "desc" ]
//	expr      = term { "or" term }           term = factor { "and" factor }
//	factor    = "(" expr ")" | column comparison
//	comparison= ("=" | "!=" | "<>" | "<" | "<=" | ">" | ">=") literal
//	          | [ "not" ] "like" string | [ "not" ] "in" "(" literal { "," literal } ")"
//	          | [ "not" ] "between" literal "and" literal | "is" [ "not" ] "null"
//	literal   = 'string' ('' or \' for a quote, \\ for a backslash) | number | true | false
//
// Keywords are case-insensitive and whitespace (newlines included) is free.
//
// Deviations from Zoho:
//   - Zoho wants more than two conditions parenthesised pairwise; any
//     parenthesisation is accepted here, with and binding tighter than or.
//   - WHERE is optional.
//   - text comparisons (=, like, in) are case-insensitive; like knows only
//     '%' (no escape for a literal '%'; '_' is literal).
//   - SQL null semantics: a null/empty field matches only "is null"; !=,
//     not like, not in and not between never match it.
//   - a multi-select field matches = and in when any of its values does;
//     like reads its values joined by ";" ("A;Big data"), as Zoho stores
//     them, so 'big%' misses that record and '%;big%' finds it.
//   - boolean fields also accept != (Zoho documents only =).
//   - in takes up to 100 values (Zoho's docs say 50 in one place, 100 in
//     another).
//   - multi-module lookups ("What_Id->Leads.x") are rejected with
//     INVALID_QUERY "not supported by zohotest"; aggregates: see coqlagg.go.
//   - dot paths go one level deep.
//   - an alias that names a field (or id) is INVALID_ALIAS.

const (
	maxCOQLFields     = 50
	maxCOQLConditions = 25
	maxCOQLOrderBy    = 10
	maxCOQLInValues   = 100
	defaultCOQLLimit  = 200
	maxCOQLLimit      = 2000
	maxCOQLReachable  = 100000
)

// coqlQuery is a validated COQL select.
type coqlQuery struct {
	Module  string
	Fields  []string // columns as written: api names or one-level dot paths
	Where   *filter  // nil without a WHERE clause
	OrderBy []orderTerm
	Limit   int
	Offset  int

	cols      []column // resolved Fields
	keys      []string // response key per column: its alias or its name
	orderCols []column // resolved OrderBy

	aggs  []aggregate // aggregate select items, in order
	group []column    // resolved GROUP BY
}

// orderTerm is one ORDER BY column; Field is an api name or a dot path.
type orderTerm struct {
	Field string
	Desc  bool
}

// parseCOQL parses and validates a select_query. moduleExists reports
// whether a module api name is queryable. Errors are *queryError.
func parseCOQL(query string, types fieldTypeFunc, moduleExists func(string) bool) (*coqlQuery, error) {
	toks, err := lexCOQL(query)
	if err != nil {
		return nil, err
	}
	p := &coqlParser{src: query, toks: toks}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	return st.validate(types, moduleExists)
}

// project returns the selected columns of rec, plus "id". Lookup columns
// come back as {"id","name"}; dot paths under their literal name. Values are
// copies, never aliases of rec.
func (q *coqlQuery) project(rec map[string]any, lookup recordLookupFunc) map[string]any {
	out := make(map[string]any, len(q.cols)+1)
	out["id"] = deepCopy(rec["id"])
	for i := range q.cols {
		c := &q.cols[i]
		v := c.value(rec, lookup)
		if c.kind == kindLookup {
			v = lookupProjection(v)
		}
		out[q.keys[i]] = deepCopy(v)
	}
	return out
}

// sortRecords orders recs by the query's ORDER BY (nulls first ascending),
// breaking ties by id. The emulator may use it instead of sorting itself.
func (q *coqlQuery) sortRecords(recs []map[string]any, lookup recordLookupFunc) {
	slices.SortStableFunc(recs, func(a, b map[string]any) int {
		for i, t := range q.OrderBy {
			c := &q.orderCols[i]
			r := compareValues(c.kind, c.value(a, lookup), c.value(b, lookup))
			if t.Desc {
				r = -r
			}
			if r != 0 {
				return r
			}
		}
		ia, _ := lookupParts(a["id"])
		ib, _ := lookupParts(b["id"])
		return compareIDs(ia, ib)
	})
}

func lookupProjection(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{"id": x["id"]}
		if n, ok := x["name"]; ok {
			out["name"] = n
		}
		return out
	case string:
		if x == "" {
			return nil
		}
		return map[string]any{"id": x}
	}
	return v
}

// ---- lexer ----

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokSymbol
)

type token struct {
	kind tokKind
	text string // identifier, symbol, number text, or the unquoted string
	raw  string // as written, for error messages
	pos  int    // byte offset in the query
}

func (t token) is(word string) bool { return t.kind == tokIdent && strings.EqualFold(t.text, word) }

func isIdentStart(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return isIdentStart(r) || r == '.' || unicode.IsDigit(r) }

func lexCOQL(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		start := i
		switch {
		case unicode.IsSpace(r):
			i += n
			continue
		case r == '\'':
			s, end, ok := lexString(src, i)
			if !ok {
				return nil, syntaxAt(src, start, src[start:], "string literal is not terminated")
			}
			toks = append(toks, token{kind: tokString, text: s, raw: src[start:end], pos: start})
			i = end
		case isIdentStart(r):
			for i < len(src) {
				r, n := utf8.DecodeRuneInString(src[i:])
				if !isIdentPart(r) {
					break
				}
				i += n
			}
			toks = append(toks, token{kind: tokIdent, text: src[start:i], raw: src[start:i], pos: start})
		case unicode.IsDigit(r) || ((r == '-' || r == '+' || r == '.') && i+1 < len(src) &&
			(isDigitByte(src[i+1]) || src[i+1] == '.')):
			i += n
			for i < len(src) {
				r, n := utf8.DecodeRuneInString(src[i:])
				if !isIdentPart(r) && !((r == '-' || r == '+') && (src[i-1] == 'e' || src[i-1] == 'E')) {
					break
				}
				i += n
			}
			text := src[start:i]
			if _, ok := parseDecimal(text); !ok {
				return nil, syntaxAt(src, start, text, "invalid number")
			}
			toks = append(toks, token{kind: tokNumber, text: text, raw: text, pos: start})
		default:
			sym := string(r)
			if i+1 < len(src) {
				switch two := src[i : i+2]; two {
				case "!=", "<>", "<=", ">=", "->":
					sym = two
				}
			}
			if !strings.Contains("(),*=<>;", sym) && sym != "!=" && sym != "<>" && sym != "<=" &&
				sym != ">=" && sym != "->" {
				return nil, syntaxAt(src, start, sym, "unexpected character")
			}
			i += len(sym)
			toks = append(toks, token{kind: tokSymbol, text: sym, raw: sym, pos: start})
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(src)}), nil
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// lexString reads a single-quoted literal at src[i]: a doubled quote and \' stand for a
// quote, \\ for a backslash; any other backslash is literal.
func lexString(src string, i int) (string, int, bool) {
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		c := src[j]
		switch {
		case c == '\'' && j+1 < len(src) && src[j+1] == '\'':
			b.WriteByte('\'')
			j++
		case c == '\'':
			return b.String(), j + 1, true
		case c == '\\' && j+1 < len(src) && (src[j+1] == '\'' || src[j+1] == '\\'):
			b.WriteByte(src[j+1])
			j++
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// syntaxAt builds SYNTAX_ERROR with Zoho's {line, column, near} details.
func syntaxAt(src string, pos int, near, what string) *queryError {
	line, col := lineColumn(src, pos)
	if near == "" {
		near = "end of query"
	}
	if utf8.RuneCountInString(near) > 40 {
		near = string([]rune(near)[:40])
	}
	return newQueryError("SYNTAX_ERROR",
		fmt.Sprintf("error occurred while parsing the query near %q at line %d column %d: %s", near, line, col, what),
		map[string]any{"line": line, "column": col, "near": near})
}

func lineColumn(src string, pos int) (line, col int) {
	pos = min(pos, len(src))
	before := src[:pos]
	line = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCountInString(before) + 1
}

// ---- parser (syntax only; names are checked by validate) ----

type literalKind int

const (
	litString literalKind = iota
	litNumber
	litBool
	litNull
)

type literal struct {
	kind literalKind
	text string
	tok  token
}

type rawCond struct {
	col    token
	op     opKind
	negate bool
	opText string
	values []literal
}

type rawNode struct {
	and, or []*rawNode
	cond    *rawCond
}

type selectItem struct {
	col   token
	alias string
	fn    string // aggregate function, "" for a plain column
}

type rawOrder struct {
	col  token
	desc bool
}

type statement struct {
	items   []selectItem
	module  token
	where   *rawNode
	conds   int
	order   []rawOrder
	group   []token
	limit   int
	offset  int
	limitOK bool
}

type coqlParser struct {
	src  string
	toks []token
	i    int
	// conds counts comparisons in WHERE.
	conds int
}

func (p *coqlParser) peek() token { return p.toks[p.i] }

func (p *coqlParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *coqlParser) errAt(t token, what string) *queryError {
	return syntaxAt(p.src, t.pos, t.raw, what)
}

func (p *coqlParser) accept(word string) bool {
	if p.peek().is(word) {
		p.i++
		return true
	}
	return false
}

func (p *coqlParser) acceptSym(sym string) bool {
	if t := p.peek(); t.kind == tokSymbol && t.text == sym {
		p.i++
		return true
	}
	return false
}

func missingClause(clause string) *queryError {
	return newQueryError("SYNTAX_ERROR", fmt.Sprintf("error occurred while parsing the query: %s clause is missing",
		strings.ToUpper(clause)), map[string]any{"clause": clause})
}

func notSupported(what, clause string) *queryError {
	return newQueryError("INVALID_QUERY", what+" not supported by zohotest",
		map[string]any{"clause": clause, "reason": what + " not supported by zohotest"})
}

func (p *coqlParser) statement() (*statement, error) {
	st := &statement{limit: defaultCOQLLimit}
	if !p.accept("select") {
		if p.peek().kind == tokEOF {
			return nil, missingClause("select")
		}
		return nil, p.errAt(p.peek(), "a query starts with SELECT")
	}
	for {
		item, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		st.items = append(st.items, item)
		if !p.acceptSym(",") {
			break
		}
	}
	if !p.accept("from") {
		if p.peek().kind == tokEOF {
			return nil, missingClause("from")
		}
		return nil, p.errAt(p.peek(), "expected \",\" or FROM")
	}
	st.module = p.next()
	if st.module.kind != tokIdent {
		return nil, p.errAt(st.module, "expected a module name after FROM")
	}
	if p.accept("where") {
		n, err := p.or(0)
		if err != nil {
			return nil, err
		}
		st.where, st.conds = n, p.conds
	}
	if p.accept("group") {
		if err := p.groupByClause(st); err != nil {
			return nil, err
		}
	}
	if p.accept("order") {
		if !p.accept("by") {
			return nil, p.errAt(p.peek(), "expected BY after ORDER")
		}
		for {
			t := p.next()
			if t.kind != tokIdent && t.kind != tokString {
				return nil, p.errAt(t, "expected a column to order by")
			}
			o := rawOrder{col: t}
			if p.accept("desc") {
				o.desc = true
			} else {
				p.accept("asc")
			}
			st.order = append(st.order, o)
			if !p.acceptSym(",") {
				break
			}
		}
	}
	if err := p.limitClause(st); err != nil {
		return nil, err
	}
	p.acceptSym(";")
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected token")
	}
	return st, nil
}

func (p *coqlParser) selectItem() (selectItem, error) {
	t := p.next()
	item := selectItem{col: t}
	switch {
	case t.kind == tokSymbol && t.text == "*":
		return selectItem{}, p.errAt(t, "select * is not allowed; list the columns")
	case t.kind == tokString && t.text != "":
	case t.kind == tokIdent && !t.is("from"):
		if nt := p.peek(); nt.kind == tokSymbol && nt.text == "(" {
			if !coqlAggregateFuncs[t.text] {
				return selectItem{}, notSupported("function "+t.text+"() is", "select")
			}
			var err error
			if item, err = p.aggregateItem(t); err != nil {
				return selectItem{}, err
			}
		} else if nt.kind == tokSymbol && nt.text == "->" {
			return selectItem{}, notSupported("multi-module lookup (->) is", "select")
		}
	default:
		return selectItem{}, p.errAt(t, "expected a column name")
	}
	if p.accept("as") {
		a := p.next()
		if (a.kind != tokIdent && a.kind != tokString) || a.text == "" {
			return selectItem{}, p.errAt(a, "expected an alias after AS")
		}
		item.alias = a.text
	}
	return item, nil
}

func (p *coqlParser) limitClause(st *statement) error {
	number := func() (int, error) {
		t := p.next()
		if t.kind != tokNumber {
			return 0, p.errAt(t, "expected a number")
		}
		n, err := strconv.Atoi(t.text)
		if err != nil || n < 0 {
			return 0, p.errAt(t, "expected a non-negative whole number")
		}
		return n, nil
	}
	if p.accept("limit") {
		first, err := number()
		if err != nil {
			return err
		}
		st.limit, st.limitOK = first, true
		if p.acceptSym(",") { // limit offset, count
			count, err := number()
			if err != nil {
				return err
			}
			st.offset, st.limit = first, count
			return nil
		}
	}
	if p.accept("offset") {
		off, err := number()
		if err != nil {
			return err
		}
		st.offset = off
	}
	return nil
}

func (p *coqlParser) or(depth int) (*rawNode, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []*rawNode{first}
	for p.accept("or") {
		n, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &rawNode{or: kids}, nil
}

func (p *coqlParser) and(depth int) (*rawNode, error) {
	first, err := p.factor(depth)
	if err != nil {
		return nil, err
	}
	kids := []*rawNode{first}
	for p.accept("and") {
		n, err := p.factor(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &rawNode{and: kids}, nil
}

func (p *coqlParser) factor(depth int) (*rawNode, error) {
	if p.acceptSym("(") {
		if depth >= maxNesting {
			return nil, p.errAt(p.peek(), "parentheses nested too deeply")
		}
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if !p.acceptSym(")") {
			return nil, p.errAt(p.peek(), "expected \")\"")
		}
		return n, nil
	}
	c, err := p.comparison()
	if err != nil {
		return nil, err
	}
	return &rawNode{cond: c}, nil
}

func (p *coqlParser) comparison() (*rawCond, error) {
	col := p.next()
	if (col.kind != tokIdent && col.kind != tokString) || col.text == "" || isReserved(col) {
		return nil, p.errAt(col, "expected a column name")
	}
	if nt := p.peek(); nt.kind == tokSymbol && nt.text == "->" {
		return nil, notSupported("multi-module lookup (->) is", "where")
	}
	p.conds++
	c := &rawCond{col: col}
	t := p.next()
	c.opText = strings.ToLower(t.raw)
	if t.kind == tokSymbol {
		switch t.text {
		case "=":
			c.op = opEq
		case "!=", "<>":
			c.op, c.negate = opEq, true
		case "<":
			c.op = opLt
		case "<=":
			c.op = opLe
		case ">":
			c.op = opGt
		case ">=":
			c.op = opGe
		default:
			return nil, p.errAt(t, "expected a comparison operator")
		}
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		c.values = []literal{v}
		return c, nil
	}
	if t.is("is") {
		c.op, c.opText = opIsNull, "is null"
		if p.accept("not") {
			c.negate, c.opText = true, "is not null"
		}
		if !p.accept("null") {
			return nil, p.errAt(p.peek(), "expected NULL")
		}
		return c, nil
	}
	if t.is("not") {
		c.negate = true
		t = p.next()
		c.opText = "not " + strings.ToLower(t.raw)
	}
	switch {
	case t.is("like"):
		c.op = opLike
		v := p.next()
		if v.kind != tokString {
			return nil, p.errAt(v, "LIKE takes a quoted pattern")
		}
		c.values = []literal{{kind: litString, text: v.text, tok: v}}
	case t.is("in"):
		c.op = opIn
		if !p.acceptSym("(") {
			return nil, p.errAt(p.peek(), "expected \"(\" after IN")
		}
		for {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			c.values = append(c.values, v)
			if !p.acceptSym(",") {
				break
			}
		}
		if !p.acceptSym(")") {
			return nil, p.errAt(p.peek(), "expected \",\" or \")\" in the IN list")
		}
	case t.is("between"):
		c.op = opBetween
		lo, err := p.literal()
		if err != nil {
			return nil, err
		}
		if !p.accept("and") {
			return nil, p.errAt(p.peek(), "expected AND in BETWEEN")
		}
		hi, err := p.literal()
		if err != nil {
			return nil, err
		}
		c.values = []literal{lo, hi}
	default:
		return nil, p.errAt(t, "expected a comparison operator")
	}
	return c, nil
}

// isReserved keeps keywords from being read as column names where a
// missing column is the likelier mistake.
func isReserved(t token) bool {
	if t.kind != tokIdent {
		return false
	}
	for _, w := range []string{"and", "or", "not", "where", "from", "order", "limit", "select"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

func (p *coqlParser) literal() (literal, error) {
	t := p.next()
	switch {
	case t.kind == tokString:
		return literal{kind: litString, text: t.text, tok: t}, nil
	case t.kind == tokNumber:
		return literal{kind: litNumber, text: t.text, tok: t}, nil
	case t.is("true"), t.is("false"):
		return literal{kind: litBool, text: strings.ToLower(t.text), tok: t}, nil
	case t.is("null"):
		return literal{kind: litNull, text: "null", tok: t}, nil
	}
	return literal{}, p.errAt(t, "expected a value ('quoted text', a number, true or false)")
}

// ---- validation against the module's fields ----

func invalidColumn(name, clause string) *queryError {
	return newQueryError("INVALID_QUERY", "column given seems to be invalid",
		map[string]any{"column_name": name, "clause": clause})
}

func limitExceeded(what, clause string, limit int) *queryError {
	return newQueryError("LIMIT_EXCEEDED", fmt.Sprintf("%s exceeds the limit of %d", what, limit),
		map[string]any{"clause": clause, "limit": limit})
}

func (st *statement) validate(types fieldTypeFunc, moduleExists func(string) bool) (*coqlQuery, error) {
	module := st.module.text
	if moduleExists == nil || !moduleExists(module) {
		return nil, newQueryError("INVALID_QUERY", "the module name given seems to be invalid",
			map[string]any{"module": module, "clause": "from"})
	}
	if len(st.items) > maxCOQLFields {
		return nil, limitExceeded(fmt.Sprintf("%d select columns", len(st.items)), "select", maxCOQLFields)
	}
	q := &coqlQuery{Module: module, Limit: st.limit, Offset: st.offset}
	seen := map[string]bool{}
	aliases := map[string]string{}
	for _, it := range st.items {
		if it.fn != "" {
			a, err := resolveAggregate(module, it, types)
			if err != nil {
				return nil, err
			}
			q.aggs = append(q.aggs, a)
			continue
		}
		c, ok := resolveColumn(module, it.col.text, types)
		if !ok {
			return nil, invalidColumn(it.col.text, "select")
		}
		if seen[c.name] {
			return nil, newQueryError("DUPLICATE_DATA", "duplicate column given in select",
				map[string]any{"column_name": c.name, "clause": "select"})
		}
		seen[c.name] = true
		key := c.name
		if it.alias != "" {
			// An alias may not shadow "id" or a field: the response key would clash.
			if _, isField := resolveColumn(module, it.alias, types); isField {
				return nil, newQueryError("INVALID_ALIAS", "alias given seems to be invalid",
					map[string]any{"alias": it.alias, "clause": "select"})
			}
			if _, dup := aliases[strings.ToLower(it.alias)]; dup {
				return nil, newQueryError("DUPLICATE_ALIAS", "duplicate alias given",
					map[string]any{"alias": it.alias, "clause": "select"})
			}
			aliases[strings.ToLower(it.alias)] = c.name
			key = it.alias
		}
		q.Fields = append(q.Fields, c.name)
		q.cols = append(q.cols, c)
		q.keys = append(q.keys, key)
	}
	if err := st.validateGroups(q, module, types); err != nil {
		return nil, err
	}
	if st.where != nil {
		if st.conds > maxCOQLConditions {
			return nil, limitExceeded(fmt.Sprintf("%d where conditions", st.conds), "where", maxCOQLConditions)
		}
		root, err := st.whereNode(module, types, st.where)
		if err != nil {
			return nil, err
		}
		q.Where = &filter{root: root, conds: st.conds}
	}
	if len(st.order) > maxCOQLOrderBy {
		return nil, limitExceeded(fmt.Sprintf("%d order by columns", len(st.order)), "order by", maxCOQLOrderBy)
	}
	for _, o := range st.order {
		name := o.col.text
		if target, ok := aliases[strings.ToLower(name)]; ok {
			name = target
		}
		c, ok := resolveColumn(module, name, types)
		if !ok {
			return nil, invalidColumn(o.col.text, "order by")
		}
		q.OrderBy = append(q.OrderBy, orderTerm{Field: c.name, Desc: o.desc})
		q.orderCols = append(q.orderCols, c)
	}
	if len(q.OrderBy) == 0 && q.aggregated() {
		for _, c := range q.group {
			q.OrderBy = append(q.OrderBy, orderTerm{Field: c.name})
			q.orderCols = append(q.orderCols, c)
		}
	}
	if len(q.OrderBy) == 0 && len(q.group) == 0 {
		c, _ := resolveColumn(module, "id", types)
		q.OrderBy = []orderTerm{{Field: "id"}}
		q.orderCols = []column{c}
	}
	switch {
	case st.limitOK && q.Limit < 1:
		return nil, newQueryError("INVALID_QUERY", "invalid query formed: LIMIT must be at least 1",
			map[string]any{"clause": "limit", "reason": "limit must be at least 1"})
	case q.Limit > maxCOQLLimit:
		return nil, limitExceeded(fmt.Sprintf("LIMIT %d", q.Limit), "limit", maxCOQLLimit)
	case q.Offset > maxCOQLReachable || q.Offset+q.Limit > maxCOQLReachable:
		return nil, limitExceeded(fmt.Sprintf("OFFSET %d + LIMIT %d", q.Offset, q.Limit), "offset", maxCOQLReachable)
	}
	return q, nil
}

// coqlOperators lists the comparisons each kind of column accepts
// (negated forms included).
var coqlOperators = map[valueKind][]opKind{
	kindText:     {opEq, opLike, opIn, opIsNull},
	kindMulti:    {opEq, opLike, opIn, opIsNull},
	kindNumber:   {opEq, opGt, opGe, opLt, opLe, opBetween, opIn, opIsNull},
	kindDate:     {opEq, opGt, opGe, opLt, opLe, opBetween, opIn, opIsNull},
	kindDateTime: {opEq, opGt, opGe, opLt, opLe, opBetween, opIn, opIsNull},
	kindLookup:   {opEq, opIn, opIsNull},
	kindBool:     {opEq},
}

func (st *statement) whereNode(module string, types fieldTypeFunc, n *rawNode) (*node, error) {
	if n.cond != nil {
		c, err := st.whereCond(module, types, n.cond)
		if err != nil {
			return nil, err
		}
		return &node{cond: c}, nil
	}
	out := &node{}
	kids := n.and
	if kids == nil {
		kids = n.or
	}
	conv := make([]*node, 0, len(kids))
	for _, k := range kids {
		c, err := st.whereNode(module, types, k)
		if err != nil {
			return nil, err
		}
		conv = append(conv, c)
	}
	if n.and != nil {
		out.and = conv
	} else {
		out.or = conv
	}
	return out, nil
}

func (st *statement) whereCond(module string, types fieldTypeFunc, rc *rawCond) (*condition, error) {
	col, ok := resolveColumn(module, rc.col.text, types)
	if !ok {
		return nil, invalidColumn(rc.col.text, "where")
	}
	allowed, supported := coqlOperators[col.kind]
	if !supported {
		return nil, newQueryError("INVALID_QUERY", "data type not supported",
			map[string]any{"column_name": col.name, "data_type": col.dataType, "clause": "where"})
	}
	if !slices.Contains(allowed, rc.op) {
		return nil, newQueryError("INVALID_QUERY", "invalid operator found",
			map[string]any{"column_name": col.name, "operator": rc.opText, "data_type": col.dataType,
				"clause": "where"})
	}
	if rc.op == opIn && len(rc.values) > maxCOQLInValues {
		return nil, limitExceeded(fmt.Sprintf("%d values in IN", len(rc.values)), "where", maxCOQLInValues)
	}
	c := &condition{col: col, op: rc.op, negate: rc.negate, likeJoined: true}
	for _, lit := range rc.values {
		o, ok := coqlOperand(col.kind, lit)
		if !ok {
			return nil, newQueryError("INVALID_QUERY", "value given seems to be invalid for the column",
				map[string]any{"column_name": col.name, "expected_data_type": col.dataType, "clause": "where",
					"value": lit.tok.raw})
		}
		if rc.op == opLike {
			o.like = strings.Split(o.fold, "%")
		}
		c.values = append(c.values, o)
	}
	return c, nil
}

// coqlOperand checks a literal against the column's kind.
func coqlOperand(k valueKind, lit literal) (operand, bool) {
	switch lit.kind {
	case litNull:
		return operand{}, false
	case litBool:
		if k != kindBool {
			return operand{}, false
		}
	case litNumber:
		if k == kindDate || k == kindDateTime {
			return operand{}, false
		}
	}
	switch k {
	case kindBool:
		if lit.kind == litNumber {
			return operand{}, false
		}
	case kindLookup:
		if lit.text == "" || strings.Trim(lit.text, "0123456789") != "" {
			return operand{}, false
		}
	}
	return operandFor(k, lit.text)
}
