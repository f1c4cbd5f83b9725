package zohotest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Converting a lead (POST /Leads/{id}/actions/convert,
// spec/oas/convert_lead.json; docs/wire.md §12.1): the lead becomes a
// contact, its company an account, and optionally a deal is made with
// them; existing records are joined instead of duplicated; the lead's notes
// and attachments move over, the tags asked for are carried over, and the
// lead is marked converted: listed only with converted=true|both, never
// updated again, never converted again.

// leadsModule is the one module whose records convert.
const leadsModule = "Leads"

// convertTargets are the modules a lead converts into, as the keys of the
// body and of the answer name them.
var convertTargets = []string{"Contacts", "Accounts", "Deals"}

// convertRequest is the body of a conversion, checked.
type convertRequest struct {
	overwrite             bool
	account, contact      string         // existing records given by id; "" for none
	owner                 map[string]any // assign_to as a stored user ref; nil: the lead's owner
	deal                  map[string]any // the deal's fields; nil: no deal
	attachmentsTo         string         // move_attachments_to's module; "" for the contact
	tags                  map[string][]string
	notifyLead, notifyNew bool // read and checked; zohotest sends no mail
}

// convertibleLead returns the lead of the call's path, not converted yet,
// answering the error itself: the path names another module than Leads,
// no lead (INVALID_DATA with the message given) or a converted lead.
func (c *call) convertibleLead(unknown string) (map[string]any, bool) {
	if c.moduleName != leadsModule {
		c.fail(errURLPattern()) // Zoho converts leads only
		return nil, false
	}
	lead, exists := c.s.records.get(leadsModule, c.pathID)
	switch {
	case !exists:
		c.fail(newErr(400, "INVALID_DATA", unknown, map[string]any{"resource_path_index": 1}))
	case converted(lead):
		c.fail(errAlreadyConverted())
	default:
		return lead, true
	}
	return nil, false
}

// convertLead answers POST /{module}/{id}/actions/convert.
func (c *call) convertLead() {
	if _, ok := c.convertibleLead("invalid data"); !ok {
		return
	}
	s := c.s
	var b struct {
		Data []map[string]any `json:"data"`
	}
	if err := decodeJSON(c.body, &b); err != nil || b.Data == nil {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "data", "json_path": "$.data"}))
		return
	}
	switch {
	case len(b.Data) == 0:
		c.fail(newErr(400, "EXPECTED_FIELD_MISSING", "data is empty", map[string]any{"api_name": "data"}))
		return
	case len(b.Data) > 1:
		c.fail(newErr(400, "LIMIT_EXCEEDED", "one lead converts a request", map[string]any{"api_name": "data", "limit": 1}))
		return
	}
	req, zerr := s.convertRequest(b.Data[0])
	if zerr != nil {
		writeJSON(c.w, zerr.status, map[string]any{"data": []any{zerr.envelope()}})
		return
	}
	ids, zerr := s.convert(c.pathID, req)
	if zerr != nil {
		if zerr.Code == "ID_ALREADY_CONVERTED" { // by a conversion that ran meanwhile
			c.fail(zerr)
			return
		}
		writeJSON(c.w, zerr.status, map[string]any{"data": []any{zerr.envelope()}})
		return
	}
	details := map[string]any{}
	for _, m := range convertTargets {
		details[m] = nil // the answer names all three; a module not converted into is null
		if id := ids[m]; id != "" {
			rec, _ := s.records.get(m, id)
			details[m] = map[string]any{"id": id, "name": rec[s.meta.displayField(m)]}
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{map[string]any{"code": "SUCCESS", "details": details,
		"message": "The record has been converted successfully", "status": "success"}}})
}

// errAlreadyConverted is Zoho's answer to converting a converted lead: the
// error at top level, naming the path's id segment (convert_lead.json's
// ID_Already_Converted_API_Exception).
func errAlreadyConverted() *zerr {
	return newErr(400, "ID_ALREADY_CONVERTED", "id already converted", map[string]any{"resource_path_index": 1})
}

// converted reports whether a stored lead has been converted.
func converted(rec map[string]any) bool { return rec["$converted"] == true }

// convertInvalid is the error of a key of the body: INVALID_DATA naming it
// under $.data[0].
func convertInvalid(path, expected string) *zerr {
	api, _, _ := strings.Cut(path, ".")
	d := map[string]any{"api_name": api, "json_path": "$.data[0]." + path}
	if expected != "" {
		d["expected_data_type"] = expected
	}
	return newErr(400, "INVALID_DATA", "invalid data", d)
}

