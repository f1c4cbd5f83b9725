package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// seedLeadIDs stores n leads and returns their ids.
func seedLeadIDs(t *testing.T, srv *zohotest.Server, n int) []string {
	t.Helper()
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("Lead %04d", i)}
	}
	return seed(t, srv, "Leads", recs...)
}

// seededLeads is a new zohotest server holding n leads, the Leads of a
// signed-in Client of it, and the leads' ids.
func seededLeads(t *testing.T, n int) (*zohotest.Server, *zohohub.RecordSet[modules.Lead], []string) {
	t.Helper()
	srv, c := emulatorClient(t)
	return srv, zohohub.Records[modules.Lead](c), seedLeadIDs(t, srv, n)
}

// countPaths counts the requests sent to method and path.
func countPaths(reqs []zohotest.RequestRecord, method, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// tagNames is the names of tags, sorted.
func tagNames(tags []zohohub.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Name)
	}
	slices.Sort(out)
	return out
}

// TestTagsOnManyRecords tags 1,200 records in 3 requests and untags them
// in 3; each record reads its tags back typed; the Tag filter finds
// exactly them.
func TestTagsOnManyRecords(t *testing.T) {
	srv, leads, all := seededLeads(t, 1300)
	ctx := context.Background()
	ids := all[:1200]
	sent(srv)

	res, err := leads.AddTagsAll(ctx, ids, zohohub.Tag{Name: "Hot", ColorCode: "#F17574"}, zohohub.Tag{Name: "Spring"})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Count(zohohub.ActionTagged); n != 1200 {
		t.Fatalf("%d tagged, want 1200", n)
	}
	if n := countPaths(sent(srv), "POST", "/crm/v8/Leads/actions/add_tags"); n != 3 {
		t.Fatalf("%d add_tags requests, want 3", n)
	}

	got, err := leads.Find(ctx, ids[700])
	if err != nil {
		t.Fatal(err)
	}
	if names := tagNames(got.Tag); !slices.Equal(names, []string{"Hot", "Spring"}) || got.Tag[0].ID == "" {
		t.Fatalf("record's tags %+v, want Hot and Spring with ids", got.Tag)
	}
	for _, tag := range got.Tag {
		if tag.Name == "Hot" && tag.ColorCode != "#F17574" {
			t.Errorf("Hot has colour %q", tag.ColorCode)
		}
	}
	other, err := leads.Find(ctx, all[1250])
	if err != nil || other.Tag != nil {
		t.Fatalf("an untagged record: %+v %v", other, err)
	}

	var found []string
	for l, err := range leads.Where(modules.LeadTag.Contains("Hot")).Select("Last_Name").All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, l.ID)
	}
	slices.Sort(found)
	if !slices.Equal(found, ids) {
		t.Fatalf("Tag filter found %d records, want exactly the 1200 tagged", len(found))
	}
	if n, err := leads.Where(modules.LeadTag.Contains("Spring"), modules.LeadLastName.Equals("Lead 0005")).Count(ctx); err != nil || n != 1 {
		t.Fatalf("Spring and Lead 0005: %d %v", n, err)
	}

	sent(srv)
	res, err = leads.RemoveTagsAll(ctx, ids, zohohub.Tag{Name: "Hot"}, zohohub.Tag{Name: "Spring"})
	if err != nil || res.Count(zohohub.ActionUntagged) != 1200 {
		t.Fatalf("untagged %d: %v", res.Count(zohohub.ActionUntagged), err)
	}
	if n := countPaths(sent(srv), "POST", "/crm/v8/Leads/actions/remove_tags"); n != 3 {
		t.Fatalf("%d remove_tags requests, want 3", n)
	}
	if n, err := leads.Where(modules.LeadTag.Contains("Hot")).Count(ctx); err != nil || n != 0 {
		t.Fatalf("after untagging, Hot finds %d: %v", n, err)
	}
}

// TestTagBatchReportsEachRecord: a bad id fails alone; over_write replaces.
func TestTagBatchReportsEachRecord(t *testing.T) {
	_, leads, ids := seededLeads(t, 3)
	ctx := context.Background()
	withBad := []string{ids[0], "5725767000000000001", ids[1]}
	res, err := leads.AddTagsAll(ctx, withBad, zohohub.Tag{Name: "Cold"})
	var be *zohohub.BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 1 {
		t.Fatalf("err %v, want one failure at 1", err)
	}
	var apiErr *zohohub.APIError
	if !errors.As(res.Results[1].Err, &apiErr) || apiErr.Code != "INVALID_DATA" || res.Results[0].Action != zohohub.ActionTagged {
		t.Fatalf("results %+v", res.Results)
	}
	if _, err := leads.ReplaceTagsAll(ctx, ids[:1], zohohub.Tag{Name: "Warm"}); err != nil {
		t.Fatal(err)
	}
	got, _ := leads.Find(ctx, ids[0])
	if names := tagNames(got.Tag); !slices.Equal(names, []string{"Warm"}) {
		t.Fatalf("after ReplaceTags: %v", names)
	}
}

