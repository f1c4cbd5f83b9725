package zohohub

import "time"

// Field helpers name a field of a module and offer the operators its Zoho
// data type supports, with typed values. They are string types so that
// generated code declares them as constants:
//
//	const AccountIndustry zohohub.PicklistField[AccountIndustryValue] = "Industry"
//
//	accounts.Where(modules.AccountIndustry.Equals(modules.AccountIndustryValueStorageEquipment))

// TextField is a text, email, phone, website, textarea or autonumber field.
type TextField string

// Equals matches the value. (Zoho's search matches text like a word
// search; COQL matches it exactly.)
func (f TextField) Equals(v string) Condition { return compare(string(f), kindText, OpEquals, text(v)) }

// NotEqual matches any other value, and empty fields.
func (f TextField) NotEqual(v string) Condition {
	return compare(string(f), kindText, OpNotEqual, text(v))
}

// StartsWith matches values that begin with prefix.
func (f TextField) StartsWith(prefix string) Condition {
	return compare(string(f), kindText, OpStartsWith, text(prefix))
}

// EndsWith matches values that end with suffix (COQL or Bulk Read only).
func (f TextField) EndsWith(suffix string) Condition {
	return compare(string(f), kindText, OpEndsWith, text(suffix))
}

// In matches any of the values.
func (f TextField) In(vs ...string) Condition {
	return compare(string(f), kindText, OpIn, textAll(vs)...)
}

// NotIn matches values other than all of these, and empty fields.
func (f TextField) NotIn(vs ...string) Condition {
	return compare(string(f), kindText, OpNotIn, textAll(vs)...)
}

// Contains matches values holding s, taken literally (COQL like '%s%',
// Bulk Read contains; search has no contains). COQL cannot match a % or _
// literally, so text holding one runs only through Export.
func (f TextField) Contains(s string) Condition {
	return compare(string(f), kindText, OpContains, text(s))
}

// NotContains matches values not holding s, and empty fields.
func (f TextField) NotContains(s string) Condition {
	return compare(string(f), kindText, OpNotContains, text(s))
}

// Like matches a COQL pattern in which % stands for any text; _ is taken
// literally, which COQL cannot express. Search and Bulk Read receive the
// operator the pattern's shape stands for ('x%' StartsWith, '%x%'
// Contains, …); a % inside the text is COQL's alone.
func (f TextField) Like(pattern string) Condition {
	return compare(string(f), kindText, OpLike, text(pattern))
}

// NotLike matches values the pattern does not, and empty fields.
func (f TextField) NotLike(pattern string) Condition {
	return compare(string(f), kindText, OpNotLike, text(pattern))
}

// IsNull matches records where the field is empty.
func (f TextField) IsNull() Condition { return compare(string(f), kindText, OpIsNull) }

// IsNotNull matches records where the field has a value.
func (f TextField) IsNotNull() Condition { return compare(string(f), kindText, OpIsNotNull) }

// PicklistField is a picklist field whose values have type V.
type PicklistField[V ~string] string

// Equals matches the value.
func (f PicklistField[V]) Equals(v V) Condition {
	return compare(string(f), kindPicklist, OpEquals, picklistLit(v))
}

// NotEqual matches any other value, and empty fields.
func (f PicklistField[V]) NotEqual(v V) Condition {
	return compare(string(f), kindPicklist, OpNotEqual, picklistLit(v))
}

// In matches any of the values.
func (f PicklistField[V]) In(vs ...V) Condition {
	return compare(string(f), kindPicklist, OpIn, literals(vs, picklistLit[V])...)
}

// NotIn matches values other than all of these, and empty fields.
func (f PicklistField[V]) NotIn(vs ...V) Condition {
	return compare(string(f), kindPicklist, OpNotIn, literals(vs, picklistLit[V])...)
}

// IsNull matches records where the field is empty.
func (f PicklistField[V]) IsNull() Condition { return compare(string(f), kindPicklist, OpIsNull) }

// IsNotNull matches records where the field has a value.
func (f PicklistField[V]) IsNotNull() Condition { return compare(string(f), kindPicklist, OpIsNotNull) }

