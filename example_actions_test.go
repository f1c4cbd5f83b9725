package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/settings"
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

// exampleLeads saves leads of these last names and returns their ids.
func exampleLeads(client *zohohub.Client, names ...string) []string {
	recs := make([]*modules.Lead, len(names))
	for i, n := range names {
		recs[i] = &modules.Lead{LastName: n, City: "Lyon"}
	}
	if _, err := zohohub.Records[modules.Lead](client).SaveAll(context.Background(), recs); err != nil {
		log.Fatal(err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

// Several of a module's tags are deleted at once, in a job Zoho runs in
// the background; the records lose them.
func ExampleRecordSet_DeleteTagsAll() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	ids := exampleLeads(client, "Ng", "Roe")

	tags, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot"}, zohohub.Tag{Name: "Warm"}, zohohub.Tag{Name: "Cold"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := leads.AddTagsAll(ctx, ids, tags...); err != nil {
		log.Fatal(err)
	}
	del, err := leads.DeleteTagsAll(ctx, tags[0].ID, tags[1].ID)
	if err != nil {
		log.Fatal(err)
	}
	st, err := del.Wait(ctx, 10*time.Millisecond)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.State, st.Deleted, "of", st.Total, "deleted")
	ng, err := leads.Find(ctx, ids[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Ng's tags:", len(ng.Tag), ng.Tag[0].Name)
	// Output:
	// COMPLETED 2 of 2 deleted
	// Ng's tags: 1 Cold
}

// exampleUserID returns the id of the org's active user of that name.
func exampleUserID(client *zohohub.Client, name string) string {
	for u, err := range settings.Users(context.Background(), client, settings.ActiveUsers) {
		if err != nil {
			log.Fatal(err)
		}
		if u.FullName == name {
			return u.ID
		}
	}
	log.Fatalf("no user %s", name)
	return ""
}

// Tags are added to many records by id, 500 a request, read back as the
// records' typed Tag field, and found by a Tag condition.
func ExampleRecordSet_AddTagsAll() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	ids := exampleLeads(client, "Ng", "Roe", "Poe")

	res, err := leads.AddTagsAll(ctx, ids[:2], zohohub.Tag{Name: "Hot", ColorCode: "#F17574"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Count(zohohub.ActionTagged), "tagged")

	ng, err := leads.Find(ctx, ids[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ng.LastName, "is tagged", ng.Tag[0].Name, ng.Tag[0].ColorCode)

	var hot []string // a search: Zoho's order, not ours
	for l, err := range leads.Where(modules.LeadTag.Contains("Hot")).All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		hot = append(hot, l.LastName)
	}
	slices.Sort(hot)
	fmt.Println("Hot:", hot)
	// Output:
	// 2 tagged
	// Ng is tagged Hot #F17574
	// Hot: [Ng Roe]
}

// A record's own tags: added, then removed, its Tag field following.
func ExampleRecordSet_AddTags() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	lead := &modules.Lead{LastName: "Ng"}
	if err := leads.Save(ctx, lead); err != nil {
		log.Fatal(err)
	}
	if err := leads.AddTags(ctx, lead, zohohub.Tag{Name: "Hot"}, zohohub.Tag{Name: "Trade show"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(lead.Tag), "tags")
	if err := leads.RemoveTags(ctx, lead, zohohub.Tag{Name: "Hot"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("left:", lead.Tag[0].Name)
	// Output:
	// 2 tags
	// left: Trade show
}

// A module's tags: created, renamed, merged and deleted; the records
// follow.
func ExampleRecordSet_MergeTags() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	ids := exampleLeads(client, "Ng", "Roe")

	tags, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot"}, zohohub.Tag{Name: "Warm"})
	if err != nil {
		log.Fatal(err)
	}
	hot, warm := tags[0], tags[1]
	if _, err := leads.AddTagsAll(ctx, ids[:1], hot); err != nil {
		log.Fatal(err)
	}
	if _, err := leads.AddTagsAll(ctx, ids[1:], warm); err != nil {
		log.Fatal(err)
	}
	if _, err := leads.RenameTag(ctx, hot.ID, "Priority"); err != nil {
		log.Fatal(err)
	}
	if _, err := leads.MergeTags(ctx, hot.ID, warm.ID); err != nil { // Warm's records become Priority's
		log.Fatal(err)
	}
	n, err := leads.TagRecordCount(ctx, hot.ID)
	if err != nil {
		log.Fatal(err)
	}
	left, err := leads.Tags(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(left[0].Name, "tags", n, "leads;", len(left), "tag left")
	if err := leads.DeleteTag(ctx, hot.ID); err != nil {
		log.Fatal(err)
	}
	roe, _ := leads.Find(ctx, ids[1])
	fmt.Println("Roe's tags after the delete:", len(roe.Tag))
	// Output:
	// Priority tags 2 leads; 1 tag left
	// Roe's tags after the delete: 0
}

// A mass update sets the same values on records by id, one result each;
// an id that is no lead fails alone.
func ExampleRecordSet_MassUpdate() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	ids := exampleLeads(client, "Ng", "Roe")

	values := &modules.Lead{LeadStatus: modules.LeadLeadStatusValueContacted}
	res, err := leads.MassUpdate(ctx, values, ids[0], "5725767000000000001", ids[1])
	fmt.Println(res.Count(zohohub.ActionUpdated), "updated;", err)
	// Output:
	// 2 updated; zohohub: MassUpdate Leads: 1 of 3 records failed; POST Leads/actions/mass_update: record 1: HTTP 200 INVALID_DATA: the id given seems to be invalid (id="5725767000000000001")
}

// A mass update over the records matching a condition runs as a job;
// Wait polls it to completion.
func ExampleRecordSet_MassUpdateWhere() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	leads := zohohub.Records[modules.Lead](client)
	exampleLeads(client, "Ng", "Roe", "Poe")

	values := &modules.Lead{Rating: modules.LeadRatingValueActive}
	job, err := leads.MassUpdateWhere(ctx, values, modules.LeadLastName.In("Ng", "Poe"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := job.Wait(ctx, 10*time.Millisecond)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.State, st.Updated, "of", st.Total)
	// Output:
	// COMPLETED 2 of 2
}

// Records change hands: one with its tasks, and many at once; an owner
// who is no user is Zoho's INVALID_DATA.
func ExampleRecordSet_ChangeOwner() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	john := exampleUserID(client, "John Smith")
	leads := zohohub.Records[modules.Lead](client)
	ids := exampleLeads(client, "Ng", "Roe", "Poe")

	lead, err := leads.Find(ctx, ids[0])
	if err != nil {
		log.Fatal(err)
	}
	if err := leads.ChangeOwner(ctx, lead, john, zohohub.NotifyNewOwner(), zohohub.RelatedModules("Tasks", "Events", "Calls")); err != nil {
		log.Fatal(err)
	}
	res, err := leads.ChangeOwnerAll(ctx, ids[1:], john)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Count(zohohub.ActionUpdated), "more")
	for l, err := range leads.Where(modules.LeadOwner.Equals(john)).OrderBy("id").All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(l.LastName, "is John's")
	}
	err = leads.ChangeOwner(ctx, lead, "5725767000000000001")
	fmt.Println(err)
	// Output:
	// 2 more
	// Ng is John's
	// Roe is John's
	// Poe is John's
	// zohohub: POST Leads/5725767000001000001/actions/change_owner: HTTP 400 INVALID_DATA: the owner id given is invalid (param_name="owner")
}

// The leads of a custom view (here the module's "All" view), narrowed by
// a condition, change hands in a job Zoho runs in the background.
func ExampleRecordSet_ChangeOwnerView() {
	ctx := context.Background()
	srv, client := examplecrm.Start()
	defer srv.Close()
	john := exampleUserID(client, "John Smith")
	views, err := settings.CustomViews(ctx, client, "Leads")
	if err != nil {
		log.Fatal(err)
	}
	leads := zohohub.Records[modules.Lead](client)
	exampleLeads(client, "Ng", "Roe", "Poe")

	job, err := leads.ChangeOwnerView(ctx, views[0].ID, john, modules.LeadLastName.In("Ng", "Poe"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := job.Wait(ctx, 10*time.Millisecond)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.State, st.Updated, "of", st.Total)
	owned, err := leads.Where(modules.LeadOwner.Equals(john)).Count(ctx)
	fmt.Println(owned, "owned by John", err)
	// Output:
	// COMPLETED 2 of 2
	// 2 owned by John <nil>
}
