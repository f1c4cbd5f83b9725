package zohohub

import (
	"context"
	"strings"
)

// What Zoho's two kinds of bulk job share (docs/wire.md §7): a job runs on
// Zoho's side after it is created, and its status is polled until it is
// done. Bulk read (export.go) names its progress "state", bulk write
// (import.go) "status", with the same words.

// bulkState is where a bulk job stands.
type bulkState int

const (
	bulkUnknownState bulkState = iota // a word Zoho does not document
	bulkRunning
	bulkCompleted
	bulkFailed
)

// bulkStateOf reads Zoho's word for a job's progress: ADDED, QUEUED,
// IN PROGRESS (INPROGRESS in some samples), COMPLETED, FAILURE (bulk read)
// or FAILED (bulk write).
func bulkStateOf(s string) bulkState {
	switch strings.ToUpper(strings.ReplaceAll(s, "_", " ")) {
	case "ADDED", "QUEUED", "IN PROGRESS", "INPROGRESS", "SCHEDULED":
		return bulkRunning
	case "COMPLETED":
		return bulkCompleted
	case "FAILURE", "FAILED":
		return bulkFailed
	}
	return bulkUnknownState
}

// pollBulkJob calls status after each wait of the client's bulk job
// backoff (WithExportPolling: the first wait, doubling up to the longest)
// until it reports the job done or fails, or ctx ends.
func (c *Client) pollBulkJob(ctx context.Context, status func() (done bool, err error)) error {
	wait := c.exportPoll
	for {
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		wait = min(wait*2, c.exportPollMax)
		if done, err := status(); done || err != nil {
			return err
		}
	}
}
