package spec_test

import (
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// responseFor returns the response of op a status must satisfy. Zoho's
// files list few statuses (record.json only 200), so where op does not
// list the status, it says which response stands in and why; the reasons
// are the divergences of the OAS from Zoho's documented behaviour
// (the project's wire notes, docs/wire.md, cited by section).
func responseFor(op *openapi3.Operation, status int, envelope *openapi3.SchemaRef) (*openapi3.ResponseRef, string) {
	r, why := documented(op, status, envelope)
	if r == nil || r.Value == nil || r.Value.Content.Get("application/json") != nil || len(r.Value.Content) == 0 {
		return r, why
	}
	if status < 400 && fileOperations[op.OperationID] {
		content := openapi3.Content{}
		for mt := range fileMediaTypes {
			content[mt] = openapi3.NewMediaType()
		}
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("a file").WithContent(content)},
			"a file is its bytes; attachments.json, record_photo.json and files.json describe it as an object File_Body_Wrapper{file} no file can match, under image/png or application/x-download; zohotest sends the bytes under the media type of a download, which validate accepts"
	}
	if status >= 400 {
		return envelopeResponse(envelope),
			"bulk_write.json's Download Bulk Write Result lists only 200, a file; a job that is not there answers a JSON error like every API (docs/wire.md §8)"
	}
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("a ZIP").
			WithContent(openapi3.Content{"application/zip": openapi3.NewMediaType()})},
		"a bulk result is a ZIP of CSV files (docs/wire.md §7); bulk_read.json calls it application/x-download and bulk_write.json application/octet-stream, each with an object schema File_Body_Wrapper{file} no file can match; zohotest sends application/zip, whose contents validate checks"
}

// documented is the response op lists for status, or the one that stands
// in for it.
func documented(op *openapi3.Operation, status int, envelope *openapi3.SchemaRef) (*openapi3.ResponseRef, string) {
	if r := op.Responses.Status(status); r != nil {
		return r, ""
	}
	ok := op.Responses.Status(http.StatusOK)
	failed := op.Responses.Status(http.StatusAccepted)
	switch {
	case status == http.StatusNoContent || status == http.StatusNotModified:
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("no content")},
			"Zoho answers an empty list, search or query with 204 and If-Modified-Since with nothing newer with 304, both without a body (docs/wire.md §2.1, §3, §4); the files list only 200"
	case ok != nil && failed != nil && status == http.StatusMultiStatus:
		return eitherResponse(ok, failed),
			"notes.json files a write's successes under 200 and its failed items under 202; notes are records and Zoho answers a mixed write 207 with both in data (docs/wire.md §2.2, §7)"
	case ok != nil && failed != nil && status == http.StatusBadRequest:
		either := openapi3.NewAnyOfSchema(failed.Value.Content.Get("application/json").Schema.Value, envelope.Value)
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("failed").WithJSONSchema(either)},
			"notes.json files a write's failed items under 202; Zoho answers a write whose items all failed 400 with the same body, and a request error (a body that is not JSON, a parent that does not exist) 400 with API_Exception at top level (docs/wire.md §2.2, §8)"
	case ok != nil && (status == http.StatusCreated || status == http.StatusMultiStatus || status == http.StatusBadRequest):
		return ok, "record.json and notes.json file a write's outcome under 200 (record.json errors included); Zoho answers a write with 201 (all added), 207 (mixed) or 400 (all failed, or a request error) and the same body (docs/wire.md §2.2, §8)"
	case status >= 400:
		return envelopeResponse(envelope),
			"a request-level error (401 INVALID_TOKEN, 404 INVALID_URL_PATTERN, 400, 429, 500) is common.json's API_Exception at top level for every API (docs/wire.md §8); operations list only some of them"
	}
	return nil, ""
}

// fileOperations are the operations that answer a file.
var fileOperations = map[string]bool{"Get Attachment": true, "Get Photo": true, "Get File": true}

