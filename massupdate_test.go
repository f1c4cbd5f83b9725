package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/settings"
	"github.com/zohohub/zohohub/zohotest"
)

// TestMassUpdateByIDs updates 600 ids in 2 requests, with one result per
// id: a bad id fails alone, the others are updated.
func TestMassUpdateByIDs(t *testing.T) {
	srv, leads, ids := seededLeads(t, 599)
	ctx := context.Background()
	ids = append(ids[:300], append([]string{"5725767000000000001"}, ids[300:]...)...)
	sent(srv)

	res, err := leads.MassUpdate(ctx, &modules.Lead{LeadStatus: modules.LeadLeadStatusValueContacted, City: "Oslo"}, ids...)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 300 {
		t.Fatalf("err %v, want the failure of id 300", err)
	}
	var apiErr *zohohub.APIError
	if !errors.As(res.Results[300].Err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("bad id: %+v", res.Results[300])
	}
	if n := res.Count(zohohub.ActionUpdated); n != 599 || len(res.Results) != 600 {
		t.Fatalf("%d updated of %d results", n, len(res.Results))
	}
	if n := countPaths(sent(srv), "POST", "/crm/v8/Leads/actions/mass_update"); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	n, err := leads.Where(modules.LeadCity.Equals("Oslo"), modules.LeadLeadStatus.Equals(modules.LeadLeadStatusValueContacted)).Count(ctx)
	if err != nil || n != 599 {
		t.Fatalf("%d records updated: %v", n, err)
	}
}

// TestMassUpdateRefusals: values must be a new record setting something,
// and fields Zoho does not mass update are refused by Zoho.
func TestMassUpdateRefusals(t *testing.T) {
	srv, leads, ids := seededLeads(t, 2)
	ctx := context.Background()
	sent(srv)
	if _, err := leads.MassUpdate(ctx, &modules.Lead{}, ids...); err == nil {
		t.Error("nothing to set: no error")
	}
	withID := &modules.Lead{City: "Rome"}
	withID.ID = ids[0]
	if _, err := leads.MassUpdate(ctx, withID, ids...); err == nil {
		t.Error("values with an ID: no error")
	}
	if len(sent(srv)) != 0 {
		t.Fatal("a refused mass update was sent")
	}
	_, err := leads.MassUpdate(ctx, &modules.Lead{Email: "x@example.com"}, ids...) // unique: not mass-updatable
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.APIName() != "Email" {
		t.Fatalf("a unique field: %v", err)
	}
}

// TestMassUpdateScheduled schedules mass updates by criteria and by custom
// view and polls them to completion.
func TestMassUpdateScheduled(t *testing.T) {
	_, c, now := jobLeads(t)
	ctx := context.Background()
	leads := zohohub.Records[modules.Lead](c)

	job, err := leads.MassUpdateWhere(ctx, &modules.Lead{Rating: modules.LeadRatingValueActive}, modules.LeadCity.Equals("Lyon"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := job.Status(ctx)
	if err != nil || st.State != zohohub.MassUpdateRunning || st.Done() {
		t.Fatalf("before the delay: %+v %v", st, err)
	}
	now.Add(120)
	st, err = job.Wait(ctx, time.Millisecond)
	if err != nil || st.State != zohohub.MassUpdateCompleted || st.Total != 10 || st.Updated != 10 {
		t.Fatalf("done: %+v %v", st, err)
	}
	if n, err := leads.Where(modules.LeadRating.Equals(modules.LeadRatingValueActive)).Count(ctx); err != nil || n != 10 {
		t.Fatalf("%d rated: %v", n, err)
	}

	views, err := settings.CustomViews(ctx, c, "Leads")
	if err != nil || len(views) == 0 {
		t.Fatalf("views %v %v", views, err)
	}
	view := views[0].ID
	job, err = leads.MassUpdateView(ctx, &modules.Lead{State: "Ile-de-France"}, view, modules.LeadCity.Equals("Paris"))
	if err != nil {
		t.Fatal(err)
	}
	now.Add(120)
	if st, err := job.Wait(ctx, time.Millisecond); err != nil || st.Updated != 20 {
		t.Fatalf("view: %+v %v", st, err)
	}
	var apiErr *zohohub.APIError
	if _, err := leads.MassUpdateView(ctx, &modules.Lead{State: "X"}, "5725767000000000001"); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("an unknown view: %v", err)
	}
	if _, err := leads.MassUpdateWhere(ctx, &modules.Lead{State: "X"}, modules.LeadTag.Contains("Hot")); err == nil {
		t.Fatal("a tag filter in a mass update's criteria: no error")
	}
}

// TestChangeOwner changes the owner of one record and of many, with the
// related activities; a bad owner id surfaces Zoho's error.
func TestChangeOwner(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()
	john := userID(t, c, "john@example.com")
	accounts := zohohub.Records[modules.Account](c)
	acct := &modules.Account{AccountName: "Zylker"}
	if err := accounts.Save(ctx, acct); err != nil {
		t.Fatal(err)
	}
	task := &modules.Task{Subject: "Call back", WhatID: zohohub.Lookup{ID: acct.ID}, SeModule: "Accounts"}
	if err := zohohub.Records[modules.Task](c).Save(ctx, task); err != nil {
		t.Fatal(err)
	}
	if err := accounts.ChangeOwner(ctx, acct, john, zohohub.NotifyNewOwner(), zohohub.RelatedModules("Tasks")); err != nil {
		t.Fatal(err)
	}
	got, _ := accounts.Find(ctx, acct.ID)
	gotTask, _ := zohohub.Records[modules.Task](c).Find(ctx, task.ID)
	if got.Owner.ID != john || gotTask.Owner.ID != john {
		t.Fatalf("owners %q and %q, want John's %s", got.Owner.ID, gotTask.Owner.ID, john)
	}
	var apiErr *zohohub.APIError
	if err := accounts.ChangeOwner(ctx, acct, "5725767000000000001"); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" || errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("a bad owner: %v", err)
	}

	leads := zohohub.Records[modules.Lead](c)
	ids := seedLeadIDs(t, srv, 520)
	sent(srv)
	res, err := leads.ChangeOwnerAll(ctx, append(ids, "5725767000000000001"), john)
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || res.Count(zohohub.ActionUpdated) != 520 {
		t.Fatalf("change owner of 521: %d updated, %v", res.Count(zohohub.ActionUpdated), err)
	}
	if n := countPaths(sent(srv), "POST", "/crm/v8/Leads/actions/change_owner"); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
	if n, err := leads.Where(modules.LeadOwner.Equals(john)).Count(ctx); err != nil || n != 520 {
		t.Fatalf("%d owned by John: %v", n, err)
	}
	res, err = leads.ChangeOwnerAll(ctx, ids[:3], "5725767000000000001")
	if !errors.As(err, &be) || len(be.Failures) != 3 || !errors.As(res.Results[0].Err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("a bad owner for many: %+v %v", res, err)
	}
	if apiErr.Message != "the owner id given is invalid" {
		t.Errorf("message %q", apiErr.Message)
	}
}

