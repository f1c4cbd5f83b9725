package spec_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// oasDir holds Zoho's OAS files for CRM v8, copied unmodified from
// zoho/crm-oas (see oas/README.md).
const oasDir = "oas"

// zohoRefBase is where Zoho's files point their cross-file $refs.
const zohoRefBase = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/"

// oasDocs is Zoho's OAS files, loaded, by file name.
type oasDocs map[string]*openapi3.T

// loadOAS loads the named files from oasDir, applying fixOAS, and
// validates each as an OpenAPI document.
func loadOAS(t *testing.T, names ...string) oasDocs {
	t.Helper()
	l := openapi3.NewLoader()
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = readLocal
	docs := oasDocs{}
	for _, name := range names {
		doc, err := l.LoadFromFile(path.Join(oasDir, name))
		if err != nil {
			t.Fatalf("oas: load %s: %v", name, err)
		}
		fixOAS(name, doc)
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("oas: %s is not a valid OpenAPI document: %v", name, err)
		}
		docs[name] = doc
	}
	return docs
}

// readLocal serves every $ref from oasDir: Zoho's files name each other by
// absolute raw.githubusercontent.com URLs, and the suite must not use the
// network.
func readLocal(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
	if u.Scheme != "" && u.Scheme != "file" && !strings.HasPrefix(u.String(), zohoRefBase) {
		return nil, fmt.Errorf("oas: $ref outside Zoho's v8.0 files: %s", u)
	}
	name := path.Base(u.Path)
	data, err := os.ReadFile(path.Join(oasDir, name))
	if err != nil || name != "notes.json" {
		return data, err
	}
	return addNotesIfModifiedSince(data)
}

// addNotesIfModifiedSince defines the If-Modified-Since header that
// notes.json's Get Note $refs but does not define, as record.json does:
// the loader refuses a dangling $ref, so fixOAS would come too late.
func addNotesIfModifiedSince(data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	comps, _ := doc["components"].(map[string]any)
	params, _ := comps["parameters"].(map[string]any)
	if params == nil {
		return nil, fmt.Errorf("oas: notes.json has no components.parameters")
	}
	if _, ok := params["If-Modified-Since"]; !ok {
		params["If-Modified-Since"] = map[string]any{"name": "If-Modified-Since", "in": "header", "required": false,
			"schema": map[string]any{"type": "string", "format": "date-time"}}
	}
	return json.Marshal(doc)
}

// fixOAS works around the defects in Zoho's files that stop them loading,
// validating or discriminating, in memory; the copies stay as published.
//
//  1. Cross-file $refs are absolute URLs: readLocal serves them locally.
//     notes.json $refs a parameter it does not define: readLocal adds it.
//  2. record.json declares /crm/v8/{module_api_name}/{id} and
//     /{module_api_name}/{external_field_value}, modules.json
//     /settings/modules/{api_name} and /settings/modules/{id},
//     related_records.json /{record_id}/{related_list_api_name} and
//     /{external_value}/{related_list_api_name} (and their related
//     record): the same templates with other parameter names, which
//     OpenAPI forbids. The second of each (X-EXTERNAL lookups; a module by
//     id) is dropped; zohotest serves neither.
//  3. Alternatives overlap: responses are oneOf [wrapper, API_Exception]
//     but no wrapper requires a property, so an error matches both; coql's
//     Syntax_Exception and Query_Exception both admit SYNTAX_ERROR. A
//     valid body then fails oneOf, so every oneOf of a response is read as
//     anyOf; conformance_test.go checks error envelopes separately.
//     Under anyOf an error alternative that requires no key (record.json's
//     API_Exception, org.json's Invalid_Data_Exception…) matches any
//     object, success bodies included: every alternative of a response
//     that has code and status properties is made to require both
//     (requireCodeStatus), as every Zoho error (and action outcome)
//     carries them.
//  4. The metadata files were generated from one sample answer: every
//     key of the sample is required and may not be null. zohotest's
//     metadata (spec/internal/metagen) carries every such key; the few
//     constraints that only that sample satisfies are relaxed, one by one,
//     in sampledOAS.
//  5. users.json types time_zone as an object; Zoho's users carry an IANA
//     zone name string ("Asia/Kolkata"), as zohotest does.
//  6. Schemas Zoho's own samples contradict: divergeOAS.
func fixOAS(name string, doc *openapi3.T) {
	switch name {
	case "record.json":
		doc.Paths.Delete("/crm/v8/{module_api_name}/{external_field_value}")
	case "modules.json":
		doc.Paths.Delete("/crm/v8/settings/modules/{id}")
	case "related_records.json":
		doc.Paths.Delete("/crm/v8/{module_api_name}/{external_value}/{related_list_api_name}")
		doc.Paths.Delete("/crm/v8/{module_api_name}/{external_value}/{related_list_api_name}/{external_field_value}")
	}
	seen := map[*openapi3.Schema]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walkSchema(mt.Schema, seen, func(v *openapi3.Schema) {
						v.AnyOf, v.OneOf = append(v.AnyOf, v.OneOf...), nil
					})
					requireCodeStatus(mt.Schema)
				}
			}
		}
	}
	sampledOAS(name, doc)
	divergeOAS(name, doc)
	if name == "users.json" {
		for _, n := range []string{"users", "User"} {
			if u := doc.Components.Schemas[n]; u != nil && u.Value != nil && u.Value.Properties["time_zone"] != nil {
				u.Value.Properties["time_zone"] = openapi3.NewStringSchema().WithNullable().NewRef()
			}
		}
	}
}

