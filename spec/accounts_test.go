package spec_test

import "github.com/getkin/kin-openapi/openapi3"

// The accounts server has no OAS file: these schemas are the shapes of
// docs/wire.md §1.3 and §1.4, written by hand.

// tokenGrantSchema is a successful token answer; refresh_token only
// comes with an authorization-code exchange.
func tokenGrantSchema() *openapi3.Schema {
	s := openapi3.NewObjectSchema().
		WithProperty("access_token", openapi3.NewStringSchema().WithMinLength(1)).
		WithProperty("refresh_token", openapi3.NewStringSchema().WithMinLength(1)).
		WithProperty("scope", openapi3.NewStringSchema()).
		WithProperty("api_domain", openapi3.NewStringSchema().WithMinLength(1)).
		WithProperty("token_type", openapi3.NewStringSchema().WithEnum("Bearer")).
		WithProperty("expires_in", openapi3.NewIntegerSchema().WithMin(1))
	s.Required = []string{"access_token", "api_domain", "token_type", "expires_in"}
	return s
}

// tokenErrorSchema is a failed token answer, sent with HTTP 200.
func tokenErrorSchema() *openapi3.Schema {
	s := openapi3.NewObjectSchema().WithProperty("error",
		openapi3.NewStringSchema().WithEnum("invalid_code", "invalid_client", "invalid_client_secret", "invalid_redirect_uri", "unsupported_grant_type"))
	s.Required = []string{"error"}
	return s
}

// revokeSchema is a revoke answer: {"status":"success"} with 200, an
// error (status "failure" if present) with 400.
func revokeSchema(ok bool) *openapi3.Schema {
	status := openapi3.NewStringSchema().WithEnum("success")
	if !ok {
		status = openapi3.NewStringSchema().WithEnum("failure")
	}
	s := openapi3.NewObjectSchema().WithProperty("status", status).WithProperty("error", openapi3.NewStringSchema())
	s.Required = []string{"status"}
	if !ok {
		s.Required = []string{"error"}
	}
	return s
}
