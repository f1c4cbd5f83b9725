package zohohub

// This file is the one operator table: for every operator, how many
// values it takes, its opposite (for Not), and how each of Zoho's three
// filter languages spells it — search criteria, COQL and Bulk Read
// criteria — with the field kinds each accepts it for. The compilers
// (compile_criteria.go, compile_coql.go, compile_bulk.go), the checks made
// when a condition is built, Not, and the query planner read it; adding an
// operator is adding a row. Zoho's per-type tables are in docs/wire.md §3,
// §4 and §7.

// Operator is a comparison in a condition. Its value is the name Zoho's
// search criteria use, or Bulk Read's where search has none.
type Operator string

// The operators. Which of Zoho's filter languages can express each is in
// the operator table and docs/queries.md; a query is sent in one that can.
const (
	OpEquals        Operator = "equals"
	OpNotEqual      Operator = "not_equal"
	OpIn            Operator = "in"
	OpNotIn         Operator = "not_in"
	OpGreaterThan   Operator = "greater_than"
	OpGreaterEqual  Operator = "greater_equal"
	OpLessThan      Operator = "less_than"
	OpLessEqual     Operator = "less_equal"
	OpBetween       Operator = "between"
	OpNotBetween    Operator = "not_between"
	OpStartsWith    Operator = "starts_with"
	OpNotStartsWith Operator = "not_starts_with"
	OpEndsWith      Operator = "ends_with"
	OpNotEndsWith   Operator = "not_ends_with"
	OpContains      Operator = "contains"
	OpNotContains   Operator = "not_contains"
	OpLike          Operator = "like"
	OpNotLike       Operator = "not_like"
	OpIsNull        Operator = "is_null"
	OpIsNotNull     Operator = "is_not_null"
	// OpWord, OpEmail and OpPhone are the word, email and phone parameters
	// of Zoho's search, not comparisons of one field.
	OpWord  Operator = "word"
	OpEmail Operator = "email"
	OpPhone Operator = "phone"
)

// arity is how many values an operator takes.
type arity int

const (
	noValue    arity = iota
	oneValue         // one
	twoValues        // a range
	someValues       // 1 to maxInValues
)

// likeShape is where COQL puts its % wildcard around the literal text of a
// like-based operator.
type likeShape int

const (
	notLike     likeShape = iota
	likePattern           // the value is a pattern whose % are wildcards (Like)
	likePrefix            // 'text%'
	likeSuffix            // '%text'
	likeInfix             // '%text%'
)

// kindSet is a set of field kinds.
type kindSet uint16

