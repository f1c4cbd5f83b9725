package zohohub

import (
	"fmt"
)

// validID reports whether id can be a Zoho record id: 1 to maxIDDigits
// (19) ASCII digits.
func validID(id string) bool {
	if id == "" || len(id) > maxIDDigits {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// checkID refuses, before any request, an id that cannot be a Zoho record
// id, so that nothing odd (a path, a 10 MB number) ends up in a request.
func checkID(op, module, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("zohohub: %s %s: empty record id", op, module)
	case !validID(id):
		return fmt.Errorf("zohohub: %s %s: %s is not a record id (Zoho ids are 1 to %d digits)", op, module, quoteShort(id), maxIDDigits)
	}
	return nil
}

// quoteShort quotes s for an error message, cut to a readable length: the
// value may be anything a caller or a server handed us.
func quoteShort(s string) string {
	const limit = 40
	if len(s) <= limit {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:limit], len(s))
}

// wrongAnswer marks what is wrong with a value Zoho answered with (a
// missing or malformed id, a body of the wrong shape or type), for the
// caller to wrap with the request; it matches ErrBadResponse.
type wrongAnswer struct{ err error }

func (w wrongAnswer) Error() string        { return w.err.Error() }
func (w wrongAnswer) Unwrap() error        { return w.err }
func (w wrongAnswer) Is(target error) bool { return target == ErrBadResponse }

// wrong is a wrongAnswer saying why.
func wrong(format string, args ...any) error {
	return wrongAnswer{fmt.Errorf(format, args...)}
}

// answeredID returns the "id" member of a JSON object Zoho answered with
// (a record, or the details of a write result) after checking it: a JSON
// string holding a record id, given once. When want is not "", the answer
// is about a record the request named, and must carry that id. The error
// says what was wrong, for the caller to wrap with the request it answers.
func answeredID(obj []byte, want string) (string, error) {
	var ids memberCount
	err := eachMember(obj, func(key, val []byte) error {
		name, plain := plainKey(key)
		if !plain { // an escaped key, such as "\u0069d", is still "id"
			k, err := unquote(key)
			if err != nil {
				return err
			}
			name = []byte(k)
		}
		if string(name) != "id" {
			return nil
		}
		if ids.ids > 0 {
			return wrong("id given twice")
		}
		ids.ids, ids.idRaw = 1, val
		return nil
	})
	if err != nil {
		return "", wrongAnswer{err}
	}
	return ids.checkID(want)
}

// checkID is answeredID's check of the id members of an object.
func (ids *memberCount) checkID(want string) (string, error) {
	raw := ids.idRaw
	switch {
	case ids.ids > 1:
		return "", wrong("id given twice")
	case ids.ids == 0 || isNull(raw):
		return "", wrong("no record id")
	case raw[0] != '"':
		return "", wrong("id %s is not a string of digits", quoteShort(string(raw)))
	}
	id, err := unquote(raw)
	switch {
	case err != nil:
		return "", wrongAnswer{err}
	case !validID(id):
		return "", wrong("id %s is not a record id", quoteShort(id))
	case want != "" && id != want:
		return "", wrong("answer is about record %s, but record %s was sent", id, want)
	}
	return id, nil
}

// checkWritten checks the details of the one successful result of a
// single-record write (Save, Upsert, Delete) with the batches' writtenID:
// want is the id the write named ("" for an insert). A success without a
// valid id, or with another record's, is an error matching
// ErrOutcomeUnknown and ErrBadResponse: Zoho may have written, but not
// said as what, and reporting success would make a second Save insert
// again.
func (r *writeResult) checkWritten(status int, method, path, want string) error {
	if _, err := r.writtenID(want); err != nil {
		bad := badResponse(status, method, path, nil, err.Error())
		return &OutcomeUnknownError{Index: 0, Position: 0, Method: method, Path: path, Err: bad}
	}
	return nil
}
