package zohotest

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// Bulk write (import), docs/wire.md §7 and Zoho's bulk_write OAS:
//
//	POST /crm/{v}/upload                      → 200 FILE_UPLOAD_SUCCESS (Zoho: on the content host)
//	POST /crm/bulk/{v}/write                  → 201 SUCCESS, the job id
//	GET  /crm/bulk/{v}/write/{job_id}         → 200, job status and counts
//	GET  /crm/bulk/{v}/write/{job_id}/result  → 200, application/zip (Zoho: on its download host)
//
// Each CSV row goes through the same validation and write code as the
// records API (call.writeOne), so a row fails exactly when the same record
// sent as JSON would. The import runs when the job is created (bulk.go).

// maxUploadSize is Zoho's limit on an uploaded zip.
const maxUploadSize = 25 << 20

// maxFieldMappings is Zoho's limit on mapped fields per resource, and on
// the columns of a file.
const maxFieldMappings = 200

// maxFileRecords is Zoho's limit on the records (rows after the header) of
// one file.
const maxFileRecords = 25000

type uploadedFile struct {
	id   string
	name string     // of the CSV inside the zip
	rows [][]string // header first
}

type writeJob struct {
	bulkJob
	operation string
	encoding  string
	callback  json.RawMessage
	resources []*writeResource
}

type writeResource struct {
	req                            writeResourceRequest
	module                         string
	fileName                       string
	added, updated, skipped, total int
	result                         [][]string
}

type writeRequest struct {
	Operation         string                 `json:"operation"`
	IgnoreEmpty       bool                   `json:"ignore_empty"`
	CharacterEncoding string                 `json:"character_encoding"`
	Callback          json.RawMessage        `json:"callback,omitempty"`
	Resource          []writeResourceRequest `json:"resource"`
}

type writeResourceRequest struct {
	Type   string `json:"type"`
	Module *struct {
		APIName string `json:"api_name"`
	} `json:"module"`
	FileID        flexString     `json:"file_id"`
	FindBy        string         `json:"find_by,omitempty"`
	IgnoreEmpty   *bool          `json:"ignore_empty,omitempty"`
	FieldMappings []fieldMapping `json:"field_mappings"`
}

type fieldMapping struct {
	APIName      string `json:"api_name"`
	Index        *int   `json:"index,omitempty"`
	Format       string `json:"format,omitempty"`
	FindBy       string `json:"find_by,omitempty"`
	DefaultValue *struct {
		Value any `json:"value"`
	} `json:"default_value,omitempty"`
}

// flexString is a JSON string or number: Zoho's OAS types file_id as an
// integer, its samples send a string.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var v any
	if err := decodeJSON(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		*f = flexString(x)
	case json.Number:
		*f = flexString(x.String())
	case nil:
		*f = ""
	default:
		return fmt.Errorf("file_id is neither a string nor a number")
	}
	return nil
}

// orgZGID is the zgid of org.json, which uploads name in X-CRM-ORG.
func (s *Server) orgZGID() string {
	var doc struct {
		Org []struct {
			ZGID json.RawMessage `json:"zgid"`
		} `json:"org"`
	}
	data, err := fs.ReadFile(s.meta.fsys, "org.json")
	if err != nil || json.Unmarshal(data, &doc) != nil || len(doc.Org) == 0 {
		return ""
	}
	return strings.Trim(string(doc.Org[0].ZGID), `"`)
}

// upload answers POST /crm/{v}/upload.
func (c *call) upload() {
	s := c.s
	zgid := s.orgZGID()
	if c.r.Header.Get("feature") != "bulk-write" || zgid == "" || c.r.Header.Get("X-CRM-ORG") != zgid {
		// Zoho's content host answers header errors in this shape of its own.
		writeJSON(c.w, 400, map[string]any{"ERROR_MESSAGE": "Bad Request", "ERROR_CODE": 400,
			"x-error": "check if headers [feature, X-CRM-ORG] are present and valid", "http_status": "400"})
		return
	}
	data, size, err := c.formFile("file")
	if err != nil {
		c.fail(newErr(500, "INTERNAL_SERVER_ERROR", err.Error(), nil))
		return
	}
	if data == nil {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "file"}))
		return
	}
	defer data.Close()
	if size > maxUploadSize {
		c.fail(newErr(413, "FILE_TOO_LARGE", "File size too large to process", map[string]any{"limit": maxUploadSize}))
		return
	}
	name, content, err := unzipCSV(data, size)
	if err == errNotZip {
		c.fail(newErr(400, "INVALID_FILE_FORMAT", "invalid file format. only zip format is supported", nil))
		return
	}
	var rows [][]string
	if err == nil {
		rows, err = readCSV(content)
	}
	if err != nil || len(rows) == 0 {
		c.fail(newErr(400, "FILE_NOT_SUPPORTED", "File not supported for bulk write", nil))
		return
	}
	f := &uploadedFile{id: s.records.newID(), name: name, rows: rows}
	addJob(s.bulk, s.bulk.files, f.id, f)
	writeJSON(c.w, 200, map[string]any{"status": "success", "code": "FILE_UPLOAD_SUCCESS", "message": "file uploaded.",
		"details": map[string]any{"file_id": f.id, "created_time": zohoTime(s.cfg.now())}})
}

