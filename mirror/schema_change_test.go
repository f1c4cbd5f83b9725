package mirror_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// seedLeads seeds n leads; extra adds fields to the i-th.
func seedLeads(t testing.TB, srv *zohotest.Server, n int, extra func(i int, rec map[string]any)) {
	t.Helper()
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("Doe %d", i), "Company": "Acme", "No_of_Employees": i}
		if extra != nil {
			extra(i, recs[i])
		}
	}
	seedChunks(t, srv, "Leads", recs)
}

// TestMetadataChangesBetweenPasses mirrors an org whose administrator, between
// two passes, adds a field and changes the type of another. Two emulators
// stand for the org before and after: seeded alike, they give the records the
// same ids, and both are seeded before the first pass, so that no record is
// modified after its watermark. The new field becomes a column, and the module is loaded again
// so that every row has its value; the column of the changed field is
// reported, left as it is and no longer written.
func TestMetadataChangesBetweenPasses(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			// Both seeded before the first pass: the second reads nothing
			// modified since, and must still fill the new column.
			before := zohotest.New(t)
			seedLeads(t, before, 300, nil)
			after := zohotest.New(t, zohotest.WithCustomField("Leads", "Score__c", "integer"), zohotest.WithCustomField("Leads", "No_of_Employees", "text"))
			seedLeads(t, after, 300, func(i int, rec map[string]any) {
				rec["Score__c"] = i * 10
				rec["No_of_Employees"] = fmt.Sprintf("about %d", i)
			})
			afterSecond(time.Now())
			m1, _, _ := mirrorOf(t, before, e)
			if _, err := m1.Sync(ctx, "Leads"); err != nil {
				t.Fatal(err)
			}
			m2, _, _ := mirrorOf(t, after, e)
			sum, err := m2.Sync(ctx, "Leads")
			if err != nil {
				t.Fatal(err)
			}
			st := sum.Modules[0]
			if !slices.Equal(st.AddedColumns, []string{"score__c"}) || len(st.Incompatible) != 1 || !strings.Contains(st.Incompatible[0], "no_of_employees") {
				t.Fatalf("second pass: added %v, incompatible %v; want score__c added, no_of_employees left alone", st.AddedColumns, st.Incompatible)
			}
			if st.Mode != mirror.ModePages || st.Updated != 300 {
				t.Errorf("second pass: %s, %d rows updated; want the module loaded again, 300 rows updated (every record has a score now)", st.Mode, st.Updated)
			}
			table := e.quote(e.prefix + "leads")
			var n, scores, employees int
			q := "SELECT COUNT(*), SUM(score__c), SUM(no_of_employees) FROM " + table
			if e.name == "mysql" {
				q = strings.ReplaceAll(q, "score__c", "`score__c`")
			}
			if err := e.db.QueryRow(q).Scan(&n, &scores, &employees); err != nil {
				t.Fatal(err)
			}
			if want := 300 * 299 / 2; n != 300 || scores != 10*want || employees != want {
				t.Fatalf("%d rows, scores sum to %d (want %d), employees to %d (want %d, the values of the first pass)", n, scores, 10*want, employees, want)
			}
			var dataType string
			if err := e.db.Get(&dataType, e.db.Rebind("SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?"), e.prefix+"leads", "score__c"); err != nil {
				t.Fatal(err)
			}
			if dataType != "integer" && dataType != "int" {
				t.Errorf("score__c is %s, want an integer column", dataType)
			}
		})
	}
}