// requireCodeStatus makes each alternative of a response schema s (its
// anyOf, after fixOAS (3), nested anyOfs included) that has code and
// status properties require both, so that an error alternative cannot
// match a success body (fixOAS (3)). Properties are not descended into.
func requireCodeStatus(s *openapi3.SchemaRef) {
	if s == nil || s.Value == nil {
		return
	}
	for _, alt := range s.Value.AnyOf {
		if alt == nil || alt.Value == nil {
			continue
		}
		v := alt.Value
		switch {
		case v.Properties["code"] == nil || v.Properties["status"] == nil:
		case v.Properties["ERROR_CODE"] != nil:
			// bulk_write.json's API_Exception also describes the gateway's
			// {ERROR_CODE, ERROR_MESSAGE, x-error, http_status} (an upload
			// without its headers, docs/wire.md §7): one key set or the other.
			v.AnyOf = append(v.AnyOf, requiring("code", "status"), requiring("ERROR_CODE"))
		default:
			for _, k := range []string{"code", "status"} {
				if !slices.Contains(v.Required, k) {
					v.Required = append(v.Required, k)
				}
			}
		}
		requireCodeStatus(alt)
	}
}

// requiring is a schema that requires keys and says nothing else.
func requiring(keys ...string) *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Required: keys}}
}

// walkSchema calls f once on every schema under s.
func walkSchema(s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, f func(*openapi3.Schema)) {
	if s == nil || s.Value == nil || seen[s.Value] {
		return
	}
	v := s.Value
	seen[v] = true
	f(v)
	for _, list := range []openapi3.SchemaRefs{v.OneOf, v.AnyOf, v.AllOf} {
		for _, sub := range list {
			walkSchema(sub, seen, f)
		}
	}
	for _, p := range v.Properties {
		walkSchema(p, seen, f)
	}
	walkSchema(v.Items, seen, f)
	walkSchema(v.AdditionalProperties.Schema, seen, f)
}

// sampledOAS relaxes, in memory, the constraints of the metadata files
// (modules, fields, layouts, related_lists) that are artifacts of the one
// sample answer Zoho generated them from (called by fixOAS; fixOAS (4)).
// Every other required key, type, enum and non-null stays enforced.
func sampledOAS(name string, doc *openapi3.T) {
	s := doc.Components.Schemas
	switch name {
	case "fields.json":
		// Objects that describe a kind of field the field is not are null:
		// the sample was a field of every kind at once.
		nullable(s["fields"], nullWhenOtherKind...)
		// A field that is not a multi-user lookup answers multiuserlookup {}.
		requireNone(s["fields"], "multiuserlookup")
		// No key of any Zoho answer: the generator's name for global_picklist.
		drop(s["fields"], "common.picklist")
		// "empty" stands for details {}; its one key is a placeholder.
		s["empty"].Value.Required = nil
		// INVALID_DATA for a field id in the path names the segment (docs/wire.md §8).
		invalidSegment(doc, "/crm/v8/settings/fields/{field}", "INVALID_DATA")
	case "layouts.json":
		// A layout's fields are fields.json's fields (above).
		nullable(s["fields"], nullWhenOtherKind...)
		requireNone(s["fields"], "multiuserlookup")
		drop(s["fields"], "common.picklist")
		// A delete marker, a section's subform properties and the user a
		// layout was made for are null on a standard layout; only a
		// converting module's layout maps conversions.
		nullable(s["fields"], "_delete")
		nullable(s["sections"], "_delete", "properties")
		// An org without the inventory modules has no Invoices or SalesOrders
		// to convert to.
		drop(s["convert_mapping"], "Invoices", "SalesOrders")
		nullable(s["layouts"], "created_for", "convert_mapping")
	case "modules.json":
		// A standard module was never modified.
		nullable(s["modules"], "modified_by")
		// No key of any Zoho answer: the generator's name for search_supported.
		drop(s["modules"], "common.search_supported")
		// A module's fields are fields.json's fields (above).
		nullable(s["fields"], nullWhenOtherKind...)
		requireNone(s["fields"], "multiuserlookup")
		drop(s["fields"], "common.picklist")
		// The default "All" view filters nothing: its criteria is null.
		// custom_views.json's view $refs its own #/components/schemas/fields
		// ({id, api_name, _pin}), which the loader resolves to fields.json's
		// same-named field schema: the view's fields are given that shape.
		cv := *s["modules"].Value.Properties["custom_view"].Value
		cv.Properties = maps.Clone(cv.Properties)
		nullable(cv.NewRef(), "criteria")
		pin := openapi3.NewObjectSchema().WithProperty("id", openapi3.NewStringSchema()).
			WithProperty("api_name", openapi3.NewStringSchema()).WithProperty("_pin", openapi3.NewBoolSchema())
		pin.Required = []string{"id", "api_name", "_pin"}
		cv.Properties["fields"] = openapi3.NewArraySchema().WithItems(pin).NewRef()
		s["modules"].Value.Properties["custom_view"] = cv.NewRef()
		// The sample was a single module with its details, as
		// GET /settings/modules/{api_name} answers; the list answers
		// without them: it gets a copy of modules that does not require them.
		listModules(doc, "fields", "layouts", "related_lists", "custom_view", "default_mapping_fields", "layout_associations")
	case "custom_views.json":
		// The default "All" view filters nothing: its criteria is null (as
		// in modules.json above).
		nullable(s["custom_views"], "criteria")
	case "users.json":
		// The sample's email: nine letters at a five-letter .com domain.
		for _, n := range []string{"users", "User"} {
			if u := s[n]; u != nil && u.Value.Properties["email"] != nil {
				u.Value.Properties["email"] = openapi3.NewStringSchema().WithFormat("email").NewRef()
			}
		}
	}
}

