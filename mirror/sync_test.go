package mirror_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// seedCount is the records TestSyncLoadsThenFollowsChanges seeds:
// ZOHOHUB_MIRROR_N=50000 for the full run.
func seedCount(t testing.TB) int {
	if s := os.Getenv("ZOHOHUB_MIRROR_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			t.Fatalf("ZOHOHUB_MIRROR_N=%q: want a number of at least 1000", s)
		}
		return n
	}
	return 5000
}

// mirrorOf is a mirror of srv into e whose requests rc counts.
func mirrorOf(t testing.TB, srv *zohotest.Server, e engine, opts ...mirror.Option) (*mirror.Mirror, *mirror.RequestCounter, *zohohub.Client) {
	t.Helper()
	rc := mirror.NewRequestCounter(nil)
	c := client(t, srv, rc)
	opts = append([]mirror.Option{mirror.WithTablePrefix(e.prefix), mirror.WithClockSkew(0), mirror.WithRequestCounter(rc)}, opts...)
	m, err := mirror.New(c, e.db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m, rc, c
}

// changedField is the field the test updates in each module, with a new
// value for the i-th record.
var changedField = map[string]func(i int) any{
	"Accounts": func(i int) any { return fmt.Sprintf("updated %d", i) },    // Description
	"Leads":    func(i int) any { return fmt.Sprintf("Updated Co %d", i) }, // Company
	"Projects": func(i int) any { return float64(i) + 0.75 },               // Budget
}
var changedName = map[string]string{"Accounts": "Description", "Leads": "Company", "Projects": "Budget"}

// newRecord is a record to create in module.
func newRecord(module string, i int) map[string]any {
	switch module {
	case "Accounts":
		return map[string]any{"Account_Name": fmt.Sprintf("New account %d %s", i, randomName(""))} // names are unique
	case "Leads":
		return map[string]any{"Last_Name": fmt.Sprintf("New %d", i), "Company": "New Co"}
	}
	return map[string]any{"Name": fmt.Sprintf("New project %d %s", i, randomName("")), "Tags_1": []string{"Beta"}}
}

// mutate updates, creates and deletes records of module through the API
// and returns the ids it touched, by what it did.
func mutate(t testing.TB, c *zohohub.Client, module string, updates, creates, deletes int) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rs := zohohub.RecordsOf(c, module)
	recs, err := rs.Query().Select("Modified_Time").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < updates+deletes {
		t.Fatalf("%s has %d records, fewer than %d to update and delete", module, len(recs), updates+deletes)
	}
	touched := map[string][]string{}
	var upd []*zohohub.AnyRecord
	for i, r := range recs[:updates] {
		if err := r.Set(changedName[module], changedField[module](i)); err != nil {
			t.Fatal(err)
		}
		upd = append(upd, r)
		touched["updated"] = append(touched["updated"], r.ID)
	}
	if res, err := rs.SaveAll(ctx, upd); err != nil {
		t.Fatalf("updating %s: %v %v", module, err, res.Failed())
	}
	var created []*zohohub.AnyRecord
	for i := range creates {
		r := &zohohub.AnyRecord{}
		for k, v := range newRecord(module, i) {
			if err := r.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		created = append(created, r)
	}
	if res, err := rs.SaveAll(ctx, created); err != nil {
		t.Fatalf("creating %s: %v %v", module, err, res.Failed())
	}
	for _, r := range created {
		touched["created"] = append(touched["created"], r.ID)
	}
	gone := recs[len(recs)-deletes:]
	if _, err := rs.DeleteAll(ctx, gone); err != nil {
		t.Fatal(err)
	}
	for _, r := range gone {
		touched["deleted"] = append(touched["deleted"], r.ID)
	}
	return touched
}

// snapshot reads every row of a table, _synced_at included, as text by
// id.
func snapshot(t testing.TB, e engine, table string) map[string]string {
	t.Helper()
	rows, err := e.db.Query("SELECT * FROM " + e.quote(table))
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
			fmt.Fprintf(&b, "%s=%v|", cols[i], v)
		}
		out[fmt.Sprint(vals[0])] = b.String()
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSyncLoadsThenFollowsChanges loads three modules into PostgreSQL and
// MariaDB, one through Bulk Read and two page by page, and compares every
// row with Find; then 500 updates, 100 creates and 100 deletes per module
// change exactly those rows in a second pass of at most
// ⌈700/200⌉ + 1 + ⌈100/200⌉ = 6 requests per module (and the records
// pointing to a deleted account lose its name, as Find says), and a third
// pass with nothing to do changes nothing.
func TestSyncLoadsThenFollowsChanges(t *testing.T) {
	n := seedCount(t)
	srv := zohotest.New(t)
	seedOrg(t, srv, n)
	afterSecond(time.Now())
	ctx := context.Background()
	type run struct {
		e engine
		m *mirror.Mirror
		c *zohohub.Client
	}
	var runs []run
	for _, e := range engines(t) {
		// Leads (two fifths of the records) beyond the threshold: Bulk Read.
		m, _, c := mirrorOf(t, srv, e, mirror.WithBulkThreshold(n*7/20))
		sum, err := m.Sync(ctx, testModules...)
		if err != nil {
			t.Fatalf("%s: first pass: %v", e.name, err)
		}
		t.Logf("%s: first pass %v", e.name, sum.Duration)
		for _, st := range sum.Modules {
			wantMode := mirror.ModePages
			if st.Module == "Leads" {
				wantMode = mirror.ModeBulk
			}
			if st.Mode != wantMode || !st.Created || st.Inserted != st.Read || st.Read == 0 {
				t.Errorf("%s: first pass of %s: %+v, want a %s load that inserts every record", e.name, st.Module, st, wantMode)
			}
		}
		compareAll(t, e, c, testModules...)
		runs = append(runs, run{e, m, c})
	}

	touched := map[string]map[string][]string{}
	for _, module := range testModules {
		touched[module] = mutate(t, runs[0].c, module, 500, 100, 100)
	}
	// Records pointing to a deleted account keep their Modified_Time, but
	// Find names no account in their lookup any more: their rows change too.
	goneAccounts := map[string]bool{}
	for _, id := range touched["Accounts"]["deleted"] {
		goneAccounts[id] = true
	}
	for module, field := range map[string]string{"Accounts": "Parent_Account", "Projects": "Account"} {
		for _, r := range srv.Records(module) {
			if ref, ok := r[field].(map[string]any); ok && goneAccounts[ref["id"].(string)] {
				touched[module]["named"] = append(touched[module]["named"], r["id"].(string))
			}
		}
	}
	afterSecond(time.Now())
	for _, r := range runs {
		before := map[string]map[string]string{}
		for _, module := range testModules {
			before[module] = snapshot(t, r.e, r.e.prefix+strings.ToLower(module))
		}
		sum, err := r.m.Sync(ctx, testModules...)
		if err != nil {
			t.Fatalf("%s: second pass: %v", r.e.name, err)
		}
		for _, st := range sum.Modules {
			renamed := 0 // rows whose only change is the name of a deleted account
			for _, id := range touched[st.Module]["named"] {
				if !slices.Contains(touched[st.Module]["updated"], id) {
					renamed++
				}
			}
			if st.LookupNames != renamed {
				t.Errorf("%s: second pass of %s: %d lookup names brought up to date, want %d", r.e.name, st.Module, st.LookupNames, renamed)
			}
			if st.Mode != mirror.ModeIncremental || st.Inserted != 100 || st.Updated != 500 || st.Deleted != 100 || st.Read != 600 {
				t.Errorf("%s: second pass of %s: %+v, want 600 read, 100 inserted, 500 updated, 100 deleted", r.e.name, st.Module, st)
			}
			if limit := 4 + 1 + 1; st.Requests > limit {
				t.Errorf("%s: second pass of %s sent %d requests, want at most %d", r.e.name, st.Module, st.Requests, limit)
			}
			t.Logf("%s: second pass of %s: %d requests, %d lookup names, %v", r.e.name, st.Module, st.Requests, st.LookupNames, st.Duration)
		}
		for _, module := range testModules {
			after := snapshot(t, r.e, r.e.prefix+strings.ToLower(module))
			var changed []string
			for id := range maps.Keys(before[module]) {
				if after[id] != before[module][id] {
					changed = append(changed, id)
				}
			}
			for id := range maps.Keys(after) {
				if _, ok := before[module][id]; !ok {
					changed = append(changed, id)
				}
			}
			wantChanged := slices.Concat(touched[module]["updated"], touched[module]["created"], touched[module]["deleted"], touched[module]["named"])
			slices.Sort(changed)
			slices.Sort(wantChanged)
			wantChanged = slices.Compact(wantChanged)
			if !slices.Equal(changed, wantChanged) {
				t.Errorf("%s %s: %d rows changed, want exactly the %d touched", r.e.name, module, len(changed), len(wantChanged))
			}
		}
		compareAll(t, r.e, r.c, testModules...)

		sum, err = r.m.Sync(ctx, testModules...)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sum.Modules {
			if st.Read != 0 || st.Inserted+st.Updated+st.Deleted != 0 || st.Requests > 3 {
				t.Errorf("%s: third pass of %s: %+v, want nothing read or written in at most 3 requests", r.e.name, st.Module, st)
			}
		}
	}
}
