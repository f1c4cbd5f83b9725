package zohotest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"

	"github.com/zohohub/zohohub/schema"
)

// Mass update (docs/wire.md §12.5, mass_update.json): POST
// /{module}/actions/mass_update sets the fields of data[0] on the records
// ids names (at most 500, at once, one result per id, in a 200 even when
// some failed), or schedules a job over the records of a custom view
// (cvid) and/or a criteria (Bulk Read's JSON criteria), at most 50,000
// records; GET /{module}/actions/mass_update?job_id= tells the job's
// state. As bulk jobs do (bulk.go), a job does its work when created and
// answers RUNNING until WithBulkJobDelay has passed, then COMPLETED.
// Territories are not served: an org here has none.

const (
	maxMassUpdateIDs  = 500
	maxMassUpdateJobs = 50000 // records a scheduled mass update reaches
)

// massJob is a scheduled mass update; nothing in it changes once added.
type massJob struct {
	bulkJob
	module                  string
	total, updated, invalid int
}

// massJobs holds the scheduled mass updates under a lock of its own.
type massJobs struct {
	mu   sync.Mutex
	jobs map[string]*massJob
}

func newMassJobs() *massJobs { return &massJobs{jobs: map[string]*massJob{}} }

// massUpdateScope is what a mass update needs: ZohoCRM.mass_update.UPDATE,
// or the module's own.
func massUpdateScope(c *call) []need {
	return []need{{"ZohoCRM.mass_update.ALL", "ZohoCRM.mass_update.UPDATE", "ZohoCRM.mass_update." + c.moduleName + ".UPDATE"}}
}

// massUpdatable reports whether Zoho lets a mass update set the field, as
// the metadata's mass_update flag says (spec/internal/metagen): not
// read-only, not unique, no file.
func massUpdatable(f schema.Field) bool {
	return !f.ReadOnly && !f.IsUnique() && f.DataType != "fileupload" && f.DataType != "imageupload" && f.DataType != "subform"
}

type massUpdateBody struct {
	Data      []map[string]any `json:"data"`
	IDs       []any            `json:"ids"`
	CVID      any              `json:"cvid"`
	Territory any              `json:"territory"`
	Criteria  *bulkCriteria    `json:"criteria"`
}

// massUpdate answers POST /{module}/actions/mass_update.
func (c *call) massUpdate(module string) {
	var b massUpdateBody
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object", nil))
		return
	}
	if zerr := c.checkMassData(module, b.Data); zerr != nil {
		c.fail(zerr)
		return
	}
	scheduled := b.CVID != nil || b.Criteria != nil || b.Territory != nil
	switch {
	case len(b.IDs) > 0 && scheduled:
		c.fail(newErr(400, "AMBIGUITY_DURING_PROCESSING", "ambiguity while processing the request", map[string]any{"ambiguity_due_to": []string{"ids", "cvid"}}))
	case b.Territory != nil:
		c.fail(newErr(400, "INVALID_DATA", "the territory given seems to be invalid", map[string]any{"param_name": "territory"}))
	case scheduled:
		c.scheduleMassUpdate(module, b)
	default:
		ids, zerr := c.actionIDs("", b.IDs, false, maxMassUpdateIDs)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		c.massUpdateIDs(module, b.Data[0], ids)
	}
}

// checkMassData checks the data array: one object of fields a mass update
// may set.
func (c *call) checkMassData(module string, data []map[string]any) *zerr {
	if len(data) == 0 || data[0] == nil {
		return newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"param_name": "data"})
	}
	if len(data) > 1 {
		return newErr(400, "INVALID_DATA", "a mass update sets one set of values", map[string]any{"param_name": "data"})
	}
	for _, api := range slices.Sorted(maps.Keys(data[0])) {
		f, ok := c.s.meta.fields[module][api]
		if !ok || !massUpdatable(f) {
			return newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": api, "json_path": "$.data[0]." + api})
		}
	}
	return nil
}

