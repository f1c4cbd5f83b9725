package spec_test

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
)

// responseFor returns the response of op a status must satisfy. Zoho's
// files list few statuses (record.json only 200), so where op does not
// list the status, it says which response stands in and why; the reasons
// are the divergences of the OAS from Zoho's documented behaviour
// (the project's wire notes, api-notes.md, cited by section).
func responseFor(op *openapi3.Operation, status int, envelope *openapi3.SchemaRef) (*openapi3.ResponseRef, string) {
	if r := op.Responses.Status(status); r != nil {
		return r, ""
	}
	ok := op.Responses.Status(http.StatusOK)
	switch {
	case status == http.StatusNoContent || status == http.StatusNotModified:
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("no content")},
			"Zoho answers an empty list, search or query with 204 and If-Modified-Since with nothing newer with 304, both without a body (api-notes §2.1, §3, §4); the files list only 200"
	case ok != nil && (status == http.StatusCreated || status == http.StatusMultiStatus || status == http.StatusBadRequest):
		return ok, "record.json files every outcome of a call under 200, errors included; Zoho answers a write with 201 (all added), 207 (mixed) or 400 (all failed, or a request error) and the same body (api-notes §2.2, §8)"
	case status >= 400:
		return &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("error").WithJSONSchemaRef(envelope)},
			"a request-level error (401 INVALID_TOKEN, 404 INVALID_URL_PATTERN, 400, 429, 500) is common.json's API_Exception at top level for every API (api-notes §8); operations list only some of them"
	}
	return nil, ""
}