// formFile copies the multipart part named name to a temporary file, up
// to one byte past the upload limit, as the upload host stores a file: an
// upload costs the emulator no memory while it arrives. It returns nil
// when the part is missing, empty or cut short; closing the file removes
// it.
func (c *call) formFile(name string) (*spooledFile, int64, error) {
	mr, err := c.r.MultipartReader()
	if err != nil {
		return nil, 0, nil
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, 0, nil
		}
		if part.FormName() != name {
			continue
		}
		f, err := os.CreateTemp("", "zohotest-upload-*.zip")
		if err != nil {
			return nil, 0, err
		}
		file := &spooledFile{f}
		size, err := io.Copy(f, io.LimitReader(part, maxUploadSize+1))
		// A body cut short past the limit is still too large, not missing.
		if size > maxUploadSize || (err == nil && size > 0) {
			return file, size, nil
		}
		file.Close()
		return nil, 0, nil
	}
}

func missingKey(key string) *zerr {
	return newErr(400, "MISSING_REQUIRED_KEY", "required key "+key+" is not found in request body.", map[string]any{"api_name": key})
}

// createWrite answers POST /crm/bulk/{v}/write: it checks the job, runs it
// and answers its id.
func (c *call) createWrite() {
	var b writeRequest
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a valid bulk write request", nil))
		return
	}
	switch {
	case b.Operation == "":
		c.fail(missingKey("operation"))
		return
	case b.Operation != "insert" && b.Operation != "update" && b.Operation != "upsert":
		c.fail(newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "operation", "json_path": "$.operation",
			"supported_values": []string{"insert", "update", "upsert"}}))
		return
	case len(b.Resource) == 0:
		c.fail(missingKey("resource"))
		return
	}
	s := c.s
	files := make([]*uploadedFile, len(b.Resource))
	for i := range b.Resource {
		f, zerr := s.checkResource(b.Operation, &b.Resource[i], i)
		if zerr != nil {
			c.fail(zerr)
			return
		}
		files[i] = f
	}
	job := &writeJob{bulkJob: c.newJob(), operation: b.Operation, encoding: b.CharacterEncoding, callback: b.Callback}
	if job.encoding == "" {
		job.encoding = "UTF-8"
	}
	for i, rr := range b.Resource {
		ignoreEmpty := b.IgnoreEmpty
		if rr.IgnoreEmpty != nil {
			ignoreEmpty = *rr.IgnoreEmpty
		}
		res := &writeResource{req: rr, module: rr.Module.APIName, fileName: files[i].name}
		c.importRows(res, b.Operation, files[i].rows, ignoreEmpty)
		job.resources = append(job.resources, res)
	}
	addJob(s.bulk, s.bulk.writes, job.id, job)
	writeJSON(c.w, 201, map[string]any{"status": "success", "code": "SUCCESS", "message": "success",
		"details": map[string]any{"id": job.id, "created_by": s.currentUserRef()}})
}

