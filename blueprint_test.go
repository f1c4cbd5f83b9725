package zohohub_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// leadQualification is a blueprint on Leads' Lead_Status.
func leadQualification() zohotest.Option {
	return zohotest.WithBlueprint("Leads", zohotest.Blueprint{
		Name: "Qualification", Field: "Lead_Status",
		Transitions: []zohotest.Transition{
			{Name: "Reach out", From: []string{"Not Contacted"}, To: "Contacted", Fields: []string{"Description"}, Required: []string{"Phone"}},
			{Name: "Give up", From: []string{"Not Contacted", "Contacted"}, To: "Lost Lead"},
			{Name: "Qualify", From: []string{"Contacted"}, To: "Pre-Qualified"},
		},
	})
}

// A transition chosen by its target state is refused without its required
// field, with Zoho's error naming it, and done once the field is given;
// the record then holds the new state, and its changes outside the
// transition stay for a Save. The blueprint's field is refused outside a
// transition.
func TestBlueprintAdvance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := emulatorClient(t, leadQualification())
	leads := zohohub.Records[modules.Lead](c)
	lead := &modules.Lead{LastName: "Curie", LeadStatus: "Not Contacted"}
	if err := leads.Save(ctx, lead); err != nil {
		t.Fatal(err)
	}
	bp, err := zohohub.BlueprintOf(ctx, c, lead)
	if err != nil {
		t.Fatal(err)
	}
	if bp.Process != "Qualification" || bp.Field != "Lead_Status" || bp.State != "Not Contacted" || len(bp.Transitions) != 2 {
		t.Fatalf("blueprint %+v", bp)
	}
	reach, err := bp.Transition("Contacted")
	if err != nil {
		t.Fatal(err)
	}
	want := []zohohub.TransitionField{{APIName: "Description", Label: "Description", DataType: "textarea"}, {APIName: "Phone", Label: "Phone", DataType: "phone", Required: true}}
	if reach.Name != "Reach out" || !slices.Equal(reach.Fields, want) {
		t.Errorf("transition to Contacted: %+v", reach)
	}
	if byName, err := bp.Transition("Give up"); err != nil || byName.To != "Lost Lead" {
		t.Errorf("by name: %+v, %v", byName, err)
	}
	if _, err := bp.Transition("Pre-Qualified"); err == nil {
		t.Error("a transition not available was found")
	}

	lead.Description = "called"
	lead.City = "Paris" // not a field of the transition
	err = zohohub.Advance(ctx, c, lead, reach)
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "MANDATORY_NOT_FOUND" || apiErr.APIName() != "Phone" {
		t.Fatalf("advance without Phone: %v", err)
	}
	lead.Phone = "555-0199"
	if err := zohohub.Advance(ctx, c, lead, reach); err != nil {
		t.Fatal(err)
	}
	if lead.LeadStatus != "Contacted" {
		t.Errorf("after the transition the lead holds %q", lead.LeadStatus)
	}
	if changes, _ := leads.Changes(lead); !slices.Equal(changes, []string{"City"}) {
		t.Errorf("unsaved after the transition: %v, want [City]", changes)
	}
	got := stored(srv, "Leads", lead.ID)
	if string(got["Lead_Status"]) != `"Contacted"` || string(got["Phone"]) != `"555-0199"` || string(got["Description"]) != `"called"` || string(got["City"]) != "null" {
		t.Errorf("stored after the transition: status %s phone %s description %s city %s", got["Lead_Status"], got["Phone"], got["Description"], got["City"])
	}
	if err := leads.Save(ctx, lead); err != nil {
		t.Errorf("saving the other changes: %v", err)
	}
	if err := zohohub.Advance(ctx, c, lead, reach); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Errorf("a transition no longer available: %v", err)
	}

	lead.LeadStatus = "Pre-Qualified"
	if err := leads.Save(ctx, lead); !errors.Is(err, zohohub.ErrRecordInBlueprint) {
		t.Errorf("Lead_Status saved outside a transition: %v", err)
	}
	bp, err = zohohub.BlueprintOf(ctx, c, &modules.Lead{Model: zohohub.Model{ID: lead.ID}})
	if err != nil || bp.State != "Contacted" {
		t.Fatalf("blueprint after the transition: %+v, %v", bp, err)
	}
	qualify, _ := bp.Transition("Qualify")
	if err := zohohub.Advance(ctx, c, lead, qualify); err != nil || lead.LeadStatus != "Pre-Qualified" {
		t.Errorf("Qualify: %v, lead in %q", err, lead.LeadStatus)
	}
}

// A record in no blueprint answers ErrNotInBlueprint; a transition not
// read from Zoho is refused before anything is sent.
func TestBlueprintErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := emulatorClient(t, leadQualification())
	lead := &modules.Lead{LastName: "Plain"}
	if err := zohohub.Records[modules.Lead](c).Save(ctx, lead); err != nil {
		t.Fatal(err)
	}
	if _, err := zohohub.BlueprintOf(ctx, c, lead); !errors.Is(err, zohohub.ErrNotInBlueprint) {
		t.Errorf("record outside the blueprint: %v", err)
	}
	srv.ResetRequests()
	if err := zohohub.Advance(ctx, c, lead, zohohub.Transition{ID: "5725767000000000001", Name: "made up"}); err == nil {
		t.Error("a made-up transition was sent")
	}
	if _, err := zohohub.BlueprintOf(ctx, c, &modules.Lead{}); err == nil {
		t.Error("BlueprintOf of a record without an id")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
