package persistence

import (
	"errors"
	"strconv"
)

// nextID returns the row id the official SDKs would give a new row: the
// largest numeric id plus one, as a decimal string. Non-numeric ids are
// ignored.
func nextID(ids func(yield func(string) bool)) string {
	var maxID uint64
	for id := range ids {
		if n, err := strconv.ParseUint(id, 10, 64); err == nil && n > maxID {
			maxID = n
		}
	}
	return strconv.FormatUint(maxID+1, 10)
}

var errNilToken = errors.New("persistence: Save called with a nil token")
