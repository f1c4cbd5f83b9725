package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Deleting many of a module's tags at once (docs/wire.md §12.4): POST
// settings/tags/actions/mass_delete schedules a job over at most 200 tags
// of one module, named with the module's id and API name; GET
// settings/tags/actions/mass_delete?job_id= tells its counts.

// maxTagsPerMassDelete is how many tags one mass deletion takes.
const maxTagsPerMassDelete = 200

// TagDeletion is a deletion of a module's tags that Zoho runs in the
// background, as one job per 200 tags.
type TagDeletion struct {
	Module string
	JobIDs []string
	c      *Client
}

// TagDeletionStatus is where a TagDeletion stands, its jobs summed: the
// tags it covers, those deleted, and those that failed (a tag the module
// does not have, say).
type TagDeletionStatus struct {
	State                  string // MassUpdateScheduled, MassUpdateRunning, MassUpdateCompleted or MassUpdateFailed
	Total, Deleted, Failed int
}

// Done reports whether every job has finished, completed or failed.
func (s TagDeletionStatus) Done() bool {
	return s.State == MassUpdateCompleted || s.State == MassUpdateFailed
}

// DeleteTagsAll deletes the module's tags ids names through Zoho's mass
// deletion; the records they tag lose them. Zoho does the work in the
// background: Wait on the TagDeletion for its outcome. DeleteTag deletes
// one tag at once.
func (rs *RecordSet[T]) DeleteTagsAll(ctx context.Context, ids ...string) (*TagDeletion, error) {
	const op = "DeleteTagsAll"
	if err := rs.check(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("zohohub: %s %s: no tag ids; nothing was sent", op, rs.info.module)
	}
	for _, id := range ids {
		if err := checkID(op, rs.info.module, id); err != nil {
			return nil, fmt.Errorf("%w (a tag id); nothing was sent", err)
		}
	}
	moduleID, err := rs.moduleID(ctx)
	if err != nil {
		return nil, err
	}
	d := &TagDeletion{Module: rs.info.module, c: rs.c}
	for chunk := range slices.Chunk(ids, maxTagsPerMassDelete) {
		tags := make([]apiIDRef, len(chunk))
		for i, id := range chunk {
			tags[i] = apiIDRef{ID: id}
		}
		body := map[string]any{"mass_delete": []any{map[string]any{
			"module": map[string]string{"api_name": rs.info.module, "id": moduleID}, "tags": tags}}}
		req := &Request{Method: http.MethodPost, Path: "settings/tags/actions/mass_delete", Body: body}
		var ans writeResult
		resp, err := rs.c.DoJSON(ctx, req, &ans)
		if err != nil {
			return d, err // the jobs scheduled so far are in d
		}
		if ans.failed() {
			return d, ans.apiError(resp.StatusCode, req.Method, req.Path, -1)
		}
		var det struct {
			JobID string `json:"job_id"`
		}
		if json.Unmarshal(ans.Details, &det) != nil || !validID(det.JobID) {
			return d, badResponse(resp.StatusCode, req.Method, req.Path, nil, "tags' deletion scheduled without a job_id")
		}
		d.JobIDs = append(d.JobIDs, det.JobID)
	}
	return d, nil
}

// moduleID asks Zoho for the module's id, which some settings calls want
// beside its API name.
func (rs *RecordSet[T]) moduleID(ctx context.Context) (string, error) {
	req := &Request{Method: http.MethodGet, Path: "settings/modules/" + url.PathEscape(rs.info.module)}
	var ans struct {
		Modules []struct {
			ID      string `json:"id"`
			APIName string `json:"api_name"`
		} `json:"modules"`
	}
	resp, err := rs.c.DoJSON(ctx, req, &ans)
	if err != nil {
		return "", err
	}
	if len(ans.Modules) != 1 || ans.Modules[0].APIName != rs.info.module || !validID(ans.Modules[0].ID) {
		return "", badResponse(resp.StatusCode, req.Method, req.Path, nil, "the module's metadata names no id for it")
	}
	return ans.Modules[0].ID, nil
}

// Status asks Zoho for the state of every job and sums their counts.
func (d *TagDeletion) Status(ctx context.Context) (TagDeletionStatus, error) {
	if d == nil || d.c == nil {
		return TagDeletionStatus{}, fmt.Errorf("zohohub: TagDeletion.Status: no deletion")
	}
	const path = "settings/tags/actions/mass_delete"
	sum := TagDeletionStatus{State: MassUpdateCompleted}
	for _, id := range d.JobIDs {
		var ans struct {
			MassDelete []struct {
				JobID   string `json:"job_id"`
				Status  string `json:"status"`
				Total   int    `json:"total_count"`
				Deleted int    `json:"deleted_count"`
				Failed  int    `json:"failed_count"`
			} `json:"mass_delete"`
		}
		resp, err := d.c.DoJSON(ctx, &Request{Method: http.MethodGet, Path: path, Query: url.Values{"job_id": {id}}}, &ans)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
			// Zoho answers a job it does not know in a shape of its own
			// ({"mass_delete":[[error]]}), not its error envelope.
			return sum, fmt.Errorf("zohohub: TagDeletion.Status: Zoho does not know job %s of %s (an id from another org, or a typo): %w", id, d.Module, err)
		}
		if err != nil {
			return sum, err
		}
		if len(ans.MassDelete) != 1 || ans.MassDelete[0].JobID != id {
			return sum, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("status of job %s holds no such job", id))
		}
		j := ans.MassDelete[0]
		if j.Total < 0 || j.Deleted < 0 || j.Failed < 0 {
			return sum, badResponse(resp.StatusCode, http.MethodGet, path, nil, "tags' deletion status with a negative count")
		}
		sum.Total, sum.Deleted, sum.Failed = sum.Total+j.Total, sum.Deleted+j.Deleted, sum.Failed+j.Failed
		switch state := strings.ToUpper(j.Status); state {
		case MassUpdateCompleted:
		case MassUpdateFailed:
			if sum.State == MassUpdateCompleted {
				sum.State = MassUpdateFailed
			}
		case MassUpdateScheduled, MassUpdateRunning:
			sum.State = state
		default:
			return sum, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("tags' deletion in unknown state %s", quoteShort(j.Status)))
		}
	}
	return sum, nil
}

// Wait polls the jobs until all are done, first after poll and then twice
// as long each time, up to 30 s, and returns their summed status. A job
// Zoho reports FAILED is an *APIError (code FAILED) besides the status.
func (d *TagDeletion) Wait(ctx context.Context, poll time.Duration) (TagDeletionStatus, error) {
	st, err := waitJob(ctx, poll, "TagDeletion.Wait", d.Status, TagDeletionStatus.Done)
	if err == nil && st.State == MassUpdateFailed {
		err = &APIError{Code: MassUpdateFailed, Message: fmt.Sprintf("deletion of %d tags of %s failed (%d failed)", st.Total, d.Module, st.Failed),
			Method: http.MethodGet, Path: "settings/tags/actions/mass_delete", Index: -1}
	}
	return st, err
}
