package zohohub_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// newLead saves a lead with a note.
func newLead(t *testing.T, c *zohohub.Client, last, company, email string) *modules.Lead {
	t.Helper()
	ctx := context.Background()
	lead := &modules.Lead{FirstName: "Ada", LastName: last, Company: company, Email: email}
	if err := zohohub.Records[modules.Lead](c).Save(ctx, lead); err != nil {
		t.Fatal(err)
	}
	if _, err := zohohub.AddNotes(ctx, c, lead, &modules.Note{NoteContent: "Met at the fair"}); err != nil {
		t.Fatal(err)
	}
	return lead
}

func all[T any](t *testing.T, c *zohohub.Client) []*T {
	t.Helper()
	recs, err := zohohub.Records[T](c).Query().Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// Converting a lead with a deal makes exactly one contact, one account and
// one deal, linked to each other, moves the lead's note to the contact,
// and leaves the lead converted: not listed, refused a second conversion
// and an update, both as ErrAlreadyConverted.
func TestConvertLeadWithDeal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := emulatorClient(t)
	lead := newLead(t, c, "Lovelace", "Analytical Engines", "ada@engines.example")
	amount, _ := zohohub.ParseDecimal("1200.50")
	deal := &modules.Deal{DealName: "Engines", Stage: modules.DealStageValueQualification,
		ClosingDate: zohohub.DateOf(time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC)), Amount: amount}
	conv, err := zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{Deal: deal})
	if err != nil {
		t.Fatal(err)
	}
	if conv.Contact.Name != "Ada Lovelace" || conv.Account.Name != "Analytical Engines" || conv.Deal.Name != "Engines" || deal.ID != conv.Deal.ID {
		t.Errorf("conversion %+v, deal id %s", conv, deal.ID)
	}
	contacts, accounts, deals := all[modules.Contact](t, c), all[modules.Account](t, c), all[modules.Deal](t, c)
	if len(contacts) != 1 || len(accounts) != 1 || len(deals) != 1 {
		t.Fatalf("%d contacts, %d accounts, %d deals; want one each", len(contacts), len(accounts), len(deals))
	}
	ct, acct, dl := contacts[0], accounts[0], deals[0]
	if ct.ID != conv.Contact.ID || acct.ID != conv.Account.ID || dl.ID != conv.Deal.ID {
		t.Errorf("stored %s %s %s, answered %+v", ct.ID, acct.ID, dl.ID, conv)
	}
	if ct.AccountName.ID != acct.ID || dl.AccountName.ID != acct.ID || dl.ContactName.ID != ct.ID {
		t.Errorf("links: contact's account %s, deal's account %s and contact %s", ct.AccountName.ID, dl.AccountName.ID, dl.ContactName.ID)
	}
	if ct.Email != "ada@engines.example" || dl.Amount.String() != "1200.50" {
		t.Errorf("contact email %q, deal amount %s", ct.Email, dl.Amount)
	}
	notes, err := zohohub.Related(c, ct, modules.ContactNotes).Collect(ctx)
	if err != nil || len(notes) != 1 || notes[0].NoteContent != "Met at the fair" {
		t.Errorf("contact's notes %v, %v", notes, err)
	}
	if changes, _ := zohohub.Records[modules.Deal](c).Changes(deal); len(changes) != 0 {
		t.Errorf("the converted deal has unsaved changes %v", changes)
	}

	if leads := all[modules.Lead](t, c); len(leads) != 0 {
		t.Errorf("a converted lead is still listed: %d", len(leads))
	}
	_, err = zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{})
	var apiErr *zohohub.APIError
	if !errors.Is(err, zohohub.ErrAlreadyConverted) || !errors.As(err, &apiErr) || apiErr.Code != "ID_ALREADY_CONVERTED" {
		t.Errorf("second conversion: %v", err)
	}
	lead.Phone = "555-0100"
	if err := zohohub.Records[modules.Lead](c).Save(ctx, lead); !errors.Is(err, zohohub.ErrAlreadyConverted) {
		t.Errorf("update of a converted lead: %v", err)
	}
}

