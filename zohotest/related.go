package zohotest

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/zohohub/zohohub/schema"
)

// Related records: GET {module}/{id}/{related_list} lists the records a
// related list of the metadata shows on a record (spec/oas/related_records.json),
// PUT links records and DELETE unlinks them where Zoho keeps the relation
// itself. What a list holds follows from its module:
//
//   - Notes and Attachments: the record's notes (notes.go) and attachments
//     (attachments.go);
//   - Activities: the Tasks, Events and Calls whose What_Id (with
//     $se_module) or Who_Id points to the record;
//   - a relation Zoho links (Campaigns with Leads and Contacts, Products
//     with Leads, Accounts, Contacts, Deals and Price Books): the records
//     linked with PUT, with the relation's fields (Member_Status);
//   - any other module: its records whose lookup to the record's module
//     points to the record (an account's Contacts by Account_Name).

// relKind is how a related list finds its records.
type relKind int

const (
	relLookup relKind = iota
	relLinked
	relActivities
	relNotes
	relAttachments
)

// relation is what a related list of a module holds.
type relation struct {
	kind   relKind
	target string   // the module of the records (Tasks, Events and Calls for activities)
	fields []string // relLookup: the target's lookups to the parent's module
}

// activityModules are the modules an Activities list holds.
var activityModules = []string{"Calls", "Events", "Tasks"}

// linkedModules returns the modules module's records are linked with, as
// Zoho's Update Related Records page lists them.
func linkedModules(module string) []string {
	switch module {
	case "Campaigns":
		return []string{"Leads", "Contacts"}
	case "Leads", "Contacts":
		return []string{"Campaigns", "Products"}
	case "Products":
		return []string{"Leads", "Accounts", "Contacts", "Deals", "Price_Books"}
	case "Accounts", "Deals", "Price_Books":
		return []string{"Products"}
	}
	return nil
}

// relationFields are the fields of a relation itself, written with PUT
// and answered with the linked records.
func relationFields(a, b string) []string {
	if a == "Campaigns" || b == "Campaigns" {
		return []string{"Member_Status"}
	}
	return nil
}

// relationOf returns what module's related list list holds, and false
// when module has no such list (or it holds no module the server has).
func (s *Server) relationOf(module, list string) (relation, bool) {
	i := slices.IndexFunc(s.meta.related[module], func(rl schema.RelatedList) bool { return rl.APIName == list })
	if i < 0 {
		return relation{}, false
	}
	target := s.meta.related[module][i].Module.APIName
	switch {
	case target == notesModule:
		return relation{kind: relNotes, target: notesModule}, true
	case target == attachmentsList:
		return relation{kind: relAttachments, target: attachmentsList}, true
	case target == "Activities":
		return relation{kind: relActivities, target: target}, true
	case slices.Contains(linkedModules(module), target):
		return relation{kind: relLinked, target: target}, s.records.module(target) != nil
	}
	rel := relation{kind: relLookup, target: target}
	for _, api := range slices.Sorted(maps.Keys(s.meta.fields[target])) {
		if f := s.meta.fields[target][api]; f.DataType == "lookup" && f.Lookup.Module.APIName == module {
			rel.fields = append(rel.fields, api)
		}
	}
	return rel, len(rel.fields) > 0
}

// relatedCall checks a related records call: the module's record of the
// path exists and the list is one of its module's. It answers the error
// itself.
func (c *call) relatedCall() (list string, rel relation, ok bool) {
	module, id, list := c.moduleName, c.pathID, c.r.PathValue("list")
	if _, exists := c.s.records.get(module, id); !exists {
		c.fail(newErr(400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"resource_path_index": 1}))
		return "", relation{}, false
	}
	rel, ok = c.s.relationOf(module, list)
	if !ok {
		c.fail(newErr(400, "INVALID_DATA", "The relation name given seems to be invalid", map[string]any{"resource_path_index": 2}))
		return "", relation{}, false
	}
	return list, rel, true
}

