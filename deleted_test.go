package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// collectDeleted returns the ids a deleted-records query yields, failing
// the test on an error.
func collectDeleted[T any](t *testing.T, q zohohub.DeletedQuery[T]) []string {
	t.Helper()
	var ids []string
	for d, err := range q.All(context.Background()) {
		if err != nil {
			t.Fatalf("after %d deleted records: %v", len(ids), err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

// TestDeletedYieldsExactlyTheDeletedRecords deletes 300 of 1,000 leads in
// zohotest and lists them back through GET /Leads/deleted, which pages
// them 200 at a time; 50 more deleted a minute later are all that
// If-Modified-Since lets the emulator answer.
func TestDeletedYieldsExactlyTheDeletedRecords(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).UnixNano())
	srv, c := emulatorClient(t, zohotest.WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	ctx := context.Background()
	seedLeads(t, srv, 1000)
	leads := zohohub.Records[modules.Lead](c)
	all, err := leads.Query().Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gone, later []*modules.Lead
	for i, l := range all {
		switch {
		case i%10 < 3:
			gone = append(gone, l)
		case i%20 == 3:
			later = append(later, l)
		}
	}
	if _, err := leads.DeleteAll(ctx, gone); err != nil {
		t.Fatal(err)
	}
	want := idsOf(gone)
	if len(want) != 300 {
		t.Fatalf("deleted %d leads, want 300", len(want))
	}
	srv.ResetRequests()
	got := collectDeleted(t, leads.Deleted(zohohub.DeletedAll))
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("deleted ids differ: got %d, want %d", len(got), len(want))
	}
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, url.Values(r.Query).Get("page")+"/"+strconv.Itoa(r.Status))
	}
	if !slices.Equal(pages, []string{"1/200", "2/200"}) {
		t.Fatalf("requests (page/status) %v, want two pages of at most 200", pages)
	}
	for d, err := range leads.Deleted(zohohub.DeletedRecycle).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if d.Type != zohohub.DeletedRecycle || !d.DeletedTime.Equal(time.Unix(0, clock.Load())) || d.DeletedBy.ID == "" {
			t.Fatalf("entry %+v: want type recycle, deleted at the emulator's time and who deleted it", d)
		}
		break
	}
	if got := collectDeleted(t, leads.Deleted(zohohub.DeletedPermanent)); len(got) != 0 {
		t.Fatalf("permanently deleted: %d records, want none (they are in the recycle bin)", len(got))
	}

	mark := time.Unix(0, clock.Load()).Add(30 * time.Second)
	clock.Add(int64(time.Minute))
	if _, err := leads.DeleteAll(ctx, later); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	got = collectDeleted(t, leads.Deleted(zohohub.DeletedAll).Since(mark))
	slices.Sort(got)
	if want := idsOf(later); len(want) != 50 || !slices.Equal(got, want) {
		t.Fatalf("deleted since %v: %d ids, want the %d deleted after it", mark, len(got), len(want))
	}
	if reqs := srv.Requests(); len(reqs) != 1 {
		t.Fatalf("%d requests for 50 entries, want 1: the emulator filters by If-Modified-Since", len(reqs))
	}
	var body struct {
		Data []map[string]any `json:"data"`
	}
	req := &zohohub.Request{Path: "Leads/deleted", Header: http.Header{"If-Modified-Since": {mark.Format(http.TimeFormat)}}}
	if _, err := c.DoJSON(ctx, req, &body); err != nil || len(body.Data) != 50 {
		t.Fatalf("If-Modified-Since as an HTTP date: %d entries, %v; want 50", len(body.Data), err)
	}
	req.Header.Set("If-Modified-Since", time.Unix(0, clock.Load()).Format(time.RFC3339))
	resp, err := c.Do(ctx, req)
	if err != nil || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("nothing deleted since: %v, %v; want 304", resp, err)
	}
	if got := collectDeleted(t, leads.Deleted(zohohub.DeletedAll).Since(time.Unix(0, clock.Load()).Add(time.Hour))); len(got) != 0 {
		t.Fatalf("deleted after a time to come: %d records, want none", len(got))
	}
	var apiErr *zohohub.APIError
	if _, err := c.Do(ctx, &zohohub.Request{Path: "Leads/deleted", Query: url.Values{"per_page": {"201"}}}); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("per_page 201: %v, want INVALID_DATA", err)
	}
}

// idsOf returns the records' ids, sorted.
func idsOf(recs []*modules.Lead) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	slices.Sort(ids)
	return ids
}

// deletedServer answers GET /crm/v8/Leads/deleted with the pages given,
// recording the query and header of each call.
func deletedServer(t *testing.T, pages ...string) (*zohohub.Client, *[]*http.Request) {
	t.Helper()
	var calls []*http.Request
	var n atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, r)
		i := int(n.Add(1)) - 1
		if r.URL.Path != "/crm/v8/Leads/deleted" || i >= len(pages) {
			http.Error(w, `{"code":"INVALID_URL_PATTERN","status":"error","message":"no"}`, http.StatusNotFound)
			return
		}
		if pages[i] == "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, pages[i])
	}))
	t.Cleanup(hs.Close)
	env, err := auth.Custom(hs.URL, hs.URL, hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("tok")),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c, &calls
}

