package zohohub_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// actionsAnswering is a client of a server answering every request with
// status and body.
func actionsAnswering(t *testing.T, status int, body string) *zohohub.Client {
	t.Helper()
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	return c
}

// TestActionsDistrustTheWire: answers about another record than the one
// sent, without a job id, with an unknown state or a count that is not
// one are errors matching ErrBadResponse, never successes.
func TestActionsDistrustTheWire(t *testing.T) {
	ctx := context.Background()
	const asked, other = "1111111111", "2222222222"
	success := `{"data":[{"code":"SUCCESS","details":{"id":"` + other + `","tags":[]},"message":"tags updated successfully","status":"success"}]}`

	leads := zohohub.Records[modules.Lead](actionsAnswering(t, 200, success))
	res, err := leads.AddTagsAll(ctx, []string{asked}, zohohub.Tag{Name: "Hot"})
	if !errors.Is(err, zohohub.ErrOutcomeUnknown) || res.Results[0].Action != zohohub.ActionUnknown || !errors.Is(res.Results[0].Err, zohohub.ErrBadResponse) {
		t.Fatalf("a success about another record: %+v %v", res.Results, err)
	}
	l := &modules.Lead{}
	l.ID = asked
	if err := leads.AddTags(ctx, l, zohohub.Tag{Name: "Hot"}); !errors.Is(err, zohohub.ErrBadResponse) || l.Tag != nil {
		t.Fatalf("one record, another's answer: %v %+v", err, l.Tag)
	}
	if err := leads.ChangeOwner(ctx, l, other); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Fatalf("change owner, another's answer: %v", err)
	}

	noJob := `{"data":[{"code":"SUCCESS","details":{},"message":"mass update scheduled successfully","status":"success"}]}`
	leads = zohohub.Records[modules.Lead](actionsAnswering(t, 200, noJob))
	if _, err := leads.MassUpdateWhere(ctx, &modules.Lead{City: "Oslo"}, modules.LeadCity.Equals("Rome")); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Fatalf("scheduled without a job id: %v", err)
	}

	for _, body := range []string{`{"data":[{"Status":"EXPLODED"}]}`, `{"data":[]}`, `{"data":[{"Status":"COMPLETED","Total_Count":-1}]}`} {
		leads = zohohub.Records[modules.Lead](actionsAnswering(t, 200, body))
		job := zohoJob(t, leads)
		if _, err := job.Status(ctx); !errors.Is(err, zohohub.ErrBadResponse) {
			t.Errorf("status %s: %v", body, err)
		}
	}

	leads = zohohub.Records[modules.Lead](actionsAnswering(t, 200, `{"tags":[{"name":"Hot","id":"../x"}],"info":{"count":1}}`))
	if _, err := leads.Tags(ctx); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Fatalf("a tag whose id is a path: %v", err)
	}
	leads = zohohub.Records[modules.Lead](actionsAnswering(t, 200, `{"count":"many"}`))
	if _, err := leads.TagRecordCount(ctx, asked); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Fatalf("a count that is none: %v", err)
	}
	leads = zohohub.Records[modules.Lead](actionsAnswering(t, 201, `{"tags":[]}`))
	if _, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot"}); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Fatalf("no outcome for the tag made: %v", err)
	}
	leads = zohohub.Records[modules.Lead](actionsAnswering(t, 400, `{"tags":[{"code":"DUPLICATE_DATA","details":{"api_name":"name"},"message":"duplicate data","status":"error"}]}`))
	var apiErr *zohohub.APIError
	if _, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot"}); !errors.As(err, &apiErr) || apiErr.Code != "DUPLICATE_DATA" {
		t.Fatalf("an error in the tags array: %v", err)
	}
}

// zohoJob is a mass update job of leads' client.
func zohoJob(t *testing.T, leads *zohohub.RecordSet[modules.Lead]) *zohohub.MassUpdateJob {
	t.Helper()
	job, err := leads.MassUpdateJob("3333333333")
	if err != nil {
		t.Fatal(err)
	}
	return job
}
