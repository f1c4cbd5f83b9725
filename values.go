package zohohub

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or time zone, the value of
// a Zoho "date" field, written "2006-01-02" on the wire. The zero Date is
// "no date" and encodes as JSON null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date on which t falls, in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date written "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("zohohub: %q is not a date (want 2006-01-02)", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendTo(nil))
}

func (d Date) appendTo(b []byte) []byte {
	return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Valid reports whether d names a real calendar day.
func (d Date) Valid() bool { return DateOf(d.In(time.UTC)) == d }

// MarshalText encodes d as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("zohohub: invalid date %d-%d-%d", d.Year, d.Month, d.Day)
	}
	return d.appendTo(nil), nil
}

// UnmarshalText decodes "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON encodes d as "2006-01-02", and the zero Date as null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b, err := d.MarshalText()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{'"'}, b...), '"'), nil
}

// UnmarshalJSON decodes "2006-01-02"; null leaves d unchanged.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("zohohub: date: %w", err)
	}
	return d.UnmarshalText([]byte(s))
}

// Lookup is the value of a lookup field: a reference to a record of
// another module. Zoho answers with the id and the record's display name;
// a save sends only the id.
type Lookup struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// User is the value of an owner or user lookup field (Owner, Created_By,
// Modified_By, …). Zoho answers with id, name and email; a save sends only
// the id.
type User struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// File is one entry of a file upload or image upload field. To attach a
// file, upload it (POST /files), then append File{FileID: id} to the field
// and save. Entries Zoho returned carry ID; a save re-sends an existing
// entry by its ID only.
type File struct {
	ID          string `json:"id,omitempty"`
	FileID      string `json:"File_Id__s,omitempty"`
	Name        string `json:"File_Name__s,omitempty"`
	Size        string `json:"Size__s,omitempty"`
	PreviewID   string `json:"Preview_Id__s,omitempty"`
	Description string `json:"Description__s,omitempty"`
	State       string `json:"State__s,omitempty"`
}

// Record is a Zoho object kept as decoded JSON: the entries of a
// multi-select lookup or multi-user lookup field, or any object the model
// does not describe with a struct.
type Record map[string]any