// convertRequest reads and checks the options of a conversion: booleans
// are booleans, the account and contact given exist, assign_to is a user,
// move_attachments_to names a module converted into, carry_over_tags maps
// those modules to tag names.
func (s *Server) convertRequest(in map[string]any) (convertRequest, *zerr) {
	var req convertRequest
	for _, o := range []struct {
		key string
		dst *bool
	}{{"overwrite", &req.overwrite}, {"notify_lead_owner", &req.notifyLead}, {"notify_new_entity_owner", &req.notifyNew}} {
		if v, ok := in[o.key]; ok && v != nil {
			b, isBool := v.(bool)
			if !isBool {
				return req, convertInvalid(o.key, "boolean")
			}
			*o.dst = b
		}
	}
	for _, r := range []struct {
		key string
		dst *string
	}{{"Accounts", &req.account}, {"Contacts", &req.contact}} {
		key, dst := r.key, r.dst
		v, ok := in[key]
		if !ok || v == nil {
			continue
		}
		ref, isObj := v.(map[string]any)
		id, valid := idValue(ref["id"])
		if !isObj || !valid {
			return req, convertInvalid(key+".id", "")
		}
		if _, exists := s.records.get(key, id); !exists {
			return req, convertInvalid(key+".id", "")
		}
		*dst = id
	}
	if v, ok := in["assign_to"]; ok && v != nil {
		ref, isObj := v.(map[string]any)
		id, _ := ref["id"].(string)
		if _, known := s.meta.user(id); !isObj || !known {
			return req, convertInvalid("assign_to.id", "")
		}
		req.owner = map[string]any{"id": id}
	}
	if v, ok := in["Deals"]; ok && v != nil {
		deal, isObj := v.(map[string]any)
		if !isObj {
			return req, convertInvalid("Deals", "jsonobject")
		}
		req.deal = deal
	}
	if v, ok := in["move_attachments_to"]; ok && v != nil {
		ref, isObj := v.(map[string]any)
		name, _ := ref["api_name"].(string)
		if !isObj || !slices.Contains(convertTargets, name) || name == "Deals" && req.deal == nil {
			return req, convertInvalid("move_attachments_to.api_name", "")
		}
		req.attachmentsTo = name
	}
	if v, ok := in["carry_over_tags"]; ok && v != nil {
		byModule, isObj := v.(map[string]any)
		if !isObj {
			return req, convertInvalid("carry_over_tags", "jsonobject")
		}
		req.tags = map[string][]string{}
		for _, m := range slices.Sorted(maps.Keys(byModule)) {
			names := byModule[m]
			list, isList := names.([]any)
			if !slices.Contains(convertTargets, m) || !isList && names != nil {
				return req, convertInvalid("carry_over_tags."+m, "jsonarray")
			}
			for i, n := range list {
				name, isStr := n.(string)
				if !isStr {
					return req, convertInvalid(fmt.Sprintf("carry_over_tags.%s[%d]", m, i), "string")
				}
				req.tags[m] = append(req.tags[m], name)
			}
		}
	}
	return req, nil
}

// conversion is a conversion being planned under the locks of its modules:
// the records it joins or makes, checked, before any is stored.
type conversion struct {
	lead    map[string]any
	owner   map[string]any
	account map[string]any // an existing account (id set) or a new one (no id yet); nil: none
	renamed map[string]any // the existing account with the lead's company as its name (overwrite); nil: unchanged
	contact map[string]any // an existing contact or a new one
	deal    map[string]any // a new deal; nil: none
}

// convert converts the lead leadID as req asks and returns the ids of the
// records it converted into, by module. It locks the modules it writes in
// one order (sorted), so that conversions never wait for each other in a
// circle; other calls take one module's lock at a time.
func (s *Server) convert(leadID string, req convertRequest) (map[string]string, *zerr) {
	locked := []string{}
	for _, m := range []string{"Accounts", "Contacts", "Deals", leadsModule, notesModule} {
		if ms := s.records.module(m); ms != nil {
			ms.mu.Lock()
			locked = append(locked, m)
		}
	}
	unlock := func() {
		for _, m := range slices.Backward(locked) {
			s.records.module(m).mu.Unlock()
		}
	}
	cv, zerr := s.planConversion(leadID, req)
	if zerr != nil {
		unlock()
		return nil, zerr
	}
	ids, changed := s.storeConversion(cv, req)
	unlock()
	for _, m := range slices.Sorted(maps.Keys(changed)) {
		s.publish(m, changed[m]) // for the notification channels (watch.go)
	}
	// Attachments are the file store's, under its own lock.
	to := recordRef{"Contacts", ids["Contacts"]}
	if req.attachmentsTo != "" {
		to = recordRef{req.attachmentsTo, ids[req.attachmentsTo]}
	}
	s.files.reparent(recordRef{leadsModule, leadID}, to)
	return ids, nil
}