// deletedPage is a page of n entries numbered from first.
func deletedPage(first, n int, more bool) string {
	var items []string
	for i := range n {
		items = append(items, fmt.Sprintf(`{"id":"%d","display_name":"x","type":"permanent","deleted_time":"2024-05-01T10:00:%02d+05:30",`+
			`"deleted_by":{"id":"1","name":"Jane"},"created_by":{"id":"2","name":"Joe"}}`, first+i, i%60))
	}
	return fmt.Sprintf(`{"data":[%s],"info":{"per_page":200,"count":%d,"page":1,"more_records":%t}}`, strings.Join(items, ","), n, more)
}

func TestDeletedPagesUntilNoMoreRecords(t *testing.T) {
	c, calls := deletedServer(t, deletedPage(1, 200, true), deletedPage(201, 200, true), deletedPage(401, 7, false))
	since := time.Date(2024, 5, 1, 4, 0, 0, 0, time.UTC)
	leads := zohohub.Records[modules.Lead](c)
	got := collectDeleted(t, leads.Deleted(zohohub.DeletedPermanent).Since(since))
	if len(got) != 407 || got[0] != "1" || got[406] != "407" {
		t.Fatalf("got %d ids (%v … %v), want 1 … 407", len(got), got[:1], got[len(got)-1:])
	}
	if len(*calls) != 3 {
		t.Fatalf("%d requests, want 3", len(*calls))
	}
	for i, r := range *calls {
		q := r.URL.Query()
		if q.Get("page") != strconv.Itoa(i+1) || q.Get("per_page") != "200" || q.Get("type") != "permanent" {
			t.Errorf("request %d: query %s", i, r.URL.RawQuery)
		}
		if h := r.Header.Get("If-Modified-Since"); h != "2024-05-01T04:00:00Z" {
			t.Errorf("request %d: If-Modified-Since %q", i, h)
		}
	}
}

func TestDeletedSkipsEntriesNotAfterSince(t *testing.T) {
	// A server that ignores If-Modified-Since lists older entries; they are
	// not yielded. deleted_time 10:00:00+05:30 … 10:00:04+05:30 is 04:30:00Z …
	c, _ := deletedServer(t, deletedPage(1, 5, false))
	since := time.Date(2024, 5, 1, 4, 30, 2, 0, time.UTC)
	got := collectDeleted(t, zohohub.Records[modules.Lead](c).Deleted(zohohub.DeletedAll).Since(since))
	if !slices.Equal(got, []string{"4", "5"}) {
		t.Fatalf("got %v, want the entries deleted after %v: [4 5]", got, since)
	}
}

func TestDeletedNoContentIsNoRecords(t *testing.T) {
	c, calls := deletedServer(t, "")
	if got := collectDeleted(t, zohohub.Records[modules.Lead](c).Deleted("")); len(got) != 0 {
		t.Fatalf("got %v from a 204", got)
	}
	if q := (*calls)[0].URL.Query(); q.Get("type") != "all" {
		t.Fatalf(`type %q, want "all" by default`, q.Get("type"))
	}
}

func TestDeletedRefusesWhatIsNotADeletedRecord(t *testing.T) {
	for name, page := range map[string]string{
		"id not a string":      `{"data":[{"id":12,"deleted_time":"2024-05-01T10:00:00+05:30"}],"info":{"more_records":false}}`,
		"id with a slash":      `{"data":[{"id":"12/../34","deleted_time":"2024-05-01T10:00:00+05:30"}],"info":{"more_records":false}}`,
		"id missing":           `{"data":[{"deleted_time":"2024-05-01T10:00:00+05:30"}],"info":{"more_records":false}}`,
		"no deleted_time":      `{"data":[{"id":"12"}],"info":{"more_records":false}}`,
		"deleted_time garbage": `{"data":[{"id":"12","deleted_time":"yesterday"}],"info":{"more_records":false}}`,
		"more but empty":       `{"data":[],"info":{"more_records":true}}`,
		"not JSON":             `<html>login</html>`,
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := deletedServer(t, page, page)
			var err error
			n := 0
			for _, e := range zohohub.Records[modules.Lead](c).Deleted(zohohub.DeletedAll).All(context.Background()) {
				if e != nil {
					err = e
					break
				}
				n++
			}
			if !errors.Is(err, zohohub.ErrBadResponse) || n != 0 {
				t.Fatalf("yielded %d records and error %v, want ErrBadResponse", n, err)
			}
		})
	}
}

func TestDeletedRefusesAnUnknownType(t *testing.T) {
	c, calls := deletedServer(t)
	for _, err := range zohohub.Records[modules.Lead](c).Deleted("trash").All(context.Background()) {
		if err == nil || !strings.Contains(err.Error(), `"trash"`) {
			t.Fatalf("error %v, want one naming the type", err)
		}
	}
	if len(*calls) != 0 {
		t.Fatalf("%d requests sent for an invalid type", len(*calls))
	}
}
