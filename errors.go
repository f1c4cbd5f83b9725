package zohohub

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. An *APIError matches the sentinel its code or status
// stands for, so callers can write errors.Is(err, zohohub.ErrInvalidToken);
// ErrNotFound is returned (wrapped) by the record operations instead.
var (
	// ErrNotFound reports a record that does not exist (or no longer does):
	// Find of a missing id, Save or Delete of a deleted record. Zoho
	// answers those with 204 or INVALID_DATA, so Do never returns it.
	ErrNotFound = errors.New("zohohub: record not found")
	// ErrInvalidToken reports an access token Zoho rejected
	// (INVALID_TOKEN or AUTHENTICATION_FAILURE), even after one refresh.
	ErrInvalidToken = errors.New("zohohub: invalid oauth token")
	// ErrTooManyRequests reports Zoho's 429 TOO_MANY_REQUESTS after the
	// retry policy gave up.
	ErrTooManyRequests = errors.New("zohohub: too many requests")
	// ErrScopeMismatch reports a token that lacks the OAuth scope the call
	// needs (401 OAUTH_SCOPE_MISMATCH), such as ZohoCRM.coql.READ for a
	// query that runs as COQL. A refresh does not help: the grant needs the
	// scope.
	ErrScopeMismatch = errors.New("zohohub: oauth scope mismatch")
	// ErrBadResponse reports a response that is not the JSON Zoho's API
	// answers with, or not the answer to the request: an HTML page, a
	// redirect, a truncated or malformed body, a body too large, a record
	// id that is missing, malformed or not the one asked for, a missing or
	// negative count, a paging cursor that repeats or goes backwards.
	ErrBadResponse = errors.New("zohohub: unexpected response")
	// ErrResponseTooLarge reports an answer larger than one answer may be
	// (64 MiB), than the client's whole response budget, or than what is
	// left of the budget while other answers are in flight (see
	// WithResponseBudget). The first two also match ErrBadResponse.
	ErrResponseTooLarge = errors.New("zohohub: response too large")
)

// Sentinel errors that stand for Zoho error codes: an *APIError whose code
// is one of the sentinel's matches it (errors.Is), and errors.As gives the
// *APIError with Zoho's details.
var (
	// ErrDuplicateData reports a value of a unique field that another
	// record holds (DUPLICATE_DATA); details.duplicate_record names it.
	ErrDuplicateData = codeError("duplicate data", "DUPLICATE_DATA")
	// ErrAlreadyConverted reports a lead converted before: converted again
	// (ID_ALREADY_CONVERTED) or updated (CONVERTED_RECORD).
	ErrAlreadyConverted = codeError("lead already converted", "ID_ALREADY_CONVERTED", "CONVERTED_RECORD")
	// ErrMappingMismatch reports a conversion's deal whose Stage its
	// Pipeline does not hold (MAPPING_MISMATCH).
	ErrMappingMismatch = codeError("stage not in the deal's pipeline", "MAPPING_MISMATCH")
	// ErrRecordInBlueprint reports an update of the field a blueprint
	// drives, made outside a transition (RECORD_IN_BLUEPRINT): perform the
	// transition that leads to the state instead (Advance).
	ErrRecordInBlueprint = codeError("record in a blueprint: its state changes through a transition", "RECORD_IN_BLUEPRINT")
	// ErrNotInBlueprint reports a record that is in no blueprint
	// (RECORD_NOT_IN_PROCESS).
	ErrNotInBlueprint = codeError("record in no blueprint", "RECORD_NOT_IN_PROCESS")
)

// codeSentinel is a sentinel error standing for Zoho error codes.
type codeSentinel struct {
	text  string
	codes []string
}

func codeError(text string, codes ...string) error {
	return &codeSentinel{text: "zohohub: " + text + " (" + strings.Join(codes, ", ") + ")", codes: codes}
}

func (s *codeSentinel) Error() string { return s.text }

// APIError is an error answered by Zoho CRM: a request-level error, or the
// error of one record inside a multi-record response.
type APIError struct {
	// StatusCode is the HTTP status of the response. For a per-record error
	// inside a 207 response it is the status of the whole response.
	StatusCode int
	// Code is Zoho's error code, such as "INVALID_DATA". It is empty when the
	// response was not a Zoho error envelope (see ErrBadResponse).
	Code string
	// Message is Zoho's message, such as "invalid data".
	Message string
	// Status is Zoho's status field, normally "error".
	Status string
	// Details holds Zoho's details object, such as api_name, json_path and
	// expected_data_type for a field error.
	Details map[string]any
	// Method and Path name the request, without query string or host.
	Method string
	Path   string
	// Index is the position of the record for a per-record error: in the
	// slice given to a batch (SaveAll, UpsertAll, DeleteAll), else in the
	// request; -1 for a request-level error. When it differs from the
	// record's place in its request (details.json_path "$.data[N]…"), the
	// error's text gives both.
	Index int

	badResponse bool
	// body is the answer when it holds per-record errors in data[] (all
	// records failed), which a batch reads record by record.
	body []byte
	// tooLarge marks a body refused for its size (ErrResponseTooLarge);
	// transient, one refused because others held the response budget,
	// which a safe request may retry.
	tooLarge, transient bool
	// retryAfter is the wait the response's Retry-After header asked for.
	retryAfter time.Duration
}