// checkResource checks resource i of a job before anything is
// written, as Zoho rejects a job whose mapping is wrong.
func (s *Server) checkResource(op string, rr *writeResourceRequest, i int) (*uploadedFile, *zerr) {
	path := fmt.Sprintf("$.resource[%d]", i)
	if rr.Type != "" && rr.Type != "data" {
		return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "type", "json_path": path + ".type", "supported_values": []string{"data"}})
	}
	if rr.Module == nil || rr.Module.APIName == "" {
		return nil, missingKey("module")
	}
	module := rr.Module.APIName
	fields, ok := s.meta.fields[module]
	if !ok {
		return nil, newErr(400, "MODULE_NOT_AVAILABLE", fmt.Sprintf("Requested module '%s' is not available.", module), map[string]any{"api_name": "module", "json_path": path + ".module"})
	}
	if rr.FileID == "" {
		return nil, missingKey("file_id")
	}
	file, ok := findJob(s.bulk, s.bulk.files, string(rr.FileID))
	if !ok {
		return nil, newErr(400, "INVALID_FILE_ID", "improper file id", map[string]any{"api_name": "file_id", "json_path": path + ".file_id"})
	}
	if len(rr.FieldMappings) > maxFieldMappings || len(file.rows[0]) > maxFieldMappings {
		return nil, newErr(400, "HEADER_LIMIT_EXCEEDED", "the number of mapped fields or of the file's columns exceeds 200", map[string]any{"limit": maxFieldMappings})
	}
	// Zoho calls a file past its limits "improper" without naming the
	// error (docs/wire.md §7): the emulator answers as for other limits.
	if len(file.rows)-1 > maxFileRecords {
		return nil, newErr(400, "LIMIT_EXCEEDED", fmt.Sprintf("the file has %d records, more than %d", len(file.rows)-1, maxFileRecords),
			map[string]any{"api_name": "file_id", "json_path": path + ".file_id", "limit": maxFileRecords})
	}
	mapped := map[string]bool{}
	for j, m := range rr.FieldMappings {
		mpath := fmt.Sprintf("%s.field_mappings[%d]", path, j)
		fd, known := fields[m.APIName]
		if !known && m.APIName != "id" {
			return nil, newErr(400, "INVALID_FIELD", fmt.Sprintf("invalid mapping. invalid api_name %s.", m.APIName), map[string]any{"api_name": m.APIName, "json_path": mpath + ".api_name"})
		}
		if m.Index == nil && m.DefaultValue == nil {
			return nil, newErr(400, "MISSING_REQUIRED_KEY", fmt.Sprintf("required key index for field %s is not found in request body.", m.APIName), map[string]any{"api_name": "index", "json_path": mpath})
		}
		if m.Index != nil && (*m.Index < 0 || *m.Index >= len(file.rows[0])) {
			return nil, newErr(400, "COLUMN_INDEX_NOT_FOUND", fmt.Sprintf("column index %d for field %s is not found in the file.", *m.Index, m.APIName), map[string]any{"api_name": m.APIName, "json_path": mpath + ".index"})
		}
		if m.Format != "" {
			if _, ok := goLayout(m.Format); !ok || (fd.DataType != "date" && fd.DataType != "datetime") {
				return nil, newErr(400, "INVALID_FORMAT", "invalid format", map[string]any{"api_name": m.APIName, "json_path": mpath + ".format"})
			}
		}
		if m.FindBy != "" && !s.validLookupFindBy(fd, m.FindBy) {
			return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": m.APIName, "json_path": mpath + ".find_by"})
		}
		mapped[m.APIName] = true
	}
	if op != "insert" {
		if rr.FindBy == "" {
			return nil, missingKey("find_by")
		}
		fb, known := fields[rr.FindBy]
		if (rr.FindBy != "id" && (!known || !fb.IsUnique())) || !mapped[rr.FindBy] {
			return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "find_by", "json_path": path + ".find_by"})
		}
	}
	if op != "update" {
		var missing []string
		for api, fd := range fields {
			if fd.SystemMandatory && !fd.ReadOnly && !mapped[api] {
				missing = append(missing, api)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return nil, newErr(400, "MANDATORY_FIELDS_NOT_MAPPED", "All mandatory fields are not mapped for the layout", map[string]any{"expected_fields": missing})
		}
	}
	return file, nil
}

// writeStatus answers GET /crm/bulk/{v}/write/{job_id}.
func (c *call) writeStatus(id string) {
	s := c.s
	job, ok := jobOf(c, s.bulk.writes, id, 400)
	if !ok {
		return
	}
	state := s.jobState(&job.bulkJob)
	resources := make([]any, 0, len(job.resources))
	for _, res := range job.resources {
		file := map[string]any{"status": state, "name": res.fileName}
		if state == "COMPLETED" {
			file["added_count"], file["skipped_count"], file["updated_count"], file["total_count"] = res.added, res.skipped, res.updated, res.total
		}
		r := map[string]any{"status": state, "type": "data", "module": map[string]any{"api_name": res.module, "id": s.meta.modules[res.module].ID},
			"file_id": string(res.req.FileID), "field_mappings": res.req.FieldMappings, "file": file}
		if res.req.FindBy != "" {
			r["find_by"] = res.req.FindBy
		}
		if res.req.IgnoreEmpty != nil {
			r["ignore_empty"] = *res.req.IgnoreEmpty
		}
		resources = append(resources, r)
	}
	out := map[string]any{"status": state, "character_encoding": job.encoding, "resource": resources, "id": job.id,
		"created_by": s.currentUserRef(), "operation": job.operation, "created_time": job.createdT}
	if len(job.callback) > 0 {
		out["callback"] = job.callback
	}
	if state == "COMPLETED" {
		out["result"] = map[string]any{"download_url": s.base + "/crm/bulk/" + job.ver + "/write/" + job.id + "/result"}
	}
	writeJSON(c.w, 200, out)
}

// writeResult answers the download_url of a completed bulk write job: a
// ZIP with one CSV per resource, named {module}-{uploaded file name}.
func (c *call) writeResult(id string) {
	job, ok := findJob(c.s.bulk, c.s.bulk.writes, id)
	if !ok || c.s.jobState(&job.bulkJob) != "COMPLETED" {
		c.fail(jobNotFound(400))
		return
	}
	files := make([]csvFile, 0, len(job.resources))
	for _, res := range job.resources {
		files = append(files, csvFile{name: res.module + "-" + res.fileName, rows: res.result})
	}
	c.writeZip(&job.bulkJob, files...)
}