// TestTagOneRecord adds, replaces and removes the tags of one record; the
// record's Tag field follows, and a Save after it sends nothing.
func TestTagOneRecord(t *testing.T) {
	srv, c := emulatorClient(t)
	ctx := context.Background()
	leads := zohohub.Records[modules.Lead](c)
	l := &modules.Lead{LastName: "Tagged"}
	if err := leads.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := leads.AddTags(ctx, l, zohohub.Tag{Name: "A"}, zohohub.Tag{Name: "B"}); err != nil {
		t.Fatal(err)
	}
	if err := leads.AddTags(ctx, l, zohohub.Tag{Name: "C"}); err != nil {
		t.Fatal(err)
	}
	if names := tagNames(l.Tag); !slices.Equal(names, []string{"A", "B", "C"}) {
		t.Fatalf("Tag field %v", names)
	}
	if err := leads.RemoveTags(ctx, l, zohohub.Tag{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	got, _ := leads.Find(ctx, l.ID)
	if names := tagNames(l.Tag); !slices.Equal(names, tagNames(got.Tag)) || len(names) != 2 {
		t.Fatalf("Tag field %v, Zoho holds %v", names, tagNames(got.Tag))
	}
	sent(srv)
	if err := leads.Save(ctx, l); err != nil || len(sent(srv)) != 0 {
		t.Fatalf("a Save after tagging sent something: %v", err)
	}
	if err := leads.ReplaceTags(ctx, l, zohohub.Tag{Name: "Z"}); err != nil || !slices.Equal(tagNames(l.Tag), []string{"Z"}) {
		t.Fatalf("ReplaceTags: %v %v", tagNames(l.Tag), err)
	}
	gone := &modules.Lead{}
	gone.ID = "5725767000000000001"
	if err := leads.AddTags(ctx, gone, zohohub.Tag{Name: "A"}); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("a missing record: %v", err)
	}
	many := make([]zohohub.Tag, 11)
	for i := range many {
		many[i] = zohohub.Tag{Name: fmt.Sprintf("T%d", i)}
	}
	var apiErr *zohohub.APIError
	if err := leads.AddTags(ctx, l, many...); !errors.As(err, &apiErr) || apiErr.Code != "LIMIT_EXCEEDED" {
		t.Fatalf("11 tags on a record: %v", err)
	}
}

// TestTagsRefusedBeforeSending: no tag, a tag without id or name, a name
// too long, a bad id send nothing.
func TestTagsRefusedBeforeSending(t *testing.T) {
	srv, leads, ids := seededLeads(t, 1)
	ctx := context.Background()
	sent(srv)
	for _, tags := range [][]zohohub.Tag{nil, {{ColorCode: "#F17574"}}, {{Name: "a name longer than 25 chars"}}, {{ID: "x1"}}} {
		if _, err := leads.AddTagsAll(ctx, ids, tags...); err == nil {
			t.Errorf("%+v: no error", tags)
		}
	}
	if _, err := leads.AddTagsAll(ctx, []string{"../x"}, zohohub.Tag{Name: "A"}); err == nil {
		t.Error("a bad id: no error")
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("sent %d requests", len(reqs))
	}
}

// TestModuleTags lists, creates, renames, merges and deletes a module's
// tags; records follow each change.
func TestModuleTags(t *testing.T) {
	_, leads, ids := seededLeads(t, 4)
	ctx := context.Background()

	made, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot", ColorCode: "#F17574"}, zohohub.Tag{Name: "Warm"})
	if err != nil || len(made) != 2 || made[0].ID == "" || made[0].ColorCode != "#F17574" {
		t.Fatalf("created %+v %v", made, err)
	}
	var apiErr *zohohub.APIError
	if _, err := leads.CreateTags(ctx, zohohub.Tag{Name: "hot"}); !errors.As(err, &apiErr) || apiErr.Code != "DUPLICATE_DATA" {
		t.Fatalf("a duplicate name: %v", err)
	}
	hot, warm := made[0], made[1]
	if _, err := leads.AddTagsAll(ctx, ids[:2], zohohub.Tag{ID: hot.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := leads.AddTagsAll(ctx, ids[1:3], zohohub.Tag{ID: warm.ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := leads.TagRecordCount(ctx, warm.ID); err != nil || n != 2 {
		t.Fatalf("Warm tags %d: %v", n, err)
	}

	renamed, err := leads.RenameTag(ctx, hot.ID, "Scorching")
	if err != nil || renamed.Name != "Scorching" || renamed.ID != hot.ID {
		t.Fatalf("renamed %+v %v", renamed, err)
	}
	got, _ := leads.Find(ctx, ids[0])
	if names := tagNames(got.Tag); !slices.Equal(names, []string{"Scorching"}) {
		t.Fatalf("record after rename: %v", names)
	}

	// Warm into Scorching: record 1 had both and keeps one; record 2 had Warm.
	if into, err := leads.MergeTags(ctx, hot.ID, warm.ID); err != nil || into.ID != hot.ID {
		t.Fatalf("merge: %+v %v", into, err)
	}
	for i, want := range [][]string{{"Scorching"}, {"Scorching"}, {"Scorching"}, nil} {
		got, _ := leads.Find(ctx, ids[i])
		if names := tagNames(got.Tag); !slices.Equal(names, want) {
			t.Errorf("record %d after merge: %v, want %v", i, names, want)
		}
	}
	tags, err := leads.Tags(ctx)
	if err != nil || len(tags) != 1 || tags[0].Name != "Scorching" {
		t.Fatalf("tags after merge: %+v %v", tags, err)
	}

	if err := leads.DeleteTag(ctx, hot.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if got, _ := leads.Find(ctx, id); got.Tag != nil {
			t.Errorf("record %s keeps a deleted tag: %+v", id, got.Tag)
		}
	}
	if tags, err := leads.Tags(ctx); err != nil || len(tags) != 0 {
		t.Fatalf("tags after delete: %+v %v", tags, err)
	}
	if err := leads.DeleteTag(ctx, hot.ID); !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" {
		t.Fatalf("deleting a deleted tag: %v", err)
	}
}

// TestTagConditionForms: a tag filter is search criteria alone; COQL and
// Bulk Read refuse it, and Not has no form for it.
func TestTagConditionForms(t *testing.T) {
	_, c := emulatorClient(t)
	leads := zohohub.Records[modules.Lead](c)
	q := leads.Where(modules.LeadTag.Contains("Hot"))
	p, err := q.Explain()
	if err != nil || p.Kind != zohohub.PlanSearch || p.Query.Get("criteria") != "(Tag:equals:Hot)" {
		t.Fatalf("plan %v %v", p, err)
	}
	if _, err := q.OrderBy("Last_Name").Explain(); err == nil {
		t.Error("a tag filter with OrderBy: no error")
	}
	if err := zohohub.Not(modules.LeadTag.Contains("Hot")).Err(); err == nil {
		t.Error("Not(Contains): no error")
	}
	for _, err := range q.Export(context.Background()) {
		if err == nil {
			t.Fatal("Export of a tag filter: no error")
		}
		break
	}
}

// TestDeleteTagsAll deletes several tags in one job; the records lose
// them, a tag id the module does not have counts as failed, and bad input
// is refused before anything is sent.
func TestDeleteTagsAll(t *testing.T) {
	srv, leads, ids := seededLeads(t, 3)
	ctx := context.Background()
	made, err := leads.CreateTags(ctx, zohohub.Tag{Name: "Hot"}, zohohub.Tag{Name: "Warm"}, zohohub.Tag{Name: "Cold"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leads.AddTagsAll(ctx, ids, made...); err != nil {
		t.Fatal(err)
	}
	sent(srv)
	del, err := leads.DeleteTagsAll(ctx, made[0].ID, made[1].ID, "5725767000000000001")
	if err != nil || len(del.JobIDs) != 1 {
		t.Fatalf("scheduled %+v: %v", del, err)
	}
	reqs := sent(srv)
	if n := countPaths(reqs, "POST", "/crm/v8/settings/tags/actions/mass_delete"); n != 1 || len(reqs) != 2 {
		t.Fatalf("%d requests (%d deletions), want the module's metadata and one deletion", len(reqs), n)
	}
	st, err := del.Wait(ctx, time.Millisecond)
	if err != nil || st.State != zohohub.MassUpdateCompleted || st.Total != 3 || st.Deleted != 2 || st.Failed != 1 {
		t.Fatalf("done: %+v %v", st, err)
	}
	for _, id := range ids {
		if got, _ := leads.Find(ctx, id); !slices.Equal(tagNames(got.Tag), []string{"Cold"}) {
			t.Errorf("record %s tags %v, want Cold alone", id, tagNames(got.Tag))
		}
	}
	if tags, err := leads.Tags(ctx); err != nil || len(tags) != 1 || tags[0].Name != "Cold" {
		t.Fatalf("tags left: %+v %v", tags, err)
	}
	unknown := *del
	unknown.JobIDs = []string{"5725767000000000009"}
	if _, err := unknown.Status(ctx); err == nil || !strings.Contains(err.Error(), "does not know job 5725767000000000009") {
		t.Errorf("an unknown job: %v", err)
	}
	sent(srv)
	for _, bad := range [][]string{nil, {"x"}, {made[2].ID, ""}} {
		if _, err := leads.DeleteTagsAll(ctx, bad...); err == nil {
			t.Errorf("DeleteTagsAll(%q): no error", bad)
		}
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d refused calls were sent", n)
	}
}