// relatedRecords answers GET {module}/{id}/{related_list}: the list's
// records, paged as GET {module} pages (page_token past 2,000), sorted by
// id, Created_Time or Modified_Time, If-Modified-Since honoured (304);
// 204 when there are none.
func (c *call) relatedRecords() {
	list, rel, ok := c.relatedCall()
	if !ok {
		return
	}
	switch rel.kind {
	case relNotes:
		c.recordNotes(c.moduleName, c.pathID)
		return
	case relAttachments:
		c.listAttachments(c.moduleName, c.pathID)
		return
	}
	module, id := c.moduleName, c.pathID
	fieldsOf := rel.target
	switch rel.kind {
	case relActivities:
		fieldsOf = "Tasks" // the fields the three share are asked for by the names Tasks has
		c.q = withoutFields(c.q, activityTypeKey)
	case relLinked:
		// The relation's own fields come unasked, and may be asked for, as
		// Zoho's SDKs do (fields=Last_Name,Member_Status).
		c.q = withoutFields(c.q, relationFields(module, rel.target)...)
	}
	fields, perPage, page, ok := c.pagingParams(fieldsOf, true)
	if !ok {
		return
	}
	if rel.kind == relActivities && fields != nil {
		fields = answerKeys(append(fields, activityTypeKey)) // it says which module each is of
	}
	ord, ok := c.listOrderParams()
	if !ok {
		return
	}
	var recs []map[string]any
	target := rel.target
	switch rel.kind {
	case relLookup:
		recs = c.s.lookingUp(target, rel.fields, id)
	case relLinked:
		recs = c.s.links.linked(c.s, recordRef{module, id}, target)
		if extra := relationFields(module, target); fields != nil && extra != nil {
			fields = answerKeys(append(slices.Clone(fields), extra...)) // the relation's own fields come unasked
		}
	case relActivities:
		target = "Tasks"
		recs = c.s.activitiesOf(module, id)
	}
	if recs, ok = c.arrange(recs, ord); !ok {
		return
	}
	bound := "related|" + module + "|" + id + "|" + list + "|" + c.q.Get("fields") + "|" + ord.by + "|" + ord.dir + "|" + strconv.Itoa(perPage)
	ms := c.s.records.module(target)
	offset, page, ok := c.pageStart(ms, bound, perPage, page)
	if !ok {
		return
	}
	c.writeListPage(listPage{ms: ms, module: target, recs: recs[min(offset, len(recs)):min(offset+perPage, len(recs))], total: len(recs),
		offset: offset, page: page, perPage: perPage, keys: fields, sortBy: ord.by, order: ord.dir, bound: bound})
}

