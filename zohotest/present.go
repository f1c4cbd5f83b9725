package zohotest

import (
	"maps"
	"slices"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// Records as answers show them: every field or the fields asked for,
// lookups named, Full_Name composed. Stored records are never changed;
// what is shown is a copy, or encoded straight from the record.

// answerKeys is the members an answer shows when the fields parameter
// names fields: the id and those fields, sorted as JSON objects are
// written, once for a whole page.
func answerKeys(fields []string) []string {
	if fields == nil {
		return nil
	}
	keys := append(slices.Clone(fields), "id")
	slices.Sort(keys)
	return slices.Compact(keys)
}

// presentFields is a record as an answer shows it: present, or for keys
// (answerKeys, not nil) the record picked to them, plus Zoho's own $
// members, which come unasked.
func (s *Server) presentFields(module string, rec map[string]any, keys []string) any {
	if keys == nil {
		return s.present(module, rec)
	}
	for k := range rec {
		if strings.HasPrefix(k, "$") && !slices.Contains(keys, k) {
			keys = append(slices.Clone(keys), k)
		}
	}
	slices.Sort(keys) // sorted already unless a $ member joined
	return recordView{s: s, module: module, rec: rec, keys: keys}
}

// recordView is a stored record picked to keys, encoded (appendJSON)
// without building the picked copy.
type recordView struct {
	s      *Server
	module string
	rec    map[string]any
	keys   []string // sorted
}

func (v recordView) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, '{')
	var err error
	for i, k := range v.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendString(buf, k); err != nil {
			return buf, err
		}
		buf = append(buf, ':')
		if buf, err = appendJSON(buf, v.s.presentValue(v.module, v.rec, k)); err != nil {
			return buf, err
		}
	}
	return append(buf, '}'), nil
}

// MarshalJSON encodes the view as appendJSON does.
func (v recordView) MarshalJSON() ([]byte, error) { return v.appendJSON(nil) }

// present returns a copy of a stored record as Zoho answers it: every
// field of the module, null when unset (unless read-only), lookups with
// the name of the record they point to, users with name and email.
func (s *Server) present(module string, rec map[string]any) map[string]any {
	fields := s.meta.fields[module]
	out := make(map[string]any, len(fields)+4)
	for k, v := range rec {
		out[k] = deepCopy(v)
	}
	for api, f := range fields {
		if _, set := rec[api]; set || !f.ReadOnly || api == "Full_Name" {
			out[api] = s.presentValue(module, rec, api)
		}
	}
	return out
}

// presentValue is a copy of member api of a stored record as Zoho answers
// it (see present); Full_Name is "First Last".
func (s *Server) presentValue(module string, rec map[string]any, api string) any {
	fields := s.meta.fields[module]
	if _, isField := fields[api]; isField && api == "Full_Name" {
		first, _ := rec["First_Name"].(string)
		last, _ := rec["Last_Name"].(string)
		return strings.TrimSpace(first + " " + last)
	}
	ref, isRef := rec[api].(map[string]any)
	if !isRef {
		return deepCopy(rec[api])
	}
	f, isField := fields[api] // copied only here: a Field is large, and most values are not lookups
	if !isField {
		return copyRecord(ref)
	}
	ref = maps.Clone(ref) // a stored lookup holds its id alone
	if f.IsMultiModuleLookup() {
		s.presentMultiLookup(module, rec, ref, f)
	} else {
		s.nameRef(f, ref)
	}
	return ref
}

// nameRef adds to a lookup or user value {id} what Zoho answers beside
// the id: the name of the record it points to, or the user's name and
// email.
func (s *Server) nameRef(f schema.Field, ref map[string]any) {
	id, _ := ref["id"].(string)
	switch f.DataType {
	case "lookup":
		if t := f.Lookup.Module.APIName; t != "" {
			if target, ok := s.records.get(t, id); ok {
				ref["name"] = target[s.meta.displayField(t)]
			}
		}
	case "ownerlookup", "userlookup":
		if u, ok := s.meta.user(id); ok {
			ref["name"], ref["email"] = u["full_name"], u["email"]
		}
	}
}
