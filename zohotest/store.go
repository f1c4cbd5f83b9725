package zohotest

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// recordStore holds the records of every module. Each module has its own
// lock, so that calls on different modules never wait for each other, and
// reads of one module run in parallel (moduleStore).
type recordStore struct {
	modules map[string]*moduleStore // one per module of the metadata; the map is never changed
	nextID  atomic.Int64            // ids of records, bulk jobs and uploaded files
}

func newRecordStore(meta *metadata) *recordStore {
	rs := &recordStore{modules: make(map[string]*moduleStore, len(meta.order))}
	rs.nextID.Store(5725767000001000000)
	for _, m := range meta.order {
		ms := newModuleStore()
		for _, api := range slices.Sorted(maps.Keys(meta.fields[m])) {
			f := meta.fields[m][api]
			if f.IsUnique() {
				ms.unique[api] = map[string]string{}
			}
			if f.ReadOnly {
				continue
			}
			if f.SystemMandatory {
				ms.mandatory = append(ms.mandatory, api)
			}
			if f.DataType == "boolean" {
				ms.booleans = append(ms.booleans, api)
			}
		}
		rs.modules[m] = ms
	}
	return rs
}

// module returns the store of a module of the metadata, or nil.
func (rs *recordStore) module(name string) *moduleStore { return rs.modules[name] }

// newID returns a fresh id: 19 digits, increasing, so that text order is
// creation order.
func (rs *recordStore) newID() string { return strconv.FormatInt(rs.nextID.Add(1), 10) }

// get returns the record id of module, without taking the module's lock
// (see moduleStore.byID), so that a call on one module can follow lookups
// into any other while holding its own module's lock.
func (rs *recordStore) get(module, id string) (map[string]any, bool) {
	if ms := rs.modules[module]; ms != nil {
		return ms.get(id)
	}
	return nil, false
}

// moduleStore holds a module's records and the write rules of its fields
// a write checks on every record. A stored record is never modified:
// an update stores a new map (validateLocked copies the old one), so a
// record taken from the store may be read after the lock is released.
type moduleStore struct {
	// mu is held shared to read recs, unique and deleted, and exclusively
	// to change them. A "…Locked" function of the package expects the write
	// lock of the module it writes.
	mu      sync.RWMutex
	recs    []map[string]any             // in id order (ids are increasing numeric strings of one length)
	unique  map[string]map[string]string // unique field → uniqueKey of a value → id of the record holding it
	deleted recycleBin
	// converted counts the module's converted leads (convert.go), so that
	// a listing of a module without any takes its fast path.
	converted atomic.Int64

	// byID mirrors recs for lookups by id. Writers change it under mu and
	// byIDMu; it is read under byIDMu alone, by this module's calls and by
	// other modules' (lookup names, lookups that must exist, COQL dot
	// paths), which must never take a second module's mu while holding
	// their own. byIDMu is held for one map operation and nothing else is
	// taken under it, so it cannot deadlock; a plain map under it costs a
	// write far less than a sync.Map's nodes.
	byIDMu sync.RWMutex
	byID   map[string]map[string]any

	tokensMu sync.Mutex
	tokens   map[string]pageToken // next_page_token → where its page starts

	mandatory []string // writable system-mandatory fields, sorted: an insert must give them
	booleans  []string // writable checkboxes, sorted: false unless set (defaultBooleans)
}

type deletedRecord struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Type        string `json:"type"`
	DeletedTime string `json:"deleted_time"`
	DeletedBy   any    `json:"deleted_by"`
	CreatedBy   any    `json:"created_by"`
}

// recycleBin is a module's deleted records, in the order of their
// deletion, in blocks of recycleBlock: a bin that grows by thousands of
// entries a test never copies the ones it holds to grow (each copy a
// garbage array of all of them), as one slice would.
type recycleBin struct {
	blocks [][]deletedRecord
	n      int
}

const recycleBlock = 1024

func (b *recycleBin) add(e deletedRecord) {
	if len(b.blocks) == 0 || len(b.blocks[len(b.blocks)-1]) == recycleBlock {
		b.blocks = append(b.blocks, make([]deletedRecord, 0, recycleBlock))
	}
	last := &b.blocks[len(b.blocks)-1]
	*last = append(*last, e)
	b.n++
}

// all returns a copy of the entries, in the order of their deletion.
func (b *recycleBin) all() []deletedRecord {
	out := make([]deletedRecord, 0, b.n)
	for _, blk := range b.blocks {
		out = append(out, blk...)
	}
	return out
}

func newModuleStore() *moduleStore {
	return &moduleStore{unique: map[string]map[string]string{}, tokens: map[string]pageToken{}, byID: map[string]map[string]any{}}
}

func (ms *moduleStore) get(id string) (map[string]any, bool) {
	ms.byIDMu.RLock()
	r, ok := ms.byID[id]
	ms.byIDMu.RUnlock()
	return r, ok
}

func recordID(r map[string]any) string { id, _ := r["id"].(string); return id }

// position is where id is or would be in recs.
func (ms *moduleStore) position(id string) (int, bool) {
	return slices.BinarySearchFunc(ms.recs, id, func(r map[string]any, id string) int { return strings.Compare(recordID(r), id) })
}

// putLocked stores rec, a new record or the new version of one.
func (ms *moduleStore) putLocked(rec map[string]any) {
	id := recordID(rec)
	i, found := len(ms.recs), false
	if i > 0 && recordID(ms.recs[i-1]) >= id { // not a new record's new id
		i, found = ms.position(id)
	}
	if found {
		ms.reindexLocked(ms.recs[i], rec)
		ms.recs[i] = rec
	} else {
		ms.recs = slices.Insert(ms.recs, i, rec)
		ms.indexLocked(rec)
	}
	ms.byIDMu.Lock()
	ms.byID[id] = rec
	ms.byIDMu.Unlock()
}

