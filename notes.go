package zohohub

import (
	"context"
	"fmt"
	"net/http"
)

// Notes of a record. A note is a record of the module Notes (generated as
// modules.Note): its Parent_Id and $se_module name the record it is
// attached to. Read a record's notes as its related list Notes, add them
// with AddNotes, and update or delete them as any record, through
// Records[modules.Note]:
//
//	notes := zohohub.Related(client, acct, modules.AccountNotes)  // GET Accounts/{id}/Notes
//	_, err := zohohub.AddNotes(ctx, client, acct, &modules.Note{NoteContent: "Called"})
//	err = zohohub.Records[modules.Note](client).Save(ctx, note)  // PUT Notes
//	err = zohohub.Records[modules.Note](client).Delete(ctx, note) // DELETE Notes?ids=

// notesList is the API name of every record's related list of notes.
const notesList = "Notes"

// AddNotes attaches new notes to parent (POST {module}/{id}/Notes, 100 a
// request, concurrently): Zoho takes the parent from the path, so the
// notes' Parent_Id and $se_module need not be set. Each note's ID and
// system fields are set from Zoho's answer. Results and errors are as
// SaveAll's; a note that already has an ID is an error and nothing is
// sent (update it with Records[N].Save).
func AddNotes[P, N any](ctx context.Context, c *Client, parent *P, notes ...*N) (BatchResult, error) {
	module, id, err := parentOf(c, "AddNotes", parent)
	if err != nil {
		return BatchResult{}, err
	}
	rs := Records[N](c)
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	if rs.module() != "Notes" {
		return BatchResult{}, fmt.Errorf("zohohub: AddNotes: %T is a record of %s, not of Notes", *new(N), rs.module())
	}
	for i, n := range notes {
		if n != nil && !rs.model(n).IsNew() {
			return BatchResult{}, fmt.Errorf("zohohub: AddNotes: note %d already has the id %s (update it with Save); nothing was sent", i, rs.model(n).ID)
		}
	}
	res, _, err := rs.writeAll(ctx, "AddNotes", notes, false, rs.writeRequest(http.MethodPost, module+"/"+id+"/"+notesList, nil))
	if err != nil {
		return res, err
	}
	return res, rs.batchError("AddNotes", res)
}