// picklistLit writes a picklist value, which is text.
func picklistLit[V ~string](v V) literal { return text(string(v)) }

// literals writes each of the values with lit.
func literals[T any](vs []T, lit func(T) literal) []literal {
	out := make([]literal, len(vs))
	for i, v := range vs {
		out[i] = lit(v)
	}
	return out
}

// MultiSelectField is a multi-select picklist whose values have type V.
type MultiSelectField[V ~string] string

// Contains matches records whose selection includes v, a whole value:
// search and Bulk Read compare the selection's values, COQL the text of
// the selection (see coqlElements), so each form finds the same records.
func (f MultiSelectField[V]) Contains(v V) Condition {
	return compare(string(f), kindMultiSelect, OpEquals, picklistLit(v))
}

// NotContains matches records whose selection does not include v, and
// records with nothing selected.
func (f MultiSelectField[V]) NotContains(v V) Condition {
	return compare(string(f), kindMultiSelect, OpNotEqual, picklistLit(v))
}

// In matches records whose selection includes any of the values.
func (f MultiSelectField[V]) In(vs ...V) Condition {
	return compare(string(f), kindMultiSelect, OpIn, literals(vs, picklistLit[V])...)
}

// NotIn matches records whose selection includes none of the values,
// and records with nothing selected.
func (f MultiSelectField[V]) NotIn(vs ...V) Condition {
	return compare(string(f), kindMultiSelect, OpNotIn, literals(vs, picklistLit[V])...)
}

// IsNull matches records with nothing selected.
func (f MultiSelectField[V]) IsNull() Condition { return compare(string(f), kindMultiSelect, OpIsNull) }

// IsNotNull matches records with something selected.
func (f MultiSelectField[V]) IsNotNull() Condition {
	return compare(string(f), kindMultiSelect, OpIsNotNull)
}

// NumberField is an integer, bigint, double, currency, percent or decimal
// field whose Go values have type N: an integer, a float or a Decimal.
type NumberField[N numeric] string

// Equals matches the value.
func (f NumberField[N]) Equals(v N) Condition {
	return compare(string(f), kindNumber, OpEquals, number(v))
}

// NotEqual matches any other value, and empty fields.
func (f NumberField[N]) NotEqual(v N) Condition {
	return compare(string(f), kindNumber, OpNotEqual, number(v))
}

// GreaterThan matches values above v.
func (f NumberField[N]) GreaterThan(v N) Condition {
	return compare(string(f), kindNumber, OpGreaterThan, number(v))
}

// GreaterEqual matches values at or above v.
func (f NumberField[N]) GreaterEqual(v N) Condition {
	return compare(string(f), kindNumber, OpGreaterEqual, number(v))
}

// LessThan matches values below v.
func (f NumberField[N]) LessThan(v N) Condition {
	return compare(string(f), kindNumber, OpLessThan, number(v))
}

// LessEqual matches values at or below v.
func (f NumberField[N]) LessEqual(v N) Condition {
	return compare(string(f), kindNumber, OpLessEqual, number(v))
}

// Between matches values from lo to hi, both included.
func (f NumberField[N]) Between(lo, hi N) Condition {
	return compare(string(f), kindNumber, OpBetween, number(lo), number(hi))
}

// NotBetween matches values below lo or above hi, and empty fields.
func (f NumberField[N]) NotBetween(lo, hi N) Condition {
	return compare(string(f), kindNumber, OpNotBetween, number(lo), number(hi))
}

// In matches any of the values.
func (f NumberField[N]) In(vs ...N) Condition {
	return compare(string(f), kindNumber, OpIn, literals(vs, number[N])...)
}

// NotIn matches values other than all of these, and empty fields.
func (f NumberField[N]) NotIn(vs ...N) Condition {
	return compare(string(f), kindNumber, OpNotIn, literals(vs, number[N])...)
}

// IsNull matches records where the field is empty.
func (f NumberField[N]) IsNull() Condition { return compare(string(f), kindNumber, OpIsNull) }