// removeLocked deletes the record id and returns it.
func (ms *moduleStore) removeLocked(id string) (map[string]any, bool) {
	i, found := ms.position(id)
	if !found {
		return nil, false
	}
	rec := ms.recs[i]
	ms.recs = slices.Delete(ms.recs, i, i+1)
	ms.unindexLocked(rec)
	ms.byIDMu.Lock()
	delete(ms.byID, id)
	ms.byIDMu.Unlock()
	return rec, true
}

// snapshot returns the records in id order: a copy of the list, taken under
// the read lock, that the caller may filter and sort without it.
func (ms *moduleStore) snapshot() []map[string]any {
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	return slices.Clone(ms.recs)
}

// window returns at most n records from offset in id order (descending if
// desc), and how many records the module holds: a page of a listing,
// without copying the rest.
func (ms *moduleStore) window(offset, n int, desc bool) ([]map[string]any, int) {
	ms.mu.RLock()
	defer ms.mu.RUnlock()
	total := len(ms.recs)
	if offset >= total {
		return nil, total
	}
	end := min(offset+n, total)
	if !desc {
		return slices.Clone(ms.recs[offset:end]), total
	}
	out := slices.Clone(ms.recs[total-end : total-offset])
	slices.Reverse(out)
	return out, total
}

// findLocked returns the first record, in id order, whose field equals v
// (as equalValues compares), or nil. The caller holds mu.
func (ms *moduleStore) findLocked(field string, v any) map[string]any {
	if id, ok := v.(string); ok && field == "id" {
		r, _ := ms.get(id)
		return r
	}
	if r, indexed := ms.holderLocked(field, v); indexed {
		return r
	}
	for _, r := range ms.recs {
		if equalValues(r[field], v) {
			return r
		}
	}
	return nil
}

// pageToken returns what a next_page_token of this module stands for.
func (ms *moduleStore) pageToken(tok string) (pageToken, bool) {
	ms.tokensMu.Lock()
	defer ms.tokensMu.Unlock()
	pt, ok := ms.tokens[tok]
	return pt, ok
}

func (ms *moduleStore) addPageToken(tok string, pt pageToken) {
	ms.tokensMu.Lock()
	defer ms.tokensMu.Unlock()
	ms.tokens[tok] = pt
}

func (ms *moduleStore) indexLocked(rec map[string]any) {
	for api, idx := range ms.unique {
		if k, ok := uniqueKey(rec[api]); ok {
			idx[k] = recordID(rec)
		}
	}
}

func (ms *moduleStore) unindexLocked(rec map[string]any) {
	var room [64]byte
	for api, idx := range ms.unique {
		if v := rec[api]; v != nil {
			if k := appendValueKey(room[:0], v); idx[string(k)] == recordID(rec) {
				delete(idx, string(k))
			}
		}
	}
}

// reindexLocked indexes rec, which replaces old (the same record): the
// unique values an update leaves alone keep their entries, rather than
// each being dropped and its key made anew.
func (ms *moduleStore) reindexLocked(old, rec map[string]any) {
	var room, oldRoom [64]byte
	id := recordID(rec)
	for api, idx := range ms.unique {
		var k, oldK []byte
		if v := rec[api]; v != nil {
			k = appendValueKey(room[:0], v)
		}
		if v := old[api]; v != nil {
			oldK = appendValueKey(oldRoom[:0], v)
		}
		if k != nil && oldK != nil && string(k) == string(oldK) && idx[string(k)] == id {
			continue
		}
		if oldK != nil && idx[string(oldK)] == recordID(old) {
			delete(idx, string(oldK))
		}
		if k != nil {
			idx[string(k)] = id
		}
	}
}

// holderLocked returns the record whose unique field api holds a value
// equal to v (as equalValues compares), and whether the field is indexed.
func (ms *moduleStore) holderLocked(api string, v any) (rec map[string]any, indexed bool) {
	idx, indexed := ms.unique[api]
	if !indexed {
		return nil, false
	}
	if v != nil {
		var room [64]byte
		if id, ok := idx[string(appendValueKey(room[:0], v))]; ok {
			rec, _ = ms.get(id)
		}
	}
	return rec, true
}

// zohoTime formats a time as Zoho does: seconds and an explicit offset.
func zohoTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// timeStamp is a second as a record's time field holds it.
type timeStamp struct {
	unix, offset int64
	text         any // zohoTime's string, boxed once
}

// now is the current time as a record's time field holds it: the records
// a write stores in one second share one string instead of formatting and
// boxing it each.
func (s *Server) now() any {
	t := s.cfg.now()
	_, offset := t.Zone()
	if st := s.stamp.Load(); st != nil && st.unix == t.Unix() && st.offset == int64(offset) {
		return st.text
	}
	st := &timeStamp{unix: t.Unix(), offset: int64(offset), text: zohoTime(t)}
	s.stamp.Store(st)
	return st.text
}

// copyRecord copies a record (deepCopy is in filter.go) so stored
// records never share memory with callers.
func copyRecord(r map[string]any) map[string]any { return deepCopy(r).(map[string]any) }

// Records returns copies of the stored records of a module, in id order.
func (s *Server) Records(module string) []map[string]any {
	ms := s.records.module(module)
	if ms == nil {
		return nil
	}
	recs := ms.snapshot()
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
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
	body, _ := parseWriteBody(data) // what json.Marshal wrote
	ms := s.records.module(module)
	if ms == nil {
		return nil, errInvalidModule(nil)
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
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
		ids = append(ids, recordID(rec))
	}
	return ids, nil
}
