package zohotest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Bulk read (export), docs/wire.md §7 and Zoho's bulk_read OAS:
//
//	POST /crm/bulk/{v}/read                  → 201, job ADDED
//	GET  /crm/bulk/{v}/read/{job_id}         → 200, job state and result
//	GET  /crm/bulk/{v}/read/{job_id}/result  → 200, application/zip
//
// The records are a snapshot taken when the job is created. cvid, page_token
// and callback are accepted and ignored; file_type must be csv (there is no
// Events module for ics).

// readPerPage is how many records one bulk read job page holds, unless
// WithBulkReadPageSize says otherwise.
const readPerPage = 200000

// WithBulkReadPageSize sets how many records one bulk read job exports
// (Zoho: 200,000), so that a test can have a client follow more_records to
// further pages without seeding 200,000 records.
func WithBulkReadPageSize(n int) Option { return func(c *config) { c.bulkReadPerPage = n } }

func (s *Server) readPerPage() int {
	if s.cfg.bulkReadPerPage > 0 {
		return s.cfg.bulkReadPerPage
	}
	return readPerPage
}

// Errors carry the codes of bulk_read.json (MODULE_NOT_AVAILABLE,
// FIELD_NOT_AVAILABLE, the …_IN_CRITERIA_… codes of bulkcriteria.go).

// readJob is a bulk read job; nothing in it changes after creation.
type readJob struct {
	bulkJob
	query json.RawMessage // echoed by the status call
	page  int
	total int        // records matching, over all pages
	rows  [][]string // header and this page's records
}

type readRequest struct {
	Query struct {
		Module *struct {
			APIName string `json:"api_name"`
		} `json:"module"`
		Fields   []string      `json:"fields"`
		Criteria *bulkCriteria `json:"criteria"`
		Page     *int          `json:"page"`
	} `json:"query"`
	FileType string `json:"file_type"`
}

// createRead answers POST /crm/bulk/{v}/read.
func (c *call) createRead() {
	var raw struct {
		Query json.RawMessage `json:"query"`
	}
	var b readRequest
	if len(strings.TrimSpace(string(c.body))) == 0 {
		c.fail(newErr(400, "REQUEST_BODY_IS_EMPTY", "the request body is empty", nil))
		return
	}
	if err := decodeJSON(c.body, &b); err != nil || json.Unmarshal(c.body, &raw) != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object", nil))
		return
	}
	q := b.Query
	if q.Module == nil || q.Module.APIName == "" {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "module", "json_path": "$.query.module"}))
		return
	}
	module := q.Module.APIName
	if _, ok := c.s.meta.modules[module]; !ok {
		c.fail(newErr(400, "MODULE_NOT_AVAILABLE", fmt.Sprintf("Requested module '%s' is not available.", module), map[string]any{"api_name": "api_name", "json_path": "$.query.module.api_name"}))
		return
	}
	if b.FileType != "" && b.FileType != "csv" {
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "file_type", "json_path": "$.file_type", "supported_values": []string{"csv"}}))
		return
	}
	page := 1
	if q.Page != nil {
		page = *q.Page
		if page < 1 {
			c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "page", "json_path": "$.query.page"}))
			return
		}
	}
	s := c.s
	types := s.meta.fieldType
	fields := q.Fields
	if len(fields) == 0 {
		fields = s.meta.columns[module]
	}
	cols := make([]column, 0, len(fields))
	header := []string{"id"}
	for i, f := range fields {
		if f == "id" {
			continue // always the first column
		}
		col, ok := resolveColumn(module, f, types)
		if !ok {
			c.fail(newErr(400, "FIELD_NOT_AVAILABLE", "the field given is not available", map[string]any{"api_name": f, "json_path": fmt.Sprintf("$.query.fields[%d]", i)}))
			return
		}
		cols = append(cols, col)
		header = append(header, f)
	}
	var where *filter
	if q.Criteria != nil {
		n, zerr := q.Criteria.node(module, types, "$.query.criteria", 0)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		where = &filter{root: n}
	}

	lookup := s.lookupFunc()
	var matched []map[string]any
	for _, r := range s.records.module(module).snapshot() {
		if where.match(r, lookup) {
			matched = append(matched, r)
		}
	}
	rows := [][]string{header}
	perPage := s.readPerPage()
	start := min((page-1)*perPage, len(matched))
	for _, r := range matched[start:min(start+perPage, len(matched))] {
		pr := s.present(module, r)
		row := []string{pr["id"].(string)}
		for _, col := range cols {
			row = append(row, csvCell(col.value(pr, lookup)))
		}
		rows = append(rows, row)
	}
	job := &readJob{bulkJob: c.newJob(), query: raw.Query, page: page, total: len(matched), rows: rows}
	addJob(s.bulk, s.bulk.reads, job.id, job)
	writeJSON(c.w, 201, map[string]any{"data": []any{map[string]any{
		"status": "success", "code": "ADDED_SUCCESSFULLY", "message": "Added successfully.",
		"details": map[string]any{"id": job.id, "operation": "read", "state": "ADDED",
			"created_by": s.currentUserRef(), "created_time": job.createdT},
	}}, "info": map[string]any{}})
}

// csvCell renders a record value as bulk read does: lookups as their id,
// multi-select values joined with ";", datetimes as stored (ISO 8601).
func csvCell(v any) string {
	if s, ok := scalarText(v); ok {
		return s
	}
	switch x := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, 0, len(x))
		scalar := true
		for _, e := range x {
			s, ok := e.(string)
			scalar = scalar && ok
			parts = append(parts, s)
		}
		if scalar {
			return strings.Join(parts, ";")
		}
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// readStatus answers GET /crm/bulk/{v}/read/{job_id}.
func (c *call) readStatus(id string) {
	s := c.s
	job, ok := jobOf(c, s.bulk.reads, id, 404)
	if !ok {
		return
	}
	state := s.jobState(&job.bulkJob)
	var result any
	if state == "COMPLETED" {
		perPage := s.readPerPage()
		more := job.page*perPage < job.total
		result = map[string]any{"page": job.page, "per_page": perPage, "count": len(job.rows) - 1,
			"download_url": "/crm/bulk/" + job.ver + "/read/" + job.id + "/result", "more_records": more, "next_page_token": nil}
	}
	writeJSON(c.w, 200, map[string]any{"data": []any{map[string]any{
		"id": job.id, "operation": "read", "state": state, "query": job.query, "file_type": "csv",
		"created_by": s.currentUserRef(), "created_time": job.createdT, "result": result,
	}}})
}

// readResult answers GET /crm/bulk/{v}/read/{job_id}/result: a ZIP holding
// {job_id}.csv.
func (c *call) readResult(id string) {
	job, ok := findJob(c.s.bulk, c.s.bulk.reads, id)
	if !ok || c.s.jobState(&job.bulkJob) != "COMPLETED" {
		c.fail(jobNotFound(400))
		return
	}
	c.writeZip(&job.bulkJob, csvFile{name: job.id + ".csv", rows: job.rows})
}