// IsNotNull matches records where the field has a value.
func (f NumberField[N]) IsNotNull() Condition { return compare(string(f), kindNumber, OpIsNotNull) }

// DateField is a date field.
type DateField string

// Equals matches the date.
func (f DateField) Equals(d Date) Condition {
	return compare(string(f), kindDate, OpEquals, dateLit(d))
}

// Before matches dates before d.
func (f DateField) Before(d Date) Condition {
	return compare(string(f), kindDate, OpLessThan, dateLit(d))
}

// After matches dates after d.
func (f DateField) After(d Date) Condition {
	return compare(string(f), kindDate, OpGreaterThan, dateLit(d))
}

// Between matches dates from lo to hi, both included.
func (f DateField) Between(lo, hi Date) Condition {
	return compare(string(f), kindDate, OpBetween, dateLit(lo), dateLit(hi))
}

// NotBetween matches dates before lo or after hi, and empty fields.
func (f DateField) NotBetween(lo, hi Date) Condition {
	return compare(string(f), kindDate, OpNotBetween, dateLit(lo), dateLit(hi))
}

// IsNull matches records where the field is empty.
func (f DateField) IsNull() Condition { return compare(string(f), kindDate, OpIsNull) }

// IsNotNull matches records where the field has a date.
func (f DateField) IsNotNull() Condition { return compare(string(f), kindDate, OpIsNotNull) }

// DateTimeField is a datetime field.
type DateTimeField string

// Equals matches the instant.
func (f DateTimeField) Equals(t time.Time) Condition {
	return compare(string(f), kindDateTime, OpEquals, dateTimeLit(t))
}

// Before matches instants before t.
func (f DateTimeField) Before(t time.Time) Condition {
	return compare(string(f), kindDateTime, OpLessThan, dateTimeLit(t))
}

// After matches instants after t.
func (f DateTimeField) After(t time.Time) Condition {
	return compare(string(f), kindDateTime, OpGreaterThan, dateTimeLit(t))
}

// Between matches instants from lo to hi, both included.
func (f DateTimeField) Between(lo, hi time.Time) Condition {
	return compare(string(f), kindDateTime, OpBetween, dateTimeLit(lo), dateTimeLit(hi))
}

// NotBetween matches instants before lo or after hi, and empty fields.
func (f DateTimeField) NotBetween(lo, hi time.Time) Condition {
	return compare(string(f), kindDateTime, OpNotBetween, dateTimeLit(lo), dateTimeLit(hi))
}

// IsNull matches records where the field is empty.
func (f DateTimeField) IsNull() Condition { return compare(string(f), kindDateTime, OpIsNull) }

// IsNotNull matches records where the field has an instant.
func (f DateTimeField) IsNotNull() Condition { return compare(string(f), kindDateTime, OpIsNotNull) }

// BoolField is a checkbox field.
type BoolField string

// Is matches records whose box is v.
func (f BoolField) Is(v bool) Condition {
	lit := literal{text: "false"}
	if v {
		lit.text = "true"
	}
	return compare(string(f), kindBool, OpEquals, lit)
}

// LookupField is a lookup to a record of another module, compared by id.
type LookupField string

// Equals matches records linked to the record with this id.
func (f LookupField) Equals(id string) Condition {
	return compare(string(f), kindLookup, OpEquals, text(id))
}

// In matches records linked to any of the ids.
func (f LookupField) In(ids ...string) Condition {
	return compare(string(f), kindLookup, OpIn, textAll(ids)...)
}

// NotEqual matches records linked to another record, or to none.
func (f LookupField) NotEqual(id string) Condition {
	return compare(string(f), kindLookup, OpNotEqual, text(id))
}

// NotIn matches records linked to none of the ids, or to nothing.
func (f LookupField) NotIn(ids ...string) Condition {
	return compare(string(f), kindLookup, OpNotIn, textAll(ids)...)
}

// IsNull matches records linked to nothing.
func (f LookupField) IsNull() Condition { return compare(string(f), kindLookup, OpIsNull) }

