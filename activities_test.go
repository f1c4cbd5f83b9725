package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// TestActivitiesAndNoteOfALeadRoundTrip creates an Event, a Call and a Note
// attached to a Lead through the generated types, reads them back and
// compares every value written.
func TestActivitiesAndNoteOfALeadRoundTrip(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()
	lead := &modules.Lead{FirstName: "Ada", LastName: "Lovelace", Company: "Analytical", Designation: "CTO"}
	if err := zohohub.Records[modules.Lead](c).Save(ctx, lead); err != nil {
		t.Fatal(err)
	}
	contact := &modules.Contact{LastName: "Babbage"}
	if err := zohohub.Records[modules.Contact](c).Save(ctx, contact); err != nil {
		t.Fatal(err)
	}
	ignore := cmp.Options{
		cmpopts.IgnoreUnexported(zohohub.Model{}),
		cmpopts.IgnoreFields(zohohub.Model{}, "Owner", "CreatedBy", "ModifiedBy", "CreatedTime", "ModifiedTime"),
		cmpopts.IgnoreFields(zohohub.Lookup{}, "Name"),
		cmpopts.EquateApproxTime(0),
	}
	berlin := time.FixedZone("CEST", 2*3600)

	t.Run("Event", func(t *testing.T) {
		events := zohohub.Records[modules.Event](c)
		want := &modules.Event{
			EventTitle: "Demo", Venue: "Berlin", Description: "show the engine",
			StartDateTime: time.Date(2024, 5, 1, 10, 0, 0, 0, berlin), EndDateTime: time.Date(2024, 5, 1, 11, 30, 0, 0, berlin),
			Participants: []zohohub.Record{{"type": "lead", "participant": lead.ID}, {"type": "email", "participant": "guest@example.com"}},
			RemindAt:     json.RawMessage(`[{"period":"minutes","unit":15}]`), // raw JSON: keys in the emulator's order
			WhoID:        zohohub.Lookup{ID: contact.ID},
			WhatID:       zohohub.Lookup{ID: lead.ID}, SeModule: "Leads",
		}
		got := saveThenFind(t, events, want, func(e *modules.Event) string { return e.ID }, ignore)
		if got.WhatID.Name != "Ada Lovelace" {
			t.Errorf("What_Id name %q", got.WhatID.Name)
		}
	})

	t.Run("Call", func(t *testing.T) {
		calls := zohohub.Records[modules.Call](c)
		want := &modules.Call{
			Subject: "Follow-up", CallType: modules.CallCallTypeValueOutbound, CallStartTime: time.Date(2024, 5, 2, 9, 15, 0, 0, berlin),
			CallDuration: "12:30", CallPurpose: modules.CallCallPurposeValueProspecting, CallResult: modules.CallCallResultValueInterested,
			CallAgenda: "pricing", Description: "went well", WhatID: zohohub.Lookup{ID: lead.ID}, SeModule: "Leads",
		}
		got := saveThenFind(t, calls, want, func(e *modules.Call) string { return e.ID }, ignore)
		if got.WhatID.Name != "Ada Lovelace" {
			t.Errorf("What_Id name %q", got.WhatID.Name)
		}
	})

	t.Run("Note", func(t *testing.T) {
		notes := zohohub.Records[modules.Note](c)
		want := &modules.Note{NoteTitle: "Met at the fair", NoteContent: "Interested in\nthe engine ü", ParentID: zohohub.Lookup{ID: lead.ID}, SeModule: "Leads"}
		got := saveThenFind(t, notes, want, func(e *modules.Note) string { return e.ID }, ignore)
		if got.ParentID.Name != "Ada Lovelace" {
			t.Errorf("Parent_Id name %q", got.ParentID.Name)
		}
		stored := srv.Records("Notes")
		if len(stored) != 1 || stored[0]["$se_module"] != "Leads" {
			t.Fatalf("stored notes %v", stored)
		}
	})

	t.Run("MissingParent", func(t *testing.T) {
		n := &modules.Note{NoteContent: "orphan", ParentID: zohohub.Lookup{ID: "123"}, SeModule: "Leads"}
		err := zohohub.Records[modules.Note](c).Save(ctx, n)
		var apiErr *zohohub.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.APIName() != "Parent_Id" {
			t.Fatalf("save with a missing parent: %v", err)
		}
	})
}

// saveThenFind saves want, reads it back by the ID Save set, and fails the
// test unless every value compared under opts is the one written.
func saveThenFind[T any](t *testing.T, rs *zohohub.RecordSet[T], want *T, id func(*T) string, opts cmp.Options) *T {
	t.Helper()
	ctx := context.Background()
	if err := rs.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := rs.Find(ctx, id(want))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, opts); d != "" {
		t.Fatalf("read back differs (-written +read):\n%s", d)
	}
	return got
}
