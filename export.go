package zohohub

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"
)

// How Export and Import poll a bulk job by default (WithExportPolling).
const (
	defaultExportPoll    = time.Second
	defaultExportPollMax = 30 * time.Second
)

// WithExportPolling sets how Query.Export and RecordSet.Import wait for
// their bulk read and bulk write jobs: first is the wait before the first
// status call, and each further wait doubles up to max. The defaults are 1 s and 30 s; tests against zohotest use a
// millisecond or so.
func WithExportPolling(first, max time.Duration) Option {
	return func(c *Client) error {
		if first <= 0 || max < first {
			return fmt.Errorf("zohohub: WithExportPolling: want 0 < first <= max, got %v and %v", first, max)
		}
		c.exportPoll, c.exportPollMax = first, max
		return nil
	}
}

// Export returns the matching records, read through Zoho's Bulk Read API
// rather than page by page: it creates a bulk read job for the query's
// module, with the fields given to Select (or every field T maps, at most
// 200) and the conditions as Bulk Read criteria; polls the job until it is
// done, with exponential backoff (see WithExportPolling); downloads the
// zipped CSV and yields its rows one at a time, decoded into *T. A job
// holds at most 200,000 records; Export follows Zoho's more_records with
// further jobs until every match is read. Exporting 100,000 records costs
// a few calls (create, polls, download per 200,000) where All costs 500.
//
// The records are what Bulk Read writes: lookups and users carry their ID
// only (no Name or Email), multi-select picklists are split on ";", and
// fields the CSV lacks are left zero. A record saved after an export sends
// only what changed since.
//
// Limit is honoured by stopping early (the job still exports every match);
// Offset and OrderBy cannot be exported and are an error, as are operators
// Bulk Read criteria cannot express (a Like pattern with % inside the
// text). Such errors, and unknown fields, are yielded before any request
// is sent. A job Zoho reports as failed, like any error answer, is an
// *APIError; a CSV cell that does not fit its Go field is a *FieldError.
// The iteration stops at the first error, which it yields.
func (q Query[T]) Export(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		job, err := q.exportJob()
		if err != nil {
			yield(nil, err)
			return
		}
		remaining := q.limit
		var first string // id of the first record of the job being read
		rows := 0
		emit := func(rec *T) bool {
			if rows++; rows == 1 {
				first = q.rs.model(rec).ID
			}
			if !yield(rec, nil) {
				return false
			}
			remaining--
			return q.limit == 0 || remaining > 0
		}
		// Each job must move forward: a cursor followed once, the page
		// asked for, rows not those of an earlier job.
		cursors := newPageGuard(http.MethodGet, q.bulkPath(), 0, 0)
		seen := map[string]int{}
		for page := 1; ; page++ {
			res, err := q.runExportJob(ctx, job)
			if err != nil {
				yield(nil, err)
				return
			}
			if job.Query.PageToken == "" && res.Page != 0 && res.Page != page {
				yield(nil, badResponse(http.StatusOK, http.MethodGet, q.bulkPath(), nil, fmt.Sprintf("bulk read result is page %d, not %d", res.Page, page)))
				return
			}
			first, rows = "", 0
			if cont, err := q.exportRows(ctx, res, emit); err != nil || !cont {
				if err != nil {
					yield(nil, err)
				}
				return
			}
			if !res.MoreRecords {
				return
			}
			if res.Count == 0 || rows == 0 {
				yield(nil, badResponse(http.StatusOK, http.MethodGet, q.bulkPath(), nil, "bulk read job reports more records but exported none"))
				return
			}
			key := fmt.Sprint(first, "+", rows)
			if prev, ok := seen[key]; ok {
				yield(nil, badResponse(http.StatusOK, http.MethodGet, q.bulkPath(), nil, fmt.Sprintf("bulk read page %d repeats the records of page %d", page, prev)))
				return
			}
			seen[key] = page
			job.Query.Page, job.Query.PageToken = 0, ""
			if res.NextPageToken != "" {
				if err := cursors.next(res.NextPageToken); err != nil {
					yield(nil, err)
					return
				}
				job.Query.PageToken = res.NextPageToken
			} else {
				job.Query.Page = page + 1
			}
		}
	}
}

// bulkReadJob is the body of POST /crm/bulk/{v}/read.
type bulkReadJob struct {
	Query    bulkReadQuery `json:"query"`
	FileType string        `json:"file_type"`
}

type bulkReadQuery struct {
	Module    apiNameRef     `json:"module"`
	Fields    []string       `json:"fields,omitempty"`
	Criteria  *bulkCriterion `json:"criteria,omitempty"`
	Page      int            `json:"page,omitempty"`
	PageToken string         `json:"page_token,omitempty"`
}

type apiNameRef struct {
	APIName string `json:"api_name"`
}

