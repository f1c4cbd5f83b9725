package zohotest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zohohub/zohohub/schema"
)

var (
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	emailRE  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
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
// records, mandatory fields on insert, unique fields.
func (s *Server) validateLocked(module string, in map[string]any, i int, insert bool, old map[string]any) (map[string]any, *zerr) {
	fields := s.meta.fields[module]
	rec := map[string]any{}
	if old != nil {
		rec = copyRecord(old)
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
		if special, zerr := s.checkSpecialLocked(rec, in, f, v, i); special {
			if zerr != nil {
				return nil, zerr
			}
			continue
		}
		if v == nil {
			delete(rec, api)
			continue
		}
		norm, err := s.checkValueLocked(f.DataType, f.Lookup.Module.APIName, f.Length, v)
		if err != "" {
			extra := map[string]any{}
			if err == "length" {
				extra["maximum_length"] = f.Length
				return nil, invalid(i, api, "", extra)
			}
			return nil, invalid(i, api, err, nil)
		}
		if e := s.checkNumberLocked(module, f, norm, i); e != nil {
			return nil, e
		}
		rec[api] = appendValues(f, in, old, norm)
	}
	setFullName(fields, rec)
	defaultBooleans(fields, rec)
	if e := readOnlyWrites(in, rec, readOnly, i); e != nil {
		return nil, e
	}
	if !insert {
		if e := mandatoryCleared(fields, in, rec, i); e != nil {
			return nil, e
		}
	}
	if insert {
		for api, f := range fields {
			if f.SystemMandatory && !f.ReadOnly {
				if v, ok := rec[api]; !ok || v == "" {
					return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api)})
				}
			}
		}
	}
	for api, f := range fields {
		v, ok := rec[api]
		if !f.IsUnique() || !ok {
			continue
		}
		if other := s.store[module].findEqual(api, v); other != nil && other["id"] != rec["id"] {
			return nil, newErr(400, "DUPLICATE_DATA", "duplicate data", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api),
				"duplicate_record": s.duplicateRecord(module, other), "more_records": false})
		}
	}
	return rec, nil
}

func equalValues(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(as, bs)
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// checkValueLocked checks v against a data type and returns the value to
// store, or the expected data type ("length" for a too-long text).
func (s *Server) checkValueLocked(dataType, target string, length int, v any) (any, string) {
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
		if dataType == "email" && str != "" && !emailRE.MatchString(str) {
			return nil, "email"
		}
		return str, ""
	case "integer":
		if !isNum || !digitsRE.MatchString(num.String()) || len(strings.TrimPrefix(num.String(), "-")) > 9 {
			return nil, "integer"
		}
		return num, ""
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
		return num, ""
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
		return str, ""
	case "datetime":
		if !isStr {
			return nil, "datetime"
		}
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			return nil, "datetime"
		}
		return str, ""
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
			if _, exists := s.store[target].byID[id]; !exists {
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

func refID(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	id, ok := m["id"].(string)
	return id, ok && digitsRE.MatchString(id)
}

// present returns a copy of a stored record as Zoho answers it: lookups
// with the name of the record they point to, users with name and email.
func (s *Server) present(module string, rec map[string]any) map[string]any {
	out := copyRecord(rec)
	for api, f := range s.meta.fields[module] {
		v, ok := out[api]
		if !ok {
			if !f.ReadOnly || api == "Full_Name" {
				out[api] = nil
			}
			continue
		}
		ref, isRef := v.(map[string]any)
		if !isRef {
			continue
		}
		if f.IsMultiModuleLookup() {
			s.presentMultiLookup(module, out, ref, f)
			continue
		}
		s.nameRefLocked(f, ref)
	}
	if _, ok := s.meta.fields[module]["Full_Name"]; ok {
		first, _ := out["First_Name"].(string)
		last, _ := out["Last_Name"].(string)
		out["Full_Name"] = strings.TrimSpace(first + " " + last)
	}
	return out
}

// nameRefLocked adds to a lookup or user value {id} what Zoho answers
// beside the id: the name of the record it points to, or the user's name
// and email.
func (s *Server) nameRefLocked(f schema.Field, ref map[string]any) {
	id, _ := ref["id"].(string)
	switch f.DataType {
	case "lookup":
		if t := f.Lookup.Module.APIName; t != "" && s.store[t] != nil {
			if target, ok := s.store[t].byID[id]; ok {
				ref["name"] = target[s.meta.displayField(t)]
			}
		}
	case "ownerlookup", "userlookup":
		if u, ok := s.meta.user(id); ok {
			ref["name"], ref["email"] = u["full_name"], u["email"]
		}
	}
}

// insertLocked stores a validated new record with its system fields.
func (s *Server) insertLocked(module string, rec map[string]any) map[string]any {
	now := zohoTime(s.cfg.now())
	u := s.meta.users[0]
	me := map[string]any{"id": u["id"]}
	rec["id"] = s.newIDLocked()
	rec["Created_Time"], rec["Modified_Time"] = now, now
	rec["Created_By"], rec["Modified_By"] = me, copyRecord(me)
	if _, ok := rec["Owner"]; !ok {
		rec["Owner"] = copyRecord(me)
	}
	defaultBooleans(s.meta.fields[module], rec)
	s.store[module].put(rec)
	return rec
}

func (s *Server) successDetails(rec map[string]any) map[string]any {
	u := s.meta.users[0]
	by := map[string]any{"name": u["full_name"], "id": u["id"]}
	return map[string]any{"id": rec["id"], "Created_Time": rec["Created_Time"], "Modified_Time": rec["Modified_Time"],
		"Created_By": by, "Modified_By": by, "$approval_state": "approved"}
}

// nameCOQLLookupsLocked gives the lookup and user columns of a COQL row
// their display names, as COQL does from v7 on (before, only the id).
// Multi-module lookups keep the id alone.
func (s *Server) nameCOQLLookupsLocked(module string, row map[string]any) {
	for key, v := range row {
		ref, ok := v.(map[string]any)
		f, known := s.meta.fields[module][key]
		if ok && known && !f.IsMultiModuleLookup() {
			s.nameRefLocked(f, ref)
			delete(ref, "email") // COQL names users; only record reads add the email
		}
	}
}
