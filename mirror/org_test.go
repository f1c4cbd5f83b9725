package mirror_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// The org the tests mirror: Accounts (with a lookup to a parent account),
// Leads, and the custom module Projects, which has a field of every type
// (currency, decimal, bigint, percent, boolean, date, datetime,
// multi-select, lookup, user lookup, file upload).
var testModules = []string{"Accounts", "Leads", "Projects"}

// client returns a client of srv whose requests rc counts.
func client(t testing.TB, srv *zohotest.Server, rc *mirror.RequestCounter) *zohohub.Client {
	t.Helper()
	access, _ := srv.IssueToken()
	hc := &http.Client{}
	if rc != nil {
		hc.Transport = rc
	}
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithHTTPClient(hc), zohohub.WithExportPolling(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedOrg seeds n records across the test modules: a fifth accounts, two
// fifths leads and projects each.
func seedOrg(t testing.TB, srv *zohotest.Server, n int) {
	t.Helper()
	accounts := make([]map[string]any, n/5)
	for i := range accounts {
		accounts[i] = map[string]any{"Account_Name": fmt.Sprintf("Account %05d", i), "Account_Number": strconv.Itoa(100000 + i),
			"Annual_Revenue": float64(i) * 10.25, "Employees": i % 900, "Industry": []string{"Technology", "Banking", ""}[i%3],
			"Description": "multi\nline, \"quoted\" ü " + strconv.Itoa(i)}
	}
	ids := seedChunks(t, srv, "Accounts", accounts)
	// Half the accounts have a parent: an account seeded before them.
	parents := make([]map[string]any, 0, len(ids)/2)
	for i := 1; i < len(ids); i += 2 {
		parents = append(parents, map[string]any{"Parent_Account": map[string]any{"id": ids[i-1]}, "Account_Name": fmt.Sprintf("Child %05d", i)})
	}
	seedChunks(t, srv, "Accounts", parents)
	leads := make([]map[string]any, 2*n/5)
	for i := range leads {
		// No Email: zohotest checks a unique field against every record so far.
		leads[i] = map[string]any{"Last_Name": fmt.Sprintf("Doe %05d", i), "First_Name": "Jo", "Company": []string{"Acme", "Initech", "Globex"}[i%3],
			"Mobile": fmt.Sprintf("+1 555 %04d", i), "No_of_Employees": i % 50, "Email_Opt_Out": i%2 == 0, "Lead_Status": "Contacted"}
		if i%7 == 0 {
			leads[i]["Annual_Revenue"] = 1234.5
		}
	}
	seedChunks(t, srv, "Leads", leads)
	user := srv.Records("Accounts")[0]["Owner"].(map[string]any)["id"]
	projects := make([]map[string]any, n-len(accounts)-len(parents)-len(leads))
	for i := range projects {
		p := map[string]any{"Name": fmt.Sprintf("Project %05d", i), "Budget": float64(i) + 0.5, "Tracking_Number": strconv.Itoa(900719925474099 + i),
			"Score": float64(i) / 8, "Completion": i % 100, "Margin": 12.25, "Is_Active": i%3 == 0, "Start_Date": "2024-02-29",
			"Kickoff_At": "2024-03-01T09:30:00+05:30", "Stage": "Planning", "Live_CCJs": i}
		if i%2 == 0 {
			p["Tags_1"] = []string{"Alpha", "Gamma"}
			p["Account"] = map[string]any{"id": ids[i%len(ids)]}
			p["Reviewer"] = map[string]any{"id": user}
		}
		projects[i] = p
	}
	seedChunks(t, srv, "Projects", projects)
}

func seedChunks(t testing.TB, srv *zohotest.Server, module string, recs []map[string]any) []string {
	t.Helper()
	var ids []string
	for c := range slices.Chunk(recs, 1000) {
		got, err := srv.Seed(module, c...)
		if err != nil {
			t.Fatalf("seeding %s: %v", module, err)
		}
		ids = append(ids, got...)
	}
	return ids
}

// afterSecond waits until the wall clock is past the second after t, so
// that records written before it are in the watermark of a pass started
// now (with no clock skew allowed).
func afterSecond(t time.Time) {
	time.Sleep(time.Until(t.Truncate(time.Second).Add(2 * time.Second)))
}

// ---- comparing tables with the emulator ----

// fieldDef is a field as GET /settings/fields lists it, what the tests
// need to know of it.
type fieldDef struct {
	APIName  string `json:"api_name"`
	DataType string `json:"data_type"`
}

func fieldsOf(t testing.TB, c *zohohub.Client, module string) []fieldDef {
	t.Helper()
	var out struct {
		Fields []fieldDef `json:"fields"`
	}
	if _, err := c.DoJSON(context.Background(), &zohohub.Request{Path: "settings/fields", Query: url.Values{"module": {module}}}, &out); err != nil {
		t.Fatal(err)
	}
	return out.Fields
}

// expectedColumns are the columns docs/mirror.md says a field becomes,
// with how to compare each.
type expectedColumn struct {
	name, field, part, dataType string
}

func expectedColumns(fields []fieldDef) []expectedColumn {
	cols := []expectedColumn{{name: "id", field: "id", part: "value", dataType: "bigint"}}
	for _, f := range fields {
		name := strings.ToLower(f.APIName)
		switch f.DataType {
		case "lookup", "ownerlookup", "userlookup":
			cols = append(cols, expectedColumn{name + "_id", f.APIName, "id", "bigint"}, expectedColumn{name + "_name", f.APIName, "name", "text"})
		default:
			cols = append(cols, expectedColumn{name, f.APIName, "value", f.DataType})
		}
	}
	return cols
}

// canonical is a value written so that the emulator's JSON and the
// database's text of it compare equal; "NULL" for no value.
func canonical(dataType, s string) string {
	if s == "" && dataType != "text" {
		return "NULL"
	}
	switch dataType {
	case "integer", "bigint":
		return strings.TrimSpace(s)
	case "double", "percent":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "bad number " + s
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case "currency", "decimal":
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return "bad decimal " + s
		}
		return r.RatString()
	case "boolean":
		switch s {
		case "1", "t", "true":
			return "true"
		case "0", "f", "false":
			return "false"
		}
	case "datetime":
		for _, layout := range []string{time.RFC3339, time.DateTime} {
			if tm, err := time.Parse(layout, s); err == nil {
				return tm.UTC().Format(time.RFC3339)
			}
		}
		return "bad time " + s
	case "multiselectpicklist", "fileupload", "multireminder", "jsonarray":
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return "bad JSON " + s
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			return "NULL"
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return s
}

// want is the canonical value of a column for a record as Find returns it.
func want(rec map[string]json.RawMessage, c expectedColumn) string {
	raw, ok := rec[c.field]
	if !ok || string(raw) == "null" {
		return "NULL"
	}
	switch c.part {
	case "id", "name":
		var ref map[string]any
		if err := json.Unmarshal(raw, &ref); err != nil {
			return "bad lookup " + string(raw)
		}
		s, _ := ref[c.part].(string)
		if s == "" {
			return "NULL"
		}
		return s
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	return canonical(c.dataType, s)
}

// selectText is the expression that reads a column as text.
func (e engine) selectText(c expectedColumn) string {
	q := e.quote(c.name)
	if e.name == "mysql" {
		return "CAST(" + q + " AS CHAR)"
	}
	switch c.dataType {
	case "datetime":
		return "to_char(" + q + ` AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
	case "multiselectpicklist":
		return "array_to_json(" + q + ")::text"
	}
	return q + "::text"
}

// tableRows reads every row of a module's table as canonical text, by id.
func tableRows(t testing.TB, e engine, table string, cols []expectedColumn) map[string][]string {
	t.Helper()
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = e.selectText(c)
	}
	rows, err := e.db.Query("SELECT " + strings.Join(exprs, ",") + " FROM " + e.quote(table))
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		vals := make([]*string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v != nil {
				row[i] = canonical(cols[i].dataType, *v)
				if cols[i].part != "value" {
					row[i] = *v
				}
			}
		}
		if _, dup := out[row[0]]; dup {
			t.Fatalf("%s: id %s twice", table, row[0])
		}
		out[row[0]] = row
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// found reads every record of module with Find, concurrently.
func found(t testing.TB, c *zohohub.Client, module string, ids []string) map[string]map[string]json.RawMessage {
	t.Helper()
	rs := zohohub.RecordsOf(c, module)
	out := make(map[string]map[string]json.RawMessage, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	sem := make(chan struct{}, 8)
	for _, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			rec, err := rs.Find(context.Background(), id)
			if err != nil {
				select {
				case errs <- err:
				default:
				}
				return
			}
			f := rec.Fields()
			mu.Lock()
			out[id] = f
			mu.Unlock()
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	return out
}

// compareAll fails the test unless every table holds exactly the
// emulator's records, every column equal to what Find returns.
func compareAll(t testing.TB, e engine, c *zohohub.Client, modules ...string) {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("%s: compared %v in %v", e.name, modules, time.Since(start)) }()
	for _, module := range modules {
		var ids []string
		for r, err := range zohohub.RecordsOf(c, module).Query().Select("Modified_Time").All(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		cols := expectedColumns(fieldsOf(t, c, module))
		got := tableRows(t, e, e.prefix+strings.ToLower(module), cols)
		recs := found(t, c, module, ids)
		if len(got) != len(recs) {
			t.Errorf("%s %s: %d rows, the emulator has %d records", e.name, module, len(got), len(recs))
		}
		diffs := 0
		for id, rec := range recs {
			row, ok := got[id]
			if !ok {
				diffs++
				if diffs <= 5 {
					t.Errorf("%s %s: record %s has no row", e.name, module, id)
				}
				continue
			}
			for i, col := range cols {
				if w := want(rec, col); row[i] != w {
					diffs++
					if diffs <= 5 {
						t.Errorf("%s %s %s: column %s is %q, Find says %q", e.name, module, id, col.name, row[i], w)
					}
				}
			}
		}
		if diffs > 0 {
			t.Fatalf("%s %s: %d differences", e.name, module, diffs)
		}
	}
}