// exportJob checks the query and builds the job that exports it; nothing
// is sent.
func (q Query[T]) exportJob() (bulkReadJob, error) {
	if err := q.rs.check(); err != nil {
		return bulkReadJob{}, err
	}
	module := q.rs.module()
	if q.offset > 0 {
		return bulkReadJob{}, fmt.Errorf("zohohub: Export of %s: Bulk Read cannot skip records; drop Offset (or use All)", module)
	}
	if len(q.order) > 0 {
		return bulkReadJob{}, fmt.Errorf("zohohub: Export of %s: Bulk Read exports in its own order; drop OrderBy (or use All)", module)
	}
	if err := q.checkSelect(); err != nil {
		return bulkReadJob{}, err
	}
	fields := q.fields
	if len(fields) == 0 {
		fields = q.rs.apiNames()
	}
	if len(fields) > maxBulkReadFields {
		return bulkReadJob{}, fmt.Errorf("zohohub: Export of %s: %d fields; Bulk Read exports at most %d: use Select", module, len(fields), maxBulkReadFields)
	}
	job := bulkReadJob{Query: bulkReadQuery{Module: apiNameRef{module}, Fields: fields}, FileType: "csv"}
	cond, filtered, err := q.checkedWhere()
	if err != nil {
		return bulkReadJob{}, err
	}
	if filtered {
		crit, err := cond.bulkCriteria()
		if err != nil {
			return bulkReadJob{}, err
		}
		job.Query.Criteria = &crit
	}
	return job, nil
}

func (q Query[T]) bulkPath() string { return "/crm/bulk/" + q.rs.c.version + "/read" }

// bulkReadResult is the result of a completed job.
type bulkReadResult struct {
	Page          int    `json:"page"`
	PerPage       int    `json:"per_page"`
	Count         int    `json:"count"`
	DownloadURL   string `json:"download_url"`
	MoreRecords   bool   `json:"more_records"`
	NextPageToken string `json:"next_page_token"`
	ErrorMessage  *struct {
		Status  string         `json:"status"`
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error_message"`
}

// runExportJob creates the job and polls it until it is completed.
func (q Query[T]) runExportJob(ctx context.Context, job bulkReadJob) (*bulkReadResult, error) {
	c := q.rs.c
	path := q.bulkPath()
	var created struct {
		Data []struct {
			Status  string `json:"status"`
			Code    string `json:"code"`
			Message string `json:"message"`
			Details struct {
				ID    string `json:"id"`
				State string `json:"state"`
			} `json:"details"`
		} `json:"data"`
	}
	resp, err := c.DoJSON(ctx, &Request{Method: http.MethodPost, Path: path, Body: job}, &created)
	if err != nil {
		return nil, err
	}
	if len(created.Data) == 0 || !validJobID(created.Data[0].Details.ID) {
		if len(created.Data) > 0 && strings.EqualFold(created.Data[0].Status, "error") {
			d := created.Data[0]
			return nil, &APIError{StatusCode: resp.StatusCode, Method: http.MethodPost, Path: path, Index: -1, Code: d.Code, Message: d.Message, Status: d.Status}
		}
		return nil, badResponse(resp.StatusCode, http.MethodPost, path, nil, "bulk read job created without an id")
	}
	statusPath := path + "/" + created.Data[0].Details.ID
	var res *bulkReadResult
	err = c.pollBulkJob(ctx, func() (bool, error) {
		var status struct {
			Data []struct {
				State  string          `json:"state"`
				Result *bulkReadResult `json:"result"`
			} `json:"data"`
		}
		resp, err := c.DoJSON(ctx, &Request{Method: http.MethodGet, Path: statusPath}, &status)
		if err != nil {
			return false, err
		}
		if len(status.Data) == 0 {
			return false, badResponse(resp.StatusCode, http.MethodGet, statusPath, resp.Body, "bulk read status without data")
		}
		d := status.Data[0]
		switch bulkStateOf(d.State) {
		case bulkRunning:
			return false, nil
		case bulkCompleted:
			if d.Result == nil || d.Result.DownloadURL == "" {
				return false, badResponse(resp.StatusCode, http.MethodGet, statusPath, nil, "bulk read job completed without a download_url")
			}
			res = d.Result
			return true, nil
		case bulkFailed:
			e := &APIError{StatusCode: resp.StatusCode, Method: http.MethodGet, Path: statusPath, Index: -1,
				Code: "FAILURE", Message: "bulk read job failed"}
			if d.Result != nil && d.Result.ErrorMessage != nil {
				em := d.Result.ErrorMessage
				e.Status, e.Details = em.Status, em.Details
				if em.Code != "" {
					e.Code = em.Code
				}
				if em.Message != "" {
					e.Message = "bulk read job failed: " + em.Message
				}
			}
			return false, e
		}
		return false, badResponse(resp.StatusCode, http.MethodGet, statusPath, nil, fmt.Sprintf("bulk read job in unknown state %q", d.State))
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// validJobID refuses ids, the empty one included, that would change the
// status path.
func validJobID(id string) bool { return checkID("Export", "", id) == nil }
