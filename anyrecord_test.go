package zohohub_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

// TestRecordsOfReadsAModuleNamedAtRunTime reads leads through RecordsOf:
// pages, Bulk Read, a condition and Find, on fields no Go type maps.
func TestRecordsOfReadsAModuleNamedAtRunTime(t *testing.T) {
	srv, c := exportClient(t)
	ctx := context.Background()
	seedLeads(t, srv, 250)
	leads := zohohub.RecordsOf(c, "Leads")
	if leads.Module() != "Leads" || leads.Err() != nil {
		t.Fatalf("module %q, error %v", leads.Module(), leads.Err())
	}
	q := leads.Query().Select("Last_Name", "No_of_Employees", "Email_Opt_Out").Where(zohohub.Field("Company").Equals("Acme"))
	paged, err := q.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(paged) != 84 {
		t.Fatalf("%d Acme leads, want 84", len(paged))
	}
	f := paged[0].Fields()
	if string(f["Last_Name"]) != `"Doe 00000"` || string(f["No_of_Employees"]) != "0" || string(f["Email_Opt_Out"]) != "true" || string(f["id"]) != `"`+paged[0].ID+`"` {
		t.Fatalf("fields of the first lead: %s", show(f))
	}
	if _, ok := f["Company"]; ok {
		t.Fatalf("a field not selected was read: %s", show(f))
	}
	var exported []*zohohub.AnyRecord
	for r, err := range leads.Query().Select("Last_Name", "No_of_Employees").Export(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		exported = append(exported, r)
	}
	if len(exported) != 250 {
		t.Fatalf("exported %d leads, want 250", len(exported))
	}
	for _, r := range exported {
		if r.ID == paged[0].ID {
			if f := r.Fields(); string(f["Last_Name"]) != `"Doe 00000"` || string(f["No_of_Employees"]) != `"0"` {
				t.Fatalf("exported fields (Bulk Read's text cells): %s", show(f))
			}
		}
	}
	one, err := leads.Find(ctx, paged[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if f := one.Fields(); string(f["Company"]) != `"Acme"` || !strings.Contains(string(f["Owner"]), `"name":"Jane Roe"`) || one.ModifiedTime.IsZero() {
		t.Fatalf("Find: %s", show(f))
	}
}

func TestRecordsOfRefusesWhatIsNotAModule(t *testing.T) {
	_, c := emulatorClient(t)
	for _, name := range []string{"", "Leads/1", "../settings", "Leads?x=1"} {
		rs := zohohub.RecordsOf(c, name)
		if rs.Err() == nil {
			t.Errorf("RecordsOf(%q) has no error", name)
		}
		if _, err := rs.Find(context.Background(), "1"); err == nil {
			t.Errorf("RecordsOf(%q).Find sent a request", name)
		}
	}
	// Select names are still checked for shape before any request.
	if _, err := zohohub.RecordsOf(c, "Leads").Query().Select("Last Name").Explain(); err == nil {
		t.Error(`Select("Last Name") is accepted`)
	}
}

func show(f map[string]json.RawMessage) string {
	b, _ := json.Marshal(f)
	return string(b)
}
