package zohotest

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	digitsRE = regexp.MustCompile(`^-?\d+$`)
)

// systemFields are maintained by the server; writes to them are ignored,
// as Zoho ignores them.
var systemFields = map[string]bool{"id": true, "Created_Time": true, "Modified_Time": true, "Created_By": true, "Modified_By": true}

func invalid(i int, api, expected string, extra map[string]any) *zerr {
	d := map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api)}
	if expected != "" {
		d["expected_data_type"] = expected
	}
	for k, v := range extra {
		d[k] = v
	}
	return newErr(400, "INVALID_DATA", "invalid data", d)
}

// validateLocked checks one record of a write and returns the record to
// store: for an insert a new record, for an update old merged with in.
// Zoho's rules: unknown fields, wrong types, lengths, lookups to missing
// records, mandatory fields on insert, unique fields. The caller holds
// the module's write lock.
func (s *Server) validateLocked(module string, in map[string]any, i int, insert bool, old map[string]any) (map[string]any, *zerr) {
	rec, err := s.validate(module, in, i, insert, old)
	if err != nil {
		return nil, err
	}
	if err := s.uniqueLocked(module, rec, i); err != nil {
		return nil, err
	}
	return rec, nil
}

// validate is validateLocked but for the unique fields, which it leaves
// to uniqueLocked: it needs no lock of the module (a lookup's target is
// read under the lock of its module's id map).
func (s *Server) validate(module string, in map[string]any, i int, insert bool, old map[string]any) (map[string]any, *zerr) {
	fields := s.meta.fields[module]
	ms := s.records.module(module)
	var rec map[string]any
	if old != nil {
		// A shallow copy: a stored record's members are never modified
		// in place (every write stores a new record, as this one), so
		// the new record may share them with the one it replaces.
		rec = maps.Clone(old)
	} else {
		// Sized for what it will hold: the sent fields, Full_Name, the six
		// system fields insertLocked sets and the default booleans. A map
		// sized for more costs more to make than the growth it saves.
		rec = make(map[string]any, len(in)+7+len(ms.booleans))
	}
	var readOnly []string // read-only fields written: checked once rec is merged
	for api, v := range in {
		if systemFields[api] || strings.HasPrefix(api, "$") {
			continue
		}
		f, ok := fields[api]
		if !ok {
			return nil, invalid(i, api, "", map[string]any{"reason": "no such field in " + module})
		}
		if f.ReadOnly && api != "Owner" {
			readOnly = append(readOnly, api)
			continue
		}
		if special, zerr := s.checkSpecial(rec, in, f, v, i); special {
			if zerr != nil {
				return nil, zerr
			}
			continue
		}
		if v == nil {
			delete(rec, api)
			continue
		}
		norm, err := s.checkValue(f.DataType, f.Lookup.Module.APIName, f.Length, v)
		if err != "" {
			extra := map[string]any{}
			if err == "length" {
				extra["maximum_length"] = f.Length
				return nil, invalid(i, api, "", extra)
			}
			return nil, invalid(i, api, err, nil)
		}
		if e := s.checkNumber(module, f, norm, i); e != nil {
			return nil, e
		}
		rec[api] = appendValues(f, in, old, norm)
	}
	setFullName(fields, rec)
	defaultBooleans(ms.booleans, rec)
	if e := readOnlyWrites(in, rec, readOnly, i); e != nil {
		return nil, e
	}
	if !insert {
		if e := mandatoryCleared(fields, in, rec, i); e != nil {
			return nil, e
		}
	}
	if insert {
		for _, api := range ms.mandatory {
			if v, ok := rec[api]; !ok || v == "" {
				return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api)})
			}
		}
	}
	return rec, nil
}

// insertRoom is how many members an insert adds to the fields sent
// before it stores a record: Full_Name, the six system fields insertLocked
// sets and the default booleans.
func insertRoom(ms *moduleStore) int { return 7 + len(ms.booleans) }