// TestChangeOwnerView gives the records of a custom view matching a
// condition a new owner through a scheduled job, polled to completion.
func TestChangeOwnerView(t *testing.T) {
	srv, c, now := jobLeads(t)
	ctx := context.Background()
	leads := zohohub.Records[modules.Lead](c)
	john := userID(t, c, "john@example.com")
	views, err := settings.CustomViews(ctx, c, "Leads")
	if err != nil || len(views) == 0 {
		t.Fatalf("views %v %v", views, err)
	}
	sent(srv)
	job, err := leads.ChangeOwnerView(ctx, views[0].ID, john, modules.LeadCity.Equals("Lyon"))
	if err != nil {
		t.Fatal(err)
	}
	if n := countPaths(sent(srv), "POST", "/crm/v8/Leads/actions/mass_change_owner"); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	again, err := leads.ChangeOwnerJob(job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := again.Status(ctx); err != nil || st.State != zohohub.MassUpdateRunning {
		t.Fatalf("before the delay: %+v %v", st, err)
	}
	now.Add(120)
	st, err := job.Wait(ctx, time.Millisecond)
	if err != nil || st.State != zohohub.MassUpdateCompleted || st.Total != 10 || st.Updated != 10 {
		t.Fatalf("done: %+v %v", st, err)
	}
	if n, err := leads.Where(modules.LeadOwner.Equals(john)).Count(ctx); err != nil || n != 10 {
		t.Fatalf("%d owned by John: %v", n, err)
	}
	// A mass update job is not a change-of-owner job, and the reverse.
	if other, _ := leads.MassUpdateJob(job.ID); other != nil {
		var apiErr *zohohub.APIError
		if _, err := other.Status(ctx); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
			t.Fatalf("the job read as a mass update: %v", err)
		}
	}

	var apiErr *zohohub.APIError
	if _, err := leads.ChangeOwnerView(ctx, "5725767000000000001", john); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.APIName() != "cvid" {
		t.Fatalf("an unknown view: %v", err)
	}
	if _, err := leads.ChangeOwnerView(ctx, views[0].ID, "5725767000000000001"); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("an unknown owner: %v", err)
	}
	sent(srv)
	for _, bad := range []struct{ cvid, owner string }{{"", john}, {views[0].ID, ""}, {"x1", john}, {views[0].ID, "x1"}} {
		if _, err := leads.ChangeOwnerView(ctx, bad.cvid, bad.owner); err == nil {
			t.Errorf("view %q owner %q: no error", bad.cvid, bad.owner)
		}
	}
	if _, err := leads.ChangeOwnerView(ctx, views[0].ID, john, modules.LeadTag.Contains("Hot")); err == nil {
		t.Error("a tag filter in the criteria: no error")
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d refused calls were sent", n)
	}
}

// jobLeads starts an emulator whose jobs run for a minute, on a clock the
// test moves (Unix seconds in now), holding 30 leads: 10 in Lyon, 20 in
// Paris.
func jobLeads(t *testing.T) (*zohotest.Server, *zohohub.Client, *atomic.Int64) {
	t.Helper()
	now := new(atomic.Int64)
	now.Store(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC).Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	srv, c := emulatorClient(t, zohotest.WithClock(clock), zohotest.WithBulkJobDelay(time.Minute))
	for i := range 30 {
		city := "Paris"
		if i%3 == 0 {
			city = "Lyon"
		}
		seed(t, srv, "Leads", map[string]any{"Last_Name": fmt.Sprintf("L%d", i), "City": city})
	}
	return srv, c, now
}

// userID returns the id of the org's user with that email.
func userID(t *testing.T, c *zohohub.Client, email string) string {
	t.Helper()
	for u, err := range settings.Users(context.Background(), c, settings.AllUsers) {
		if err != nil {
			t.Fatal(err)
		}
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return ""
}
