package mirror_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// within polls cond every 20 ms for up to d and returns how long it took,
// failing the test when it never held.
func within(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// companyOf returns the company column of lead id, and false when the row
// is missing.
func companyOf(t *testing.T, e engine, id string) (string, bool) {
	t.Helper()
	var company sql.NullString
	err := e.db.Get(&company, e.db.Rebind("SELECT company FROM "+e.quote(e.prefix+"leads")+" WHERE id = ?"), id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return company.String, true
}

// newLead creates a lead through the API (so that the emulator notifies
// it) and returns its id.
func newLead(t *testing.T, leads *zohohub.RecordSet[zohohub.AnyRecord], company string) string {
	t.Helper()
	r := &zohohub.AnyRecord{}
	r.Set("Last_Name", "Notified")
	r.Set("Company", company)
	if err := leads.Save(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// Watch fed by Notifications: a create, an update and a delete in the
// emulator reach the table within 2 s through a notification (the next
// pass is an hour away); the channel is renewed before it expires; a
// channel Zoho dropped is enabled again and a pass catches what it did not
// notify meanwhile; the channel is disabled when the watch ends.
func TestWatchThroughNotifications(t *testing.T) {
	srv := zohotest.New(t)
	seedLeads(t, srv, 50, nil)
	e := postgresEngine(t)
	m, _, c := mirrorOf(t, srv, e)
	var n *mirror.Notifications
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Handler().ServeHTTP(w, r) }))
	defer hs.Close()
	n, err := mirror.NewNotifications(c, hs.URL+"/zoho/notify", []string{"Leads"}, mirror.WithChannelLifetime(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var passes []mirror.Summary
	ran := make(chan error, 1)
	go func() { ran <- n.Run(ctx) }()
	watched := make(chan error, 1)
	go func() {
		watched <- m.Watch(ctx, time.Hour, []string{"Leads"}, n.Changes(), func(s mirror.Summary, err error) {
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			passes = append(passes, s)
			mu.Unlock()
		})
	}()
	within(t, 5*time.Second, "the first pass and the channel", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(passes) > 0 && len(srv.WatchChannels()) == 1
	})
	leads := zohohub.RecordsOf(c, "Leads")

	id := newLead(t, leads, "Created Co")
	took := within(t, 2*time.Second, "a created lead", func() bool { _, ok := companyOf(t, e, id); return ok })
	t.Logf("a created lead reached the table in %v", took)
	rec, err := leads.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("Company", "Edited Co")
	if err := leads.Save(ctx, rec); err != nil {
		t.Fatal(err)
	}
	within(t, 2*time.Second, "an edited lead", func() bool { c, _ := companyOf(t, e, id); return c == "Edited Co" })
	if err := leads.Delete(ctx, rec); err != nil {
		t.Fatal(err)
	}
	within(t, 2*time.Second, "a deleted lead", func() bool { _, ok := companyOf(t, e, id); return !ok })

	time.Sleep(2500 * time.Millisecond) // beyond the channel's first expiry: it was renewed
	id = newLead(t, leads, "After Renewal Co")
	within(t, 2*time.Second, "a lead created after the first expiry", func() bool { _, ok := companyOf(t, e, id); return ok })

	mu.Lock()
	before := len(passes)
	mu.Unlock()
	srv.ExpireWatchChannels() // Zoho drops the channel: the next write is not notified
	missed := newLead(t, leads, "Missed Co")
	within(t, 3*time.Second, "the channel enabled again", func() bool { return len(srv.WatchChannels()) == 1 })
	within(t, 3*time.Second, "the lead created while the channel was gone, by a pass", func() bool { _, ok := companyOf(t, e, missed); return ok })
	mu.Lock()
	sweep := passes[before:]
	mu.Unlock()
	if len(sweep) == 0 || sweep[len(sweep)-1].Modules[0].Mode != mirror.ModeIncremental {
		t.Errorf("summaries after the channel was dropped %+v, want a pass (incremental)", sweep)
	}
	id = newLead(t, leads, "Back Co")
	within(t, 2*time.Second, "a lead created once the channel is back", func() bool { _, ok := companyOf(t, e, id); return ok })

	renewals := 0
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/actions/watch") && r.Status == 200 {
			renewals++
		}
	}
	if renewals == 0 {
		t.Error("no renewal (PUT actions/watch) was sent")
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := <-watched; !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch: %v", err)
	}
	if got := srv.WatchChannels(); len(got) != 0 {
		t.Errorf("channels %v after the watch ended, want none (disabled)", got)
	}
	forged := `{"module":"Leads","ids":["1"],"operation":"insert","channel_id":"1","token":"guess"}`
	resp, err := http.Post(hs.URL+"/zoho/notify", "application/json", strings.NewReader(forged))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a callback with a wrong token: %d, want 403", resp.StatusCode)
	}
}