// IsNotNull matches records linked to a record.
func (f LookupField) IsNotNull() Condition { return compare(string(f), kindLookup, OpIsNotNull) }

// UserField is an owner or user lookup, compared by user id.
type UserField string

// Equals matches records of the user with this id.
func (f UserField) Equals(id string) Condition {
	return compare(string(f), kindUser, OpEquals, text(id))
}

// NotEqual matches records of other users.
func (f UserField) NotEqual(id string) Condition {
	return compare(string(f), kindUser, OpNotEqual, text(id))
}

// In matches records of any of the users.
func (f UserField) In(ids ...string) Condition {
	return compare(string(f), kindUser, OpIn, textAll(ids)...)
}

// NotIn matches records of none of the users.
func (f UserField) NotIn(ids ...string) Condition {
	return compare(string(f), kindUser, OpNotIn, textAll(ids)...)
}

// UntypedField is a field named only by its API name, for fields no
// generated helper covers. Values are formatted by their Go type.
type UntypedField string

// Field returns the helper for any field by its API name.
func Field(apiName string) UntypedField { return UntypedField(apiName) }

func (f UntypedField) cmp(op Operator, vs ...any) Condition {
	lits := make([]literal, len(vs))
	for i, v := range vs {
		lit, err := anyLiteral(v)
		if err != nil {
			return Condition{field: string(f), err: err}
		}
		lits[i] = lit
	}
	return compare(string(f), kindAny, op, lits...)
}

// Equals matches the value.
func (f UntypedField) Equals(v any) Condition { return f.cmp(OpEquals, v) }

// NotEqual matches any other value, and empty fields.
func (f UntypedField) NotEqual(v any) Condition { return f.cmp(OpNotEqual, v) }

// StartsWith matches text beginning with prefix.
func (f UntypedField) StartsWith(prefix string) Condition { return f.cmp(OpStartsWith, prefix) }

// EndsWith matches text ending with suffix.
func (f UntypedField) EndsWith(suffix string) Condition { return f.cmp(OpEndsWith, suffix) }

// Contains matches text holding s, taken literally.
func (f UntypedField) Contains(s string) Condition { return f.cmp(OpContains, s) }

// NotContains matches text not holding s, and empty fields.
func (f UntypedField) NotContains(s string) Condition { return f.cmp(OpNotContains, s) }

// In matches any of the values.
func (f UntypedField) In(vs ...any) Condition { return f.cmp(OpIn, vs...) }

// NotIn matches values other than all of these, and empty fields.
func (f UntypedField) NotIn(vs ...any) Condition { return f.cmp(OpNotIn, vs...) }

// GreaterThan matches values above v.
func (f UntypedField) GreaterThan(v any) Condition { return f.cmp(OpGreaterThan, v) }

// GreaterEqual matches values at or above v.
func (f UntypedField) GreaterEqual(v any) Condition { return f.cmp(OpGreaterEqual, v) }

// LessThan matches values below v.
func (f UntypedField) LessThan(v any) Condition { return f.cmp(OpLessThan, v) }

// LessEqual matches values at or below v.
func (f UntypedField) LessEqual(v any) Condition { return f.cmp(OpLessEqual, v) }

// Between matches values from lo to hi.
func (f UntypedField) Between(lo, hi any) Condition { return f.cmp(OpBetween, lo, hi) }

// NotBetween matches values outside lo to hi, and empty fields.
func (f UntypedField) NotBetween(lo, hi any) Condition { return f.cmp(OpNotBetween, lo, hi) }

// Like matches a COQL pattern in which % stands for any text (see
// TextField.Like).
func (f UntypedField) Like(pattern string) Condition { return f.cmp(OpLike, pattern) }

// NotLike matches text the pattern does not, and empty fields.
func (f UntypedField) NotLike(pattern string) Condition { return f.cmp(OpNotLike, pattern) }

// IsNull matches records where the field is empty.
func (f UntypedField) IsNull() Condition { return f.cmp(OpIsNull) }

// IsNotNull matches records where the field has a value.
func (f UntypedField) IsNotNull() Condition { return f.cmp(OpIsNotNull) }
