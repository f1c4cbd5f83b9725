package mirror_test

import (
	"context"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// TestWatchAppliesChanges runs Watch with a long interval: its first pass
// loads Leads, then a Change naming an updated and a deleted lead is
// applied at once (Refresh), long before the next pass would run.
func TestWatchAppliesChanges(t *testing.T) {
	srv := zohotest.New(t)
	seedLeads(t, srv, 120, nil)
	e := postgresEngine(t)
	m, _, c := mirrorOf(t, srv, e)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan mirror.Change)
	reports := make(chan mirror.Summary, 4)
	done := make(chan error, 1)
	go func() {
		done <- m.Watch(ctx, time.Hour, []string{"Leads"}, changes, func(s mirror.Summary, err error) {
			if err != nil {
				t.Error(err)
			}
			reports <- s
		})
	}()
	if s := <-reports; s.Inserted != 120 {
		t.Fatalf("first pass: %+v", s)
	}
	leads := zohohub.RecordsOf(c, "Leads")
	recs, err := leads.Query().Select("Company").Limit(2).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs[0].Set("Company", "Changed Inc")
	if err := leads.Save(ctx, recs[0]); err != nil {
		t.Fatal(err)
	}
	if err := leads.Delete(ctx, recs[1]); err != nil {
		t.Fatal(err)
	}
	changes <- mirror.Change{Module: "Leads", IDs: []string{recs[0].ID, recs[1].ID}}
	s := <-reports
	if st := s.Modules[0]; st.Mode != mirror.ModeRefresh || st.Read != 1 || st.Updated != 1 || st.Deleted != 1 {
		t.Fatalf("refresh: %+v", st)
	}
	var company string
	if err := e.db.Get(&company, "SELECT company FROM leads WHERE id = $1", recs[0].ID); err != nil || company != "Changed Inc" {
		t.Fatalf("company %q, %v", company, err)
	}
	var n int
	if err := e.db.Get(&n, "SELECT COUNT(*) FROM leads"); err != nil || n != 119 {
		t.Fatalf("%d rows, %v; want 119", n, err)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Watch returned %v, want context.Canceled", err)
	}
	var ids []string
	for r, err := range leads.Query().Select("Company").All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	st, err := m.Refresh(context.Background(), "Leads", ids...)
	if err != nil || st.Read != 119 || st.Updated+st.Inserted+st.Deleted != 0 {
		t.Fatalf("Refresh of every lead: %+v, %v; want 119 read and nothing changed", st, err)
	}
	if st.Requests != 3 {
		t.Fatalf("Refresh of 119 leads took %d requests, want 3: the fields, then 100 ids a request", st.Requests)
	}
	if _, err := m.Refresh(context.Background(), "Leads", "12/34"); err == nil {
		t.Fatal("Refresh of an id that is not one: no error")
	}
}
