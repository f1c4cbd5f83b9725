package zohotest

import (
	"io/fs"
	"net/http"

	"github.com/zohohub/zohohub/schema"
)

// conversionOptions answers GET /{module}/{id}/__conversion_options
// (spec/oas/conversion_option.json, docs/wire.md §12.1): the contact and the
// account a conversion of the lead would join, as convert matches them,
// and the field each matched on; 204 when it would join none.
func (c *call) conversionOptions() {
	lead, ok := c.convertibleLead("The given ID seems to be invalid.")
	if !ok {
		return
	}
	s := c.s
	accounts, contacts := s.records.module("Accounts"), s.records.module("Contacts")
	if accounts == nil || contacts == nil {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	// Read locks in convert's order (sorted), so that neither waits on the
	// other in a circle.
	accounts.mu.RLock()
	contacts.mu.RLock()
	ct, byContact := s.matchingContact(lead)
	acct, byAccount := s.matchingAccount(lead)
	contacts.mu.RUnlock()
	accounts.mu.RUnlock()
	layouts := s.multipleLayouts()
	if !byContact && !byAccount && len(layouts) == 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	// A deal is made, never matched: Deals is null.
	opts := map[string]any{"Deals": nil, "modules_with_multiple_layouts": layouts}
	matched := map[string]any{"Deals": nil}
	var preferred string
	for _, m := range []struct {
		module string
		found  bool
		match  match
	}{{"Contacts", byContact, ct}, {"Accounts", byAccount, acct}} {
		opts[m.module], matched[m.module] = nil, nil
		if !m.found {
			continue
		}
		if preferred == "" {
			preferred = m.module // Zoho prefers Contacts, then Accounts
		}
		opts[m.module] = []any{s.present(m.module, m.match.rec)}
		field := s.meta.fields[m.module][m.match.field]
		matched[m.module] = []any{map[string]any{"field": map[string]any{"api_name": field.APIName, "id": field.ID},
			"matched_lead_value": m.match.value}}
	}
	opts["module_preference"] = nil
	if preferred != "" {
		opts["module_preference"] = map[string]any{"api_name": preferred, "id": s.meta.modules[preferred].ID}
	}
	opts["preference_field_matched_value"] = matched
	writeJSON(c.w, http.StatusOK, map[string]any{"__conversion_options": opts})
}

// multipleLayouts is the modules a lead converts into that have more than
// one layout, as {api_name, id}: a conversion's records then need one
// chosen.
func (s *Server) multipleLayouts() []any {
	out := []any{}
	for _, m := range convertTargets {
		data, err := fs.ReadFile(s.meta.fsys, schema.LayoutsFile(m))
		if err != nil {
			continue
		}
		if layouts, err := schema.DecodeLayouts(data); err == nil && len(layouts) > 1 {
			out = append(out, map[string]any{"api_name": m, "id": s.meta.modules[m].ID})
		}
	}
	return out
}