// validateInsert is validate of record i of an insert, whose map in is
// the write's own (parsed from its body, held by nothing else, with room
// made by parseWriteBodyRoom): when every member of in is a writable
// field of the module, stored as sent or normalized in place, the record
// to store is in itself, checked and completed, rather than a copy of
// it. Any other record (system or $ members, read-only fields, nulls,
// multi-module lookups, unknown fields) is validate's. validate's checks
// and errors either way.
func (s *Server) validateInsert(module string, in map[string]any, i int) (map[string]any, *zerr) {
	fields := s.meta.fields[module]
	for api, v := range in {
		f, ok := fields[api]
		if !ok || v == nil || systemFields[api] || strings.HasPrefix(api, "$") || (f.ReadOnly && api != "Owner") ||
			f.IsMultiModuleLookup() || (f.DataType == "bigint" && f.JSONType == "jsonarray") {
			return s.validate(module, in, i, true, nil)
		}
	}
	ms := s.records.module(module)
	for api, v := range in { // existing members only are changed: the range sees each once
		f := fields[api]
		norm, err := s.checkValue(f.DataType, f.Lookup.Module.APIName, f.Length, v)
		if err != "" {
			if err == "length" {
				return nil, invalid(i, api, "", map[string]any{"maximum_length": f.Length})
			}
			return nil, invalid(i, api, err, nil)
		}
		if e := s.checkNumber(module, f, norm, i); e != nil {
			return nil, e
		}
		in[api] = norm // appendValues leaves an insert's value alone
	}
	setFullName(fields, in)
	defaultBooleans(ms.booleans, in)
	for _, api := range ms.mandatory {
		if v, ok := in[api]; !ok || v == "" {
			return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api)})
		}
	}
	return in, nil
}

// uniqueLocked refuses record i of a write, about to be stored as rec,
// when another record holds the value of one of its unique fields. The
// caller holds the module's write lock.
func (s *Server) uniqueLocked(module string, rec map[string]any, i int) *zerr {
	ms := s.records.module(module)
	for api := range ms.unique {
		if other, _ := ms.holderLocked(api, rec[api]); other != nil && other["id"] != rec["id"] {
			return newErr(400, "DUPLICATE_DATA", "duplicate data", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api),
				"duplicate_record": s.duplicateRecord(module, other), "more_records": false})
		}
	}
	return nil
}

// validEmail reports whether s is an address as Zoho's email fields take
// one: local@domain.tld with no @ or white space in any part (the regular
// expression ^[^@\s]+@[^@\s]+\.[^@\s]+$, without its cost per write).
func validEmail(s string) bool {
	local, domain, found := strings.Cut(s, "@")
	if !found || local == "" || len(domain) < 3 || strings.ContainsAny(domain, "@") || strings.ContainsAny(s, "\t\n\f\r ") {
		return false
	}
	return strings.Contains(domain[1:len(domain)-1], ".")
}

// equalValues compares values as Zoho compares unique fields: text
// without regard to case (as strings.EqualFold), anything else by its JSON.
func equalValues(a, b any) bool { return valueKey(a) == valueKey(b) }

// valueKey is a value's identity for equalValues: equal keys, equal values.
func valueKey(v any) string {
	if s, ok := v.(string); ok {
		return foldKey("s", s)
	}
	data, _ := json.Marshal(v)
	return "j" + string(data)
}

