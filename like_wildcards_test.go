package zohohub_test

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// Issue 11: Contains("%") was COQL like '%%%' and matched every record;
// a multi-select Contains matched a substring in COQL ("Big Analytics")
// but a whole value in search.
func TestLikeWildcardsAndMultiSelectContains(t *testing.T) {
	_, leads := operatorLeads(t)
	ctx := context.Background()
	recs, err := leads.Where(company.Contains("%")).Collect(ctx)
	if err == nil || len(recs) != 0 {
		t.Errorf("Contains(%%) through COQL found %d records, %v; want an error (COQL cannot match %% literally)", len(recs), err)
	}
	var exported []string
	for r, err := range leads.Where(company.Contains("%")).Export(ctx) {
		if err != nil {
			t.Error(err)
			break
		}
		exported = append(exported, r.LastName)
	}
	if !slices.Equal(exported, []string{"Bravo"}) {
		t.Errorf("Contains(%%) through Bulk Read found %v, want [Bravo]", exported)
	}
	q := leads.Where(courses.Contains("Analytics"))
	for name, q := range map[string]interface {
		Collect(context.Context) ([]*opLead, error)
	}{"search": q.Limit(100), "COQL": q.OrderBy("Last_Name")} {
		recs, err := q.Collect(ctx)
		var got []string
		for _, r := range recs {
			got = append(got, r.LastName)
		}
		slices.Sort(got)
		if err != nil || strings.Join(got, " ") != "Alpha Bravo" {
			t.Errorf("%s: multi-select Contains found %v, %v; want Alpha Bravo", name, got, err)
		}
	}
}
