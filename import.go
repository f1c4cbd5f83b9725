package zohohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// ImportThreshold is the number of records from which Import costs fewer
// API credits than SaveAll or UpsertAll: a Bulk Write job costs 500
// credits whatever its size, up to 25,000 records, where writes cost 1
// credit per 10 records (docs/wire.md §9). Below it SaveAll is cheaper, and
// quicker: its records are written when it returns, where a Bulk Write job
// waits in Zoho's queue.
const ImportThreshold = 5000

// ImportOption configures an Import.
type ImportOption func(*importConfig) error

type importConfig struct {
	// upsertBy is the find_by of an upsert; "" inserts new records and
	// updates the others by id.
	upsertBy string
	// orgID is the X-CRM-ORG of the upload; "" asks GET /org for it.
	orgID string
	// maxRows and maxBytes bound one job's file: its records, and the
	// bytes of its CSV (so that the zip is within Zoho's limit whatever it
	// compresses to).
	maxRows  int
	maxBytes int
}

// csvSlack is what the zip of a CSV may add to it: Deflate's stored
// blocks (5 bytes per 64 KiB) and the archive's headers.
const csvSlack = 64 << 10

func defaultImportConfig() importConfig {
	return importConfig{maxRows: maxBulkWriteRows, maxBytes: maxBulkWriteZipBytes - csvSlack}
}

// ImportUpsert makes Import upsert every record by findBy, the API name of
// a unique field every record fills (such as Email of Leads) or "id": a
// record matching an existing one updates it, any other is inserted. As
// with UpsertAll, importing the same records again writes each once.
func ImportUpsert(findBy string) ImportOption {
	return func(c *importConfig) error {
		if !validAPIName(findBy) {
			return fmt.Errorf("zohohub: ImportUpsert: %q is not a Zoho API name", findBy)
		}
		c.upsertBy = findBy
		return nil
	}
}

// ImportOrgID gives the organisation's id (zgid), which the upload names
// in its X-CRM-ORG header. Without it Import reads it from GET /org, which
// needs the scope ZohoCRM.org.READ.
func ImportOrgID(zgid string) ImportOption {
	return func(c *importConfig) error {
		if !validID(zgid) {
			return fmt.Errorf("zohohub: ImportOrgID: %s is not an organisation id (digits)", quoteShort(zgid))
		}
		c.orgID = zgid
		return nil
	}
}

// Import writes records through Zoho's Bulk Write API, as SaveAll does
// through the records API: new records are inserted, changed ones updated
// by id, unchanged ones left alone; with ImportUpsert every record is
// upserted. The result has one RecordResult per record, as SaveAll's, with
// Zoho's error code and field for each record it skipped.
//
// Each job's CSV is written from the records by their fields' codecs and
// zipped while it is uploaded, never held whole in memory; it goes to the
// environment's upload host (Environment.UploadURL). The job is then
// polled as Export polls (WithExportPolling) and its result downloaded.
// Jobs run one after the other, each of at most 25,000 records and a
// 25 MB file, Zoho's limits (docs/wire.md §7).
//
// Use Import for many records (see ImportThreshold), SaveAll for few. What
// differs from SaveAll: a record's columns are the fields it sends, but
// one file has one set of columns, so an empty cell means "leave as it
// is": Import cannot clear a field, and a record that would clear one fails
// alone (use Save). Files, subforms and multi-select lookups are not
// imported (ErrNotImportable); WithTriggers does not apply. Records written
// get their ID (and a new snapshot, so a later Save sends only what changes
// afterwards), not the other system fields.
//
// Outcomes: a record Zoho skipped failed with an *APIError (Code such as
// MANDATORY_NOT_FOUND, APIName the field); one that could not be written
// as CSV failed with a *FieldError before anything was sent. A job that
// could not be uploaded or created failed, with every record after it (not
// sent). Once a job is created Zoho runs it whatever the client does: if
// polling it or reading its result fails, or ctx ends, or Zoho reports the
// job failed, its records have an unknown outcome (*OutcomeUnknownError
// naming the job); import them again with ImportUpsert by a unique key to
// write each once. The error is then a *BatchError (Op "Import"). Nil
// records, an option that is wrong, or a record type with more than 200
// fields to send are errors before anything is sent.
func (rs *RecordSet[T]) Import(ctx context.Context, records []*T, opts ...ImportOption) (BatchResult, error) {
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	module := rs.info.module
	if ctx == nil {
		return BatchResult{}, fmt.Errorf("zohohub: Import %s: %w", module, errNilContext)
	}
	cfg := defaultImportConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return BatchResult{}, err
		}
	}
	if err := checkRecords("Import", module, records); err != nil {
		return BatchResult{}, err
	}
	res := BatchResult{Results: make([]RecordResult, len(records))}
	plans, err := rs.planImport(records, cfg, &res)
	if err != nil {
		return BatchResult{}, err
	}
	run := importRun[T]{rs: rs, cfg: cfg, res: &res}
	for _, p := range plans {
		run.all(ctx, p)
	}
	return res, rs.batchError("Import", res)
}

