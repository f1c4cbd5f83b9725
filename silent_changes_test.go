package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// Zoho changes some values without an error: invalid UTF-8 becomes U+FFFD,
// sub-second times are cut to the second, numbers are rounded to the
// field's decimal places and to float64's digits. These tests hold the
// client to refusing what Zoho would change, and to not counting as a
// change what Zoho would store the same.

type textAccount struct {
	zohohub.Model `zoho:",module=Accounts"`
	AccountName   string           `zoho:"Account_Name"`
	Phone         string           `zoho:"Phone"`
	Tags          []string         `zoho:"Hobbies__c"`
	Stakeholders  []zohohub.Record `zoho:"Stakeholders__c"`
}

func wantInvalidUTF8(t *testing.T, what string, err error, field string) {
	t.Helper()
	var fe *zohohub.FieldError
	if !errors.As(err, &fe) || fe.APIName != field || !errors.Is(err, zohohub.ErrInvalidUTF8) {
		t.Errorf("%s: err = %v, want a *FieldError for %s wrapping ErrInvalidUTF8", what, err, field)
	}
}

func TestInvalidUTF8IsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t, withFields("Accounts.Hobbies__c:multiselectpicklist", "Accounts.Stakeholders__c:multiselectlookup",
		"Accounts.Notes_Text__c:text")...)
	ctx := context.Background()
	accounts := zohohub.Records[textAccount](c)
	const bad = "Acme \xff\xfe GmbH"
	id := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Fine"})[0]
	a, err := accounts.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sent(srv)

	wantInvalidUTF8(t, "Save (insert)", accounts.Save(ctx, &textAccount{AccountName: bad}), "Account_Name")
	_, err = accounts.Upsert(ctx, &textAccount{AccountName: bad}, "Account_Name")
	wantInvalidUTF8(t, "Upsert", err, "Account_Name")
	a.Phone = bad
	wantInvalidUTF8(t, "Save (update)", accounts.Save(ctx, a), "Phone")
	a.Phone = ""
	wantInvalidUTF8(t, "Save of a multi-select", accounts.Save(ctx, &textAccount{AccountName: "x", Tags: []string{"ok", bad}}), "Hobbies__c")
	wantInvalidUTF8(t, "Save of a JSON map", accounts.Save(ctx, &textAccount{AccountName: "x",
		Stakeholders: []zohohub.Record{{"name": bad}}}), "Stakeholders__c")
	wantInvalidUTF8(t, "Set of an unmapped field", a.Set("Notes_Text__c", bad), "Notes_Text__c")
	wantInvalidUTF8(t, "Set of an unmapped map", a.Set("Notes_Text__c", map[string]any{bad: 1}), "Notes_Text__c")
	wantInvalidUTF8(t, "Set before the first save", (&textAccount{}).Set("Notes_Text__c", bad), "Notes_Text__c")
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("%d requests sent for invalid text: %+v", len(reqs), reqs)
	}

	// In a batch the bad record fails alone; the others are written.
	res, err := accounts.SaveAll(ctx, []*textAccount{{AccountName: "Good"}, {AccountName: bad}})
	if err == nil || res.Results[0].Action != zohohub.ActionCreated {
		t.Fatalf("SaveAll: %+v, %v", res, err)
	}
	wantInvalidUTF8(t, "SaveAll", res.Results[1].Err, "Account_Name")
	for _, r := range srv.Records("Accounts") {
		if strings.ContainsRune(r["Account_Name"].(string), '\uFFFD') {
			t.Errorf("Zoho holds %q", r["Account_Name"])
		}
	}

	// Text that is valid UTF-8 is sent as it is, U+FFFD and "\ufffd" included.
	for _, ok := range []string{"Zoë \uFFFD", `literal \ufffd`} {
		if err := a.Set("Notes_Text__c", ok); err != nil {
			t.Errorf("Set(%q): %v", ok, err)
		}
		if err := accounts.Save(ctx, &textAccount{AccountName: ok}); err != nil {
			t.Errorf("Save(%q): %v", ok, err)
		}
	}
}

type meetingAccount struct {
	zohohub.Model `zoho:",module=Accounts"`
	AccountName   string     `zoho:"Account_Name"`
	MetAt         time.Time  `zoho:"Met_At__c"`
	NextAt        *time.Time `zoho:"Next_At__c"`
}

func TestSubSecondTimeIsNotAChange(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t, withFields("Accounts.Met_At__c:datetime", "Accounts.Next_At__c:datetime")...)
	ctx := context.Background()
	accounts := zohohub.Records[meetingAccount](c)
	id := seed(t, srv, "Accounts", map[string]any{"Account_Name": "A",
		"Met_At__c": "2024-03-01T10:20:30+05:30", "Next_At__c": "2024-03-02T10:20:30+05:30"})[0]
	a, err := accounts.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// The same second, written in another zone and with a fraction Zoho
	// would drop: nothing changes for Zoho, so nothing is sent.
	a.MetAt = a.MetAt.UTC().Add(999 * time.Millisecond)
	next := a.NextAt.In(time.FixedZone("X", -7*3600)).Add(time.Millisecond)
	a.NextAt = &next
	if ch, err := accounts.Changes(a); err != nil || len(ch) != 0 {
		t.Fatalf("Changes = %v, %v; want none", ch, err)
	}
	sent(srv)
	if err := accounts.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("Save sent %d requests for a sub-second change", len(reqs))
	}
	// A change of a second is a change.
	a.MetAt = a.MetAt.Add(time.Second)
	a.NextAt = nil
	if ch, err := accounts.Changes(a); err != nil || !slices.Equal(ch, []string{"Met_At__c", "Next_At__c"}) {
		t.Fatalf("Changes = %v, %v", ch, err)
	}
	if err := accounts.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := stored(srv, "Accounts", id); string(got["Met_At__c"]) != `"2024-03-01T04:50:31+00:00"` || string(got["Next_At__c"]) != "null" {
		t.Errorf("stored %s, %s", got["Met_At__c"], got["Next_At__c"])
	}
}