// massUpdateLocked sets values on the record old; the caller holds the
// module's write lock.
func (c *call) massUpdateLocked(module string, old, values map[string]any, changed *changes) (*writeDone, *zerr) {
	item, zerr := c.update(module, old, 0, values)
	if zerr == nil {
		changed.addItem("update", values, item)
	}
	return item, zerr
}

// massUpdateIDs updates the records ids names, each answered in turn.
func (c *call) massUpdateIDs(module string, values map[string]any, ids []string) {
	ms := c.s.records.module(module)
	items := make([]any, len(ids))
	var outcome outcomes
	var changed changes
	ms.mu.Lock()
	for j, id := range ids {
		old, ok := ms.get(id)
		if !ok {
			items[j] = outcome.failed(newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"id": id}))
			continue
		}
		item, zerr := c.massUpdateLocked(module, old, values, &changed)
		if zerr != nil {
			items[j] = outcome.failed(zerr)
			continue
		}
		items[j] = outcome.succeeded(item)
	}
	ms.mu.Unlock()
	c.s.publish(module, &changed)
	status := http.StatusOK // mixed too: Zoho answers a mass update's results in a 200
	if outcome.ok == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(c.w, status, map[string]any{"data": items})
}

// scheduleMassUpdate runs a mass update over a custom view and/or a
// criteria as a job.
func (c *call) scheduleMassUpdate(module string, b massUpdateBody) {
	s := c.s
	if b.CVID != nil {
		cvid, _ := idValue(b.CVID)
		if cvid == "" || cvid != s.meta.allView(module, s.meta.raw.modules[module])["id"] {
			c.fail(newErr(400, "INVALID_DATA", "the cvid given seems to be invalid", map[string]any{"api_name": "cvid"}))
			return
		}
	}
	var where *filter
	if b.Criteria != nil {
		n, zerr := b.Criteria.node(module, s.meta.fieldType, "$.criteria", 0)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		where = &filter{root: n}
	}
	lookup := s.lookupFunc()
	job := &massJob{bulkJob: c.newJob(), module: module}
	ms := s.records.module(module)
	var changed changes
	ms.mu.Lock()
	var matched []map[string]any
	for _, r := range ms.recs {
		if where.match(r, lookup) {
			matched = append(matched, r)
		}
	}
	if len(matched) > maxMassUpdateJobs {
		ms.mu.Unlock()
		c.fail(newErr(400, "LIMIT_EXCEEDED", fmt.Sprintf("a mass update reaches at most %d records", maxMassUpdateJobs), map[string]any{"limit": maxMassUpdateJobs}))
		return
	}
	for _, r := range matched {
		if _, zerr := c.massUpdateLocked(module, r, b.Data[0], &changed); zerr != nil {
			job.invalid++
		} else {
			job.updated++
		}
	}
	ms.mu.Unlock()
	s.publish(module, &changed)
	job.total = len(matched)
	s.massUpdates.mu.Lock()
	s.massUpdates.jobs[job.id] = job
	s.massUpdates.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{map[string]any{
		"code": "SUCCESS", "details": map[string]any{"job_id": job.id}, "message": "mass update scheduled successfully", "status": "success"}}})
}

// massUpdateStatus answers GET /{module}/actions/mass_update?job_id=.
func (c *call) massUpdateStatus(module string) {
	id := c.q.Get("job_id")
	if id == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "job_id"}))
		return
	}
	s := c.s
	s.massUpdates.mu.Lock()
	job, ok := s.massUpdates.jobs[id]
	s.massUpdates.mu.Unlock()
	if !ok || job.module != module {
		c.fail(newErr(400, "INVALID_DATA", "the job_id given seems to be invalid", map[string]any{"param_name": "job_id"}))
		return
	}
	status := map[string]any{"Status": "COMPLETED", "Total_Count": job.total, "Updated_Count": job.updated,
		"Not_Updated_Count": job.invalid, "Failed_Count": 0}
	if s.jobState(&job.bulkJob) != "COMPLETED" {
		status["Status"], status["Updated_Count"], status["Not_Updated_Count"] = "RUNNING", 0, 0
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{status}})
}