// planConversion checks a conversion and decides its records, storing
// nothing. The caller holds the locks of convert.
func (s *Server) planConversion(leadID string, req convertRequest) (*conversion, *zerr) {
	for _, m := range []string{"Accounts", "Contacts"} {
		if s.records.module(m) == nil {
			return nil, newErr(400, "INVALID_MODULE", "the module name given seems to be invalid", map[string]any{"api_name": m})
		}
	}
	lead, ok := s.records.get(leadsModule, leadID)
	if !ok {
		return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"resource_path_index": 1})
	}
	if converted(lead) {
		return nil, errAlreadyConverted()
	}
	cv := &conversion{lead: lead, owner: req.owner}
	if cv.owner == nil {
		cv.owner, _ = lead["Owner"].(map[string]any)
	}
	company, _ := lead["Company"].(string)
	var zerr *zerr
	switch {
	case req.account != "":
		cv.account, _ = s.records.get("Accounts", req.account)
		if req.overwrite && company != "" && !equalValues(cv.account["Account_Name"], company) {
			// The existing account takes the company's name; its data stays.
			if cv.renamed, zerr = s.validateLocked("Accounts", map[string]any{"Account_Name": company}, 0, false, cv.account); zerr != nil {
				return nil, zerr
			}
		}
	case company != "":
		if m, ok := s.matchingAccount(lead); ok {
			cv.account = m.rec
		} else if cv.account, zerr = s.convertInto("Accounts", lead, cv.owner); zerr != nil {
			return nil, zerr
		}
	}
	if req.contact != "" {
		cv.contact, _ = s.records.get("Contacts", req.contact)
	} else if m, ok := s.matchingContact(lead); ok {
		cv.contact = m.rec
	} else if cv.contact, zerr = s.convertInto("Contacts", lead, cv.owner); zerr != nil {
		return nil, zerr
	}
	if req.deal != nil {
		deal, zerr := s.convertedDeal(lead, req.deal, cv.owner)
		if zerr != nil {
			return nil, zerr
		}
		cv.deal = deal
	}
	return cv, nil
}

// convertInto is the new record of target a lead converts into: the lead's
// values of the fields its layout maps to target (convert_mapping), owned
// by owner, validated as an insert. Lookups to the other new records are
// set when they are stored.
func (s *Server) convertInto(target string, lead, owner map[string]any) (map[string]any, *zerr) {
	in := map[string]any{}
	for from, to := range s.convertMapping(target) {
		if v, ok := lead[from]; ok && v != nil {
			in[to] = v
		}
	}
	if owner != nil {
		in["Owner"] = owner
	}
	return s.validateLocked(target, in, 0, true, nil)
}

// convertedDeal is the new deal of a conversion: the fields given, then the
// lead's values its layout maps to Deals where the deal has none. Zoho
// asks a converted deal for its closing date as well as its system
// mandatory fields (Deal_Name, Stage). Errors name $.data[0].Deals.
func (s *Server) convertedDeal(lead, given, owner map[string]any) (map[string]any, *zerr) {
	if s.records.module("Deals") == nil {
		return nil, newErr(400, "INVALID_MODULE", "the module name given seems to be invalid", map[string]any{"api_name": "Deals"})
	}
	in := maps.Clone(given)
	for from, to := range s.convertMapping("Deals") {
		if _, set := in[to]; !set && lead[from] != nil {
			in[to] = lead[from]
		}
	}
	if _, set := in["Owner"]; !set && owner != nil {
		in["Owner"] = owner
	}
	delete(in, "Account_Name") // the conversion links its deal itself
	delete(in, "Contact_Name")
	if _, closes := s.meta.fields["Deals"]["Closing_Date"]; closes && (in["Closing_Date"] == nil || in["Closing_Date"] == "") {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "Closing_Date", "json_path": "$.data[0].Deals.Closing_Date"})
	}
	deal, zerr := s.validateLocked("Deals", in, 0, true, nil)
	if zerr != nil {
		if jp, ok := zerr.Details["json_path"].(string); ok {
			zerr.Details["json_path"] = strings.Replace(jp, "$.data[0].", "$.data[0].Deals.", 1)
		}
		return nil, zerr
	}
	return deal, nil
}

