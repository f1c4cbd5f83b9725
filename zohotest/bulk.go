package zohotest

import (
	"strings"
	"sync"
	"time"
)

// Zoho's bulk APIs (docs/wire.md §7): bulk read (bulkread.go) exports records
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

// bulkJobs holds the bulk jobs and uploaded files under a lock of its
// own, held only to find or add one: a job's work (a snapshot to export,
// rows to import) is done outside it, and an import takes its module's
// lock one row at a time, so a slow job never blocks record calls.
type bulkJobs struct {
	mu     sync.Mutex
	reads  map[string]*readJob
	writes map[string]*writeJob
	files  map[string]*uploadedFile
}

func newBulkJobs() *bulkJobs {
	return &bulkJobs{reads: map[string]*readJob{}, writes: map[string]*writeJob{}, files: map[string]*uploadedFile{}}
}

// bulkJob is what bulk read and bulk write jobs share. Nothing in a job
// changes after it is added, so once found it is read without a lock.
type bulkJob struct {
	id, ver  string
	created  time.Time
	createdT string // created as Zoho formats it
}

// newJob starts a job of this call's API version.
func (c *call) newJob() bulkJob {
	now := c.s.cfg.now()
	return bulkJob{id: c.s.records.newID(), ver: c.version, created: now, createdT: zohoTime(now)}
}

// findJob looks id up in jobs, one of bulkJobs' maps.
func findJob[J any](b *bulkJobs, jobs map[string]*J, id string) (*J, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j, ok := jobs[id]
	return j, ok
}

// jobOf is findJob for a request naming the job: a job it does not know
// it answers with jobNotFound(status) itself.
func jobOf[J any](c *call, jobs map[string]*J, id string, status int) (*J, bool) {
	j, ok := findJob(c.s.bulk, jobs, id)
	if !ok {
		c.fail(jobNotFound(status))
	}
	return j, ok
}

// addJob adds a job to jobs, one of bulkJobs' maps.
func addJob[J any](b *bulkJobs, jobs map[string]*J, id string, j *J) {
	b.mu.Lock()
	defer b.mu.Unlock()
	jobs[id] = j
}

// state is the job's state, seen now.
func (s *Server) jobState(j *bulkJob) string {
	if s.cfg.now().Before(j.created.Add(s.cfg.bulkDelay)) {
		return "IN PROGRESS"
	}
	return "COMPLETED"
}

// jobNotFound is Zoho's answer for a job id it does not know, or a result
// that does not exist yet.
func jobNotFound(status int) *zerr {
	return newErr(status, "RESOURCE_NOT_FOUND", "The requested resource doesn't exist.", map[string]any{"resource": "job_id"})
}

// writeZip answers a downloaded result: {job_id}.zip holding files. It is
// built per download, outside any lock.
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