func kinds(ks ...fieldKind) kindSet {
	var s kindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

func (s kindSet) has(k fieldKind) bool { return s&(1<<k) != 0 }

// The kind sets the table uses. kindAny (Field("X")) goes wherever its
// value's Go type may; Zoho checks the rest.
var (
	allKinds     = kinds(kindAny, kindText, kindPicklist, kindMultiSelect, kindNumber, kindDate, kindDateTime, kindBool, kindLookup, kindUser)
	nullable     = allKinds &^ kinds(kindBool) // a checkbox is never empty
	listable     = allKinds &^ kinds(kindBool)
	ordered      = kinds(kindAny, kindNumber, kindDate, kindDateTime)
	textual      = kinds(kindAny, kindText, kindPicklist)
	searchIn     = allKinds &^ kinds(kindBool)
	searchPrefix = kinds(kindAny, kindText)
	// A record's tags are filtered by search alone, Tag:equals:name
	// (docs/wire.md §12.3): COQL and Bulk Read have no tag filter. They are
	// in no other set.
	withTags = allKinds | kinds(kindTag)
)

// spelling is how one filter language writes an operator: name is
// Zoho's operator ("" when the language cannot express it) and on the
// field kinds it accepts it for.
type spelling struct {
	name string
	on   kindSet
}

// operatorSpec is one row of the table.
type operatorSpec struct {
	arity arity
	// opposite is what Not turns the operator into ("" when none).
	opposite Operator
	// negative operators match empty fields in all three forms: Zoho's
	// search and Bulk Read do, and COQL is given "or field is null".
	negative bool
	like     likeShape
	// param marks word, email and phone: a search parameter of its own
	// (search.name), not a comparison of one field.
	param  bool
	search spelling // criteria operator; for word/email/phone the search parameter
	coql   spelling // COQL comparator; a multi-select field is matched by its elements (see coqlElements)
	bulk   spelling // Bulk Read comparator
}

// operators is the operator table.
var operators = map[Operator]operatorSpec{
	OpEquals:   {arity: oneValue, opposite: OpNotEqual, search: spelling{"equals", withTags}, coql: spelling{"=", allKinds}, bulk: spelling{"equal", allKinds}},
	OpNotEqual: {arity: oneValue, opposite: OpEquals, negative: true, search: spelling{"not_equal", allKinds}, coql: spelling{"!=", allKinds &^ kinds(kindBool)}, bulk: spelling{"not_equal", allKinds}},
	OpIn:       {arity: someValues, opposite: OpNotIn, search: spelling{"in", searchIn}, coql: spelling{"in", listable}, bulk: spelling{"in", listable}},
	OpNotIn:    {arity: someValues, opposite: OpIn, negative: true, coql: spelling{"not in", listable}, bulk: spelling{"not_in", listable}},

	OpGreaterThan:  {arity: oneValue, opposite: OpLessEqual, search: spelling{"greater_than", ordered}, coql: spelling{">", ordered}, bulk: spelling{"greater_than", ordered}},
	OpGreaterEqual: {arity: oneValue, opposite: OpLessThan, search: spelling{"greater_equal", ordered}, coql: spelling{">=", ordered}, bulk: spelling{"greater_equal", ordered}},
	OpLessThan:     {arity: oneValue, opposite: OpGreaterEqual, search: spelling{"less_than", ordered}, coql: spelling{"<", ordered}, bulk: spelling{"less_than", ordered}},
	OpLessEqual:    {arity: oneValue, opposite: OpGreaterThan, search: spelling{"less_equal", ordered}, coql: spelling{"<=", ordered}, bulk: spelling{"less_equal", ordered}},
	OpBetween:      {arity: twoValues, opposite: OpNotBetween, search: spelling{"between", ordered}, coql: spelling{"between", ordered}, bulk: spelling{"between", ordered}},
	OpNotBetween:   {arity: twoValues, opposite: OpBetween, negative: true, coql: spelling{"not between", ordered}, bulk: spelling{"not_between", ordered}},

	OpStartsWith:    {arity: oneValue, opposite: OpNotStartsWith, like: likePrefix, search: spelling{"starts_with", searchPrefix}, coql: spelling{"like", textual}, bulk: spelling{"starts_with", textual}},
	OpNotStartsWith: {arity: oneValue, opposite: OpStartsWith, negative: true, like: likePrefix, coql: spelling{"not like", textual}},
	OpEndsWith:      {arity: oneValue, opposite: OpNotEndsWith, like: likeSuffix, coql: spelling{"like", textual}, bulk: spelling{"ends_with", textual}},
	OpNotEndsWith:   {arity: oneValue, opposite: OpEndsWith, negative: true, like: likeSuffix, coql: spelling{"not like", textual}},
	OpContains:      {arity: oneValue, opposite: OpNotContains, like: likeInfix, coql: spelling{"like", textual}, bulk: spelling{"contains", textual}},
	OpNotContains:   {arity: oneValue, opposite: OpContains, negative: true, like: likeInfix, coql: spelling{"not like", textual}, bulk: spelling{"not_contains", textual}},
	// Like and NotLike reach search and Bulk Read as the operator their
	// pattern's shape stands for (likeEquivalent).
	OpLike:    {arity: oneValue, opposite: OpNotLike, like: likePattern, coql: spelling{"like", textual}},
	OpNotLike: {arity: oneValue, opposite: OpLike, negative: true, like: likePattern, coql: spelling{"not like", textual}},

	OpIsNull:    {arity: noValue, opposite: OpIsNotNull, coql: spelling{"is null", nullable}, bulk: spelling{"equal", nullable}},
	OpIsNotNull: {arity: noValue, opposite: OpIsNull, coql: spelling{"is not null", nullable}, bulk: spelling{"not_equal", nullable}},

	OpWord:  {arity: oneValue, param: true, search: spelling{"word", kinds(kindAny)}},
	OpEmail: {arity: oneValue, param: true, search: spelling{"email", kinds(kindAny)}},
	OpPhone: {arity: oneValue, param: true, search: spelling{"phone", kinds(kindAny)}},
}

// appliesTo reports whether some filter language accepts the operator on
// a field of kind k: a condition that none can send is refused when built.
func (s operatorSpec) appliesTo(k fieldKind) bool {
	return s.search.on.has(k) || s.coql.on.has(k) || s.bulk.on.has(k)
}
