package mirror_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/zohotest"
)

// TestLookupNamesFollowTheirRecords renames one account and deletes
// another. The projects and child accounts pointing to them are not
// modified in Zoho, so a pass does not read them again; their lookup
// names still change, as Find shows them.
func TestLookupNamesFollowTheirRecords(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			srv := zohotest.New(t)
			acc := seedChunks(t, srv, "Accounts", []map[string]any{{"Account_Name": "Renamed soon"}, {"Account_Name": "Deleted soon"}, {"Account_Name": "Kept"}})
			seedChunks(t, srv, "Accounts", []map[string]any{
				{"Account_Name": "Child of renamed", "Parent_Account": map[string]any{"id": acc[0]}},
				{"Account_Name": "Child of deleted", "Parent_Account": map[string]any{"id": acc[1]}}})
			projects := make([]map[string]any, 9)
			for i := range projects {
				projects[i] = map[string]any{"Name": "P" + itoa(i), "Account": map[string]any{"id": acc[i%3]}}
			}
			seedChunks(t, srv, "Projects", projects)
			afterSecond(time.Now())
			m, _, c := mirrorOf(t, srv, e)
			if _, err := m.Sync(ctx, "Accounts", "Projects"); err != nil {
				t.Fatal(err)
			}
			accounts := zohohub.RecordsOf(c, "Accounts")
			recs, err := accounts.FindMany(ctx, acc[0], acc[1])
			if err != nil {
				t.Fatal(err)
			}
			recs[0].Set("Account_Name", "Renamed")
			if err := accounts.Save(ctx, recs[0]); err != nil {
				t.Fatal(err)
			}
			if err := accounts.Delete(ctx, recs[1]); err != nil {
				t.Fatal(err)
			}
			afterSecond(time.Now())
			sum, err := m.Sync(ctx, "Accounts", "Projects")
			if err != nil {
				t.Fatal(err)
			}
			if a, p := sum.Modules[0], sum.Modules[1]; a.Read != 1 || a.LookupNames != 2 || p.Read != 0 || p.LookupNames != 6 {
				t.Errorf("second pass: accounts read %d, names %d; projects read %d, names %d; want 1, 2, 0, 6", a.Read, a.LookupNames, p.Read, p.LookupNames)
			}
			for _, tc := range []struct {
				table, nameCol, idCol, id string
				want                      sql.NullString
			}{
				{"projects", "account_name", "account_id", acc[0], sql.NullString{String: "Renamed", Valid: true}},
				{"projects", "account_name", "account_id", acc[1], sql.NullString{}},
				{"projects", "account_name", "account_id", acc[2], sql.NullString{String: "Kept", Valid: true}},
				{"accounts", "parent_account_name", "parent_account_id", acc[0], sql.NullString{String: "Renamed", Valid: true}},
				{"accounts", "parent_account_name", "parent_account_id", acc[1], sql.NullString{}},
			} {
				var names []sql.NullString
				q := e.db.Rebind("SELECT " + tc.nameCol + " FROM " + e.quote(e.prefix+tc.table) + " WHERE " + tc.idCol + " = ?")
				if err := e.db.Select(&names, q, tc.id); err != nil {
					t.Fatal(err)
				}
				for _, n := range names {
					if n != tc.want {
						t.Errorf("%s.%s of the rows pointing to %s: %v, want %v", tc.table, tc.nameCol, tc.id, n, tc.want)
					}
				}
				if len(names) == 0 {
					t.Errorf("no rows of %s point to %s", tc.table, tc.id)
				}
			}
			compareAll(t, e, c, "Accounts", "Projects")
		})
	}
}