// lookingUp returns the records of module whose lookup fields point to
// the record id.
func (s *Server) lookingUp(module string, fields []string, id string) []map[string]any {
	var out []map[string]any
	for _, r := range s.records.module(module).snapshot() {
		for _, f := range fields {
			if ref, ok := r[f].(map[string]any); ok && ref["id"] == id {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// activitiesOf returns the tasks, events and calls of the record id of
// module: their What_Id points to it ($se_module names module), or their
// Who_Id does. Each carries $se_module and Activity_Type, the module it is
// a record of, as Zoho's Activities list names them.
func (s *Server) activitiesOf(module, id string) []map[string]any {
	var out []map[string]any
	for _, m := range activityModules {
		ms := s.records.module(m)
		if ms == nil {
			continue
		}
		for _, r := range ms.snapshot() {
			what, _ := r["What_Id"].(map[string]any)
			who, _ := r["Who_Id"].(map[string]any)
			if what != nil && what["id"] == id && r[seModuleKey] == module || who != nil && who["id"] == id {
				act := maps.Clone(r)
				act[activityTypeKey] = m
				out = append(out, act)
			}
		}
	}
	return out
}

// activityTypeKey is the member of an activity in an Activities list that
// names its module (Tasks, Events or Calls); it comes whether asked for in
// fields or not.
const activityTypeKey = "Activity_Type"

// withoutFields returns q with names left out of its fields parameter (q
// itself when it names none of them).
func withoutFields(q url.Values, names ...string) url.Values {
	fields := strings.Split(q.Get("fields"), ",")
	kept := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(names, f) })
	if len(kept) == len(fields) {
		return q
	}
	if len(kept) == 0 {
		kept = []string{"id"} // what was asked comes anyway
	}
	q = maps.Clone(q)
	q.Set("fields", strings.Join(kept, ","))
	return q
}

// recordRef names a record.
type recordRef struct{ module, id string }

// links holds the relations Zoho keeps apart from lookups, each with the
// relation's own fields. A relation is one whichever side it is read or
// written from.
type links struct {
	mu  sync.Mutex
	rel map[linkPair]map[string]any
}

// linkPair is a relation's two records, the lesser first.
type linkPair struct{ a, b recordRef }

func pairOf(x, y recordRef) linkPair {
	if y.module < x.module || y.module == x.module && y.id < x.id {
		x, y = y, x
	}
	return linkPair{x, y}
}

func newLinks() *links { return &links{rel: map[linkPair]map[string]any{}} }

// linked returns the records of module target linked with r, each with
// the relation's fields.
func (l *links) linked(s *Server, r recordRef, target string) []map[string]any {
	l.mu.Lock()
	var others []recordRef
	var fields []map[string]any
	for p, f := range l.rel {
		switch {
		case p.a == r && p.b.module == target:
			others, fields = append(others, p.b), append(fields, f)
		case p.b == r && p.a.module == target:
			others, fields = append(others, p.a), append(fields, f)
		}
	}
	l.mu.Unlock()
	out := make([]map[string]any, 0, len(others))
	for i, o := range others {
		rec, ok := s.records.get(o.module, o.id)
		if !ok {
			continue
		}
		if len(fields[i]) > 0 {
			rec = maps.Clone(rec)
			maps.Copy(rec, fields[i])
		}
		out = append(out, rec)
	}
	return out
}

// dropRecord forgets the relations of a deleted record.
func (l *links) dropRecord(r recordRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	maps.DeleteFunc(l.rel, func(p linkPair, _ map[string]any) bool { return p.a == r || p.b == r })
}

// relatedWrite checks a link or unlink call: the relation is one the
// server keeps. It answers the error itself.
func (c *call) relatedWrite() (rel relation, ok bool) {
	_, rel, ok = c.relatedCall()
	if !ok {
		return relation{}, false
	}
	if rel.kind != relLinked {
		c.fail(newErr(400, "NOT_SUPPORTED", "the relation is not supported: "+c.moduleName+" does not link "+rel.target+" records", map[string]any{"resource_path_index": 2}))
		return relation{}, false
	}
	return rel, true
}

// linkRecords answers PUT {module}/{id}/{related_list} (and
// …/{related_id}): links the records of data, ≤100, each with the
// relation's fields, "relation added" per record.
func (c *call) linkRecords() {
	rel, ok := c.relatedWrite()
	if !ok {
		return
	}
	b, parsed := parseWriteBody(c.body)
	if !parsed || b.Data == nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a data array", nil))
		return
	}
	switch n := len(b.Data); {
	case n > 100:
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"limit": 100}))
		return
	case n == 0:
		c.fail(newErr(400, "EXPECTED_FIELD_MISSING", "data is empty", map[string]any{"api_name": "data"}))
		return
	}
	if rid := c.r.PathValue("related_id"); rid != "" {
		if len(b.Data) != 1 {
			c.fail(newErr(400, "LIMIT_EXCEEDED", "one record is linked through a related record's path", map[string]any{"limit": 1}))
			return
		}
		if b.Data[0] == nil {
			b.Data[0] = map[string]any{}
		}
		b.Data[0]["id"] = rid
	}
	parent := recordRef{c.moduleName, c.pathID}
	allowed := relationFields(parent.module, rel.target)
	items := make([]any, len(b.Data))
	failed := 0
	l := c.s.links
	for i, in := range b.Data {
		at := "$.data[" + strconv.Itoa(i) + "]"
		id, _ := idValue(in["id"])
		_, exists := c.s.records.get(rel.target, id)
		var bad *zerr
		switch {
		case id == "":
			bad = newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "id", "json_path": at + ".id"})
		case !exists:
			bad = newErr(400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"api_name": "id", "json_path": at + ".id"})
		}
		fields := map[string]any{}
		for k, v := range in {
			if k == "id" || bad != nil {
				continue
			}
			if _, isStr := v.(string); !slices.Contains(allowed, k) || !isStr && v != nil {
				bad = newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": k, "json_path": at + "." + k})
				continue
			}
			fields[k] = v
		}
		if bad != nil {
			failed++
			items[i] = bad.envelope()
			continue
		}
		p := pairOf(parent, recordRef{rel.target, id})
		l.mu.Lock()
		if old, linked := l.rel[p]; linked {
			fields = mergeFields(old, fields)
		}
		l.rel[p] = fields
		l.mu.Unlock()
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "relation added", "status": "success"}
	}
	writeJSON(c.w, batchStatus(len(items)-failed, failed, 200), map[string]any{"data": items})
}

// mergeFields is old with the fields of an update over it.
func mergeFields(old, update map[string]any) map[string]any {
	out := maps.Clone(old)
	maps.Copy(out, update)
	return out
}

// idsToDelete is the ids a DELETE of a record's sub-resources names: the
// one in the path segment pathParam, or else those of ?ids=. None, or more
// than 100, fails the call (ok false).
func (c *call) idsToDelete(pathParam string) (ids []string, ok bool) {
	ids = splitIDs(c.q.Get("ids"))
	if id := c.r.PathValue(pathParam); id != "" {
		ids = []string{id}
	}
	switch {
	case len(ids) == 0:
		c.fail(errParamMissing("ids"))
		return nil, false
	case len(ids) > 100:
		c.fail(newErr(400, "LIMIT_EXCEEDED", "the number of records exceeds 100", map[string]any{"param_name": "ids", "limit": 100}))
		return nil, false
	}
	return ids, true
}

