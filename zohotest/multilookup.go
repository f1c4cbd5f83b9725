package zohotest

import (
	"encoding/json"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// seModuleKey is the record key naming the module of the record a
// multi-module lookup (What_Id, Parent_Id) points to.
const seModuleKey = "$se_module"

// checkSpecial validates the fields whose shape the data_type alone
// does not tell: multi-module lookups and arrays of participants. It
// reports whether f is such a field; if so it has updated rec.
func (s *Server) checkSpecial(rec, in map[string]any, f schema.Field, v any, i int) (bool, *zerr) {
	switch {
	case f.IsMultiModuleLookup():
		return true, s.setMultiLookup(rec, in, f, v, i)
	case f.DataType == "bigint" && f.JSONType == "jsonarray":
		if v == nil {
			delete(rec, f.APIName)
			return true, nil
		}
		if !validParticipants(v) {
			return true, invalid(i, f.APIName, "jsonarray", nil)
		}
		rec[f.APIName] = v
		return true, nil
	}
	return false, nil
}

// setMultiLookup stores a multi-module lookup. Zoho takes the id as
// {"id": …} (or a bare id string, as its older examples do) with the
// module in the record's $se_module, or, for a note's Parent_Id, as
// {"module": {"api_name": …}, "id": …}. The record must exist.
func (s *Server) setMultiLookup(rec, in map[string]any, f schema.Field, v any, i int) *zerr {
	api := f.APIName
	if v == nil {
		delete(rec, api)
		delete(rec, seModuleKey)
		return nil
	}
	var id, module string
	switch x := v.(type) {
	case string, json.Number:
		id, _ = idValue(x)
	case map[string]any:
		id, _ = idValue(x["id"])
		switch m := x["module"].(type) {
		case string:
			module = m
		case map[string]any:
			module, _ = m["api_name"].(string)
		}
	default:
		return invalid(i, api, "jsonobject", nil)
	}
	if module == "" {
		module, _ = in[seModuleKey].(string)
	}
	if module == "" {
		module, _ = in["se_module"].(string) // v2 spelling
	}
	if !digitsRE.MatchString(id) {
		return invalid(i, api, "jsonobject", nil)
	}
	ms := s.records.module(module)
	if ms == nil {
		return invalid(i, seModuleKey, "", map[string]any{"reason": "the module of " + api + " is missing or unknown"})
	}
	if _, exists := ms.get(id); !exists {
		return invalid(i, api, "jsonobject", nil)
	}
	rec[api] = map[string]any{"id": id}
	rec[seModuleKey] = module
	return nil
}

// validParticipants checks an event's Participants: objects with a type
// (lead, contact, user or email) and the participant (an id, or an email
// address for type email).
func validParticipants(v any) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		p, ok := e.(map[string]any)
		if !ok {
			return false
		}
		who, _ := p["participant"].(string)
		switch p["type"] {
		case "lead", "contact", "user":
			if !digitsRE.MatchString(who) {
				return false
			}
		case "email":
			if !validEmail(who) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// presentMultiLookup completes a stored multi-module lookup as Zoho answers
// it: with the name of the record it points to, and for a note's
// Parent_Id the module too.
func (s *Server) presentMultiLookup(module string, rec, ref map[string]any, f schema.Field) {
	target, _ := rec[seModuleKey].(string)
	if s.records.module(target) == nil {
		return
	}
	id, _ := ref["id"].(string)
	if r, ok := s.records.get(target, id); ok {
		name := r[s.meta.displayField(target)]
		if target == "Leads" || target == "Contacts" {
			first, _ := r["First_Name"].(string)
			last, _ := r["Last_Name"].(string)
			name = strings.TrimSpace(first + " " + last)
		}
		ref["name"] = name
	}
	if module == "Notes" && f.APIName == "Parent_Id" {
		ref["module"] = map[string]any{"api_name": target, "id": s.meta.modules[target].ID}
	}
}
