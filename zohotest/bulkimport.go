package zohotest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/zohohub/zohohub/schema"
)

// This file turns the rows of a bulk write CSV into records and writes
// them with the records API's own code (call.writeOne).
//
// Cells are read as Zoho documents: dates MM/dd/yyyy and datetimes
// MM/dd/yyyy HH:mm:ss unless a mapping gives a format (Java-style, such as
// "dd-MM-yyyy"); ISO 8601 values are accepted too. A datetime without an
// offset is in the time zone of the server's clock (the emulator's stand-in
// for the user's time zone). Multi-select values are ";"-separated. A lookup
// cell is the target's id, or the value of the mapping's find_by field of
// the target module; a user lookup's find_by may be "email".

// importRows writes the rows of one resource and records their outcome.
func (c *call) importRows(res *writeResource, op string, rows [][]string, ignoreEmpty bool) {
	// The result echoes the first three mapped columns of the file.
	var echo []int
	header := []string{}
	for _, m := range res.req.FieldMappings {
		if m.Index != nil && len(echo) < 3 {
			echo = append(echo, *m.Index)
			header = append(header, rows[0][*m.Index])
		}
	}
	res.result = [][]string{append(header, "STATUS", "RECORD_ID", "ERRORS")}
	for i, row := range rows[1:] {
		res.total++
		out := make([]string, 0, len(echo)+3)
		for _, j := range echo {
			out = append(out, cellAt(row, j))
		}
		status, id, errText := c.importRow(res, op, row, i, ignoreEmpty)
		switch status {
		case "ADDED":
			res.added++
		case "UPDATED":
			res.updated++
		default:
			res.skipped++
		}
		res.result = append(res.result, append(out, status, id, errText))
	}
}

func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// importRow writes one row and answers STATUS, RECORD_ID and ERRORS. It
// reads the cells (and finds the records lookups name) first, then holds
// the module's write lock for this row alone.
func (c *call) importRow(res *writeResource, op string, row []string, i int, ignoreEmpty bool) (status, id, errText string) {
	s := c.s
	module, findBy, fields := res.module, res.req.FindBy, s.meta.fields[res.module]
	in := map[string]any{}
	for _, m := range res.req.FieldMappings {
		cell := ""
		if m.Index != nil {
			cell = strings.TrimSpace(cellAt(row, *m.Index))
		}
		if cell == "" && m.DefaultValue != nil {
			cell, _ = scalarText(m.DefaultValue.Value)
		}
		switch {
		case cell == "" && (ignoreEmpty || op == "insert"):
			continue
		case cell == "":
			in[m.APIName] = nil // clears the field, as Zoho does without ignore_empty
		case m.APIName == "id":
			in["id"] = cell
		default:
			v, ok := s.csvValue(fields[m.APIName], m, cell)
			if !ok {
				return "SKIPPED", "", "INVALID_DATA-" + m.APIName
			}
			in[m.APIName] = v
		}
	}
	var item *writeDone
	var zerr *zerr
	ms := s.records.module(module)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	switch op {
	case "insert":
		item, zerr = c.writeOne(module, "insert", "", i, in, nil)
	case "update":
		key := in[findBy]
		if key == nil {
			return "SKIPPED", "", "MANDATORY_NOT_FOUND-" + findBy
		}
		found := ms.findLocked(findBy, key)
		if found == nil {
			return "SKIPPED", "", "RESOURCE_NOT_FOUND-" + findBy
		}
		in["id"] = found["id"]
		item, zerr = c.writeOne(module, "update", "", i, in, nil)
	default:
		item, zerr = c.writeOne(module, "upsert", "", i, in, []string{findBy})
	}
	if zerr != nil {
		return "SKIPPED", "", errorText(zerr)
	}
	id = item.recordID()
	if op == "update" || item.action == "update" {
		return "UPDATED", id, ""
	}
	return "ADDED", id, ""
}

// find returns the record of module whose field equals v (as the records
// API matches unique fields: text case-insensitively), or nil. It takes
// the module's read lock: the caller must hold no module's lock.
func (s *Server) find(module, field string, v any) map[string]any {
	ms := s.records.module(module)
	if ms == nil {
		return nil
	}
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	return ms.findLocked(field, v)
}

