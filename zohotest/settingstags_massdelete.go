package zohotest

import (
	"fmt"
	"net/http"
	"slices"
)

// Mass deletion of tags (docs/wire.md §12.4, mass_delete_tags.json): POST
// /settings/tags/actions/mass_delete with {"mass_delete":[{"module":{"api_name",
// "id"},"tags":[{"id"},…]}]} deletes up to 200 tags of one module as a
// job, each leaving the records that held it; GET
// /settings/tags/actions/mass_delete?job_id= tells its counts. As other
// jobs here, it does its work when created and answers RUNNING until
// WithBulkJobDelay has passed. A tag id the module does not have counts
// as failed.

const maxMassDeleteTags = 200

const actionTagsMassDelete = "tags_mass_delete"

// massDeleteTags answers POST /settings/tags/actions/mass_delete.
func (c *call) massDeleteTags() {
	var b struct {
		MassDelete []struct {
			Module map[string]any   `json:"module"`
			Tags   []map[string]any `json:"tags"`
		} `json:"mass_delete"`
	}
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object", nil))
		return
	}
	switch {
	case len(b.MassDelete) == 0:
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "mass_delete", "json_path": "$.mass_delete"}))
		return
	case len(b.MassDelete) > 1:
		c.fail(newErr(400, "NOT_ALLOWED", "tags of one module are deleted at a time", map[string]any{"api_name": "mass_delete", "json_path": "$.mass_delete"}))
		return
	}
	in := b.MassDelete[0]
	module, zerr := c.tagModule(in.Module)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	switch {
	case len(in.Tags) == 0:
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "tags", "json_path": "$.mass_delete[0].tags"}))
		return
	case len(in.Tags) > maxMassDeleteTags:
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "tags", "json_path": "$.mass_delete[0].tags", "maximum_length": maxMassDeleteTags}))
		return
	}
	ids := make([]string, len(in.Tags))
	for i, t := range in.Tags {
		if ids[i], _ = idValue(t["id"]); ids[i] == "" {
			c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "id", "json_path": fmt.Sprintf("$.mass_delete[0].tags[%d].id", i)}))
			return
		}
	}
	job := &massJob{bulkJob: c.newJob(), action: actionTagsMassDelete, module: module, total: len(ids)}
	unlock := c.s.lockTags(module)
	ts := c.s.tags
	var gone []string
	for _, id := range ids {
		if j := ts.indexLocked(module, id); j >= 0 {
			ts.tags[module] = slices.Delete(slices.Clone(ts.tags[module]), j, j+1)
			gone = append(gone, id)
		}
	}
	c.s.retagLocked(module, func(have []string) []string {
		return slices.DeleteFunc(have, func(t string) bool { return slices.Contains(gone, t) })
	})
	unlock()
	job.updated, job.invalid = len(gone), len(ids)-len(gone)
	c.s.massUpdates.add(job)
	writeJSON(c.w, http.StatusAccepted, map[string]any{"code": "SCHEDULED", "details": map[string]any{"job_id": job.id},
		"message": "mass delete tags scheduled successfully", "status": "success"})
}

// tagModule reads a mass deletion's module: {api_name, id}, either
// naming a module of the org; both must name the same.
func (c *call) tagModule(m map[string]any) (string, *zerr) {
	const path = "$.mass_delete[0].module"
	name, _ := m["api_name"].(string)
	id, _ := idValue(m["id"])
	if name == "" && id == "" {
		return "", newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "module", "json_path": path})
	}
	for api, mod := range c.s.meta.raw.modules {
		if (name == "" || name == api) && (id == "" || id == mod["id"]) {
			if _, ok := c.s.meta.modules[api]; ok {
				return api, nil
			}
		}
	}
	return "", newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "module", "json_path": path})
}

// massDeleteTagsStatus answers GET /settings/tags/actions/mass_delete?job_id=.
func (c *call) massDeleteTagsStatus() {
	id := c.q.Get("job_id")
	if id == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "job_id"}))
		return
	}
	job, ok := c.s.massUpdates.find(actionTagsMassDelete, id)
	if !ok {
		writeJSON(c.w, http.StatusBadRequest, map[string]any{"mass_delete": []any{[]any{map[string]any{
			"code": "INVALID_DATA", "details": map[string]any{"job_id": id}, "message": "the job_id given seems to be invalid", "status": "error"}}}})
		return
	}
	st := map[string]any{"job_id": job.id, "status": "COMPLETED", "total_count": job.total, "deleted_count": job.updated, "failed_count": job.invalid}
	if c.s.jobState(&job.bulkJob) != "COMPLETED" {
		st["status"], st["deleted_count"], st["failed_count"] = "RUNNING", 0, 0
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"mass_delete": []any{st}})
}
