package zohohub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
)

// ErrOutcomeUnknown reports a write that was sent but whose outcome the
// client cannot know: its request got a 5xx, lost its connection or its
// context ended while it was in flight, or Zoho's answer could not be read.
// Zoho may have applied it, so sending it again may write it twice; see
// ActionUnknown and ResolveUnknown.
var ErrOutcomeUnknown = errors.New("zohohub: outcome unknown")

// OutcomeUnknownError is the error of a record of a batch whose outcome is
// unknown (ActionUnknown). It matches ErrOutcomeUnknown, and errors.As
// reaches the cause, such as the *APIError of a 500.
type OutcomeUnknownError struct {
	// Index is the record's position in the slice given to the batch.
	Index int
	// Position is the record's place in its request: data[Position] of a
	// write, ids[Position] of a delete, the row of a bulk write file (0:
	// the first after the header).
	Position int
	// Method and Path name the request, such as POST Leads, POST
	// Leads/upsert, PUT Leads, DELETE Leads or, for Import, POST
	// /crm/bulk/v8/write.
	Method, Path string
	// Err is why the outcome is unknown.
	Err error

	unresolved string // why ResolveUnknown could not settle it
}

// Error says which record, where in its request, and why.
func (e *OutcomeUnknownError) Error() string {
	s := "zohohub: " + e.record() + ": outcome unknown, Zoho may have applied it: " + e.cause()
	if e.unresolved != "" {
		s += "; not resolved: " + e.unresolved
	}
	return s
}

// record names the request and the record's places: "POST Leads: record
// 437 (data[37] of its request)".
func (e *OutcomeUnknownError) record() string {
	where := "data"
	switch {
	case e.Method == http.MethodDelete:
		where = "ids"
	case strings.HasPrefix(e.Path, "/crm/bulk/"):
		return fmt.Sprintf("%s %s: record %d (row %d of its file)", e.Method, e.Path, e.Index, e.Position)
	}
	return fmt.Sprintf("%s %s: record %d (%s[%d] of its request)", e.Method, e.Path, e.Index, where, e.Position)
}

// cause is the text of Err without what record already says.
func (e *OutcomeUnknownError) cause() string {
	if e.Err == nil {
		return "no answer"
	}
	return strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "zohohub: "), e.Method+" "+e.Path+": ")
}

// Unwrap returns ErrOutcomeUnknown and the cause.
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Err} }

// sendTrace counts, through net/http's client trace, the attempts of one
// request that reached the transport and those that wrote the request.
type sendTrace struct {
	began, wrote atomic.Int32
}

func (t *sendTrace) context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(string) { t.began.Add(1) },
		WroteHeaders: func() { t.wrote.Add(1) },
	})
}

// resent reports whether the request was written more than once: Do
// retried it (after a 5xx or a lost connection, for a request safe to
// repeat), so an earlier attempt may have been applied.
func (t *sendTrace) resent() bool { return t.wrote.Load() > 1 }

// mayHaveApplied reports whether Zoho may have applied a request that
// ended in err. An answer says so by its status: a 5xx, or a 2xx whose
// body could not be read, may have been applied; 3xx and 4xx were not.
// Without an answer, the request may have been applied once it was
// written. When the transport does not report that (a custom
// http.RoundTripper may ignore the client trace), any failure of the HTTP
// client counts as written.
func (c *Client) mayHaveApplied(err error, tr *sendTrace) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode != 0 {
		s := apiErr.StatusCode
		return s >= 500 || s >= 200 && s < 300
	}
	if tr.wrote.Load() > 0 {
		return true
	}
	if tr.began.Load() > 0 || c.tracesRequests() {
		return false
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// tracesRequests reports whether the client's transport is net/http's,
// which reports every attempt to the client trace.
func (c *Client) tracesRequests() bool {
	switch c.http.Transport.(type) {
	case nil, *http.Transport:
		return true
	}
	return false
}

// textError is an error with its own text that wraps cause, for errors.Is
// and errors.As, without repeating the cause's text.
type textError struct {
	text  string
	cause error
}

func (e *textError) Error() string { return e.text }
func (e *textError) Unwrap() error { return e.cause }