// unlinkRecords answers DELETE {module}/{id}/{related_list}?ids= (and
// …/{related_id}): "relation removed" per record; a record that is not
// linked is an INVALID_DATA of its own.
func (c *call) unlinkRecords() {
	rel, ok := c.relatedWrite()
	if !ok {
		return
	}
	ids, ok := c.idsToDelete("related_id")
	if !ok {
		return
	}
	parent := recordRef{c.moduleName, c.pathID}
	items := make([]any, len(ids))
	failed := 0
	l := c.s.links
	l.mu.Lock()
	for i, id := range ids {
		p := pairOf(parent, recordRef{rel.target, id})
		if _, linked := l.rel[p]; !linked {
			failed++
			items[i] = newErr(400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"id": id}).envelope()
			continue
		}
		delete(l.rel, p)
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "relation removed", "status": "success"}
	}
	l.mu.Unlock()
	writeJSON(c.w, batchStatus(len(ids)-failed, failed, 200), map[string]any{"data": items})
}

// relatedRecord answers GET {module}/{id}/{related_list}/{related_id}: the
// one related record, 204 when the list does not hold it.
func (c *call) relatedRecord() {
	_, rel, ok := c.relatedCall()
	if !ok {
		return
	}
	rid := c.r.PathValue("related_id")
	var recs []map[string]any
	target := rel.target
	switch rel.kind {
	case relNotes:
		recs = c.s.notesOf(c.moduleName, c.pathID)
	case relLookup:
		recs = c.s.lookingUp(target, rel.fields, c.pathID)
	case relLinked:
		recs = c.s.links.linked(c.s, recordRef{c.moduleName, c.pathID}, target)
	case relActivities:
		target = "Tasks"
		recs = c.s.activitiesOf(c.moduleName, c.pathID)
	}
	keys, ok := c.fieldsParam(target, false)
	if !ok {
		return
	}
	i := slices.IndexFunc(recs, func(r map[string]any) bool { return recordID(r) == rid })
	if i < 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(c.w, 200, map[string]any{"data": []any{c.s.presentFields(target, recs[i], keys)}})
}

// batchStatus is the status of an answer with per-record results: ok
// status when all succeeded, 207 when some did, 400 when none did.
func batchStatus(succeeded, failed, ok int) int {
	switch {
	case failed > 0 && succeeded > 0:
		return http.StatusMultiStatus
	case failed > 0:
		return http.StatusBadRequest
	}
	return ok
}

// idValue reads a record id as Zoho takes it: a string of digits, or a
// JSON number (json.Number keeps all its digits: no float rounding).
func idValue(v any) (string, bool) {
	var id string
	switch x := v.(type) {
	case string:
		id = x
	case json.Number:
		id = string(x)
	default:
		return "", false
	}
	return id, idRE.MatchString(id)
}

// idRE matches a record id: 1 to 19 digits.
var idRE = regexp.MustCompile(`^[0-9]{1,19}$`)

// relatedScope is what a related records call needs: reading the parent's
// module and the list's records, and op (UPDATE to link or unlink) on the
// parent's module.
func relatedScope(op string) scopeRule {
	return func(c *call) []need {
		needs := []need{moduleNeed(c.moduleName, "READ"), moduleNeed(c.r.PathValue("list"), "READ")}
		if op != "READ" {
			needs = append(needs, moduleNeed(c.moduleName, op))
		}
		return needs
	}
}

// dropAssociations removes what belongs to deleted records of module:
// their relations, attachments and photo, and their notes. The caller
// holds no module's lock.
func (s *Server) dropAssociations(module string, ids []string) {
	if len(ids) == 0 {
		return
	}
	for _, id := range ids {
		r := recordRef{module, id}
		s.links.dropRecord(r)
		s.files.dropRecord(r)
	}
	notes := s.records.module(notesModule)
	if notes == nil || module == notesModule {
		return
	}
	notes.mu.Lock()
	defer notes.mu.Unlock()
	for _, n := range slices.Clone(notes.recs) {
		ref, _ := n["Parent_Id"].(map[string]any)
		if id, _ := ref["id"].(string); n[seModuleKey] == module && slices.Contains(ids, id) {
			notes.removeLocked(recordID(n))
		}
	}
}