// fileMediaTypes are the media types a file download is answered with.
var fileMediaTypes = map[string]bool{"application/octet-stream": true, "image/png": true, "application/x-download": true}

func envelopeResponse(envelope *openapi3.SchemaRef) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("error").WithJSONSchemaRef(envelope)}
}

// eitherResponse is a response whose data items may be those of a or b:
// {"data":[...]} with each item any item schema of either.
func eitherResponse(a, b *openapi3.ResponseRef) *openapi3.ResponseRef {
	items := &openapi3.Schema{}
	seen := map[*openapi3.Schema]bool{}
	for _, r := range []*openapi3.ResponseRef{a, b} {
		if mt := r.Value.Content.Get("application/json"); mt != nil {
			walkSchema(mt.Schema, seen, func(v *openapi3.Schema) {
				if d := v.Properties["data"]; d != nil && d.Value != nil && d.Value.Items != nil {
					items.AnyOf = append(items.AnyOf, d.Value.Items)
				}
			})
		}
	}
	data := openapi3.NewObjectSchema().WithProperty("data", openapi3.NewArraySchema().WithItems(items))
	data.Required = []string{"data"}
	return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("mixed").WithJSONSchema(data)}
}

// divergeOAS corrects, in memory, schemas of Zoho's files that Zoho's own
// samples and documented answers contradict (called by fixOAS).
//
//  1. bulk_write.json's API_Exception enumerates as messages those of its
//     samples ("Requested module 'asdf' is not available.", "invalid
//     api_name ast_Name."): the message enum is dropped, the code enum
//     stays.
//  2. bulk_write.json's upload answers with the job's Success_Response,
//     which requires the job's id and created_by and types file_id as an
//     integer; an upload answers {file_id, created_time} with file_id a
//     string (docs/wire.md §7, Zoho's samples). Upload gets its own copy.
//  3. bulk_read.json types a criteria value as an object and requires a
//     criteria's type and every key of a query (cvid, page, criteria…);
//     Zoho's samples send a string value ("Boyle"), in takes an array, and
//     the status call echoes the query as sent (docs/wire.md §7): a value
//     may be of any type and a query needs only its module.
//     The query names its module and a criteria's field by api_name
//     alone, as sent; Minified_Module and Minified_Field require an id.
//  4. bulk_read.json's Result requires a string next_page_token; a job
//     whose page is the last has no next page, and its result carries
//     next_page_token null (docs/wire.md §7 lists the key): null is allowed.
//  5. notes.json's Note was generated from one sample: it requires every
//     key and allows no null; a list answers the fields asked for, null
//     where a note has no value, as lists of records do (docs/wire.md §2.1,
//     §7). Note's required and non-null are dropped; types stay.
//  6. record.json's Info types the page tokens and their expiry as
//     strings; Zoho's list answers carry previous_page_token null on the
//     first page and next_page_token and page_token_expiry null on the last
//     (docs/wire.md §2.1): they may be null. Its Success_Response types
//     duplicate_field as a string; an upsert that inserted answers
//     "duplicate_field": null (docs/wire.md §2.4). Its record count is a
//     string; Zoho answers {"count": 694} (docs/wire.md §2.6).
//     related_records.json lists related records with record.json's Info,
//     reached through its own copy: the same page tokens may be null.
//  7. notifications.json's Notification types channel_id as an object and
//     gives notify_url the pattern www[.][a-z]{5}zoho[.]com; a channel id
//     is a number Zoho's samples write as a string, and notify_url is the
//     application's own URL (docs/wire.md §7): both are plain strings.
//  8. The record actions' files: divergeActionsOAS.
func divergeOAS(name string, doc *openapi3.T) {
	divergeActionsOAS(name, doc)
	switch name {
	case "notifications.json":
		if n := doc.Components.Schemas["Notification"]; n != nil {
			n.Value.Properties["channel_id"] = openapi3.NewStringSchema().NewRef()
			n.Value.Properties["notify_url"] = openapi3.NewStringSchema().NewRef()
		}
	case "record.json":
		if i := doc.Components.Schemas["Info"]; i != nil {
			nullable(i, "next_page_token", "previous_page_token", "page_token_expiry")
		}
		if r := doc.Components.Schemas["Success_Response"]; r != nil {
			nullable(r, "duplicate_field")
		}
		if p := doc.Paths.Value("/crm/v8/{module_api_name}/actions/count"); p != nil && p.Get != nil {
			for _, mt := range p.Get.Responses.Status(http.StatusOK).Value.Content {
				for _, alt := range mt.Schema.Value.AnyOf {
					if c := alt.Value.Properties["count"]; c != nil && c.Value.Type.Is("string") {
						alt.Value.Properties["count"] = openapi3.NewIntegerSchema().NewRef()
					}
				}
			}
		}
	case "bulk_write.json":
		if e := doc.Components.Schemas["API_Exception"]; e != nil && e.Value.Properties["message"] != nil {
			e.Value.Properties["message"] = openapi3.NewStringSchema().NewRef()
		}
		up := doc.Paths.Value("/crm/v8/upload")
		if up == nil || up.Post == nil {
			return
		}
		for _, mt := range up.Post.Responses.Status(http.StatusOK).Value.Content {
			for i, alt := range append(mt.Schema.Value.AnyOf, mt.Schema.Value.OneOf...) {
				if !strings.HasSuffix(alt.Ref, "/Success_Response") {
					continue
				}
				s := *alt.Value
				s.Properties = map[string]*openapi3.SchemaRef{}
				for k, v := range alt.Value.Properties {
					s.Properties[k] = v
				}
				details := openapi3.NewObjectSchema().
					WithProperty("file_id", openapi3.NewStringSchema().WithMinLength(1)).
					WithProperty("created_time", openapi3.NewDateTimeSchema())
				details.Required = []string{"file_id", "created_time"}
				s.Properties["details"] = details.NewRef()
				if i < len(mt.Schema.Value.AnyOf) {
					mt.Schema.Value.AnyOf[i] = s.NewRef()
				}
			}
		}
	case "related_records.json":
		if w := doc.Components.Schemas["Response_Wrapper"]; w != nil && w.Value.Properties["info"] != nil {
			nullable(w.Value.Properties["info"], "next_page_token", "previous_page_token", "page_token_expiry")
		}
	case "notes.json":
		if n := doc.Components.Schemas["Note"]; n != nil {
			n.Value.Required = nil
			for _, p := range n.Value.Properties {
				if p.Value != nil && p.Ref == "" {
					p.Value.Nullable = true
				}
			}
		}
	case "bulk_read.json":
		if c := doc.Components.Schemas["Criteria"]; c != nil && c.Value.Properties["value"] != nil {
			c.Value.Properties["value"] = openapi3.NewSchema().NewRef()
			c.Value.Required = nil
		}
		if q := doc.Components.Schemas["Query"]; q != nil {
			q.Value.Required = []string{"module"}
			q.Value.Properties["module"] = byAPIName(q.Value.Properties["module"])
		}
		if c := doc.Components.Schemas["Criteria"]; c != nil && c.Value.Properties["field"] != nil {
			c.Value.Properties["field"] = byAPIName(c.Value.Properties["field"])
		}
		if r := doc.Components.Schemas["Result"]; r != nil && r.Value.Properties["next_page_token"] != nil {
			r.Value.Properties["next_page_token"] = openapi3.NewStringSchema().WithNullable().NewRef()
		}
	}
}

// byAPIName is a copy of a minified module or field schema that requires
// only its api_name.
func byAPIName(s *openapi3.SchemaRef) *openapi3.SchemaRef {
	c := *s.Value
	c.Required = []string{"api_name"}
	return c.NewRef()
}