// Options that cannot be right are refused before anything is sent;
// Zoho's refusals come back as typed errors and nothing is created.
func TestConvertLeadErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := emulatorClient(t)
	lead := newLead(t, c, "Hopper", "Navy", "grace@navy.example")
	date := zohohub.DateOf(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	srv.ResetRequests()
	for _, opts := range []zohohub.ConvertOptions{
		{Deal: modules.Deal{DealName: "value, not pointer"}},
		{Deal: &modules.Account{AccountName: "not a deal"}},
		{Deal: &modules.Deal{Model: zohohub.Model{ID: "1"}}},
		{AccountID: "acme"},
		{MoveAttachmentsTo: "Leads"},
		{MoveAttachmentsTo: "Deals"},
		{TagsToContact: []string{""}},
	} {
		if _, err := zohohub.Convert(ctx, c, lead, opts); err == nil {
			t.Errorf("Convert(%+v) accepted", opts)
		}
	}
	if _, err := zohohub.Convert(ctx, c, &modules.Contact{Model: zohohub.Model{ID: "1"}}, zohohub.ConvertOptions{}); err == nil {
		t.Error("a contact converted")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("refused options sent %d requests", n)
	}

	var apiErr *zohohub.APIError
	_, err := zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{Deal: &modules.Deal{DealName: "X", Stage: modules.DealStageValueQualification}})
	if !errors.As(err, &apiErr) || apiErr.Code != "MANDATORY_NOT_FOUND" || apiErr.APIName() != "Closing_Date" {
		t.Errorf("deal without a closing date: %v", err)
	}
	accts := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Navy"}, map[string]any{"Account_Name": "Army"})
	_, err = zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{AccountID: accts[1], Overwrite: true})
	if !errors.Is(err, zohohub.ErrDuplicateData) {
		t.Errorf("renaming Army to the lead's company Navy: %v", err)
	}
	srv.FailNext("POST /crm/v8/Leads/"+lead.ID+"/actions/convert", 1, 400, "MAPPING_MISMATCH")
	deal := &modules.Deal{DealName: "X", Stage: modules.DealStageValueQualification, ClosingDate: date}
	if _, err = zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{Deal: deal}); !errors.Is(err, zohohub.ErrMappingMismatch) || deal.ID != "" {
		t.Errorf("stage outside the pipeline: %v (deal id %q)", err, deal.ID)
	}
	if n := len(all[modules.Contact](t, c)) + len(all[modules.Deal](t, c)); n != 0 {
		t.Errorf("failed conversions created %d contacts and deals", n)
	}
	// The account the lead's company names is joined, not duplicated.
	conv, err := zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{Deal: deal, MoveAttachmentsTo: "Deals", TagsToDeal: []string{"hot"}})
	if err != nil || conv.Account.ID != accts[0] {
		t.Errorf("conversion %+v, %v; want account %s", conv, err, accts[0])
	}
}

// ConversionOptions names the records a conversion would join, which
// Convert then joins.
func TestConversionOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := emulatorClient(t)
	lead := newLead(t, c, "Bolton", "Initech", "mb@initech.example")
	got, err := zohohub.ConversionOptions(ctx, c, lead)
	if err != nil || got.Preferred != "" || got.Contacts != nil || got.Accounts != nil {
		t.Fatalf("nothing to match: %+v, %v", got, err)
	}
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Initech"})
	ct := seed(t, srv, "Contacts", map[string]any{"Last_Name": "Bolton", "Email": "MB@initech.example"})
	got, err = zohohub.ConversionOptions(ctx, c, lead)
	if err != nil || got.Preferred != "Contacts" || !slices.Equal(got.Contacts, ct) || !slices.Equal(got.Accounts, acct) || got.Deals != nil {
		t.Fatalf("options %+v, %v; want contact %v and account %v", got, err, ct, acct)
	}
	conv, err := zohohub.Convert(ctx, c, lead, zohohub.ConvertOptions{})
	if err != nil || conv.Contact.ID != ct[0] || conv.Account.ID != acct[0] {
		t.Errorf("conversion %+v, %v", conv, err)
	}
	if _, err := zohohub.ConversionOptions(ctx, c, lead); !errors.Is(err, zohohub.ErrAlreadyConverted) {
		t.Errorf("options of a converted lead: %v", err)
	}
}
