package zohohub

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// criteriaEscaper backslash-escapes the characters that would otherwise
// end a value in search criteria: ( ) , and the backslash itself.
var criteriaEscaper = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, `,`, `\,`)

// searchParams compiles the condition to the parameters of Zoho's search
// (GET {module}/search, docs/wire.md §3): criteria, or the word, email or
// phone of a SearchWord, SearchEmail or SearchPhone.
func (c Condition) searchParams() (url.Values, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	if spec := operators[c.op]; !c.isGroup() && spec.param {
		return url.Values{spec.search.name: {c.values[0].text}}, nil
	}
	crit, err := c.criteria()
	if err != nil {
		return nil, err
	}
	return url.Values{"criteria": {crit}}, nil
}

// criteria compiles the condition to Zoho search criteria, such as
// ((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M)). URL
// encoding is left to url.Values.
func (c Condition) criteria() (string, error) {
	if err := c.Err(); err != nil {
		return "", err
	}
	if n := c.leaves(); n > maxCriteriaConditions {
		return "", fmt.Errorf("zohohub: search takes at most %d conditions, this query has %d", maxCriteriaConditions, n)
	}
	var b strings.Builder
	if err := c.writeCriteria(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (c Condition) writeCriteria(b *strings.Builder) error {
	if c.isGroup() {
		b.WriteByte('(')
		for i, ch := range c.children {
			if i > 0 {
				b.WriteString(c.join)
			}
			if err := ch.writeCriteria(b); err != nil {
				return err
			}
		}
		b.WriteByte(')')
		return nil
	}
	spec := operators[c.op]
	switch {
	case spec.param:
		return fmt.Errorf("zohohub: a %s search cannot be combined with other conditions: Zoho's search takes one of criteria, email, phone and word", c.op)
	case spec.like == likePattern:
		eq, err := c.likeEquivalent("search")
		if err != nil {
			return err
		}
		return eq.writeCriteria(b)
	case !spec.search.on.has(c.kind):
		return c.cannot("search")
	}
	b.WriteString("(" + c.field + ":" + spec.search.name + ":")
	for i, v := range c.values {
		// Zoho trims a value and refuses an empty one (docs/wire.md §3).
		if v.text == "" || strings.TrimFunc(v.text, unicode.IsSpace) != v.text {
			return fmt.Errorf("zohohub: %s: search trims spaces around a value and refuses an empty one, so it cannot match %q", c.field, v.text)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(criteriaEscaper.Replace(v.text))
	}
	b.WriteByte(')')
	return nil
}
