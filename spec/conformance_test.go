package spec_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/zohohub/zohohub/zohotest"
)

// conformance drives a zohotest server with plain net/http and checks
// every answer against Zoho's OAS (or, for the accounts server, against
// accounts_test.go), recording which routes it checked.
type conformance struct {
	t        *testing.T
	srv      *zohotest.Server
	docs     oasDocs
	envelope *openapi3.SchemaRef
	ops      map[string][]oasOp
	access   string
	client   *http.Client
	covered  map[zohotest.Route]bool
}

// exchange is one request and its answer.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// json decodes the answer's body (nil when empty or not JSON).
func (x exchange) json() map[string]any {
	var m map[string]any
	json.Unmarshal(x.body, &m)
	return m
}

func newConformance(t *testing.T) *conformance {
	docs := loadOAS(t, oasFiles...)
	env := docs["common.json"].Components.Schemas["API_Exception"]
	if env == nil {
		t.Fatal("common.json has no API_Exception")
	}
	return &conformance{t: t, srv: zohotest.New(t), docs: docs, envelope: env, ops: operations(),
		client:  &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		covered: map[zohotest.Route]bool{}}
}

// send makes a request with the given Authorization token ("" for none).
func (c *conformance) send(t *testing.T, method, target, body, token string, header ...string) exchange {
	t.Helper()
	req, err := http.NewRequest(method, c.srv.URL()+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if strings.HasPrefix(target, "/oauth/") && body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: data}
}

// codes is the Zoho code of an answer: the top-level code, or the codes
// of its data items joined by commas.
func codes(m map[string]any) string {
	if c, ok := m["code"].(string); ok {
		return c
	}
	items, _ := m["data"].([]any)
	if items == nil {
		items, _ = m["watch"].([]any) // the notifications API
	}
	if items == nil {
		items, _ = m["tags"].([]any) // the tag settings API
	}
	var out []string
	for _, it := range items {
		if c, ok := it.(map[string]any)["code"].(string); ok {
			out = append(out, c)
		}
	}
	return strings.Join(out, ",")
}

// crm sends a CRM request with the suite's token, checks its status and
// Zoho code (empty: no code expected) and validates it against the OAS.
func (c *conformance) crm(t *testing.T, method, target, body string, status int, code string, header ...string) exchange {
	t.Helper()
	return c.expect(t, c.send(t, method, target, body, c.access, header...), status, code)
}

// expect checks an answer's status and code and validates it.
func (c *conformance) expect(t *testing.T, x exchange, status int, code string) exchange {
	t.Helper()
	if x.status != status {
		t.Errorf("%s %s: status %d, want %d; body %s", x.req.Method, x.req.URL.RequestURI(), x.status, status, x.body)
	}
	if got := codes(x.json()); got != code {
		t.Errorf("%s %s: code %q, want %q; body %s", x.req.Method, x.req.URL.RequestURI(), got, code, x.body)
	}
	c.validate(t, x)
	return x
}

// validate checks an answer against the OAS operations of its route, or,
// for a request no route answers, against the error envelope.
func (c *conformance) validate(t *testing.T, x exchange) {
	t.Helper()
	where := x.req.Method + " " + x.req.URL.RequestURI()
	if x.status == http.StatusNoContent || x.status == http.StatusNotModified {
		if len(x.body) > 0 {
			t.Errorf("%s: %d with a body %q", where, x.status, x.body)
		}
	} else if mt, _, _ := mime.ParseMediaType(x.header.Get("Content-Type")); mt == "application/zip" {
		// A bulk download; the OAS describes its body as opaque.
		if _, err := readZipCSV(x.body); err != nil {
			t.Errorf("%s: application/zip, but %v", where, err)
		}
	} else if fileMediaTypes[mt] && x.status == http.StatusOK {
		// A file download (attachment, photo, /files): its bytes.
	} else if mt != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", where, x.header.Get("Content-Type"))
	}
	if m := x.json(); x.status >= 400 && m["code"] != nil {
		if err := c.envelope.Value.VisitJSON(m); err != nil || m["status"] != "error" {
			t.Errorf("%s: not an API_Exception with status \"error\": %v; body %s", where, err, x.body)
		}
	}
	route, ok := zohotest.RouteOf(x.req.Method, x.req.URL.Path, x.req.URL.Query())
	if !ok {
		if x.status < 400 {
			t.Errorf("%s: no route of zohotest.Routes answers it, yet it succeeded (%d)", where, x.status)
		}
		return
	}
	key := route.Method + " " + route.Pattern
	ops, listed := c.ops[key]
	if !listed {
		t.Errorf("%s: route %s has no entry in operations()", where, key)
		return
	}
	for _, o := range ops {
		if err := c.validateOp(x, o); err != nil {
			t.Errorf("%s: against %s %s %s: %v; body %.300s", where, o.file, route.Method, o.path, err, x.body)
		}
	}
	if ops != nil {
		c.covered[route] = true
	}
}

