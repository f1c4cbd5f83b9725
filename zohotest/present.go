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
	return s.presentFieldsIn(nil, module, rec, keys)
}

// presentFieldsIn is presentFields, writing a picked record's view into
// view when it is not nil: a page's views share one slice, each boxed as
// a pointer into it, rather than each boxed on its own.
func (s *Server) presentFieldsIn(view *recordView, module string, rec map[string]any, keys []string) any {
	if keys == nil {
		return s.present(module, rec)
	}
	for k := range rec {
		if strings.HasPrefix(k, "$") && !slices.Contains(keys, k) {
			keys = append(slices.Clone(keys), k)
		}
	}
	slices.Sort(keys) // sorted already unless a $ member joined
	if view == nil {
		return recordView{s: s, module: module, rec: rec, keys: keys}
	}
	*view = recordView{s: s, module: module, rec: rec, keys: keys}
	return view
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
	fields := v.s.meta.fields[v.module]
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
		if buf, err = v.s.appendPresented(buf, v.module, fields, v.rec, k); err != nil {
			return buf, err
		}
	}
	return append(buf, '}'), nil
}

// appendPresented appends presentValue(module, rec, api) without making
// the copy it returns, which a view that is only encoded does not need: a
// value as it is stored, a lookup or user with its names added as it is
// encoded. Full_Name, multi-module lookups and anything unusual take
// presentValue's way.
func (s *Server) appendPresented(buf []byte, module string, fields map[string]schema.Field, rec map[string]any, api string) ([]byte, error) {
	v := rec[api]
	ref, isRef := v.(map[string]any)
	switch {
	case api == "Full_Name":
	case !isRef:
		return appendJSON(buf, v)
	case len(ref) <= maxRefMembers:
		if f, isField := fields[api]; isField && !f.IsMultiModuleLookup() {
			return s.appendNamedRef(buf, f, ref)
		}
	}
	return appendJSON(buf, s.presentValue(module, rec, api))
}

// maxRefMembers bounds the members of a stored lookup or user
// appendNamedRef sorts on the stack (a stored one holds its id alone).
const maxRefMembers = 6

// appendNamedRef appends ref as nameRef would make it, without changing
// or copying it.
func (s *Server) appendNamedRef(buf []byte, f schema.Field, ref map[string]any) ([]byte, error) {
	var room [maxRefMembers + 2]member
	members := room[:0]
	named := s.refNames(f, ref)
	for k, v := range ref {
		if !named.has(k) {
			members = append(members, member{k, v})
		}
	}
	members = append(members, named.members()...)
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	buf = append(buf, '{')
	var err error
	for i, m := range members {
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendString(buf, m.key); err != nil {
			return buf, err
		}
		buf = append(buf, ':')
		if buf, err = appendJSON(buf, m.value); err != nil {
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
		if stored := rec["Full_Name"]; stored != nil {
			if s, ok := stored.(string); ok && isFullName(s, first, last) {
				return stored // the stored string, as setFullName keeps it: no copy
			}
		}
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
	for _, m := range s.refNames(f, ref).members() {
		ref[m.key] = m.value
	}
}

// refNames is what nameRef adds to ref.
func (s *Server) refNames(f schema.Field, ref map[string]any) refNames {
	id, _ := ref["id"].(string)
	switch f.DataType {
	case "lookup":
		if t := f.Lookup.Module.APIName; t != "" {
			if target, ok := s.records.get(t, id); ok {
				return refNames{name: member{"name", target[s.meta.displayField(t)]}, n: 1}
			}
		}
	case "ownerlookup", "userlookup":
		if u, ok := s.meta.user(id); ok {
			return refNames{name: member{"name", u["full_name"]}, email: member{"email", u["email"]}, n: 2}
		}
	}
	return refNames{}
}

// refNames are the members nameRef adds to a lookup or user: the first n
// of name and email.
type refNames struct {
	name, email member
	n           int
}

func (r refNames) members() []member { return []member{r.name, r.email}[:r.n] }

// has reports whether key is one of the members.
func (r refNames) has(key string) bool {
	for _, m := range r.members() {
		if m.key == key {
			return true
		}
	}
	return false
}
