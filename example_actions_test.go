package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// Convert turns a lead into a contact, an account and, when asked, a deal
// linked to both; the lead cannot be converted twice.
func ExampleConvert() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()

	lead := &modules.Lead{FirstName: "Ada", LastName: "Lovelace", Company: "Analytical Engines", Email: "ada@engines.example"}
	if err := zohohub.Records[modules.Lead](client).Save(ctx, lead); err != nil {
		log.Fatal(err)
	}
	deal := &modules.Deal{DealName: "Difference Engine", Stage: modules.DealStageValueQualification,
		ClosingDate: zohohub.DateOf(time.Date(2030, time.June, 30, 0, 0, 0, 0, time.UTC))}
	conv, err := zohohub.Convert(ctx, client, lead, zohohub.ConvertOptions{Deal: deal})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("contact:", conv.Contact.Name)
	fmt.Println("account:", conv.Account.Name)
	fmt.Println("deal:", conv.Deal.Name, deal.ID == conv.Deal.ID)

	saved, err := zohohub.Records[modules.Deal](client).Find(ctx, deal.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the deal's contact and account:", saved.ContactName.Name, "at", saved.AccountName.Name)

	_, err = zohohub.Convert(ctx, client, lead, zohohub.ConvertOptions{})
	fmt.Println("converted again:", errors.Is(err, zohohub.ErrAlreadyConverted))
	// Output:
	// contact: Ada Lovelace
	// account: Analytical Engines
	// deal: Difference Engine true
	// the deal's contact and account: Ada Lovelace at Analytical Engines
	// converted again: true
}

// Advance moves a record through its blueprint by a transition chosen by
// the state it leads to; Zoho refuses it until its required fields are
// given, and refuses changing the state outside a transition.
func ExampleAdvance() {
	ctx := context.Background()
	srv, client := examplecrm.Start(zohotest.WithBlueprint("Leads", zohotest.Blueprint{
		Name: "Qualification", Field: "Lead_Status",
		Transitions: []zohotest.Transition{
			{Name: "Reach out", From: []string{"Not Contacted"}, To: "Contacted", Required: []string{"Phone"}},
			{Name: "Give up", From: []string{"Not Contacted"}, To: "Lost Lead"},
		},
	}))
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	lead := &modules.Lead{LastName: "Curie", LeadStatus: "Not Contacted"}
	if err := leads.Save(ctx, lead); err != nil {
		log.Fatal(err)
	}

	bp, err := zohohub.BlueprintOf(ctx, client, lead)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bp.Process, "is at", bp.State)
	for _, t := range bp.Transitions {
		var required []string
		for _, f := range t.Fields {
			if f.Required {
				required = append(required, f.APIName)
			}
		}
		fmt.Printf("  %s → %s, requires %v\n", t.Name, t.To, required)
	}
	t, err := bp.Transition("Contacted")
	if err != nil {
		log.Fatal(err)
	}
	var apiErr *zohohub.APIError
	if err := zohohub.Advance(ctx, client, lead, t); errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.Code, apiErr.APIName())
	}
	lead.Phone = "555-0199"
	if err := zohohub.Advance(ctx, client, lead, t); err != nil {
		log.Fatal(err)
	}
	fmt.Println("now", lead.LeadStatus)

	lead.LeadStatus = "Lost Lead"
	err = leads.Save(ctx, lead)
	fmt.Println("state saved outside a transition:", errors.Is(err, zohohub.ErrRecordInBlueprint))
	// Output:
	// Qualification is at Not Contacted
	//   Reach out → Contacted, requires [Phone]
	//   Give up → Lost Lead, requires []
	// refused: MANDATORY_NOT_FOUND Phone
	// now Contacted
	// state saved outside a transition: true
}