// convertMapping is the lead field → target field map of the Leads layout
// (each lead field's convert_mapping), without the system fields a new
// record gets its own values of.
func (s *Server) convertMapping(target string) map[string]string {
	out := map[string]string{}
	for _, raw := range s.meta.raw.fieldList[leadsModule] {
		f, _ := raw.(map[string]any)
		from, _ := f["api_name"].(string)
		mapping, _ := f["convert_mapping"].(map[string]any)
		to, _ := mapping[target].(string)
		tf, known := s.meta.fields[target][to]
		if to == "" || !known || tf.ReadOnly || systemFields[from] || from == "Owner" {
			continue
		}
		out[from] = to
	}
	return out
}

// match is an existing record a lead converts into, and the field of it
// that holds the lead's value.
type match struct {
	rec   map[string]any
	field string
	value any
}

// matchingContact is the contact a lead converts into when none is given,
// as Zoho matches one: by each unique field of Contacts the lead maps a
// value to, and, failing that, by email, then by name (Kaizen #137). ok
// is false when none matches. The caller holds the Contacts lock, shared
// or not.
func (s *Server) matchingContact(lead map[string]any) (m match, ok bool) {
	contacts := s.records.module("Contacts")
	mapping := s.convertMapping("Contacts")
	for _, from := range slices.Sorted(maps.Keys(mapping)) {
		to := mapping[from]
		if _, unique := contacts.unique[to]; unique && lead[from] != nil && lead[from] != "" {
			if r := contacts.findLocked(to, lead[from]); r != nil {
				return match{r, to, lead[from]}, true
			}
		}
	}
	for _, key := range []string{"Email", "Full_Name"} {
		v, _ := lead[key].(string)
		if v == "" {
			continue
		}
		for _, r := range contacts.recs {
			if other, _ := r[key].(string); strings.EqualFold(other, v) {
				return match{r, key, v}, true
			}
		}
	}
	return match{}, false
}

// matchingAccount is the account a lead converts into when none is given:
// the one named as the lead's company. The caller holds the Accounts
// lock, shared or not.
func (s *Server) matchingAccount(lead map[string]any) (m match, ok bool) {
	company, _ := lead["Company"].(string)
	if company == "" {
		return match{}, false
	}
	if r := s.records.module("Accounts").findLocked("Account_Name", company); r != nil {
		return match{r, "Account_Name", company}, true
	}
	return match{}, false
}

// storeConversion stores a planned conversion: the new records, the links
// between them (the contact's and the deal's Account_Name, the deal's
// Contact_Name), the renamed account, the lead's notes moved to the
// contact, the tags carried over, and the lead marked converted. It
// returns the ids by module, and what changed in each module. The caller
// holds the locks of convert.
func (s *Server) storeConversion(cv *conversion, req convertRequest) (map[string]string, map[string]*changes) {
	ids := map[string]string{}
	changed := map[string]*changes{}
	change := func(module, op, id string, field string, v any) {
		if changed[module] == nil {
			changed[module] = &changes{}
		}
		var fields []string
		var values map[string]any
		if field != "" {
			fields, values = []string{field}, map[string]any{field: v}
		}
		changed[module].add(op, id, fields, values)
	}
	now := zohoTime(s.cfg.now())
	accounts, contacts := s.records.module("Accounts"), s.records.module("Contacts")
	if cv.renamed != nil {
		cv.renamed["Modified_Time"] = now
		accounts.putLocked(cv.renamed)
		cv.account = cv.renamed
		change("Accounts", "update", recordID(cv.renamed), "Account_Name", cv.renamed["Account_Name"])
	}
	if cv.account != nil {
		if recordID(cv.account) == "" {
			s.insertLocked("Accounts", cv.account)
			change("Accounts", "insert", recordID(cv.account), "", nil)
		}
		ids["Accounts"] = recordID(cv.account)
	}
	acctRef := func() any {
		if cv.account == nil {
			return nil
		}
		return map[string]any{"id": ids["Accounts"]}
	}
	if recordID(cv.contact) == "" {
		if cv.account != nil {
			cv.contact["Account_Name"] = acctRef()
		}
		s.insertLocked("Contacts", cv.contact)
		change("Contacts", "insert", recordID(cv.contact), "", nil)
	} else if cur, _ := refID(cv.contact["Account_Name"]); cv.account != nil && cur != ids["Accounts"] && (cur == "" || req.overwrite) {
		// A contact of another account keeps it unless overwrite says so.
		ct := copyRecord(cv.contact)
		ct["Account_Name"], ct["Modified_Time"] = acctRef(), now
		contacts.putLocked(ct)
		cv.contact = ct
		change("Contacts", "update", recordID(ct), "Account_Name", ct["Account_Name"])
	}
	ids["Contacts"] = recordID(cv.contact)
	if cv.deal != nil {
		if cv.account != nil {
			cv.deal["Account_Name"] = acctRef()
		}
		cv.deal["Contact_Name"] = map[string]any{"id": ids["Contacts"]}
		s.insertLocked("Deals", cv.deal)
		ids["Deals"] = recordID(cv.deal)
		change("Deals", "insert", ids["Deals"], "", nil)
	}
	s.carryOverTags(cv.lead, req.tags, ids)
	s.moveNotesLocked(recordRef{leadsModule, recordID(cv.lead)}, recordRef{"Contacts", ids["Contacts"]})
	lead := copyRecord(cv.lead)
	detail := map[string]any{}
	for m, key := range map[string]string{"Contacts": "contact", "Accounts": "account", "Deals": "deal"} {
		if id := ids[m]; id != "" {
			detail[key] = id
		}
	}
	lead["$converted"], lead["$converted_detail"], lead["Modified_Time"] = true, detail, now
	leads := s.records.module(leadsModule)
	leads.putLocked(lead)
	leads.converted.Add(1)
	change(leadsModule, "update", recordID(lead), "", nil)
	return ids, changed
}