// importRun is one Import: its jobs, one after another.
type importRun[T any] struct {
	rs     *RecordSet[T]
	cfg    importConfig
	res    *BatchResult
	failed error // set once a job failed: what follows is not sent
}

// all runs the jobs of a plan until its rows are written.
func (r *importRun[T]) all(ctx context.Context, p *importPlan[T]) {
	for rows := p.rows; len(rows) > 0; {
		if r.failed != nil {
			r.fail(rows, fmt.Errorf("zohohub: Import %s: not sent, an earlier job failed: %w", r.rs.info.module, r.failed))
			return
		}
		n := r.job(ctx, p, rows)
		rows = rows[n:]
	}
}

// fail records err for rows that were not sent.
func (r *importRun[T]) fail(rows []importRow[T], err error) {
	for _, row := range rows {
		r.res.Results[row.index].Action, r.res.Results[row.index].Err = ActionFailed, err
	}
}

// unknown records err for rows a job may have written: rows[k] is row k
// of the job's file.
func (r *importRun[T]) unknown(rows []importRow[T], method, path string, err error) {
	for k, row := range rows {
		r.res.Results[row.index].Action = ActionUnknown
		r.res.Results[row.index].Err = &OutcomeUnknownError{Index: row.index, Position: k, Method: method, Path: path, Err: err}
	}
}

// job uploads the file of the first rows (as many as one file takes),
// creates a job for it, waits for it and settles its rows. It returns how
// many rows the file held; when it fails before the job exists, every row
// fails, and r.failed stops the import.
func (r *importRun[T]) job(ctx context.Context, p *importPlan[T], rows []importRow[T]) int {
	c, module := r.rs.c, r.rs.info.module
	if err := ctx.Err(); err != nil {
		r.fail(rows, err) // not sent
		r.failed = err
		return len(rows)
	}
	if r.cfg.orgID == "" {
		zgid, err := c.orgZGID(ctx)
		if err != nil {
			r.fail(rows, err)
			r.failed = err
			return len(rows)
		}
		r.cfg.orgID = zgid
	}
	fileID, n, err := r.upload(ctx, p, rows)
	if err != nil {
		r.fail(rows, err) // an uploaded file writes nothing by itself
		r.failed = err
		return len(rows)
	}
	rows = rows[:n]
	writePath := "/crm/bulk/" + c.version + "/write"
	jobID, err := r.create(ctx, p, fileID, rows, writePath)
	if err != nil {
		return n // create settled the rows
	}
	c.log.DebugContext(ctx, "zohohub: bulk write job created", slog.String("module", module), slog.String("job", jobID), slog.Int("records", n))
	statusPath := writePath + "/" + jobID
	resultURL, err := r.wait(ctx, statusPath, jobID)
	if err == nil {
		err = r.settle(ctx, p, rows, jobID, resultURL, writePath)
	}
	if err != nil {
		r.unknown(rows, http.MethodPost, writePath, &textError{text: "bulk write job " + jobID + ": " + strings.TrimPrefix(err.Error(), "zohohub: "), cause: err})
	}
	return n
}

