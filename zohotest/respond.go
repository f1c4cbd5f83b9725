package zohotest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// zerr is a Zoho error: {"code","details","message","status":"error"}.
type zerr struct {
	status  int
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
	Message string         `json:"message"`
	Status  string         `json:"status"`
}

func (e *zerr) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, msg string, details map[string]any) *zerr {
	if details == nil {
		details = map[string]any{}
	}
	return &zerr{status: status, Code: code, Message: msg, Details: details, Status: "error"}
}

// errURLPattern is Zoho's answer to a path no route serves.
func errURLPattern() *zerr {
	return newErr(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", nil)
}

// errInvalidModule is Zoho's answer naming a module the org has not;
// details say where the request names it.
func errInvalidModule(details map[string]any) *zerr {
	return newErr(400, "INVALID_MODULE", "the module name given seems to be invalid", details)
}

func (e *zerr) envelope() *zerr { e.Status = "error"; return e }

// writeJSON answers v as JSON, as json.Encoder writes it (appendJSON).
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONIn(w, status, v, make([]byte, 0, answerSize(v)))
}

// answer is writeJSON encoding into a buffer of the server's pool: pages
// and write outcomes, tens to hundreds of kilobytes each, would otherwise
// each be garbage once written (Write does not keep its argument).
func (c *call) answer(status int, v any) {
	buf, _ := c.s.answers.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	if n := answerSize(v); cap(*buf) < n {
		*buf = make([]byte, 0, n)
	}
	body := writeJSONIn(c.w, status, v, (*buf)[:0])
	if cap(body) <= maxPooledAnswer {
		*buf = body
		c.s.answers.Put(buf)
	}
}

// maxPooledAnswer bounds the buffers the pool keeps: a rare huge answer
// is not held for ever.
const maxPooledAnswer = 1 << 20

// writeJSONIn is writeJSON encoding into buf; it returns the buffer.
func writeJSONIn(w http.ResponseWriter, status int, v any, buf []byte) []byte {
	body, err := appendJSON(buf, v)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if err == nil {
		body = append(body, '\n')
		// Sized, the answer goes out in one piece rather than in chunks,
		// and a client reads it into a buffer of its size.
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	if err == nil {
		w.Write(body)
	}
	return body
}

// answerSize guesses how many bytes v encodes to, so that the answer is
// built without growing its buffer: a record of a page or a write's
// outcome takes a few hundred.
func answerSize(v any) int {
	if m, ok := v.(map[string]any); ok {
		if data, ok := m["data"].([]any); ok {
			return 1024 + 512*len(data)
		}
	}
	return 1024
}

func writeErr(w http.ResponseWriter, e *zerr) { writeJSON(w, e.status, e.envelope()) }

// decodeJSON decodes with numbers kept exact (json.Number), as Zoho keeps
// bigint and currency values.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