// carryOverTags gives the records converted into the lead's tags that
// tags names for their module (carry_over_tags), beside the tags they
// have. A name that is not one of the lead's tags carries nothing. Tags
// belong to a module (tags.go): a record takes its module's tag of that
// name, made if the module has none (with the lead's tag's colour); when
// the module's tags are full, or the record's, what does not fit is not
// carried. The caller holds the locks of convert; the tag store's is
// taken after them, as every call takes it.
func (s *Server) carryOverTags(lead map[string]any, tags map[string][]string, ids map[string]string) {
	leadTags, _ := lead["Tag"].([]any)
	s.tags.mu.Lock()
	defer s.tags.mu.Unlock()
	for _, m := range convertTargets {
		if ids[m] == "" || len(tags[m]) == 0 {
			continue
		}
		var in []tagInput
		for _, t := range leadTags {
			tag, _ := t.(map[string]any)
			name, _ := tag["name"].(string)
			if slices.Contains(tags[m], name) {
				color, _ := tag["color_code"].(string)
				in = append(in, tagInput{name: name, color: color})
			}
		}
		if len(in) == 0 {
			continue
		}
		named, zerr := s.resolveTagsLocked(m, in, true)
		if zerr != nil {
			continue
		}
		ms := s.records.module(m)
		old, _ := ms.get(ids[m])
		now := uniq(append(tagIDsOf(old["Tag"]), named...))
		rec := copyRecord(old)
		rec["Tag"] = tagValue(s.tags.tags[m], now[:min(len(now), maxRecordTags)])
		ms.putLocked(rec)
	}
}

// moveNotesLocked attaches the notes of from to to. The caller holds the
// Notes module's lock.
func (s *Server) moveNotesLocked(from, to recordRef) {
	notes := s.records.module(notesModule)
	if notes == nil {
		return
	}
	for _, n := range slices.Clone(notes.recs) {
		ref, _ := n["Parent_Id"].(map[string]any)
		if id, _ := ref["id"].(string); n[seModuleKey] != from.module || id != from.id {
			continue
		}
		moved := copyRecord(n)
		moved["Parent_Id"], moved[seModuleKey] = map[string]any{"id": to.id}, to.module
		notes.putLocked(moved)
	}
}

// reparent moves the attachments of from to to, as a conversion moves a
// lead's. A moved attachment is a new copy: readers may hold the old one.
func (fs *fileStore) reparent(from, to recordRef) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, a := range fs.attachments {
		if a.parent == from {
			moved := *a
			moved.parent = to
			fs.attachments[i] = &moved
		}
	}
}

// convertedParam reads the converted parameter of a listing or search of
// Leads (false, the default: leads not converted; true: converted leads;
// both), answering the error itself; keep reports whether a record is
// listed. keep is nil when every record is: another module, or a module
// with no converted lead and the default.
func (c *call) convertedParam(module string) (keep func(map[string]any) bool, ok bool) {
	v := c.q.Get("converted")
	switch v {
	case "", "false", "true", "both":
	default:
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"param_name": "converted"}))
		return nil, false
	}
	ms := c.s.records.module(module)
	if module != leadsModule || v == "both" || (v == "" || v == "false") && ms.converted.Load() == 0 {
		return nil, true
	}
	want := v == "true"
	return func(r map[string]any) bool { return converted(r) == want }, true
}
