package zohotest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestWriteDoneJSON holds writeDone's encoding to encoding/json's of the
// map it stands for, for each kind of write.
func TestWriteDoneJSON(t *testing.T) {
	by := map[string]any{"id": "111", "name": "Jane <Admin>"}
	for _, d := range []*writeDone{
		{id: "5725767000000524157", created: "2026-01-02T03:04:05+01:00", modified: "2026-01-02T03:04:05+01:00", by: by, message: "record added"},
		{id: "5725767000000524157", created: "2026-01-02T03:04:05+01:00", modified: "2026-01-03T03:04:05+01:00", by: by, message: "record updated"},
		{id: "1", created: nil, modified: json.Number("12"), by: by, message: "record added", upsert: true, action: "insert"},
		{id: "2", created: "x", modified: "y", by: nil, message: "record updated", upsert: true, action: "update", duplicateField: "Email"},
	} {
		got, err := appendJSON(nil, d)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(d.asMap())
		if string(got) != string(want) {
			t.Errorf("writeDone %+v:\n got %s\nwant %s", d, got, want)
		}
	}
}

// asMap is the item as a map, as encoding/json would read its JSON.
func (d *writeDone) asMap() map[string]any {
	m := map[string]any{"code": "SUCCESS", "message": d.message, "status": "success", "details": map[string]any{
		"id": d.id, "Created_Time": d.created, "Modified_Time": d.modified, "Created_By": d.by, "Modified_By": d.by, "$approval_state": "approved"}}
	if d.upsert {
		m["action"], m["duplicate_field"] = d.action, nil
		if d.duplicateField != "" {
			m["duplicate_field"] = d.duplicateField
		}
	}
	return m
}

// TestDeleteDoneJSON holds deleteDone to the map it replaced.
func TestDeleteDoneJSON(t *testing.T) {
	for _, id := range []string{"5725767000000524157", `a"<b>&`} {
		got, err := appendJSON(nil, deleteDone(id))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "record deleted", "status": "success"})
		if string(got) != string(want) {
			t.Errorf("deleteDone %q:\n got %s\nwant %s", id, got, want)
		}
	}
}

// TestAppendValueKey holds appendValueKey to valueKey.
func TestAppendValueKey(t *testing.T) {
	for _, v := range []any{"", "jane@Example.com", "Straße ǅ K", "ſ", json.Number("12.50"), true, map[string]any{"id": "1"}, []any{"a", "B"}} {
		if got, want := string(appendValueKey([]byte("junk")[:0], v)), valueKey(v); got != want {
			t.Errorf("appendValueKey(%v) = %q, valueKey %q", v, got, want)
		}
	}
}

// TestIsFullName holds isFullName to the string setFullName builds.
func TestIsFullName(t *testing.T) {
	for _, c := range [][2]string{{"Jane", "Doe"}, {"", "Doe"}, {"Jane", ""}, {"", ""}, {" Jane ", " Doe\t"}, {strings.Repeat("x", 200), "y"}} {
		want := strings.TrimSpace(c[0] + " " + c[1])
		if !isFullName(want, c[0], c[1]) || isFullName(want+"x", c[0], c[1]) {
			t.Errorf("isFullName(%q, %q, %q) wrong", want, c[0], c[1])
		}
	}
}