func TestCurrencyIsExact(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t)
	ctx := context.Background()
	accounts := zohohub.Records[modules.Account](c)
	// 16 digits before the point and 2 after: what Zoho's currency fields
	// hold, and more than float64 can.
	const big = "1234567890123456.78"
	a := &modules.Account{AccountName: "Exact", AnnualRevenue: zohohub.MustParseDecimal(big)}
	if err := accounts.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := stored(srv, "Accounts", a.ID)["Annual_Revenue"]; string(got) != big {
		t.Errorf("Zoho holds %s, want %s", got, big)
	}
	found, err := accounts.Find(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if found.AnnualRevenue.String() != big {
		t.Errorf("read back %s, want %s", found.AnnualRevenue, big)
	}
	// 1250.5 and 1250.50 are the same amount: not a change.
	seedID := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Round", "Annual_Revenue": json.Number("1250.5")})[0]
	r, err := accounts.Find(ctx, seedID)
	if err != nil {
		t.Fatal(err)
	}
	r.AnnualRevenue = zohohub.NewDecimal(125050, 2)
	if ch, err := accounts.Changes(r); err != nil || len(ch) != 0 {
		t.Errorf("Changes = %v, %v; want none", ch, err)
	}
	// Queries take Decimals.
	n, err := accounts.Where(modules.AccountAnnualRevenue.GreaterThan(zohohub.MustParseDecimal("1234567890123456.77"))).Count(ctx)
	if err != nil || n != 1 {
		t.Errorf("count above = %d, %v", n, err)
	}
	// Bulk Read's CSV reads exactly too.
	var exported []string
	for rec, err := range accounts.Query().Select("Account_Name", "Annual_Revenue").Export(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		exported = append(exported, rec.AccountName+"="+rec.AnnualRevenue.String())
	}
	slices.Sort(exported)
	if want := []string{"Exact=" + big, "Round=1250.5"}; !slices.Equal(exported, want) {
		t.Errorf("exported %q, want %q", exported, want)
	}
}

// floatAccount keeps Annual_Revenue in a float64, as zhgen -decimal=float
// generates it: the tag carries the field's decimal places.
type floatAccount struct {
	zohohub.Model `zoho:",module=Accounts"`
	AccountName   string   `zoho:"Account_Name"`
	AnnualRevenue float64  `zoho:"Annual_Revenue,decimals=2"`
	Target        *float64 `zoho:"Target__c,decimals=0"`
}

func wantPlacesError(t *testing.T, what string, err error, field string, places int) {
	t.Helper()
	var fe *zohohub.FieldError
	var pe *zohohub.PlacesError
	if !errors.As(err, &fe) || fe.APIName != field || !errors.As(err, &pe) || pe.Places != places {
		t.Errorf("%s: err = %v, want a *FieldError for %s wrapping a *PlacesError of %d places", what, err, field, places)
	}
}

func TestNumbersBeyondTheFieldsPlacesAreRefused(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t, withFields("Accounts.Target__c:double")...)
	ctx := context.Background()
	floats := zohohub.Records[floatAccount](c)
	sent(srv)
	wantPlacesError(t, "1.005", floats.Save(ctx, &floatAccount{AccountName: "a", AnnualRevenue: 1.005}), "Annual_Revenue", 3)
	tenth, fifth := 0.1, 0.2 // variables: constant arithmetic would be exact
	wantPlacesError(t, "0.1+0.2", floats.Save(ctx, &floatAccount{AccountName: "a", AnnualRevenue: tenth + fifth}), "Annual_Revenue", 17)
	half := 2.5
	wantPlacesError(t, "*float64", floats.Save(ctx, &floatAccount{AccountName: "a", Target: &half}), "Target__c", 1)
	decimals := zohohub.Records[modules.Account](c)
	wantPlacesError(t, "Decimal", decimals.Save(ctx, &modules.Account{AccountName: "a", AnnualRevenue: zohohub.MustParseDecimal("10.125")}),
		"Annual_Revenue", 3)
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("%d requests sent", len(reqs))
	}
	// What the field can hold is sent; trailing zeros need no places.
	three := 3.0
	if err := floats.Save(ctx, &floatAccount{AccountName: "b", AnnualRevenue: 1250.25, Target: &three}); err != nil {
		t.Fatal(err)
	}
	if err := decimals.Save(ctx, &modules.Account{AccountName: "c", AnnualRevenue: zohohub.MustParseDecimal("10.1200")}); err != nil {
		t.Fatal(err)
	}
}