// validateOp validates an answer against one OAS operation.
func (c *conformance) validateOp(x exchange, o oasOp) error {
	doc := c.docs[o.file]
	item := doc.Paths.Value(o.path)
	if item == nil {
		return fmt.Errorf("no path %s", o.path)
	}
	op := item.GetOperation(x.req.Method)
	if op == nil {
		return fmt.Errorf("no operation")
	}
	resp, _ := responseFor(op, x.status, c.envelope)
	if resp == nil {
		return fmt.Errorf("status %d is neither documented nor a known divergence", x.status)
	}
	// A copy of the operation with only the response that applies, so
	// that ValidateResponse checks the status and the body against it.
	one := *op
	one.Responses = openapi3.NewResponses(openapi3.WithStatus(x.status, resp))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: x.req,
			Route: &routers.Route{Spec: doc, Path: o.path, PathItem: item, Method: x.req.Method, Operation: &one}},
		Status:  x.status,
		Header:  x.header,
		Body:    io.NopCloser(bytes.NewReader(x.body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	// Name the place and the reason; the schemas are too long to print.
	// OAS_DEBUG=1 keeps kin-openapi's full messages, schemas included.
	if os.Getenv("OAS_DEBUG") == "" {
		in.Options.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
			return "at /" + strings.Join(e.JSONPointer(), "/") + ": " + e.Reason
		})
	}
	err := openapi3filter.ValidateResponse(context.Background(), in)
	if err == nil {
		return nil
	}
	// Zoho's files enumerate only some error codes of an operation; an
	// error whose code the response does not name is held to the shared
	// envelope (checked in validate) instead.
	m := x.json()
	if code, ok := m["code"].(string); ok && x.status >= 400 && !namedCodes(resp)[code] {
		return nil
	}
	// A call on ids whose items all failed (deleting attachments, unlinking)
	// answers 400 with an error per item in data, as a write does (docs/wire.md
	// §2.2, §8); attachments.json's 400 lists only request-level errors.
	if x.status == http.StatusBadRequest && c.itemErrors(m) {
		return nil
	}
	return err
}

// itemErrors reports whether m is {"data":[…]} whose items are all
// API_Exception error envelopes.
func (c *conformance) itemErrors(m map[string]any) bool {
	items, ok := m["data"].([]any)
	if !ok || len(items) == 0 {
		return false
	}
	for _, it := range items {
		e, _ := it.(map[string]any)
		if e == nil || e["status"] != "error" || c.envelope.Value.VisitJSON(e) != nil {
			return false
		}
	}
	return true
}

// namedCodes is the error codes a response's schemas enumerate.
func namedCodes(resp *openapi3.ResponseRef) map[string]bool {
	named := map[string]bool{}
	seen := map[*openapi3.Schema]bool{}
	for _, mt := range resp.Value.Content {
		walkSchema(mt.Schema, seen, func(v *openapi3.Schema) {
			if c := v.Properties["code"]; c != nil && c.Value != nil {
				for _, e := range c.Value.Enum {
					if s, ok := e.(string); ok {
						named[s] = true
					}
				}
			}
		})
	}
	return named
}

