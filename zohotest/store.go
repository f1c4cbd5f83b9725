package zohotest

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/zohohub/zohohub/schema"
)

// moduleStore holds a module's records in id order.
type moduleStore struct {
	byID    map[string]map[string]any
	ids     []string // ascending (ids are increasing numeric strings of one length)
	deleted []deletedRecord
	// unique indexes the text values of the module's unique fields (API
	// name → folded value → id), so that the duplicate check of a write
	// does not scan every record.
	unique map[string]map[string]string
}

type deletedRecord struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Type        string `json:"type"`
	DeletedTime string `json:"deleted_time"`
	DeletedBy   any    `json:"deleted_by"`
	CreatedBy   any    `json:"created_by"`
}

func newModuleStore(unique []string) *moduleStore {
	ms := &moduleStore{byID: map[string]map[string]any{}, unique: map[string]map[string]string{}}
	for _, api := range unique {
		ms.unique[api] = map[string]string{}
	}
	return ms
}

// uniqueFields returns the API names of a module's unique fields.
func uniqueFields(fields map[string]schema.Field) []string {
	var out []string
	for api, f := range fields {
		if f.IsUnique() {
			out = append(out, api)
		}
	}
	return out
}

func (ms *moduleStore) put(rec map[string]any) {
	id := rec["id"].(string)
	if old, ok := ms.byID[id]; ok {
		ms.unindex(id, old)
	} else {
		i := sort.SearchStrings(ms.ids, id)
		ms.ids = append(ms.ids, "")
		copy(ms.ids[i+1:], ms.ids[i:])
		ms.ids[i] = id
	}
	ms.byID[id] = rec
	for api, idx := range ms.unique {
		if v, ok := rec[api].(string); ok {
			if _, taken := idx[foldKey(v)]; !taken {
				idx[foldKey(v)] = id
			}
		}
	}
}

func (ms *moduleStore) unindex(id string, rec map[string]any) {
	for api, idx := range ms.unique {
		if v, ok := rec[api].(string); ok && idx[foldKey(v)] == id {
			delete(idx, foldKey(v))
		}
	}
}

// findEqual returns the record whose field holds v (text compared
// case-insensitively, as Zoho matches unique fields), or nil: the first in
// id order when several do.
func (ms *moduleStore) findEqual(field string, v any) map[string]any {
	if idx, ok := ms.unique[field]; ok {
		if s, ok := v.(string); ok {
			return ms.byID[idx[foldKey(s)]]
		}
	}
	for _, id := range ms.ids {
		if r := ms.byID[id]; equalValues(r[field], v) {
			return r
		}
	}
	return nil
}

// foldKey maps s to a key equal for exactly the strings strings.EqualFold
// holds equal: each rune becomes the least rune of its case-folding orbit.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

func (ms *moduleStore) remove(id string) bool {
	rec, ok := ms.byID[id]
	if !ok {
		return false
	}
	ms.unindex(id, rec)
	delete(ms.byID, id)
	i := sort.SearchStrings(ms.ids, id)
	ms.ids = append(ms.ids[:i], ms.ids[i+1:]...)
	return true
}

// all returns the records in id order (shared: callers must copy).
func (ms *moduleStore) all() []map[string]any {
	out := make([]map[string]any, len(ms.ids))
	for i, id := range ms.ids {
		out[i] = ms.byID[id]
	}
	return out
}

func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// zohoTime formats a time as Zoho does: seconds and an explicit offset.
func zohoTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// copyRecord copies a record (deepCopy is in filter.go) so stored
// records never share memory with callers.
func copyRecord(r map[string]any) map[string]any { return deepCopy(r).(map[string]any) }

// Records returns copies of the stored records of a module, in id order.
func (s *Server) Records(module string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms, ok := s.store[module]
	if !ok {
		return nil
	}
	out := make([]map[string]any, 0, len(ms.ids))
	for _, r := range ms.all() {
		out = append(out, s.present(module, r))
	}
	return out
}

// Seed inserts records as they are (validated like an API insert) and
// returns their ids. Values are JSON-shaped: strings, numbers, bools,
// maps, slices. Members named with a leading $, such as $approved, are
// Zoho's own: no API write sets them, but Seed keeps them and reads
// return them, as Zoho returns them.
func (s *Server) Seed(module string, recs ...map[string]any) ([]string, error) {
	data, err := json.Marshal(map[string]any{"data": recs})
	if err != nil {
		return nil, err
	}
	var body struct {
		Data []map[string]any `json:"data"`
	}
	if err := decodeJSON(data, &body); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.store[module]; !ok {
		return nil, errInvalidModule(nil)
	}
	ids := make([]string, 0, len(recs))
	for i, in := range body.Data {
		rec, zerr := s.validateLocked(module, in, i, true, nil)
		if zerr != nil {
			return ids, zerr
		}
		for k, v := range in {
			if strings.HasPrefix(k, "$") {
				rec[k] = v
			}
		}
		s.insertLocked(module, rec)
		ids = append(ids, rec["id"].(string))
	}
	return ids, nil
}