// errorText is Zoho's ERRORS cell: CODE-Field.
func errorText(e *zerr) string {
	if api, ok := e.Details["api_name"].(string); ok && api != "" {
		return e.Code + "-" + api
	}
	return e.Code
}

// csvValue converts a cell to the JSON value the records API takes for
// field f. ok is false for a lookup whose target cannot be found; other
// bad values are passed on for the records API's validation to reject.
func (s *Server) csvValue(f schema.Field, m fieldMapping, cell string) (any, bool) {
	switch f.DataType {
	case "integer", "double", "currency", "percent", "decimal":
		return json.Number(cell), true
	case "boolean":
		if b, ok := boolOf(cell); ok {
			return b, true
		}
		return cell, true
	case "date", "datetime":
		return s.csvTime(f.DataType, m.Format, cell), true
	case "multiselectpicklist":
		var vals []any
		for _, p := range strings.Split(cell, ";") {
			if p = strings.TrimSpace(p); p != "" {
				vals = append(vals, p)
			}
		}
		return vals, true
	case "lookup":
		if m.FindBy == "" || m.FindBy == "id" {
			return map[string]any{"id": cell}, true
		}
		if r := s.find(f.Lookup.Module.APIName, m.FindBy, cell); r != nil {
			return map[string]any{"id": r["id"]}, true
		}
		return nil, false
	case "ownerlookup", "userlookup":
		if strings.EqualFold(m.FindBy, "email") {
			for _, u := range s.meta.users {
				if e, _ := u["email"].(string); strings.EqualFold(e, cell) {
					return map[string]any{"id": u["id"]}, true
				}
			}
			return nil, false
		}
		return map[string]any{"id": cell}, true
	}
	return cell, true
}

// csvTime converts a date or datetime cell to Zoho's JSON format; a cell it
// cannot read is returned as it is.
func (s *Server) csvTime(dataType, format, cell string) string {
	if format == "" {
		format = "MM/dd/yyyy"
		if dataType == "datetime" {
			format = "MM/dd/yyyy HH:mm:ss"
		}
	}
	layout, _ := goLayout(format) // checked when the job was created
	t, err := time.ParseInLocation(layout, cell, s.cfg.now().Location())
	if err != nil {
		return cell // ISO 8601 passes validation as it is; anything else fails it
	}
	if dataType == "date" {
		return t.Format("2006-01-02")
	}
	return zohoTime(t)
}

// javaTokens maps the date pattern letters Zoho's formats use (Java's
// SimpleDateFormat) to Go layout elements, longest first.
var javaTokens = []struct{ java, goLayout string }{
	{"yyyy", "2006"}, {"yy", "06"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"},
	{"dd", "02"}, {"d", "2"}, {"HH", "15"}, {"hh", "03"}, {"h", "3"}, {"mm", "04"}, {"ss", "05"},
	{"a", "PM"}, {"XXX", "Z07:00"}, {"Z", "-0700"}, {"'T'", "T"},
}

// goLayout converts a Java-style date pattern to a Go layout.
func goLayout(java string) (string, bool) {
	var b strings.Builder
	for rest := java; rest != ""; {
		matched := false
		for _, t := range javaTokens {
			if strings.HasPrefix(rest, t.java) {
				b.WriteString(t.goLayout)
				rest = rest[len(t.java):]
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if !strings.ContainsRune("-/ :.,", rune(rest[0])) {
			return "", false
		}
		b.WriteByte(rest[0])
		rest = rest[1:]
	}
	return b.String(), b.Len() > 0
}

// validLookupFindBy reports whether a mapping's find_by names a field of
// the module a lookup field points to.
func (s *Server) validLookupFindBy(f schema.Field, findBy string) bool {
	switch f.DataType {
	case "lookup":
		_, ok := s.meta.fields[f.Lookup.Module.APIName][findBy]
		return ok || findBy == "id"
	case "ownerlookup", "userlookup":
		return strings.EqualFold(findBy, "email") || findBy == "id"
	}
	return false
}
