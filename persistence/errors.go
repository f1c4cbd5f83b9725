package persistence

import (
	"errors"
	"fmt"
)

// ErrIDInUse is returned by Save when the token carries an ID that another
// key's row already uses.
var ErrIDInUse = errors.New("persistence: token id already used by another key")

// FormatError reports a token file that cannot be parsed. It names the file,
// the line and, when known, the column; it never contains a field's value,
// since values are secrets.
type FormatError struct {
	Path   string // file that was read
	Line   int    // 1-based line number, 0 when the error is about the whole file
	Column string // CSV column name, empty when not about one column
	Reason string // what is wrong, without any value from the file
	Err    error  // underlying error, if any
}

// Error names the file and line.
func (e *FormatError) Error() string {
	msg := "persistence: malformed token file " + e.Path
	if e.Line > 0 {
		msg += fmt.Sprintf(": line %d", e.Line)
	}
	if e.Column != "" {
		msg += ": column " + e.Column
	}
	msg += ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the parsing error.
func (e *FormatError) Unwrap() error { return e.Err }

// notFound wraps ErrNotFound with the key, which holds no secret.
func notFound(key Key) error {
	return fmt.Errorf("%w: %s", ErrNotFound, key)
}

var errNilToken = errors.New("persistence: Save called with a nil token")
