package zohohub_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// exampleAccount starts zohotest (examplecrm.Start) with an account and
// two of its contacts. Stop the server when done.
func exampleAccount() (*zohotest.Server, *zohohub.Client, *modules.Account) {
	srv, client := examplecrm.Start()
	ctx := context.Background()
	acct := &modules.Account{AccountName: "Zylker"}
	if err := zohohub.Records[modules.Account](client).Save(ctx, acct); err != nil {
		log.Fatal(err)
	}
	contacts := []*modules.Contact{
		{LastName: "Ng", AccountName: zohohub.Lookup{ID: acct.ID}},
		{LastName: "Roe", AccountName: zohohub.Lookup{ID: acct.ID}},
	}
	if _, err := zohohub.Records[modules.Contact](client).SaveAll(ctx, contacts); err != nil {
		log.Fatal(err)
	}
	return srv, client, acct
}

// Include loads the account of each contact with one request per page,
// not one per contact.
func ExampleQuery_Include() {
	ctx := context.Background()
	srv, client, _ := exampleAccount()
	defer srv.Close()

	q := zohohub.Records[modules.Contact](client).Query().OrderBy("id").Include(modules.ContactAccountName)
	for c, err := range q.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		acct, err := zohohub.Loaded(c, modules.ContactAccountName)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.LastName, "works at", acct.AccountName)
	}
	// Output:
	// Ng works at Zylker
	// Roe works at Zylker
}

// Related lists an account's contacts through its related list, paged as
// any query.
func ExampleRelated() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()

	contacts, err := zohohub.Related(client, acct, modules.AccountContacts).OrderBy("Created_Time").Collect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range contacts {
		fmt.Println(c.LastName)
	}
	plan, _ := zohohub.Related(client, acct, modules.AccountContacts).Select("Last_Name").Explain()
	fmt.Println(strings.Replace(plan.Path, acct.ID, "{id}", 1), plan.Query.Get("fields"))
	// Output:
	// Ng
	// Roe
	// Accounts/{id}/Contacts Last_Name
}

// A related list whose records' module has no Go type (here the custom
// module Projects, as if it had not been generated) lists *AnyRecord: Select
// names any of its fields, Get reads them.
func ExampleRelated_anyRecord() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()
	projects := zohohub.RecordsOf(client, "Projects")
	for _, name := range []string{"Apollo", "Gemini"} {
		p := &zohohub.AnyRecord{}
		p.Set("Name", name)
		p.Set("Account", map[string]string{"id": acct.ID})
		if err := projects.Save(ctx, p); err != nil {
			log.Fatal(err)
		}
	}

	list := zohohub.RelatedList[modules.Account, zohohub.AnyRecord]("Projects")
	for p, err := range zohohub.Related(client, acct, list).Select("Name").OrderBy("Created_Time").All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		name, _ := p.Get("Name")
		fmt.Println(string(name))
	}
	n, err := zohohub.Related(client, acct, list).Count(ctx)
	fmt.Println(n, "projects", err)
	// Output:
	// "Apollo"
	// "Gemini"
	// 2 projects <nil>
}

// AddNotes attaches notes to a record; they list as its related list
// Notes and change as any record.
func ExampleAddNotes() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()

	note := &modules.Note{NoteTitle: "Call", NoteContent: "Wants a quote"}
	if _, err := zohohub.AddNotes(ctx, client, acct, note); err != nil {
		log.Fatal(err)
	}
	note.NoteContent = "Quote sent"
	if err := zohohub.Records[modules.Note](client).Save(ctx, note); err != nil {
		log.Fatal(err)
	}
	notes, err := zohohub.Related(client, acct, modules.AccountNotes).Collect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(notes), notes[0].NoteTitle, notes[0].NoteContent, notes[0].SeModule)
	// Output:
	// 1 Call Quote sent Accounts
}

// Link adds leads to a campaign with their member status; a relation Zoho
// does not link is refused before any request.
func ExampleLink() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()

	campaign := &modules.Campaign{CampaignName: "Spring launch"}
	lead := &modules.Lead{LastName: "Lovelace", Company: "Analytical"}
	if err := zohohub.Records[modules.Campaign](client).Save(ctx, campaign); err != nil {
		log.Fatal(err)
	}
	if err := zohohub.Records[modules.Lead](client).Save(ctx, lead); err != nil {
		log.Fatal(err)
	}
	res, err := zohohub.Link(ctx, client, campaign, modules.CampaignLeads,
		zohohub.Relation{ID: lead.ID, Fields: map[string]any{"Member_Status": "Invited"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Count(zohohub.ActionLinked), "linked")
	members, _ := zohohub.Related(client, campaign, modules.CampaignLeads).Collect(ctx)
	status, _ := members[0].Get("Member_Status")
	fmt.Println(members[0].LastName, string(status))

	_, err = zohohub.Link(ctx, client, acct, modules.AccountContacts, zohohub.Relation{ID: lead.ID})
	fmt.Println(err != nil)
	// Output:
	// 1 linked
	// Lovelace "Invited"
	// true
}

// Attach streams a file to a record and DownloadAttachment streams it
// back; neither holds the file in memory.
func ExampleAttach() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()

	att, err := zohohub.Attach(ctx, client, acct, "terms.txt", strings.NewReader("Net 30"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := zohohub.AttachLink(ctx, client, acct, "https://example.com/brochure.pdf", "Brochure"); err != nil {
		log.Fatal(err)
	}
	list, _ := zohohub.Attachments(client, acct).Collect(ctx)
	for _, a := range list {
		fmt.Printf("%s, %d bytes, link %q\n", a.FileName, a.Size, a.LinkURL)
	}
	var got bytes.Buffer
	if _, err := zohohub.DownloadAttachment(ctx, client, acct, att.ID, &got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.String())
	// Output:
	// Brochure, 0 bytes, link "https://example.com/brochure.pdf"
	// terms.txt, 6 bytes, link ""
	// Net 30
}

// UploadPhoto sets a record's photo; DownloadPhoto reads it back.
func ExampleUploadPhoto() {
	ctx := context.Background()
	srv, client, acct := exampleAccount()
	defer srv.Close()

	if err := zohohub.UploadPhoto(ctx, client, acct, "logo.png", strings.NewReader("\x89PNG…")); err != nil {
		log.Fatal(err)
	}
	var got bytes.Buffer
	n, err := zohohub.DownloadPhoto(ctx, client, acct, &got)
	fmt.Println(n, err, zohohub.DeletePhoto(ctx, client, acct))
	// Output:
	// 7 <nil> <nil>
}
