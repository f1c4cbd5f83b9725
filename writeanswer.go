package zohohub

import (
	"bytes"
	"errors"
)

// The answer to a write, {"data":[{"code":…,"details":{…},…},…]}, read
// with jsonscan: every batch of 100 records reads one, and encoding/json's
// reflection and its copy of each record's details cost more than the
// rest of the batch's bookkeeping.

// errUnusual stops a fast read at something it leaves to encoding/json.
var errUnusual = errors.New("unusual answer")

// scanWriteResults reads the n results of a write answer. ok is false for
// anything unusual (a key spelt in another case or escaped, a key given
// twice, a null or a value of another type, not n results); then
// parseWriteResults reads it with encoding/json, so that the two agree on
// every valid body (every answer is checked before it is read: validJSON).
// Details are slices of body, not copies.
func scanWriteResults(body []byte, n int) (results []writeResult, ok bool) {
	seen := false
	err := eachMember(body, func(key, val []byte) error {
		name, usual := usualKey(key)
		switch {
		case !usual:
			return errUnusual
		case string(name) != "data":
			if bytes.EqualFold(name, []byte("data")) {
				return errUnusual // encoding/json would read it as data
			}
			return nil
		case seen || val[0] != '[':
			return errUnusual
		}
		seen = true
		results = make([]writeResult, 0, n)
		return eachElement(val, func(elem []byte) error {
			if len(results) == n {
				return errUnusual
			}
			results = append(results, writeResult{})
			return results[len(results)-1].scan(elem)
		})
	})
	return results, err == nil && len(results) == n
}

// writeResultKeys are the members of a result that writeResult keeps.
var writeResultKeys = [...]string{"code", "details", "message", "status", "action", "duplicate_field"}

// scan reads one result object into r; errUnusual (or a syntax error) for
// anything scanWriteResults leaves to encoding/json.
func (r *writeResult) scan(obj []byte) error {
	if obj[0] != '{' {
		return errUnusual
	}
	var seen [len(writeResultKeys)]bool
	return eachMember(obj, func(key, val []byte) error {
		name, usual := usualKey(key)
		if !usual {
			return errUnusual
		}
		k := -1
		for i, want := range writeResultKeys {
			if string(name) == want {
				k = i
				break
			}
			if bytes.EqualFold(name, []byte(want)) {
				return errUnusual
			}
		}
		if k < 0 {
			return nil
		}
		if seen[k] {
			return errUnusual
		}
		seen[k] = true
		var text *string
		switch writeResultKeys[k] {
		case "details":
			r.Details = val
			return nil
		case "duplicate_field":
			r.DuplicateField = val
			return nil
		case "code":
			text = &r.Code
		case "message":
			text = &r.Message
		case "status":
			text = &r.Status
		case "action":
			text = &r.Action
		}
		if val[0] != '"' {
			return errUnusual
		}
		s, err := answerText(val)
		*text = s
		return err
	})
}

// usualKey returns the name of a raw key (quotes included) that has no
// escapes and only ASCII letters, digits, _ and $: one that encoding/json
// matches to a field exactly as it matches it here, case folding aside.
func usualKey(key []byte) ([]byte, bool) {
	inner := key[1 : len(key)-1]
	for _, c := range inner {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$') {
			return nil, false
		}
	}
	return inner, true
}

// answerText unquotes a text of a write result; the usual ones are not
// copied.
func answerText(raw []byte) (string, error) {
	switch string(raw) {
	case `"SUCCESS"`:
		return "SUCCESS", nil
	case `"success"`:
		return "success", nil
	case `"error"`:
		return "error", nil
	case `"insert"`:
		return "insert", nil
	case `"update"`:
		return "update", nil
	case `"record added"`:
		return "record added", nil
	case `"record updated"`:
		return "record updated", nil
	case `"record deleted"`:
		return "record deleted", nil
	}
	return unquote(raw)
}
