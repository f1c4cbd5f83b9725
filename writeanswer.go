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
	end, err := walkObject(body, 0, func(key []byte, vs int) (int, error) {
		name, usual := usualKey(key)
		switch {
		case !usual:
			return 0, errUnusual
		case string(name) != "data":
			if bytes.EqualFold(name, []byte("data")) {
				return 0, errUnusual // encoding/json would read it as data
			}
			return skipValue(body, vs)
		case seen || body[vs] != '[':
			return 0, errUnusual
		}
		seen = true
		results = make([]writeResult, 0, n)
		return walkArray(body, vs, func(es int) (int, error) {
			if len(results) == n {
				return 0, errUnusual
			}
			results = append(results, writeResult{})
			return results[len(results)-1].scan(body, es)
		})
	})
	return results, err == nil && checkTrailing(body, end) == nil && len(results) == n
}

// writeResultKeys are the members of a result that writeResult keeps.
var writeResultKeys = [...]string{"code", "details", "message", "status", "action", "duplicate_field"}

// scan reads the result object at body[i] into r and returns the index
// just past it; errUnusual (or a syntax error) for anything
// scanWriteResults leaves to encoding/json.
func (r *writeResult) scan(body []byte, i int) (int, error) {
	if body[i] != '{' {
		return 0, errUnusual
	}
	var seen [len(writeResultKeys)]bool
	return walkObject(body, i, func(key []byte, vs int) (int, error) {
		name, usual := usualKey(key)
		if !usual {
			return 0, errUnusual
		}
		k := -1
		for i, want := range writeResultKeys {
			if string(name) == want {
				k = i
				break
			}
			if bytes.EqualFold(name, []byte(want)) {
				return 0, errUnusual
			}
		}
		var ve int
		var err error
		if k >= 0 && writeResultKeys[k] == "details" && body[vs] == '{' {
			ve, err = r.scanDetails(body, vs)
		} else {
			ve, err = skipValue(body, vs)
		}
		if err != nil {
			return 0, err
		}
		val := body[vs:ve]
		if k < 0 {
			return ve, nil
		}
		if seen[k] {
			return 0, errUnusual
		}
		seen[k] = true
		var text *string
		switch writeResultKeys[k] {
		case "details":
			r.Details = val
			return ve, nil
		case "duplicate_field":
			r.DuplicateField = val
			return ve, nil
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
			return 0, errUnusual
		}
		*text, err = answerText(val)
		return ve, err
	})
}

// scanDetails skips the details object at body[vs], counting its id
// members as answeredID does, for writtenID: the details of a record
// written are read once, not twice. An escaped key is left to
// encoding/json (errUnusual).
func (r *writeResult) scanDetails(body []byte, vs int) (int, error) {
	r.detailIDs, r.idsRead = memberCount{}, false
	end, err := walkObject(body, vs, func(key []byte, ms int) (int, error) {
		me, err := skipValue(body, ms)
		if err != nil {
			return 0, err
		}
		name, plain := plainKey(key)
		switch {
		case !plain:
			return 0, errUnusual
		case string(name) == "id":
			r.detailIDs.ids++
			r.detailIDs.idRaw = body[ms:me]
		}
		return me, nil
	})
	r.idsRead = err == nil
	return end, err
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
