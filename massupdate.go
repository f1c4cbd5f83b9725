package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Mass update (docs/wire.md §12.5): POST {module}/actions/mass_update sets
// the same values on many records, by ids (500 a request, answered record
// by record) or as a job Zoho schedules over a custom view or criteria (at
// most 50,000 records), whose state GET {module}/actions/mass_update
// ?job_id= tells. It needs the scope ZohoCRM.mass_update.UPDATE (or
// ZohoCRM.mass_update.{module}.UPDATE).

// massValues is the data item of a mass update: the fields values sets,
// as an insert would send them.
func (rs *RecordSet[T]) massValues(op string, values *T) (json.RawMessage, error) {
	m, err := rs.prepare(op, values)
	if err != nil {
		return nil, err
	}
	if !m.IsNew() {
		return nil, fmt.Errorf("zohohub: %s %s: values has an ID: give a new record holding only the fields to set; nothing was sent", op, rs.info.module)
	}
	obj, err := rs.insertJSON(values, m)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(obj)) == "{}" {
		return nil, fmt.Errorf("zohohub: %s %s: values sets no field; nothing was sent", op, rs.info.module)
	}
	return obj, nil
}

// MassUpdate sets the non-empty fields of values (a new record of T
// holding only them; Set adds others, and a nil through Set clears) on the
// records ids names, 500 ids a request, concurrently. Zoho refuses a
// field its metadata does not let mass updates set (read-only, unique,
// files). The result has one entry per id: ActionUpdated, or ActionFailed
// with Zoho's error (an id that is no record of the module is
// INVALID_DATA), or ActionUnknown as SaveAll reports it; when some fail
// the error is a *BatchError and the others are updated.
func (rs *RecordSet[T]) MassUpdate(ctx context.Context, values *T, ids ...string) (BatchResult, error) {
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	obj, err := rs.massValues("MassUpdate", values)
	if err != nil {
		return BatchResult{}, err
	}
	if err := checkActionIDs("MassUpdate", rs.info.module, ids); err != nil {
		return BatchResult{}, err
	}
	path := rs.info.module + "/actions/mass_update"
	return onIDs[T](ctx, rs.c, "MassUpdate", ids, nil, maxIDsPerAction, ActionUpdated, func(ids []string, _ []json.RawMessage) *Request {
		return &Request{Method: http.MethodPost, Path: path, Body: map[string]any{"data": []json.RawMessage{obj}, "ids": ids}}
	})
}

// MassUpdateWhere schedules a mass update of the records matching cond:
// Zoho sets values (see MassUpdate) on them in the background. cond is
// sent as Bulk Read's criteria, so it takes what Export takes (no search
// by word, no tag filter). Wait for the job with MassUpdateJob.Wait.
func (rs *RecordSet[T]) MassUpdateWhere(ctx context.Context, values *T, cond Condition) (*MassUpdateJob, error) {
	return rs.scheduleMassUpdate(ctx, "MassUpdateWhere", values, "", &cond)
}

// MassUpdateView schedules a mass update of the records of the custom
// view cvid (such as the module's "All" view from settings.CustomViews),
// narrowed by cond when given; see MassUpdateWhere.
func (rs *RecordSet[T]) MassUpdateView(ctx context.Context, values *T, cvid string, cond ...Condition) (*MassUpdateJob, error) {
	var where *Condition
	if len(cond) > 0 {
		c := And(cond...)
		where = &c
	}
	return rs.scheduleMassUpdate(ctx, "MassUpdateView", values, cvid, where)
}

func (rs *RecordSet[T]) scheduleMassUpdate(ctx context.Context, op string, values *T, cvid string, cond *Condition) (*MassUpdateJob, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	obj, err := rs.massValues(op, values)
	if err != nil {
		return nil, err
	}
	body := map[string]any{"data": []json.RawMessage{obj}}
	return rs.scheduleJob(ctx, op, actionMassUpdate, body, cvid, cond)
}

// The actions of the jobs a MassUpdateJob follows: the last element of
// their paths.
const (
	actionMassUpdate      = "mass_update"
	actionMassChangeOwner = "mass_change_owner"
)

// scheduleJob adds the custom view and the condition to body, when given,
// posts it to the module's action and returns the job Zoho scheduled.
func (rs *RecordSet[T]) scheduleJob(ctx context.Context, op, action string, body map[string]any, cvid string, cond *Condition) (*MassUpdateJob, error) {
	if cvid != "" {
		if err := checkID(op, rs.info.module, cvid); err != nil {
			return nil, fmt.Errorf("%w (the custom view id); nothing was sent", err)
		}
		body["cvid"] = cvid
	}
	if cond != nil {
		crit, err := cond.bulkCriteria()
		if err != nil {
			return nil, fmt.Errorf("zohohub: %s %s: %w; nothing was sent", op, rs.info.module, err)
		}
		body["criteria"] = crit
	}
	path := rs.info.module + "/actions/" + action
	var ans struct {
		Data []writeResult `json:"data"`
	}
	resp, err := rs.c.DoJSON(ctx, &Request{Method: http.MethodPost, Path: path, Body: body}, &ans)
	if err != nil {
		return nil, err
	}
	if len(ans.Data) != 1 {
		return nil, badResponse(resp.StatusCode, http.MethodPost, path, nil, fmt.Sprintf("answer holds %d results for one job", len(ans.Data)))
	}
	if ans.Data[0].failed() {
		return nil, ans.Data[0].apiError(resp.StatusCode, http.MethodPost, path, -1)
	}
	var d struct {
		JobID string `json:"job_id"`
	}
	if json.Unmarshal(ans.Data[0].Details, &d) != nil || !validID(d.JobID) {
		return nil, badResponse(resp.StatusCode, http.MethodPost, path, nil, "job scheduled without a job_id")
	}
	return &MassUpdateJob{ID: d.JobID, Module: rs.info.module, action: action, c: rs.c}, nil
}