// upload streams the file of the first rows to the upload host and
// returns its file id and how many rows it holds.
func (r *importRun[T]) upload(ctx context.Context, p *importPlan[T], rows []importRow[T]) (fileID string, n int, err error) {
	c, module := r.rs.c, r.rs.info.module
	file := newImportFile(func(w *importFileWriter) error { return r.rs.writeImportFile(w, p, rows, r.cfg) })
	defer file.Close()
	up, err := newUpload("Import", module+".zip", file, maxBulkWriteZipBytes)
	if err != nil {
		return "", 0, err
	}
	path := "/crm/" + c.version + "/upload"
	t := &transfer{method: http.MethodPost, path: path, host: c.env.UploadURL, upload: up, op: "Import " + module,
		header: http.Header{"Feature": {"bulk-write"}, "X-Crm-Org": {r.cfg.orgID}}}
	resp, _, err := c.stream(ctx, t)
	if err != nil {
		return "", 0, err
	}
	n, complete := file.rows()
	if !complete || n == 0 || resp == nil {
		return "", 0, badResponse(http.StatusOK, http.MethodPost, path, nil, "upload answered before the whole file was sent")
	}
	var body struct {
		Status  string `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Details struct {
			FileID json.RawMessage `json:"file_id"`
		} `json:"details"`
	}
	if json.Unmarshal(resp.Body, &body) != nil {
		return "", 0, badResponse(http.StatusOK, http.MethodPost, path, nil, "upload answer is not JSON")
	}
	if strings.EqualFold(body.Status, "error") {
		return "", 0, &APIError{StatusCode: resp.StatusCode, Method: http.MethodPost, Path: path, Index: -1, Code: body.Code, Message: body.Message, Status: body.Status}
	}
	// Zoho's OAS types file_id as a number, its samples send a string.
	fileID = strings.Trim(string(body.Details.FileID), `"`)
	if !validID(fileID) {
		return "", 0, badResponse(resp.StatusCode, http.MethodPost, path, nil, "upload answered without a valid file_id: "+quoteShort(fileID))
	}
	return fileID, n, nil
}

// bulkWriteJob is the body of POST /crm/bulk/{v}/write (docs/wire.md §7).
type bulkWriteJob struct {
	Operation   string              `json:"operation"`
	IgnoreEmpty bool                `json:"ignore_empty"`
	Resource    []bulkWriteResource `json:"resource"`
}

type bulkWriteResource struct {
	Type          string             `json:"type"`
	Module        apiNameRef         `json:"module"`
	FileID        string             `json:"file_id"`
	FindBy        string             `json:"find_by,omitempty"`
	FieldMappings []bulkFieldMapping `json:"field_mappings"`
}

type bulkFieldMapping struct {
	APIName string `json:"api_name"`
	Index   int    `json:"index"`
	Format  string `json:"format,omitempty"`
}

// create starts the job of an uploaded file. When it fails, it settles
// the rows: failed when Zoho refused the job, unknown when it may have
// created it.
func (r *importRun[T]) create(ctx context.Context, p *importPlan[T], fileID string, rows []importRow[T], path string) (string, error) {
	c := r.rs.c
	job := bulkWriteJob{Operation: p.op, IgnoreEmpty: true, Resource: []bulkWriteResource{{
		Type: "data", Module: apiNameRef{r.rs.info.module}, FileID: fileID, FindBy: p.findBy, FieldMappings: p.mappings()}}}
	var created struct {
		Status  string `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Details struct {
			ID string `json:"id"`
		} `json:"details"`
	}
	var tr sendTrace
	resp, err := c.DoJSON(tr.context(ctx), &Request{Method: http.MethodPost, Path: path, Body: job}, &created)
	switch {
	case err == nil && strings.EqualFold(created.Status, "error"):
		err = &APIError{StatusCode: resp.StatusCode, Method: http.MethodPost, Path: path, Index: -1, Code: created.Code, Message: created.Message, Status: created.Status}
	case err == nil && !validJobID(created.Details.ID):
		bad := badResponse(resp.StatusCode, http.MethodPost, path, nil, "bulk write job created without a valid id: "+quoteShort(created.Details.ID))
		r.unknown(rows, http.MethodPost, path, bad)
		return "", bad
	case err == nil:
		return created.Details.ID, nil
	}
	if c.mayHaveApplied(err, &tr) {
		r.unknown(rows, http.MethodPost, path, err)
	} else {
		r.fail(rows, err)
		r.failed = err
	}
	return "", err
}

// bulkWriteStatus is the answer of GET /crm/bulk/{v}/write/{job_id}.
type bulkWriteStatus struct {
	Status   string `json:"status"`
	Resource []struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	} `json:"resource"`
	Result *struct {
		DownloadURL string `json:"download_url"`
	} `json:"result"`
}

// wait polls the job until it is done and returns its result's URL.
func (r *importRun[T]) wait(ctx context.Context, statusPath, jobID string) (string, error) {
	c := r.rs.c
	var resultURL string
	err := c.pollBulkJob(ctx, func() (bool, error) {
		var st bulkWriteStatus
		resp, err := c.DoJSON(ctx, &Request{Method: http.MethodGet, Path: statusPath}, &st)
		if err != nil {
			return false, err
		}
		switch bulkStateOf(st.Status) {
		case bulkRunning:
			return false, nil
		case bulkCompleted:
			if st.Result == nil || st.Result.DownloadURL == "" {
				return false, badResponse(resp.StatusCode, http.MethodGet, statusPath, nil, "bulk write job completed without a download_url")
			}
			resultURL = st.Result.DownloadURL
			return true, nil
		case bulkFailed:
			e := &APIError{StatusCode: resp.StatusCode, Method: http.MethodGet, Path: statusPath, Index: -1, Code: "FAILED",
				Message: "Zoho reports the job failed; some of its records may have been written"}
			if len(st.Resource) > 0 && st.Resource[0].Code != "" {
				e.Code = st.Resource[0].Code
			}
			return false, e
		}
		return false, badResponse(resp.StatusCode, http.MethodGet, statusPath, nil, fmt.Sprintf("bulk write job in unknown status %s", quoteShort(st.Status)))
	})
	return resultURL, err
}

// orgZGID reads the organisation's zgid, which a bulk write upload names
// in X-CRM-ORG (docs/wire.md §7).
func (c *Client) orgZGID(ctx context.Context) (string, error) {
	var body struct {
		Org []struct {
			ZGID json.RawMessage `json:"zgid"`
		} `json:"org"`
	}
	resp, err := c.DoJSON(ctx, &Request{Method: http.MethodGet, Path: "org"}, &body)
	if err != nil {
		return "", fmt.Errorf("zohohub: Import: reading the organisation's id for the upload (or give it with ImportOrgID): %w", err)
	}
	zgid := ""
	if len(body.Org) > 0 {
		zgid = strings.Trim(string(body.Org[0].ZGID), `"`)
	}
	if !validID(zgid) {
		return "", badResponse(resp.StatusCode, http.MethodGet, "org", nil, "organisation without a valid zgid: "+quoteShort(zgid))
	}
	return zgid, nil
}

// errImportCannotClear is the cause of a *FieldError for a field an
// update would clear: in a Bulk Write file an empty cell leaves the field
// as it is.
var errImportCannotClear = errors.New("Import cannot clear a field (an empty cell leaves it as it is): clear it with Save or SaveAll")