// Error formats the error with its request, code, message and the details
// that say which field is at fault. It never contains a token.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("zohohub: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	if e.Index >= 0 {
		fmt.Fprintf(&b, "record %d", e.Index)
		if pos, ok := dataIndex(e.Details); ok && pos != e.Index {
			fmt.Fprintf(&b, " (data[%d] of its request)", pos)
		}
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 {
		keys := make([]string, 0, len(e.Details))
		for k := range e.Details {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			v, _ := json.Marshal(e.Details[k])
			b.WriteString(k + "=" + string(v))
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether the error stands for target, one of the package's
// sentinel errors.
func (e *APIError) Is(target error) bool {
	if s, ok := target.(*codeSentinel); ok {
		return slices.Contains(s.codes, e.Code)
	}
	switch target {
	case ErrInvalidToken:
		return e.Code == "INVALID_TOKEN" || e.Code == "AUTHENTICATION_FAILURE" || e.Code == "INVALID_OAUTHTOKEN"
	case ErrTooManyRequests:
		return e.StatusCode == 429 || e.Code == "TOO_MANY_REQUESTS"
	case ErrScopeMismatch:
		return e.Code == "OAUTH_SCOPE_MISMATCH"
	case ErrBadResponse:
		return e.badResponse && !e.transient
	case ErrResponseTooLarge:
		return e.tooLarge
	}
	return false
}

// dataIndex returns N of a json_path "$.data[N]…" in details: the place of
// the record an error is about in the request's data array.
func dataIndex(details map[string]any) (int, bool) {
	jp, _ := details["json_path"].(string)
	rest, ok := strings.CutPrefix(jp, "$.data[")
	end := strings.IndexByte(rest, ']')
	if !ok || end < 1 {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:end])
	return n, err == nil && n >= 0
}

// APIName returns details.api_name, the field a per-record error is about,
// or "".
func (e *APIError) APIName() string {
	s, _ := e.Details["api_name"].(string)
	return s
}

// errorEnvelope is Zoho's error object: {"code","details","message","status"}.
type errorEnvelope struct {
	Code    json.RawMessage `json:"code"`
	Details json.RawMessage `json:"details"`
	Message string          `json:"message"`
	Status  string          `json:"status"`
	// Error is the older non-standard 429 shape's code.
	Error string `json:"error"`
}

func (env *errorEnvelope) apiError(status int, method, path string, index int) *APIError {
	e := &APIError{StatusCode: status, Message: env.Message, Status: env.Status, Method: method, Path: path, Index: index}
	var code string
	if json.Unmarshal(env.Code, &code) == nil {
		e.Code = code
	} else if env.Error != "" {
		e.Code = env.Error // {"code":429,"error":"TOO_MANY_REQUESTS",…}
	}
	if len(env.Details) > 0 {
		var d map[string]any
		if json.Unmarshal(env.Details, &d) == nil && len(d) > 0 {
			e.Details = d
		}
	}
	return e
}

// decodeError turns the body of a non-2xx response into an *APIError,
// accepting both of Zoho's envelopes: the error at top level, and the error
// wrapped in data[] (seen for INVALID_MODULE), or in tags[] for the tag
// settings API (docs/wire.md §12.4).
func decodeError(status int, method, path string, body []byte) *APIError {
	var top errorEnvelope
	if err := json.Unmarshal(body, &top); err == nil && (len(top.Code) > 0 || top.Error != "") {
		return top.apiError(status, method, path, -1)
	}
	var wrapped struct {
		Data []errorEnvelope `json:"data"`
		Tags []errorEnvelope `json:"tags"`
	}
	if err := json.Unmarshal(body, &wrapped); err == nil && len(wrapped.Data) > 0 && len(wrapped.Data[0].Code) > 0 {
		e := wrapped.Data[0].apiError(status, method, path, -1)
		e.body = body
		return e
	}
	if len(wrapped.Tags) > 0 && len(wrapped.Tags[0].Code) > 0 {
		return wrapped.Tags[0].apiError(status, method, path, -1)
	}
	return badResponse(status, method, path, body, "")
}

// badResponse describes a body that is not a Zoho JSON answer, without
// copying the body into the error (it may be a login page).
func badResponse(status int, method, path string, body []byte, why string) *APIError {
	if why == "" {
		why = describeBody(body)
	}
	return &APIError{StatusCode: status, Message: why, Method: method, Path: path, Index: -1, badResponse: true}
}

func describeBody(body []byte) string {
	trimmed := strings.TrimSpace(string(body))
	switch {
	case trimmed == "":
		return "empty body where JSON was expected"
	case strings.HasPrefix(trimmed, "<"):
		return fmt.Sprintf("HTML or XML page (%d bytes) instead of JSON", len(body))
	case !json.Valid(body):
		return fmt.Sprintf("malformed or truncated JSON (%d bytes)", len(body))
	}
	return fmt.Sprintf("JSON that is not a Zoho error envelope (%d bytes)", len(body))
}
