package zohotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// Write rules Zoho applies to each record beyond its field types: read-only
// and mandatory fields, number sizes, $append_values, the request keys.

// readOnlyWrites rejects a write to a read-only field unless it leaves the
// value as it is (a client may send back a record it read): never storing
// something other than what was written means refusing, not ignoring.
func readOnlyWrites(in, rec map[string]any, apis []string, i int) *zerr {
	slices.Sort(apis) // deterministic: the first in name order is reported
	for _, api := range apis {
		if v := in[api]; !sameJSON(v, rec[api]) {
			return invalid(i, api, "", map[string]any{"reason": api + " is read only"})
		}
	}
	return nil
}

// mandatoryCleared rejects an update that empties a system-mandatory field.
func mandatoryCleared(fields map[string]schema.Field, in, rec map[string]any, i int) *zerr {
	for api := range in {
		f, ok := fields[api]
		if !ok || !f.SystemMandatory || f.ReadOnly {
			continue
		}
		if v, ok := rec[api]; !ok || v == "" {
			return newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.data[%d].%s", i, api)})
		}
	}
	return nil
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// appendValues applies $append_values: {"Multi_Select": true}, which adds
// the sent values to a multi-select picklist instead of replacing it.
func appendValues(f schema.Field, in, old map[string]any, v any) any {
	if f.DataType != "multiselectpicklist" || old == nil {
		return v
	}
	flags, _ := in["$append_values"].(map[string]any)
	if flags[f.APIName] != true {
		return v
	}
	cur, _ := old[f.APIName].([]any)
	out := slices.Clone(cur)
	for _, e := range v.([]any) {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// checkNumber enforces a number field's size: at most length digits
// before the point and, where metadata gives decimal_place (currency,
// decimal), at most that many after it. Zoho rounds extra decimals; the
// emulator refuses them, so that no value is stored other than as sent.
func (s *Server) checkNumber(module string, f schema.Field, v any, i int) *zerr {
	num, ok := v.(json.Number)
	if !ok {
		return nil
	}
	switch f.DataType {
	case "double", "currency", "percent", "decimal":
	default:
		return nil
	}
	intDigits, fracDigits, ok := numberDigits(num.String())
	if !ok {
		return invalid(i, f.APIName, "double", nil)
	}
	if f.Length > 0 && intDigits > f.Length {
		return invalid(i, f.APIName, "", map[string]any{"maximum_length": f.Length})
	}
	if places := f.DecimalPlace; places != nil && fracDigits > *places {
		return invalid(i, f.APIName, "double", map[string]any{"decimal_place": *places, "reason": fmt.Sprintf("at most %d decimal places", *places)})
	}
	return nil
}

// numberDigits returns how many digits a number has before the point
// (at least one) and after it (trailing zeros aside), and false if it is
// not a number.
func numberDigits(s string) (intDigits, fracDigits int, ok bool) {
	plain := strings.TrimLeft(s, "+-")
	for i := 0; i < len(plain); i++ {
		if c := plain[i]; (c < '0' || c > '9') && c != '.' {
			plain = "" // an exponent or worse: big.Rat reads it
			break
		}
	}
	if ip, fp, _ := strings.Cut(plain, "."); strings.ContainsAny(plain, "0123456789") && !strings.Contains(fp, ".") && len(s)-len(plain) <= 1 {
		return max(len(strings.TrimLeft(ip, "0")), 1), len(strings.TrimRight(fp, "0")), true
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, 0, false
	}
	intPart := new(big.Int).Quo(r.Num(), r.Denom())
	intDigits = len(strings.TrimPrefix(intPart.String(), "-"))
	for fracDigits = 0; !r.IsInt(); fracDigits++ {
		r.Mul(r, big.NewRat(10, 1))
	}
	return intDigits, fracDigits, true
}

// writeParamsOK checks the request-level keys of an insert, update or
// upsert body: trigger is an array of known automation names, and
// duplicate_check_fields name unique fields of the module (Zoho allows
// only system and user-defined unique fields there).
func (c *call) writeParamsOK(module, op string, b *writeBody) bool {
	if b.Trigger != nil {
		arr, ok := b.Trigger.([]any)
		for i, t := range arr {
			if name, isStr := t.(string); !isStr || !slices.Contains(triggers, name) {
				c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "trigger", "json_path": fmt.Sprintf("$.trigger[%d]", i),
					"supported_values": triggers}))
				return false
			}
		}
		if !ok {
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "trigger", "json_path": "$.trigger", "expected_data_type": "jsonarray"}))
			return false
		}
	}
	if op != "upsert" {
		return true
	}
	for i, api := range b.DuplicateCheckFields {
		if f, ok := c.s.meta.fields[module][api]; !ok || !f.IsUnique() {
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": api, "json_path": fmt.Sprintf("$.duplicate_check_fields[%d]", i),
				"reason": api + " is not a unique field of " + module}))
			return false
		}
	}
	return true
}

// setFullName keeps Full_Name (read-only, "First Last") stored with the
// record, so that lookups to Leads and Contacts carry a name and search
// and COQL can filter on it.
func setFullName(fields map[string]schema.Field, rec map[string]any) {
	if _, ok := fields["Full_Name"]; !ok {
		return
	}
	first, _ := rec["First_Name"].(string)
	last, _ := rec["Last_Name"].(string)
	if s, ok := rec["Full_Name"].(string); ok && isFullName(s, first, last) {
		return // an update that left the names alone: the stored string stays
	}
	if first == "" && last != "" && strings.TrimSpace(last) == last {
		rec["Full_Name"] = rec["Last_Name"] // the same string, boxed once: no copy made
		return
	}
	rec["Full_Name"] = strings.TrimSpace(first + " " + last)
}

// isFullName reports whether s is strings.TrimSpace(first + " " + last),
// the Full_Name of first and last, without building that string.
func isFullName(s, first, last string) bool {
	var room [128]byte
	b := append(append(append(room[:0], first...), ' '), last...)
	return string(bytes.TrimSpace(b)) == s
}

// duplicateRecord is details.duplicate_record of DUPLICATE_DATA: the
// record's id, module and owner.
func (s *Server) duplicateRecord(module string, other map[string]any) map[string]any {
	d := map[string]any{"id": other["id"], "module": map[string]any{"api_name": module, "id": s.meta.modules[module].ID}}
	if ref, ok := other["Owner"].(map[string]any); ok {
		id, _ := ref["id"].(string)
		owner := map[string]any{"id": id}
		if u, ok := s.meta.user(id); ok {
			owner["name"], owner["zuid"] = u["full_name"], u["zuid"]
		}
		d["Owner"] = owner
	}
	return d
}
