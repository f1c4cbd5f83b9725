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

// massJob is a scheduled mass update or mass change of owner; nothing in
// it changes once added.
type massJob struct {
	bulkJob
	action                  string // the path's last element: mass_update, mass_change_owner
	module                  string
	total, updated, invalid int
}

// massJobs holds the scheduled mass jobs under a lock of its own.
type massJobs struct {
	mu   sync.Mutex
	jobs map[string]*massJob
}

func newMassJobs() *massJobs { return &massJobs{jobs: map[string]*massJob{}} }

func (m *massJobs) add(j *massJob) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.jobs[j.id] = j
}

// find returns the job id of this action.
func (m *massJobs) find(action, id string) (*massJob, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	return j, ok && j.action == action
}

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
	where, zerr := c.massReach(module, b.CVID, b.Criteria)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	job, zerr := c.runMassJob("mass_update", module, where, func(r map[string]any, changed *changes) bool {
		_, zerr := c.massUpdateLocked(module, r, b.Data[0], changed)
		return zerr == nil
	})
	if zerr != nil {
		c.fail(zerr)
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{map[string]any{
		"code": "SUCCESS", "details": map[string]any{"job_id": job.id}, "message": "mass update scheduled successfully", "status": "success"}}})
}

// massReach reads the records a scheduled job reaches: those of the custom
// view cvid (an org here has only each module's All view), if given,
// matching criteria (Bulk Read's JSON criteria), if given.
func (c *call) massReach(module string, cvid any, crit *bulkCriteria) (*filter, *zerr) {
	s := c.s
	if cvid != nil {
		id, _ := idValue(cvid)
		if id == "" || id != s.meta.allView(module, s.meta.raw.modules[module])["id"] {
			return nil, newErr(400, "INVALID_DATA", "the cvid given seems to be invalid", map[string]any{"api_name": "cvid"})
		}
	}
	if crit == nil {
		return nil, nil
	}
	n, zerr := crit.node(module, s.meta.fieldType, "$.criteria", 0)
	if zerr != nil {
		return nil, zerr
	}
	return &filter{root: n}, nil
}

// runMassJob applies change to every record of module that where matches
// (all records when where is nil), under the module's write lock, and
// adds the job, counting the records change reports done and not done.
// More records than a job reaches are refused before any is changed.
func (c *call) runMassJob(action, module string, where *filter, change func(r map[string]any, changed *changes) bool) (*massJob, *zerr) {
	s := c.s
	lookup := s.lookupFunc()
	job := &massJob{bulkJob: c.newJob(), action: action, module: module}
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
		return nil, newErr(400, "LIMIT_EXCEEDED", fmt.Sprintf("a mass job reaches at most %d records", maxMassUpdateJobs), map[string]any{"limit": maxMassUpdateJobs})
	}
	for _, r := range matched {
		if change(r, &changed) {
			job.updated++
		} else {
			job.invalid++
		}
	}
	ms.mu.Unlock()
	s.publish(module, &changed)
	job.total = len(matched)
	s.massUpdates.add(job)
	return job, nil
}

// massJobStatus answers GET /{module}/actions/{action}?job_id=.
func (c *call) massJobStatus(action, module string) {
	id := c.q.Get("job_id")
	if id == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "job_id"}))
		return
	}
	job, ok := c.s.massUpdates.find(action, id)
	if !ok || job.module != module {
		c.fail(newErr(400, "INVALID_DATA", "the job_id given seems to be invalid", map[string]any{"param_name": "job_id"}))
		return
	}
	status := map[string]any{"Status": "COMPLETED", "Total_Count": job.total, "Updated_Count": job.updated,
		"Not_Updated_Count": job.invalid, "Failed_Count": 0}
	if c.s.jobState(&job.bulkJob) != "COMPLETED" {
		status["Status"], status["Updated_Count"], status["Not_Updated_Count"] = "RUNNING", 0, 0
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{status}})
}