// listModules gives modules.json's list operation (GET /settings/modules)
// its own 200 response: {modules: [...]} whose module is a copy of modules
// that does not require the keys named, so that the single module's
// answer stays held to them.
func listModules(doc *openapi3.T, keys ...string) {
	mod := *doc.Components.Schemas["modules"].Value
	ref := mod.NewRef()
	drop(ref, keys...)
	wrapper := openapi3.NewObjectSchema().WithProperty("modules", openapi3.NewArraySchema().WithItems(ref.Value))
	wrapper.Required = []string{"modules"}
	op := doc.Paths.Value("/crm/v8/settings/modules").Get
	op.Responses.Set("200", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("modules").WithJSONSchema(wrapper)})
}

// nullWhenOtherKind is the field keys null where a field is not of the
// kind they describe.
var nullWhenOtherKind = []string{"associated_module", "sub_module", "refer_from_field", "external", "crypt", "tooltip",
	"history_tracking", "association_details", "hipaa_compliance", "sharing_properties", "textarea"}

// nullable lets the named properties of s be null; a $ref'd property is
// replaced by a nullable copy, so other users of the schema stay strict.
func nullable(s *openapi3.SchemaRef, props ...string) {
	for _, p := range props {
		if ref := s.Value.Properties[p]; ref != nil && ref.Value != nil {
			c := *ref.Value
			c.Nullable = true
			s.Value.Properties[p] = c.NewRef()
		}
	}
}

// requireNone replaces the named object property of s by a copy that
// requires none of its keys.
func requireNone(s *openapi3.SchemaRef, prop string) {
	if ref := s.Value.Properties[prop]; ref != nil && ref.Value != nil {
		c := *ref.Value
		c.Required = nil
		s.Value.Properties[prop] = c.NewRef()
	}
}

// drop removes the named keys from s's required.
func drop(s *openapi3.SchemaRef, keys ...string) {
	var keep []string
	for _, r := range s.Value.Required {
		if !slices.Contains(keys, r) {
			keep = append(keep, r)
		}
	}
	s.Value.Required = keep
}

// invalidSegment adds to the GET's error responses an error with code whose
// details name a URL segment: {resource_path_index: n}.
func invalidSegment(doc *openapi3.T, path, code string) {
	op := doc.Paths.Value(path).Get
	details := openapi3.NewObjectSchema().WithProperty("resource_path_index", openapi3.NewIntegerSchema())
	details.Required = []string{"resource_path_index"}
	e := openapi3.NewObjectSchema().
		WithProperty("code", openapi3.NewStringSchema().WithEnum(code)).
		WithProperty("status", openapi3.NewStringSchema().WithEnum("error")).
		WithProperty("message", openapi3.NewStringSchema()).
		WithPropertyRef("details", details.NewRef())
	e.Required = []string{"code", "status", "message", "details"}
	for status, r := range op.Responses.Map() {
		if !strings.HasPrefix(status, "4") || r.Value == nil {
			continue
		}
		for _, mt := range r.Value.Content {
			mt.Schema = openapi3.NewAnyOfSchema(mt.Schema.Value, e).NewRef()
		}
	}
}