// appendValueKey appends valueKey(v) to buf: a key looked up in an index
// (idx[string(key)]) costs no allocation.
func appendValueKey(buf []byte, v any) []byte {
	s, ok := v.(string)
	if !ok {
		return append(buf, valueKey(v)...)
	}
	buf = append(buf, 's')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(buf[:0], foldKey("s", s)...)
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// uniqueKey is the key of a unique field's value in a module's index, and
// false for a value no other can duplicate (absent or null).
func uniqueKey(v any) (string, bool) {
	if v == nil {
		return "", false
	}
	return valueKey(v), true
}

// foldKey maps s to one spelling of its case-fold class, after prefix:
// strings a and b are EqualFold exactly when their foldKeys are equal.
// Each rune becomes the least rune of its unicode.SimpleFold orbit, which
// for ASCII letters is the upper case.
func foldKey(prefix, s string) string {
	var b strings.Builder
	b.Grow(len(prefix) + len(s))
	b.WriteString(prefix)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			b.WriteString(strings.Map(func(r rune) rune {
				least := r
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					least = min(least, f)
				}
				return least
			}, s[i:]))
			break
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// checkValue checks v against a data type and returns the value to
// store, or the expected data type ("length" for a too-long text).
func (s *Server) checkValue(dataType, target string, length int, v any) (any, string) {
	str, isStr := v.(string)
	num, isNum := v.(json.Number)
	switch dataType {
	case "text", "textarea", "picklist", "autonumber", "phone", "website", "email":
		if !isStr {
			return nil, dataType
		}
		if length > 0 && utf8.RuneCountInString(str) > length {
			return nil, "length"
		}
		if dataType == "email" && str != "" && !validEmail(str) {
			return nil, "email"
		}
		return v, "" // v, not str: boxing str again would allocate
	case "integer":
		if !isNum || !digitsRE.MatchString(num.String()) || len(strings.TrimPrefix(num.String(), "-")) > 9 {
			return nil, "integer"
		}
		return v, ""
	case "bigint":
		// Zoho sends bigint as a string; it accepts a JSON integer too.
		s := str
		if isNum {
			s = num.String()
		} else if !isStr {
			return nil, "bigint"
		}
		if !digitsRE.MatchString(s) || len(strings.TrimPrefix(s, "-")) > 18 {
			return nil, "bigint"
		}
		return s, ""
	case "double", "currency", "percent", "decimal", "formula":
		if !isNum {
			return nil, "double"
		}
		if _, err := num.Float64(); err != nil {
			return nil, "double"
		}
		return v, ""
	case "boolean":
		if _, ok := v.(bool); !ok {
			return nil, "boolean"
		}
		return v, ""
	case "date":
		if !isStr || !dateRE.MatchString(str) {
			return nil, "date"
		}
		if _, err := time.Parse("2006-01-02", str); err != nil {
			return nil, "date"
		}
		return v, ""
	case "datetime":
		if !isStr {
			return nil, "datetime"
		}
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			return nil, "datetime"
		}
		return v, ""
	case "multiselectpicklist":
		arr, ok := v.([]any)
		if !ok {
			return nil, "multiselectpicklist"
		}
		for _, e := range arr {
			if _, ok := e.(string); !ok {
				return nil, "multiselectpicklist"
			}
		}
		return arr, ""
	case "lookup":
		id, ok := refID(v)
		if !ok {
			return nil, "jsonobject"
		}
		if target != "" {
			if _, exists := s.records.get(target, id); !exists {
				return nil, "jsonobject"
			}
		}
		return map[string]any{"id": id}, ""
	case "ownerlookup", "userlookup":
		id, ok := refID(v)
		if !ok {
			return nil, "jsonobject"
		}
		if _, exists := s.meta.user(id); !exists {
			return nil, "jsonobject"
		}
		return map[string]any{"id": id}, ""
	case "fileupload", "imageupload", "multiselectlookup", "multiuserlookup", "subform":
		if _, ok := v.([]any); !ok {
			return nil, "jsonarray"
		}
		return v, ""
	}
	return v, "" // unknown data types are stored as given
}

// refID reads the id of a lookup or user value {"id": …}: a string, or a
// JSON number as Zoho's own SDKs send ids (idValue).
func refID(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	return idValue(m["id"])
}

// insertLocked stores a validated new record with its system fields.
func (s *Server) insertLocked(module string, rec map[string]any) map[string]any {
	now := s.now()
	me := s.meID // one map for every record: a stored record is never modified
	rec["id"] = s.records.newID()
	rec["Created_Time"], rec["Modified_Time"] = now, now
	rec["Created_By"], rec["Modified_By"] = me, me
	if _, ok := rec["Owner"]; !ok {
		rec["Owner"] = me
	}
	ms := s.records.module(module)
	defaultBooleans(ms.booleans, rec)
	ms.putLocked(rec)
	return rec
}

// nameCOQLLookups gives the lookup and user columns of a COQL row
// their display names, as COQL does from v7 on (before, only the id).
// Multi-module lookups keep the id alone.
func (s *Server) nameCOQLLookups(module string, row map[string]any) {
	for key, v := range row {
		ref, ok := v.(map[string]any)
		f, known := s.meta.fields[module][key]
		if ok && known && !f.IsMultiModuleLookup() {
			s.nameRef(f, ref)
			delete(ref, "email") // COQL names users; only record reads add the email
		}
	}
}
