package zohohub

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// COQL runs a COQL select written by hand, for what Where cannot say
// (aggregates aside: every row is decoded into a *T), and yields its rows
// decoded into *T, one page held at a time, stopping at the first error,
// which it yields.
//
// Each ? outside a quoted literal is a placeholder for the next of args,
// written by the code that writes the literals of conditions: a string,
// Date, time.Time, Lookup or User quoted with ' doubled and \ escaped;
// an int, int64, float64 or bool as itself. No value reaches the statement
// unquoted, so no value can change it. A ? after like takes a pattern
// whose % stay wildcards. Placeholders and args that disagree in number,
// an arg of another type, a statement that does not select from T's
// module or ends inside a quoted literal are errors before anything is
// sent.
//
// Paging: a statement without LIMIT or OFFSET of its own is sent with
// "limit offset, 2000" appended, call after call, while Zoho reports more
// records, up to the 100,000 rows Zoho's offsets reach (beyond that, an
// error); Zoho orders rows by id unless the statement orders them. A
// statement with its own LIMIT or OFFSET is sent once, as written, and
// yields what Zoho answers: at most its LIMIT (Zoho's default 200, its
// maximum 2,000).
func (rs *RecordSet[T]) COQL(ctx context.Context, stmt string, args ...any) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if err := rs.check(); err != nil {
			yield(nil, err)
			return
		}
		bound, paged, err := bindCOQL(rs.module(), stmt, args)
		if err != nil {
			yield(nil, err)
			return
		}
		q := rs.Query()
		guard := newPageGuard(http.MethodPost, "coql", coqlPageSize, coqlMaxOffset/coqlPageSize)
		for offset := 0; ; offset += coqlPageSize {
			sent := bound
			if paged {
				if offset >= coqlMaxOffset {
					yield(nil, fmt.Errorf("zohohub: COQL reaches at most %d records of %s", coqlMaxOffset, rs.module()))
					return
				}
				sent += fmt.Sprintf(" limit %d, %d", offset, coqlPageSize)
			}
			recs, info, err := q.fetch(ctx, &Request{Method: http.MethodPost, Path: "coql", Body: map[string]string{"select_query": sent}, Retryable: true}, guard, 0)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
			if !paged || !info.MoreRecords || len(recs) == 0 {
				return
			}
		}
	}
}

// bindCOQL replaces the statement's placeholders with args as COQL
// literals, and reports whether the statement leaves paging to the
// client (no LIMIT or OFFSET of its own). Words are read outside quoted
// literals only, as Zoho's lexer reads them: within '…', a doubled quote
// or \' is a quote and \\ a backslash.
func bindCOQL(module, stmt string, args []any) (string, bool, error) {
	stmt = strings.TrimRight(strings.TrimSpace(stmt), "; \t\r\n")
	var b strings.Builder
	var words []string // outside literals, lower-cased
	used := 0
	for i := 0; i < len(stmt); i++ {
		switch ch := stmt[i]; {
		case ch == '\'':
			end := literalEnd(stmt, i)
			if end < 0 {
				return "", false, fmt.Errorf("zohohub: COQL: the statement ends inside a quoted literal")
			}
			b.WriteString(stmt[i:end])
			i = end - 1
		case ch == '?':
			if used == len(args) {
				return "", false, fmt.Errorf("zohohub: COQL: the statement has more ? than the %d args given", len(args))
			}
			lit, err := anyLiteral(args[used])
			if err != nil {
				return "", false, fmt.Errorf("zohohub: COQL: arg %d: %w", used+1, err)
			}
			if !utf8.ValidString(lit.text) {
				return "", false, fmt.Errorf("zohohub: COQL: arg %d is not valid UTF-8", used+1)
			}
			used++
			b.WriteString(lit.coql())
		case isWordByte(ch):
			j := i
			for j < len(stmt) && isWordByte(stmt[j]) {
				j++
			}
			words = append(words, strings.ToLower(stmt[i:j]))
			b.WriteString(stmt[i:j])
			i = j - 1
		default:
			b.WriteByte(ch)
		}
	}
	if used != len(args) {
		return "", false, fmt.Errorf("zohohub: COQL: %d args given for %d placeholders", len(args), used)
	}
	if len(words) == 0 || words[0] != "select" {
		return "", false, fmt.Errorf("zohohub: COQL: only a select statement can be run")
	}
	from := -1
	for i, w := range words {
		if w == "from" && i+1 < len(words) {
			from = i + 1
			break
		}
	}
	if from < 0 || !strings.EqualFold(words[from], module) {
		return "", false, fmt.Errorf("zohohub: COQL: the statement must select from %s, the module of the records it decodes into", module)
	}
	paged := !slices.ContainsFunc(words[from:], func(w string) bool { return w == "limit" || w == "offset" })
	return b.String(), paged, nil
}

// literalEnd returns the index just past the quoted literal starting at
// s[i], or -1 when it does not end.
func literalEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && j+1 < len(s) && (s[j+1] == '\'' || s[j+1] == '\\'):
			j++
		case s[j] == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == '\'':
			return j + 1
		}
	}
	return -1
}

// isWordByte reports whether c may be part of a COQL keyword or name.
func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
