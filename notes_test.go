package zohohub_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
)

// TestNotesOfARecord adds, lists, updates and deletes the notes of an
// account, typed as modules.Note.
func TestNotesOfARecord(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acctID := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Acme"})[0]
	other := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Other"})[0]
	acct := &modules.Account{Model: zohohub.Model{ID: acctID}}
	notes := make([]*modules.Note, 250)
	for i := range notes {
		notes[i] = &modules.Note{NoteTitle: fmt.Sprintf("N%03d", i), NoteContent: "call back"}
	}
	if _, err := zohohub.AddNotes(ctx, c, &modules.Account{Model: zohohub.Model{ID: other}}, &modules.Note{NoteContent: "elsewhere"}); err != nil {
		t.Fatal(err)
	}
	sent(srv)
	res, err := zohohub.AddNotes(ctx, c, acct, notes...)
	if err != nil || res.Count(zohohub.ActionCreated) != 250 {
		t.Fatalf("AddNotes: %v %+v", err, res.Failed())
	}
	reqs := sent(srv)
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (100 notes a request)", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != "POST" || r.Path != "/crm/v8/Accounts/"+acctID+"/Notes" {
			t.Fatalf("request %s %s", r.Method, r.Path)
		}
	}
	for _, n := range notes {
		if n.ID == "" {
			t.Fatal("a note has no id after AddNotes")
		}
	}

	list := zohohub.Related(c, acct, modules.AccountNotes)
	got, err := list.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("%d notes listed, want 250", len(got))
	}
	for _, n := range got {
		if n.ParentID.ID != acctID || n.SeModule != "Accounts" || n.NoteContent != "call back" {
			t.Fatalf("note %+v", n)
		}
	}

	// Update and delete through the Notes module, as any record.
	rs := zohohub.Records[modules.Note](c)
	got[0].NoteContent = "called"
	if err := rs.Save(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	if err := rs.Delete(ctx, got[1]); err != nil {
		t.Fatal(err)
	}
	if n, err := list.Count(ctx); err != nil || n != 249 {
		t.Fatalf("count after delete: %d %v", n, err)
	}
	again, err := rs.Find(ctx, got[0].ID)
	if err != nil || again.NoteContent != "called" || again.ParentID.ID != acctID {
		t.Fatalf("updated note: %+v %v", again, err)
	}

	// A note that exists already is not added again.
	sent(srv)
	if _, err := zohohub.AddNotes(ctx, c, acct, got[0]); err == nil || !strings.Contains(err.Error(), "already has the id") {
		t.Fatalf("re-adding a note: %v", err)
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
