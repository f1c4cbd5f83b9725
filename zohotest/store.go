package zohotest

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// moduleStore holds a module's records in id order.
type moduleStore struct {
	byID    map[string]map[string]any
	ids     []string // ascending (ids are increasing numeric strings of one length)
	deleted []deletedRecord
}

type deletedRecord struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Type        string `json:"type"`
	DeletedTime string `json:"deleted_time"`
	DeletedBy   any    `json:"deleted_by"`
	CreatedBy   any    `json:"created_by"`
}

func newModuleStore() *moduleStore { return &moduleStore{byID: map[string]map[string]any{}} }

func (ms *moduleStore) put(rec map[string]any) {
	id := rec["id"].(string)
	if _, ok := ms.byID[id]; !ok {
		i := sort.SearchStrings(ms.ids, id)
		ms.ids = append(ms.ids, "")
		copy(ms.ids[i+1:], ms.ids[i:])
		ms.ids[i] = id
	}
	ms.byID[id] = rec
}

func (ms *moduleStore) remove(id string) bool {
	if _, ok := ms.byID[id]; !ok {
		return false
	}
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
