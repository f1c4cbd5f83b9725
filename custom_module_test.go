package zohohub_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// TestCustomModuleRoundTripsEveryType writes a record of the custom module
// Projects with a value of every data type and reads back the same values.
func TestCustomModuleRoundTripsEveryType(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()
	accounts := zohohub.Records[modules.Account](c)
	acct := &modules.Account{AccountName: "Parent"}
	if err := accounts.Save(ctx, acct); err != nil {
		t.Fatal(err)
	}
	users := srv.Records("Accounts")[0]["Owner"].(map[string]any)
	kolkata := time.FixedZone("IST", 5*3600+1800)
	want := &modules.Project{
		Name: "Apollo", ProjectDescription: "multi\nline ü", PortalSessionURL: "https://portal.example/s?id=1",
		LiveCcJs: 123456789, Budget: zohohub.MustParseDecimal("250000.9"), TrackingNumber: 900719925474099301, Score: 0.125, Completion: 25,
		Margin:   zohohub.MustParseDecimal("12.5"),
		IsActive: true, StartDate: zohohub.Date{Year: 2024, Month: 1, Day: 31},
		KickoffAt: time.Date(2024, 2, 29, 23, 30, 0, 0, kolkata), Stage: modules.ProjectStageValue("R&D / Prototype"),
		Tags1: []modules.ProjectTags1Value{"Alpha", "Gamma"}, ContactEmail: "a@b.example", ContactPhone: "+1 555 0100",
		Account: zohohub.Lookup{ID: acct.ID}, Reviewer: zohohub.User{ID: users["id"].(string)},
	}
	projects := zohohub.Records[modules.Project](c)
	if err := projects.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := projects.Find(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.KickoffAt.Equal(want.KickoffAt) {
		t.Errorf("datetime %v, want %v", got.KickoffAt, want.KickoffAt)
	}
	opts := cmp.Options{
		cmpopts.IgnoreFields(modules.Project{}, "Model", "KickoffAt"),
		cmpopts.IgnoreFields(zohohub.Lookup{}, "Name"), cmpopts.IgnoreFields(zohohub.User{}, "Name", "Email"),
		cmpopts.IgnoreUnexported(zohohub.Model{}),
	}
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Fatalf("read back differs (-written +read):\n%s", d)
	}
	if got.Account.Name != "Parent" {
		t.Errorf("lookup name %q", got.Account.Name)
	}
	// Zero values saved clear the fields; untouched fields are not sent.
	got.LiveCcJs, got.IsActive, got.Tags1 = 0, false, nil
	if err := projects.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, err := projects.Find(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.LiveCcJs != 0 || again.IsActive || len(again.Tags1) != 0 || !again.Budget.Equal(want.Budget) {
		t.Fatalf("after clearing: %+v", again)
	}
}
