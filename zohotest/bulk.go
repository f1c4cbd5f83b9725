package zohotest

import (
	"strings"
	"time"
)

// Zoho's bulk APIs (api-notes §7): bulk read (bulkread.go) exports records
// as a zipped CSV, bulk write (bulkwrite.go) imports one. Both are
// asynchronous jobs; here a job's state is a function of the server's clock
// (WithClock), so tests stay deterministic:
//
//   - the create call answers state ADDED;
//   - a status call earlier than the job's creation time plus the bulk job
//     delay (WithBulkJobDelay, default 0) answers IN PROGRESS;
//   - from then on the job is COMPLETED and its result can be downloaded.
//
// With the default delay of 0 the first status call already sees the job
// COMPLETED. The work itself (the snapshot of records to export, or the
// import of the CSV) is done when the job is created; Zoho does it later.
// Callbacks are accepted and never called.

// WithBulkJobDelay sets how long, on the server's clock, a bulk read or
// bulk write job stays IN PROGRESS after it is created (default 0: the
// first status call sees it COMPLETED). Use it with WithClock to test a
// client's polling.
func WithBulkJobDelay(d time.Duration) Option { return func(c *config) { c.bulkDelay = d } }

// bulkState holds the bulk jobs and uploaded files; Server.mu guards the
// maps' contents (newServer makes the maps, nothing replaces them).
type bulkState struct {
	reads  map[string]*readJob
	writes map[string]*writeJob
	files  map[string]*uploadedFile
}

func newBulkState() bulkState {
	return bulkState{reads: map[string]*readJob{}, writes: map[string]*writeJob{}, files: map[string]*uploadedFile{}}
}

// bulkJob is what bulk read and bulk write jobs share. Nothing in a job
// changes after creation, so once looked up it is read without Server.mu.
type bulkJob struct {
	id, ver  string
	created  time.Time
	createdT string // created as Zoho formats it
}

func (s *Server) newJobLocked(ver string) bulkJob {
	now := s.cfg.now()
	return bulkJob{id: s.newIDLocked(), ver: ver, created: now, createdT: zohoTime(now)}
}

// findJob looks id up in jobs, one of s.bulk's maps.
func findJob[J any](s *Server, jobs map[string]*J, id string) (*J, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := jobs[id]
	return j, ok
}

// state is the job's state, seen now.
func (s *Server) jobState(j *bulkJob) string {
	if s.cfg.now().Before(j.created.Add(s.cfg.bulkDelay)) {
		return "IN PROGRESS"
	}
	return "COMPLETED"
}

// bulk answers /crm/bulk/{v}/… (bulk is true) and /crm/{v}/upload, the
// file upload that Zoho serves on its content host.
func (c *call) bulk(bulk bool, ver string, p []string) {
	switch {
	case !bulk:
		if c.method("POST") {
			c.upload()
		}
	case p[0] == "read" && len(p) == 1:
		if c.method("POST") {
			c.createRead(ver)
		}
	case p[0] == "read" && len(p) == 2:
		if c.method("GET") {
			c.readStatus(ver, p[1])
		}
	case p[0] == "read" && len(p) == 3 && p[2] == "result":
		if c.method("GET") {
			c.readResult(p[1])
		}
	case p[0] == "write" && len(p) == 1:
		if c.method("POST") {
			c.createWrite(ver)
		}
	case p[0] == "write" && len(p) == 2:
		if c.method("GET") {
			c.writeStatus(p[1])
		}
	case p[0] == "write" && len(p) == 3 && p[2] == "result":
		if c.method("GET") {
			c.writeResult(p[1])
		}
	default:
		c.fail(errURLPattern())
	}
}

// jobNotFound is Zoho's answer for a job id it does not know, or a result
// that does not exist yet.
func jobNotFound(status int) *zerr {
	return newErr(status, "RESOURCE_NOT_FOUND", "The requested resource doesn't exist.", map[string]any{"resource": "job_id"})
}

// writeZip answers a downloaded result: {job_id}.zip holding files. It is
// built per download, outside Server.mu.
func (c *call) writeZip(j *bulkJob, files ...csvFile) {
	data, err := zipCSV(files...)
	if err != nil {
		c.fail(newErr(500, "INTERNAL_SERVER_ERROR", err.Error(), nil))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(j.id+".zip", `"`, "")+`"`)
	c.w.WriteHeader(200)
	c.w.Write(data)
}