// MassUpdateJob is a job Zoho runs in the background over many records:
// a mass update (MassUpdateWhere, MassUpdateView) or a mass change of
// owner (ChangeOwnerView). Both report their state alike.
type MassUpdateJob struct {
	ID     string
	Module string
	action string // actionMassUpdate when empty
	c      *Client
}

// path is the job's action path, for its state.
func (j *MassUpdateJob) path() string {
	if j.action == "" {
		return j.Module + "/actions/" + actionMassUpdate
	}
	return j.Module + "/actions/" + j.action
}

// what names the job in errors.
func (j *MassUpdateJob) what() string {
	if j.action == actionMassChangeOwner {
		return "mass change of owner"
	}
	return "mass update"
}

// MassUpdateJob returns the module's mass update job id, scheduled earlier
// (by this process or another), to ask its status. Nothing is sent.
func (rs *RecordSet[T]) MassUpdateJob(id string) (*MassUpdateJob, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	if err := checkID("MassUpdateJob", rs.info.module, id); err != nil {
		return nil, err
	}
	return &MassUpdateJob{ID: id, Module: rs.info.module, c: rs.c}, nil
}

// The states of a mass update job.
const (
	MassUpdateScheduled = "SCHEDULED"
	MassUpdateRunning   = "RUNNING"
	MassUpdateCompleted = "COMPLETED"
	MassUpdateFailed    = "FAILED"
)

// MassUpdateStatus is the state of a mass update job and its counts of
// records: all it reaches, updated, not updated (a value a record
// refused), and failed.
type MassUpdateStatus struct {
	State                              string
	Total, Updated, NotUpdated, Failed int
}

// Done reports whether the job has finished, completed or failed.
func (s MassUpdateStatus) Done() bool {
	return s.State == MassUpdateCompleted || s.State == MassUpdateFailed
}

// Status asks Zoho for the job's state.
func (j *MassUpdateJob) Status(ctx context.Context) (MassUpdateStatus, error) {
	if j == nil || j.c == nil {
		return MassUpdateStatus{}, fmt.Errorf("zohohub: MassUpdateJob.Status: no job")
	}
	path := j.path()
	var ans struct {
		Data []struct {
			Status          string `json:"Status"`
			TotalCount      int    `json:"Total_Count"`
			UpdatedCount    int    `json:"Updated_Count"`
			NotUpdatedCount int    `json:"Not_Updated_Count"`
			FailedCount     int    `json:"Failed_Count"`
		} `json:"data"`
	}
	resp, err := j.c.DoJSON(ctx, &Request{Method: http.MethodGet, Path: path, Query: url.Values{"job_id": {j.ID}}}, &ans)
	if err != nil {
		return MassUpdateStatus{}, err
	}
	if resp.StatusCode == http.StatusNoContent {
		return MassUpdateStatus{State: MassUpdateScheduled}, nil // not started yet
	}
	if len(ans.Data) != 1 {
		return MassUpdateStatus{}, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("status holds %d jobs", len(ans.Data)))
	}
	d := ans.Data[0]
	st := MassUpdateStatus{State: strings.ToUpper(d.Status), Total: d.TotalCount, Updated: d.UpdatedCount, NotUpdated: d.NotUpdatedCount, Failed: d.FailedCount}
	switch {
	case st.State != MassUpdateScheduled && st.State != MassUpdateRunning && !st.Done():
		return st, badResponse(resp.StatusCode, http.MethodGet, path, nil, fmt.Sprintf("%s in unknown state %s", j.what(), quoteShort(d.Status)))
	case st.Total < 0 || st.Updated < 0 || st.NotUpdated < 0 || st.Failed < 0:
		return st, badResponse(resp.StatusCode, http.MethodGet, path, nil, j.what()+" status with a negative count")
	}
	return st, nil
}

// maxJobPoll bounds the wait between two status calls of Wait.
const maxJobPoll = 30 * time.Second

// Wait polls the job until it is done, first after poll and then twice as
// long each time, up to 30 s, and returns its last status. A job Zoho
// reports FAILED is an *APIError (code FAILED) besides its status.
func (j *MassUpdateJob) Wait(ctx context.Context, poll time.Duration) (MassUpdateStatus, error) {
	st, err := waitJob(ctx, poll, "MassUpdateJob.Wait", j.Status, MassUpdateStatus.Done)
	if err == nil && st.State == MassUpdateFailed {
		err = &APIError{Code: MassUpdateFailed, Message: fmt.Sprintf("%s job %s failed (%d of %d records failed)", j.what(), j.ID, st.Failed, st.Total),
			Method: http.MethodGet, Path: j.path(), Index: -1}
	}
	return st, err
}

// waitJob calls status after poll, then after twice as long each time,
// up to maxJobPoll, until done says the status is final, status fails or
// ctx ends.
func waitJob[S any](ctx context.Context, poll time.Duration, op string, status func(context.Context) (S, error), done func(S) bool) (S, error) {
	var st S
	if poll <= 0 {
		return st, fmt.Errorf("zohohub: %s: poll %v is not positive", op, poll)
	}
	for {
		if err := sleep(ctx, poll); err != nil {
			return st, err
		}
		poll = min(poll*2, maxJobPoll)
		st, err := status(ctx)
		if err != nil || done(st) {
			return st, err
		}
	}
}