// readZipCSV reads a bulk download: a ZIP of one or more CSV files, each
// with a header row. It returns the rows of the first.
func readZipCSV(body []byte) ([][]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("not a zip: %v", err)
	}
	if len(zr.File) == 0 {
		return nil, fmt.Errorf("an empty zip")
	}
	var first [][]string
	for i, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			return nil, fmt.Errorf("zip holds %q, not a CSV", f.Name)
		}
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(r).ReadAll()
		r.Close()
		if err != nil || len(rows) == 0 {
			return nil, fmt.Errorf("%s is not a CSV with a header: %v", f.Name, err)
		}
		if i == 0 {
			first = rows
		}
	}
	return first, nil
}

// zipCSV is the rows of the first CSV of a bulk download.
func zipCSV(t *testing.T, x exchange) [][]string {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(x.header.Get("Content-Type")); mt != "application/zip" {
		t.Fatalf("%s %s: Content-Type %q, want application/zip", x.req.Method, x.req.URL.Path, x.header.Get("Content-Type"))
	}
	rows, err := readZipCSV(x.body)
	if err != nil {
		t.Fatalf("%s %s: %v", x.req.Method, x.req.URL.Path, err)
	}
	return rows
}

// accounts checks an accounts-server answer against a hand-written schema
// and records its route.
func (c *conformance) accounts(t *testing.T, x exchange, status int, schema *openapi3.Schema) map[string]any {
	t.Helper()
	where := x.req.Method + " " + x.req.URL.Path
	if x.status != status {
		t.Errorf("%s: status %d, want %d; body %s", where, x.status, status, x.body)
	}
	m := x.json()
	if err := schema.VisitJSON(m); err != nil {
		t.Errorf("%s: %v; body %s", where, err, x.body)
	}
	c.mark(x)
	return m
}

// mark records an accounts-server answer, checked by hand, as covering
// its route.
func (c *conformance) mark(x exchange) {
	if route, ok := zohotest.RouteOf(x.req.Method, x.req.URL.Path, x.req.URL.Query()); ok {
		c.covered[route] = true
	}
}

// TestConformance validates zohotest's answers, status and body, against
// Zoho's OAS for every route zohotest serves, success and error cases,
// and fails naming any route it did not check.
func TestConformance(t *testing.T) {
	c := newConformance(t)
	t.Run("accounts", c.testAccounts)
	t.Run("metadata", c.testMetadata)
	t.Run("records", c.testRecords)
	t.Run("search", c.testSearch)
	t.Run("coql", c.testCOQL)
	t.Run("notes", c.testNotes)
	t.Run("related", c.testRelated)
	t.Run("attachments", c.testAttachments)
	t.Run("convert", c.testConvert)
	t.Run("blueprint", c.testBlueprint)
	t.Run("bulk read", c.testBulkRead)
	t.Run("bulk write", c.testBulkWrite)
	t.Run("notifications", c.testWatch)
	t.Run("tags", c.testTags)
	t.Run("mass update", c.testMassUpdate)
	t.Run("change owner", c.testChangeOwner)
	t.Run("mass change owner", c.testMassChangeOwner)
	t.Run("mass delete tags", c.testMassDeleteTags)
	t.Run("errors", c.testErrors)
	for _, r := range zohotest.Routes() {
		if !c.covered[r] {
			t.Errorf("route %s %s was not validated: add a case", r.Method, r.Pattern)
		}
		if _, ok := c.ops[r.Method+" "+r.Pattern]; !ok {
			t.Errorf("route %s %s has no entry in operations()", r.Method, r.Pattern)
		}
	}
	for key := range c.ops {
		method, pattern, _ := strings.Cut(key, " ")
		if _, ok := zohotest.RouteOf(method, strings.SplitN(pattern, "?", 2)[0], queryOf(pattern)); !ok {
			t.Errorf("operations() names %s, which is not a route of zohotest.Routes", key)
		}
	}
}

// queryOf is the query a pattern names.
func queryOf(pattern string) url.Values {
	_, q, _ := strings.Cut(pattern, "?")
	v, _ := url.ParseQuery(q)
	return v
}
