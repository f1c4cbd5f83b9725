package mirror

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/spec"
)

// specFields reads a module's fields from the metadata zohotest serves.
func specFields(t *testing.T, module string) []schema.Field {
	t.Helper()
	data, err := fs.ReadFile(spec.Metadata(), "fields/"+module+".json")
	if err != nil {
		t.Fatal(err)
	}
	fields, err := schema.DecodeFields(data)
	if err != nil {
		t.Fatal(err)
	}
	return fields
}

// TestTableOfEveryFieldType checks the columns of Projects, which has a
// field of every type, in both dialects.
func TestTableOfEveryFieldType(t *testing.T) {
	tbl, err := buildTable("zoho_", "Projects", specFields(t, "Projects"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // column → PostgreSQL, MySQL
		"id":                  {"bigint PRIMARY KEY", "BIGINT NOT NULL PRIMARY KEY"},
		"owner_id":            {"bigint", "BIGINT"},
		"owner_name":          {"varchar(255)", "VARCHAR(255)"},
		"created_time":        {"timestamptz", "DATETIME"},
		"name":                {"varchar(120)", "VARCHAR(120)"},
		"project_description": {"varchar(32000)", "MEDIUMTEXT"},
		"live_ccjs":           {"integer", "INT"},
		"budget":              {"numeric(18,2)", "DECIMAL(18,2)"},
		"tracking_number":     {"bigint", "BIGINT"},
		"score":               {"double precision", "DOUBLE"},
		"completion":          {"double precision", "DOUBLE"},
		"margin":              {"numeric(18,2)", "DECIMAL(18,2)"},
		"is_active":           {"boolean", "BOOLEAN"},
		"start_date":          {"date", "DATE"},
		"kickoff_at":          {"timestamptz", "DATETIME"},
		"stage":               {"varchar(255)", "VARCHAR(255)"},
		"tags_1":              {"text[]", "JSON"},
		"account_id":          {"bigint", "BIGINT"},
		"account_name":        {"varchar(255)", "VARCHAR(255)"},
		"reviewer_id":         {"bigint", "BIGINT"},
		"attachments_1":       {"jsonb", "JSON"},
		"_synced_at":          {"timestamptz NOT NULL", "DATETIME NOT NULL"},
	}
	for i, d := range []dialect{postgres{}, mysqlDialect{}} {
		ddl := d.createTable(tbl)[0]
		if !strings.HasPrefix(ddl, "CREATE TABLE IF NOT EXISTS "+d.quote("zoho_projects")+" (") {
			t.Errorf("%s: %s", d.name(), ddl)
		}
		for col, types := range want {
			if def := d.quote(col) + " " + types[i]; !strings.Contains(ddl, def+",") && !strings.Contains(ddl, def+"\n") {
				t.Errorf("%s: no %q in\n%s", d.name(), def, ddl)
			}
		}
	}
	if tbl.lookups["Account"] != "Accounts" {
		t.Errorf("lookups %v", tbl.lookups)
	}
}

func TestIdentifiers(t *testing.T) {
	for in, want := range map[string]string{
		"Last_Name": "last_name", "$se_module": "_se_module", "1st_Call": "f_1st_call", "Zip Code": "zipcode",
		"Tags__c": "tags__c", strings.Repeat("Long_", 20): strings.Repeat("long_", 20)[:54] + "_",
	} {
		got, ok := ident(in)
		if !ok || !strings.HasPrefix(got, want) || len(got) > maxIdent || !validIdent(got) {
			t.Errorf("ident(%q) = %q, %v; want %q…", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "$", "__", "é"} {
		if got, ok := ident(in); ok {
			t.Errorf("ident(%q) = %q, want none", in, got)
		}
	}
	for _, bad := range []string{"", "Leads", "a-b", "a b", `a"b`, "a`b", "1a", "a;drop"} {
		if validIdent(bad) {
			t.Errorf("validIdent(%q) is true", bad)
		}
	}
}

// TestTwoFieldsOneColumn: fields whose names differ only in case get
// columns apart.
func TestTwoFieldsOneColumn(t *testing.T) {
	tbl, err := buildTable("", "Leads", []schema.Field{{APIName: "Rank", DataType: "integer"}, {APIName: "RANK", DataType: "text"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tbl.columns) != 4 || tbl.columns[1].Name != "rank" || tbl.columns[2].Name == "rank" || !validIdent(tbl.columns[2].Name) {
		t.Fatalf("columns %+v", tbl.columns)
	}
}

func TestSubformBecomesChildTable(t *testing.T) {
	fields := []schema.Field{{APIName: "Deal_Name", DataType: "text", Length: 120},
		{APIName: "Line_Items", DataType: "subform", Subform: schema.ModuleRef{APIName: "Line_Items_Sub"}}}
	rows := []schema.Field{{APIName: "Product", DataType: "lookup"}, {APIName: "Qty", DataType: "integer", Length: 9}}
	tbl, err := buildTable("", "Deals", fields, map[string][]schema.Field{"Line_Items_Sub": rows})
	if err != nil {
		t.Fatal(err)
	}
	if len(tbl.children) != 1 || tbl.hasSubforms() != true {
		t.Fatalf("children %v", tbl.children)
	}
	child := tbl.children[0]
	var names []string
	for _, c := range child.columns {
		names = append(names, c.Name)
	}
	if child.Name != "deals__line_items" || strings.Join(names, ",") != "id,_parent_id,_position,product_id,product_name,qty,_synced_at" {
		t.Fatalf("child table %s (%s)", child.Name, strings.Join(names, ","))
	}
	ddl := strings.Join(postgres{}.createTable(child), ";\n")
	if !strings.Contains(ddl, `CREATE INDEX IF NOT EXISTS "deals__line_items_parent" ON "deals__line_items" ("_parent_id")`) {
		t.Fatalf("no index on the parent id:\n%s", ddl)
	}
	// Without the row fields' metadata, rows are kept whole.
	tbl, _ = buildTable("", "Deals", fields, nil)
	if c := tbl.children[0].columns[3]; c.Name != "_row" || c.Kind != kindJSON {
		t.Fatalf("column %+v, want _row json", c)
	}
}
