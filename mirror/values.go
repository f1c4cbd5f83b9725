package mirror

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A record's values reach the mirror as JSON: typed, as the records API
// answers, or as the text cells of a Bulk Read CSV (every value a JSON
// string, lookups and users by id only, multi-select picklists joined
// with ";"). value turns either into the parameter of a column, so that
// the two paths store the same row.

// source is one record's fields as the mirror reads them.
type source struct {
	fields map[string]json.RawMessage
	// names gives the names Bulk Read does not export: users by id, and
	// lookups by field (from their "<field>.<display field>" column).
	users map[string]string
	bulk  bool
}

// lookupNameKey is the member of a Bulk Read row that holds the name of
// the record a lookup points to: the target's display field, exported as
// "<field>.<display field>".
func lookupNameKey(field, display string) string { return field + "." + display }

// value is the parameter of column c for the record: nil for an empty or
// absent value. lookupName is the Bulk Read column of c's lookup name.
func (s *source) value(c column, lookupName string, d dialect) (any, error) {
	raw, ok := s.fields[c.field]
	if !ok || isNull(raw) {
		if c.part == partModule {
			return s.seModule(), nil
		}
		return nil, nil
	}
	switch c.part {
	case partID:
		id := refMember(raw, "id")
		if id == "" {
			return nil, nil
		}
		return parseID(id)
	case partName:
		if name := refMember(raw, "name"); name != "" || !s.bulk {
			return nilIfEmpty(name), nil
		}
		if c.user {
			return nilIfEmpty(s.users[refMember(raw, "id")]), nil
		}
		if lookupName != "" {
			return nilIfEmpty(textOf(s.fields[lookupName])), nil
		}
		return nil, nil
	case partModule:
		var ref struct {
			Module struct {
				APIName string `json:"api_name"`
			} `json:"module"`
		}
		if json.Unmarshal(raw, &ref) == nil && ref.Module.APIName != "" {
			return ref.Module.APIName, nil
		}
		return s.seModule(), nil
	}
	return scalar(c, raw, d)
}

// seModule is the module a What_Id-like lookup points to.
func (s *source) seModule() any {
	return nilIfEmpty(textOf(s.fields["$se_module"]))
}

// scalar converts a whole-field value.
func scalar(c column, raw json.RawMessage, d dialect) (any, error) {
	str, isString := stringOf(raw)
	if isString && str == "" && c.Kind != kindText {
		return nil, nil // Bulk Read's empty cell, or Zoho's "" for no value
	}
	bad := func(why string) error { return fmt.Errorf("%s is not %s", clip(raw), why) }
	switch c.Kind {
	case kindText:
		if isString {
			return str, nil
		}
		return string(raw), nil // a number or boolean, or an object Zoho wrote where text was declared
	case kindInt, kindBigint:
		text := string(raw)
		if isString {
			text = str
		}
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, bad("an integer")
		}
		if c.Kind == kindInt && (n < -1<<31 || n > 1<<31-1) {
			return nil, bad("a 32-bit integer")
		}
		return n, nil
	case kindDouble, kindNumeric:
		text := string(raw)
		if isString {
			text = strings.TrimSpace(str)
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || !json.Valid([]byte(text)) || raw[0] == '{' || raw[0] == '[' {
			return nil, bad("a number")
		}
		if c.Kind == kindNumeric {
			return text, nil // the decimal text, so nothing is lost to binary floating point
		}
		return f, nil
	case kindBool:
		text := string(raw)
		if isString {
			text = str
		}
		switch text {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, bad("true or false")
	case kindDate:
		if !isString {
			return nil, bad("a date")
		}
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			return nil, bad("a date (2006-01-02)")
		}
		return str, nil
	case kindTimestamp:
		if !isString {
			return nil, bad("a time")
		}
		t, err := time.Parse(time.RFC3339, str)
		if err != nil {
			return nil, bad("an ISO 8601 time")
		}
		return t.UTC(), nil
	case kindJSON:
		if isString {
			if t := strings.TrimSpace(str); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Valid([]byte(t)) {
				return t, nil // Bulk Read writes such values as their JSON
			}
		}
		if isEmptyJSON(raw) {
			return nil, nil
		}
		return string(raw), nil
	case kindTextList:
		var vs []string
		if isString {
			vs = strings.Split(str, ";")
		} else if err := json.Unmarshal(raw, &vs); err != nil {
			return nil, bad("a list of text")
		}
		if len(vs) == 0 {
			return nil, nil // no values and an empty list are one thing
		}
		return d.listValue(vs)
	}
	return nil, fmt.Errorf("no conversion for a %s column", c.Kind)
}

// refMember reads a member of a lookup or user object; a Bulk Read cell
// (a JSON string) is the id itself.
func refMember(raw json.RawMessage, member string) string {
	if s, ok := stringOf(raw); ok {
		if member == "id" {
			return s
		}
		return ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	return textOf(obj[member])
}

// parseID reads a record id: 1 to 19 digits that fit a bigint.
func parseID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s[0] == '+' || s[0] == '0' {
		return 0, fmt.Errorf("%.40q is not a record id", s)
	}
	return n, nil
}

// textOf is the text of a JSON string, or the JSON itself for a number
// or boolean; "" for null or absent.
func textOf(raw json.RawMessage) string {
	if len(raw) == 0 || isNull(raw) {
		return ""
	}
	if s, ok := stringOf(raw); ok {
		return s
	}
	return string(raw)
}

func stringOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func isEmptyJSON(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "[]", "{}", "null":
		return true
	}
	return false
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// clip shows a value in an error, cut to a readable length.
func clip(raw json.RawMessage) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}
