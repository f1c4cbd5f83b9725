package schema

import (
	"encoding/json"
	"errors"
	"fmt"
)

// DecodeModules decodes the answer of GET /settings/modules, or of GET
// /settings/modules/{api_name}: {"modules":[…]}. A module without an
// api_name is an error.
func DecodeModules(data []byte) ([]Module, error) {
	var env struct {
		List *[]Module `json:"modules"`
	}
	mods, err := listOf(data, &env, &env.List, "modules")
	for i, m := range mods {
		if m.APIName == "" {
			return nil, fmt.Errorf("module %d has no api_name", i)
		}
	}
	return mods, err
}

// DecodeFields decodes the answer of GET /settings/fields: {"fields":[…]}.
// A field without an api_name is an error.
func DecodeFields(data []byte) ([]Field, error) {
	var env struct {
		List *[]Field `json:"fields"`
	}
	fields, err := listOf(data, &env, &env.List, "fields")
	for i, f := range fields {
		if f.APIName == "" {
			return nil, fmt.Errorf("field %d has no api_name", i)
		}
	}
	return fields, err
}

// DecodeLayouts decodes the answer of GET /settings/layouts:
// {"layouts":[…]}.
func DecodeLayouts(data []byte) ([]Layout, error) {
	var env struct {
		List *[]Layout `json:"layouts"`
	}
	return listOf(data, &env, &env.List, "layouts")
}

// DecodeRelatedLists decodes the answer of GET /settings/related_lists:
// {"related_lists":[…]}.
func DecodeRelatedLists(data []byte) ([]RelatedList, error) {
	var env struct {
		List *[]RelatedList `json:"related_lists"`
	}
	return listOf(data, &env, &env.List, "related_lists")
}

// DecodeCustomViews decodes the answer of GET /settings/custom_views:
// {"custom_views":[…]}.
func DecodeCustomViews(data []byte) ([]CustomView, error) {
	var env struct {
		List *[]CustomView `json:"custom_views"`
	}
	return listOf(data, &env, &env.List, "custom_views")
}

// DecodeUsers decodes the answer of GET /users: {"users":[…]}.
func DecodeUsers(data []byte) ([]User, error) {
	var env struct {
		List *[]User `json:"users"`
	}
	return listOf(data, &env, &env.List, "users")
}

// DecodeOrg decodes the answer of GET /org: {"org":[…]}, a list of one.
func DecodeOrg(data []byte) ([]Org, error) {
	var env struct {
		List *[]Org `json:"org"`
	}
	return listOf(data, &env, &env.List, "org")
}

// listOf decodes data into env, whose field list is the answer's list
// under key. A missing or null list is an error: the answer is not the
// one asked for.
func listOf[T any](data []byte, env any, list **[]T, key string) ([]T, error) {
	if err := decodeJSON(data, env); err != nil {
		return nil, err
	}
	if *list == nil {
		return nil, fmt.Errorf("no %q array", key)
	}
	return **list, nil
}

// decodeJSON decodes b into v and reports syntax and type errors with their
// line and column.
func decodeJSON(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var offset int64
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		offset = se.Offset
	} else if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		offset = te.Offset
	} else {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line, col := 1, 1
	for _, c := range b[:min(int(offset), len(b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}
