package spec_test

import (
	"maps"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
)

// divergeActionsOAS corrects, in memory, the schemas of the record actions'
// files (convert_lead.json, conversion_option.json, blueprint.json) that Zoho's own samples and
// documented answers contradict (called by divergeOAS).
//
//  1. convert_lead.json's Successful_Convert requires Contacts, Deals and
//     Accounts, each a record; a conversion that makes no deal (or no
//     account, for a lead without a company) has no record to name there,
//     and zohotest answers the key null (docs/wire.md §12.1): the three
//     may be null.
//  2. conversion_option.json requires every key of Conversion_Options as
//     modules.json's full module and arrays of records; Zoho's sample
//     (docs/wire.md §12.1) names the preferred module and the modules with
//     several layouts by {api_name, id} alone, answers Contacts null when
//     no contact matches, and leaves Deals out of
//     preference_field_matched_value: module references are {api_name,
//     id}, the record lists and matched values may be null, and the
//     matched values require Contacts and Accounts only.
//  3. blueprint.json was generated from the request body and one sample
//     answer, and Zoho's own Get Blueprint sample contradicts it
//     (docs/wire.md §12.2): the answer has no transition_id and data
//     (the body of an update's), ids are strings (field_id, a transition's
//     id), escalation, execution_time, crypt, tooltip, association_details
//     and external are null, content is an array, the lookup, currency,
//     formula, auto_number, multi_module_lookup and multiselectlookup of a
//     field that is not of their kind are {} (and multiselectlookup is
//     left out), display_type is the fields API's. Those constraints are
//     relaxed one by one; every other key stays required and typed.
//  4. blueprint.json files its errors under 200 with details requiring
//     api_name, message, expected_data_type, info_message and
//     parent_api_name, and enumerates messages; Zoho's pages answer
//     RECORD_NOT_IN_PROCESS, INVALID_DATA ("the id given seems to be
//     invalid", "invalid transition") and MANDATORY_NOT_FOUND with HTTP 400
//     and details naming the field at fault, if any (docs/wire.md §12.2):
//     details require nothing and the message enum is dropped; the code
//     enum stays.
//  5. tags.json files add_tags's and remove_tags's outcomes as successes
//     only, and its Success_Response names the messages of create, update
//     and delete; a record an action names that does not exist fails
//     beside the others, in a 207 (docs/wire.md §8, §12.3), and a merge
//     answers "tags merged successfully" (Zoho's Merge Tags page): a
//     record's outcome may be an error envelope, and the merge's message
//     is allowed.
//  6. mass_update.json's 200 lists only updated records, and describes
//     the scheduled answer {details: {job_id}} as an object, not an item
//     of data; Zoho's samples answer a scheduled mass update with
//     data[{job_id}] and an unknown id with an INVALID_DATA item beside the
//     updated ones (docs/wire.md §12.5): each is an alternative item.
//  7. mass_change_owner.json files as 400 errors only a missing or bad
//     cvid and a missing field; an owner that is no user of the org and a
//     job_id that names no job are refused as change_owner and
//     mass_update refuse them, with INVALID_DATA naming the parameter
//     (docs/wire.md §12.6): that envelope, with param_name owner or
//     job_id, is an alternative 400.
//  8. mass_delete_tags.json types details.job_id as an object, in the
//     scheduled answer and in an unknown job's error; a job id is a
//     string everywhere else in Zoho's API (bulk, mass update, mass change
//     of owner), and zohotest answers one (docs/wire.md §12.4): job_id is
//     a string.
func divergeActionsOAS(name string, doc *openapi3.T) {
	s := doc.Components.Schemas
	switch name {
	case "tags.json":
		if w := s["Record_Success_Wrapper"]; w != nil && w.Value.Properties["data"] != nil {
			data := *w.Value.Properties["data"].Value
			data.Items = openapi3.NewAnyOfSchema(data.Items.Value, itemError()).NewRef()
			w.Value.Properties["data"] = data.NewRef()
		}
		if r := s["Success_Response"]; r != nil && r.Value.Properties["message"] != nil {
			m := *r.Value.Properties["message"].Value
			m.Enum = append(append([]any(nil), m.Enum...), "tags merged successfully")
			r.Value.Properties["message"] = m.NewRef()
		}
	case "mass_update.json":
		if w := s["wrapper"]; w != nil && w.Value.Properties["data"] != nil {
			data := *w.Value.Properties["data"].Value
			data.Items = openapi3.NewAnyOfSchema(data.Items.Value, s["CVSuccess"].Value, itemError()).NewRef()
			w.Value.Properties["data"] = data.NewRef()
		}
	case "mass_change_owner.json":
		for _, op := range doc.Paths.Find("/crm/v8/{module}/actions/mass_change_owner").Operations() {
			byParam := itemError()
			byParam.Properties["code"] = openapi3.NewStringSchema().WithEnum("INVALID_DATA").NewRef()
			param := openapi3.NewObjectSchema().WithProperty("param_name", openapi3.NewStringSchema().WithEnum("owner", "job_id"))
			param.Required = []string{"param_name"}
			byParam.Properties["details"] = param.NewRef()
			for _, mt := range op.Responses.Status(http.StatusBadRequest).Value.Content {
				mt.Schema = openapi3.NewOneOfSchema(mt.Schema.Value, byParam).NewRef()
			}
		}
	case "mass_delete_tags.json":
		if ok := s["success"]; ok != nil {
			details := *ok.Value.Properties["details"].Value
			details.Properties = maps.Clone(details.Properties)
			details.Properties["job_id"] = openapi3.NewStringSchema().WithMinLength(1).NewRef()
			ok.Value.Properties["details"] = details.NewRef()
		}
	case "convert_lead.json":
		nullable(s["Successful_Convert"], "Contacts", "Deals", "Accounts")
	case "conversion_option.json":
		co := s["Conversion_Options"]
		nullable(co, "Contacts", "Deals", "Accounts")
		module := openapi3.NewObjectSchema().WithProperty("api_name", openapi3.NewStringSchema()).WithProperty("id", openapi3.NewStringSchema())
		module.Required = []string{"api_name", "id"}
		co.Value.Properties["modules_with_multiple_layouts"] = openapi3.NewArraySchema().WithItems(module).NewRef()
		module.Nullable = true
		co.Value.Properties["module_preference"] = module.NewRef()
		pm := *co.Value.Properties["preference_field_matched_value"].Value
		pm.Properties = maps.Clone(pm.Properties)
		pm.Required = []string{"Contacts", "Accounts"}
		nullable(pm.NewRef(), "Contacts", "Accounts", "Deals")
		co.Value.Properties["preference_field_matched_value"] = pm.NewRef()
	case "blueprint.json":
		s["Blue_Print"].Value.Required = []string{"process_info", "transitions"}
		pi := s["Process_Info"]
		pi.Value.Properties["field_id"] = openapi3.NewStringSchema().NewRef()
		nullable(pi, "escalation")
		tr := s["Transition"]
		tr.Value.Properties["id"] = openapi3.NewStringSchema().NewRef()
		nullable(tr, "execution_time")
		f := s["Field"]
		nullable(f, "crypt", "tooltip", "association_details", "external")
		for _, p := range []string{"auto_number", "currency", "formula", "lookup", "multi_module_lookup", "multiselectlookup"} {
			requireNone(f, p)
		}
		drop(f, "multiselectlookup")
		f.Value.Properties["content"] = openapi3.NewArraySchema().WithItems(openapi3.NewSchema()).NewRef()
		f.Value.Properties["display_type"] = openapi3.NewIntegerSchema().NewRef()
		e := s["API_Exception"]
		e.Value.Properties["message"] = openapi3.NewStringSchema().NewRef()
		details := *e.Value.Properties["details"].Value
		details.Required = nil
		e.Value.Properties["details"] = details.NewRef()
	}
}

// itemError is Zoho's error envelope as an item of an answer's array:
// {code, details, message, status: "error"}, all required.
func itemError() *openapi3.Schema {
	e := openapi3.NewObjectSchema().
		WithProperty("code", openapi3.NewStringSchema().WithMinLength(1)).
		WithProperty("status", openapi3.NewStringSchema().WithEnum("error")).
		WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("details", openapi3.NewObjectSchema())
	e.Required = []string{"code", "status", "message", "details"}
	return e
}
