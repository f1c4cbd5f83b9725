package zohotest_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub/zohotest"
)

// fakeClock is a clock tests move by hand; safe for the server's goroutines.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// raw sends a request and returns the status, headers and body.
func (c *client) raw(method, path, contentType string, body []byte, header map[string]string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, path, bytes.NewReader(body))
	if !strings.HasPrefix(path, "http") {
		req, _ = http.NewRequest(method, c.base+path, bytes.NewReader(body))
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+c.access)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

// unzipOne returns the name and rows of the one CSV in a zip.
func unzipOne(t *testing.T, data []byte) (string, [][]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("result is not a zip: %v (%q)", err, data)
	}
	if len(zr.File) != 1 {
		t.Fatalf("zip holds %d files, want 1", len(zr.File))
	}
	f, _ := zr.File[0].Open()
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return zr.File[0].Name, rows
}

func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartFile is a multipart/form-data body with one part.
func multipartFile(field string, data []byte) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile(field, "import.zip")
	w.Write(data)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

var bulkHeaders = map[string]string{"feature": "bulk-write", "X-CRM-ORG": "700000000"}

// upload uploads a zipped CSV and returns its file id.
func (c *client) upload(csvText string) string {
	c.t.Helper()
	ct, body := multipartFile("file", zipOf(c.t, "Leads.csv", csvText))
	status, _, data := c.raw("POST", "/crm/v8/upload", ct, body, bulkHeaders)
	var m map[string]any
	json.Unmarshal(data, &m)
	if status != 200 || m["code"] != "FILE_UPLOAD_SUCCESS" || m["message"] != "file uploaded." {
		c.t.Fatalf("upload: %d %s", status, data)
	}
	return m["details"].(map[string]any)["file_id"].(string)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestBulkReadExportsSnapshotWithCriteria(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv, c := newClient(t, zohotest.WithClock(clock.now), zohotest.WithBulkJobDelay(time.Minute))
	acct, err := srv.Seed("Accounts", map[string]any{"Account_Name": "Zylker"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.Seed("Projects",
		map[string]any{"Name": "Pluto", "Budget": 5000.5, "Start_Date": "2024-03-01", "Kickoff_At": "2024-03-01T09:30:00+05:30",
			"Tags_1": []any{"red", "blue"}, "Account": map[string]any{"id": acct[0]}, "Is_Active": true, "Tracking_Number": "12345678901234567"},
		map[string]any{"Name": "Phobos", "Budget": 10},
		map[string]any{"Name": "Quasar", "Budget": 9000},
	)
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{"Name", "Budget", "Start_Date", "Kickoff_At", "Tags_1", "Account", "Is_Active", "Tracking_Number", "Account.Account_Name"}
	body := mustJSON(map[string]any{"query": map[string]any{
		"module": map[string]any{"api_name": "Projects"}, "fields": fields, "cvid": "123", "page": 1,
		"criteria": map[string]any{"group_operator": "and", "group": []any{
			map[string]any{"field": map[string]any{"api_name": "Budget"}, "comparator": "greater_equal", "value": 1000},
			map[string]any{"group_operator": "or", "group": []any{
				map[string]any{"field": map[string]any{"api_name": "Name"}, "comparator": "starts_with", "value": "p"},
				map[string]any{"field": map[string]any{"api_name": "Tags_1"}, "comparator": "contains", "value": "nothing"},
			}},
		}},
	}, "file_type": "csv"})
	status, m := c.do("POST", "/crm/bulk/v8/read", body)
	if status != 201 || item(m, 0)["code"] != "ADDED_SUCCESSFULLY" || item(m, 0)["message"] != "Added successfully." || m["info"] == nil {
		t.Fatalf("create: %d %v", status, m)
	}
	d := details(m, 0)
	job, _ := d["id"].(string)
	if d["state"] != "ADDED" || d["operation"] != "read" || d["created_time"] != "2024-03-01T12:00:00+00:00" || d["created_by"].(map[string]any)["id"] == nil {
		t.Fatalf("details: %v", d)
	}
	// Records written after the job was created are not exported.
	if _, err := srv.Seed("Projects", map[string]any{"Name": "Pandora", "Budget": 7000}); err != nil {
		t.Fatal(err)
	}

	status, m = c.do("GET", "/crm/bulk/v8/read/"+job, "")
	if status != 200 || item(m, 0)["state"] != "IN PROGRESS" || item(m, 0)["result"] != nil {
		t.Fatalf("status before the delay: %d %v", status, m)
	}
	if status, _, data := c.raw("GET", "/crm/bulk/v8/read/"+job+"/result", "", nil, nil); status != 400 || !strings.Contains(string(data), "RESOURCE_NOT_FOUND") {
		t.Fatalf("download before completion: %d %s", status, data)
	}
	clock.advance(time.Minute)
	status, m = c.do("GET", "/crm/bulk/v8/read/"+job, "")
	res, _ := item(m, 0)["result"].(map[string]any)
	if status != 200 || item(m, 0)["state"] != "COMPLETED" || res == nil {
		t.Fatalf("status after the delay: %d %v", status, m)
	}
	wantURL := "/crm/bulk/v8/read/" + job + "/result"
	if res["count"] != 1.0 || res["per_page"] != 200000.0 || res["page"] != 1.0 || res["more_records"] != false || res["download_url"] != wantURL {
		t.Fatalf("result: %v", res)
	}
	status, h, data := c.raw("GET", wantURL, "", nil, nil)
	if status != 200 || h.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %v", status, h)
	}
	name, rows := unzipOne(t, data)
	if name != job+".csv" {
		t.Errorf("CSV name %q, want %q", name, job+".csv")
	}
	want := [][]string{
		append([]string{"id"}, fields...),
		{ids[0], "Pluto", "5000.5", "2024-03-01", "2024-03-01T09:30:00+05:30", "red;blue", acct[0], "true", "12345678901234567", "Zylker"},
	}
	if !slices.EqualFunc(rows, want, slices.Equal[[]string]) {
		t.Fatalf("CSV\n got %q\nwant %q", rows, want)
	}
}

func TestBulkReadAllFieldsAndEmpty(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"}, map[string]any{"Last_Name": "Roe"})
	body := `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"Company"},"comparator":"equal","value":"${EMPTY}"}}}`
	status, m := c.do("POST", "/crm/bulk/v2/read", body)
	if status != 201 {
		t.Fatalf("create: %d %v", status, m)
	}
	job := details(m, 0)["id"].(string)
	// With the default delay the first status call sees the job completed.
	status, m = c.do("GET", "/crm/bulk/v2/read/"+job, "")
	if status != 200 || item(m, 0)["state"] != "COMPLETED" {
		t.Fatalf("status: %d %v", status, m)
	}
	_, _, data := c.raw("GET", item(m, 0)["result"].(map[string]any)["download_url"].(string), "", nil, nil)
	_, rows := unzipOne(t, data)
	if len(rows) != 2 || rows[0][0] != "id" || rows[1][0] != ids[1] {
		t.Fatalf("rows: %q", rows)
	}
	col := func(name string) string {
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("no column %s in %q", name, rows[0])
		}
		return rows[1][i]
	}
	if col("Last_Name") != "Roe" || col("Full_Name") != "Roe" || col("Company") != "" || col("Owner") == "" || !strings.HasPrefix(col("Created_Time"), "20") {
		t.Fatalf("row: %q", rows)
	}
}

func TestBulkReadErrors(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	cases := []struct {
		name, body string
		code, api  string
	}{
		{"unknown module", `{"query":{"module":{"api_name":"Nope"}}}`, "MODULE_NOT_AVAILABLE", "api_name"},
		{"no module", `{"query":{}}`, "MANDATORY_NOT_FOUND", "module"},
		{"unknown field", `{"query":{"module":{"api_name":"Leads"},"fields":["Last_Name","Nope"]}}`, "FIELD_NOT_AVAILABLE", "Nope"},
		{"unknown criteria field", `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"Nope"},"comparator":"equal","value":"x"}}}`, "FIELD_IN_CRITERIA_NOT_AVAILABLE", "Nope"},
		{"comparator for another type", `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"No_of_Employees"},"comparator":"contains","value":"1"}}}`, "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE", "No_of_Employees"},
		{"unknown comparator", `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"Last_Name"},"comparator":"like","value":"x"}}}`, "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE", "Last_Name"},
		{"bad value", `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"No_of_Employees"},"comparator":"equal","value":"many"}}}`, "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", "No_of_Employees"},
		{"bad group operator", `{"query":{"module":{"api_name":"Leads"},"criteria":{"group_operator":"xor","group":[]}}}`, "GROUP_OPERATOR_NOT_SUPPORTED", "group_operator"},
		{"between needs two", `{"query":{"module":{"api_name":"Leads"},"criteria":{"field":{"api_name":"No_of_Employees"},"comparator":"between","value":[1]}}}`, "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE", "No_of_Employees"},
		{"ics", `{"query":{"module":{"api_name":"Leads"}},"file_type":"ics"}`, "INVALID_DATA", "file_type"},
		{"not JSON", `{"query":`, "INVALID_DATA", ""},
	}
	for _, tc := range cases {
		status, m := c.do("POST", "/crm/bulk/v8/read", tc.body)
		d, _ := m["details"].(map[string]any)
		if status != 400 || m["code"] != tc.code || m["status"] != "error" || m["message"] == nil || (tc.api != "" && d["api_name"] != tc.api) {
			t.Errorf("%s: %d %v", tc.name, status, m)
		}
	}
	if status, m := c.do("POST", "/crm/bulk/v8/read", ""); status != 400 || m["code"] != "REQUEST_BODY_IS_EMPTY" {
		t.Errorf("empty body: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/bulk/v8/read/123", ""); status != 404 || m["code"] != "RESOURCE_NOT_FOUND" {
		t.Errorf("unknown job: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/bulk/v8/read/123/result", ""); status != 400 || m["code"] != "RESOURCE_NOT_FOUND" {
		t.Errorf("unknown job result: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/bulk/v8/read", ""); status != 400 || m["code"] != "INVALID_REQUEST_METHOD" {
		t.Errorf("GET read: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/bulk/v8/nothing", ""); status != 404 || m["code"] != "INVALID_URL_PATTERN" {
		t.Errorf("unknown bulk path: %d %v", status, m)
	}
	c.access = "bad"
	if status, m := c.do("POST", "/crm/bulk/v8/read", `{}`); status != 401 || m["code"] != "INVALID_TOKEN" {
		t.Errorf("bad token: %d %v", status, m)
	}
}

// writeJob creates a bulk write job and returns its status once completed.
func (c *client) writeJob(body string) (job string, status map[string]any) {
	c.t.Helper()
	code, m := c.do("POST", "/crm/bulk/v8/write", body)
	if code != 201 || m["code"] != "SUCCESS" || m["message"] != "success" || m["status"] != "success" {
		c.t.Fatalf("create write job: %d %v", code, m)
	}
	d := m["details"].(map[string]any)
	if d["created_by"].(map[string]any)["id"] == nil {
		c.t.Fatalf("details: %v", d)
	}
	job = d["id"].(string)
	code, status = c.do("GET", "/crm/bulk/v8/write/"+job, "")
	if code != 200 || status["status"] != "COMPLETED" {
		c.t.Fatalf("write job status: %d %v", code, status)
	}
	return job, status
}

func fileCounts(t *testing.T, status map[string]any) map[string]any {
	t.Helper()
	return status["resource"].([]any)[0].(map[string]any)["file"].(map[string]any)
}

func counts(added, skipped, updated, total float64) map[string]any {
	return map[string]any{"added_count": added, "skipped_count": skipped, "updated_count": updated, "total_count": total}
}

func sameCounts(file, want map[string]any) bool {
	for k, v := range want {
		if file[k] != v {
			return false
		}
	}
	return true
}

func TestBulkWriteInsert(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	fileID := c.upload("Last_Name,Company,Email,No_of_Employees,Email_Opt_Out\r\n" +
		"Doe,Acme,doe@example.com,10,true\r\n" +
		",Nameless Inc,nn@example.com,5,false\r\n" +
		"Roe,Beta,roe@example.com,,\r\n")
	body := mustJSON(map[string]any{"operation": "insert", "resource": []any{map[string]any{
		"type": "data", "module": map[string]any{"api_name": "Leads"}, "file_id": fileID,
		"field_mappings": []any{
			map[string]any{"api_name": "Last_Name", "index": 0}, map[string]any{"api_name": "Company", "index": 1},
			map[string]any{"api_name": "Email", "index": 2}, map[string]any{"api_name": "No_of_Employees", "index": 3},
			map[string]any{"api_name": "Email_Opt_Out", "index": 4},
			map[string]any{"api_name": "Lead_Source", "default_value": map[string]any{"value": "Web"}},
		}}}})
	job, st := c.writeJob(body)
	file := fileCounts(t, st)
	if !sameCounts(file, counts(2, 1, 0, 3)) || file["name"] != "Leads.csv" || st["operation"] != "insert" {
		t.Fatalf("status: %v", st)
	}
	url := st["result"].(map[string]any)["download_url"].(string)
	if url != srv.URL()+"/crm/bulk/v8/write/"+job+"/result" {
		t.Errorf("download_url %q", url)
	}
	code, h, data := c.raw("GET", url, "", nil, nil)
	if code != 200 || h.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", code, data)
	}
	_, rows := unzipOne(t, data)
	if len(rows) != 4 || !slices.Equal(rows[0], []string{"Last_Name", "Company", "Email", "STATUS", "RECORD_ID", "ERRORS"}) {
		t.Fatalf("result rows: %q", rows)
	}
	if r := rows[2]; r[3] != "SKIPPED" || r[4] != "" || r[5] != "MANDATORY_NOT_FOUND-Last_Name" {
		t.Errorf("bad row: %q", r)
	}
	for _, r := range [][]string{rows[1], rows[3]} {
		if r[3] != "ADDED" || r[4] == "" || r[5] != "" {
			t.Fatalf("good row: %q", r)
		}
	}
	// The good rows exist through the records API, with typed values.
	status, m := c.do("GET", "/crm/v8/Leads/"+rows[1][4], "")
	rec := item(m, 0)
	if status != 200 || rec["Last_Name"] != "Doe" || rec["Company"] != "Acme" || rec["No_of_Employees"] != 10.0 ||
		rec["Email_Opt_Out"] != true || rec["Lead_Source"] != "Web" {
		t.Fatalf("imported record: %d %v", status, m)
	}
	if status, m = c.do("GET", "/crm/v8/Leads/"+rows[3][4], ""); status != 200 || item(m, 0)["No_of_Employees"] != nil {
		t.Fatalf("imported record with empty cells: %d %v", status, m)
	}
	if n := len(srv.Records("Leads")); n != 2 {
		t.Errorf("%d leads stored, want 2", n)
	}
}

func TestBulkWriteUpdateAndUpsertFindBy(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ids, _ := srv.Seed("Leads", map[string]any{"Last_Name": "Ames", "Email": "a@example.com"}, map[string]any{"Last_Name": "Bell", "Email": "b@example.com"})
	csvText := "Email,Last_Name\na@example.com,Ames-2\nz@example.com,Zed\n"
	mappings := []any{map[string]any{"api_name": "Email", "index": 0}, map[string]any{"api_name": "Last_Name", "index": 1}}
	job := func(op, fileID, findBy string) map[string]any {
		r := map[string]any{"type": "data", "module": map[string]any{"api_name": "Leads"}, "file_id": fileID, "field_mappings": mappings}
		if findBy != "" {
			r["find_by"] = findBy
		}
		return map[string]any{"operation": op, "resource": []any{r}}
	}

	code, m := c.do("POST", "/crm/bulk/v8/write", mustJSON(job("update", c.upload(csvText), "")))
	if code != 400 || m["code"] != "MISSING_REQUIRED_KEY" || m["details"].(map[string]any)["api_name"] != "find_by" {
		t.Fatalf("update without find_by: %d %v", code, m)
	}
	jobID, st := c.writeJob(mustJSON(job("update", c.upload(csvText), "Email")))
	if !sameCounts(fileCounts(t, st), counts(0, 1, 1, 2)) {
		t.Fatalf("update counts: %v", st)
	}
	_, _, data := c.raw("GET", st["result"].(map[string]any)["download_url"].(string), "", nil, nil)
	name, rows := unzipOne(t, data)
	if name != "Leads-Leads.csv" || rows[1][2] != "UPDATED" || rows[1][3] != ids[0] || rows[2][2] != "SKIPPED" || rows[2][4] != "RESOURCE_NOT_FOUND-Email" {
		t.Fatalf("update result %s (%s): %q", name, jobID, rows)
	}
	if _, m := c.do("GET", "/crm/v8/Leads/"+ids[0], ""); item(m, 0)["Last_Name"] != "Ames-2" {
		t.Fatalf("updated record: %v", m)
	}

	_, st = c.writeJob(mustJSON(job("upsert", c.upload("Email,Last_Name\nb@example.com,Bell-2\nz@example.com,Zed\n"), "Email")))
	if !sameCounts(fileCounts(t, st), counts(1, 0, 1, 2)) {
		t.Fatalf("upsert counts: %v", st)
	}
	recs := srv.Records("Leads")
	if len(recs) != 3 || recs[1]["Last_Name"] != "Bell-2" || recs[2]["Last_Name"] != "Zed" {
		t.Fatalf("after upsert: %v", recs)
	}

	// find_by id, with an id column.
	_, st = c.writeJob(mustJSON(map[string]any{"operation": "update", "resource": []any{map[string]any{
		"type": "data", "module": map[string]any{"api_name": "Leads"}, "file_id": c.upload("id,Company\n" + ids[1] + ",Bell Corp\n"),
		"find_by": "id", "field_mappings": []any{map[string]any{"api_name": "id", "index": 0}, map[string]any{"api_name": "Company", "index": 1}},
	}}}))
	if !sameCounts(fileCounts(t, st), counts(0, 0, 1, 1)) {
		t.Fatalf("update by id: %v", st)
	}
	if _, m := c.do("GET", "/crm/v8/Leads/"+ids[1], ""); item(m, 0)["Company"] != "Bell Corp" || item(m, 0)["Last_Name"] != "Bell-2" {
		t.Fatalf("updated by id: %v", m)
	}
}

func TestBulkWriteTypedCells(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, zohotest.WithClock(newFakeClock().now))
	acct, _ := srv.Seed("Accounts", map[string]any{"Account_Name": "Zylker"})
	// Zoho detects the delimiter from the header: here a pipe.
	fileID := c.upload("Name|Start|Kickoff|Tags|Account|Budget\n" +
		"Apollo|03/15/2024|2024-03-15 10:30|red; blue|Zylker|1200.50\n" +
		"Bad date|15/03/2024|2024-03-15 10:30||Zylker|1\n" +
		"No account|03/15/2024|2024-03-15 10:30||Nobody|1\n")
	_, st := c.writeJob(mustJSON(map[string]any{"operation": "insert", "resource": []any{map[string]any{
		"type": "data", "module": map[string]any{"api_name": "Projects"}, "file_id": fileID,
		"field_mappings": []any{
			map[string]any{"api_name": "Name", "index": 0}, map[string]any{"api_name": "Start_Date", "index": 1},
			map[string]any{"api_name": "Kickoff_At", "index": 2, "format": "yyyy-MM-dd HH:mm"},
			map[string]any{"api_name": "Tags_1", "index": 3}, map[string]any{"api_name": "Account", "index": 4, "find_by": "Account_Name"},
			map[string]any{"api_name": "Budget", "index": 5},
		}}}}))
	if !sameCounts(fileCounts(t, st), counts(1, 2, 0, 3)) {
		t.Fatalf("counts: %v", st)
	}
	_, _, data := c.raw("GET", st["result"].(map[string]any)["download_url"].(string), "", nil, nil)
	_, rows := unzipOne(t, data)
	if rows[2][5] != "INVALID_DATA-Start_Date" || rows[3][5] != "INVALID_DATA-Account" {
		t.Errorf("errors: %q", rows)
	}
	recs := srv.Records("Projects")
	if len(recs) != 1 {
		t.Fatalf("records: %v", recs)
	}
	r := recs[0]
	acctRef, _ := r["Account"].(map[string]any)
	if r["Start_Date"] != "2024-03-15" || r["Kickoff_At"] != "2024-03-15T10:30:00+00:00" || mustJSON(r["Tags_1"]) != `["red","blue"]` ||
		acctRef["id"] != acct[0] || mustJSON(r["Budget"]) != "1200.50" {
		t.Fatalf("record: %v", r)
	}
}

func TestBulkWriteErrors(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	zipped := zipOf(t, "Leads.csv", "Last_Name\nDoe\n")
	ct, body := multipartFile("file", zipped)
	for name, h := range map[string]map[string]string{
		"no feature":  {"X-CRM-ORG": "700000000"},
		"wrong org":   {"feature": "bulk-write", "X-CRM-ORG": "1"},
		"no headers":  nil,
		"bad feature": {"feature": "bulk-read", "X-CRM-ORG": "700000000"},
	} {
		status, _, data := c.raw("POST", "/crm/v8/upload", ct, body, h)
		if status != 400 || !strings.Contains(string(data), "check if headers [feature, X-CRM-ORG] are present and valid") {
			t.Errorf("%s: %d %s", name, status, data)
		}
	}
	envelope := func(name string, status int, data []byte, wantStatus int, code string) {
		t.Helper()
		var m map[string]any
		json.Unmarshal(data, &m)
		if status != wantStatus || m["code"] != code || m["status"] != "error" || m["message"] == nil || m["details"] == nil {
			t.Errorf("%s: %d %s", name, status, data)
		}
	}
	ctOther, other := multipartFile("attachment", zipped)
	status, _, data := c.raw("POST", "/crm/v8/upload", ctOther, other, bulkHeaders)
	envelope("no file part", status, data, 400, "MANDATORY_NOT_FOUND")
	status, _, data = c.raw("POST", "/crm/v8/upload", "text/csv", []byte("Last_Name\nDoe\n"), bulkHeaders)
	envelope("not multipart", status, data, 400, "MANDATORY_NOT_FOUND")
	ctCSV, plain := multipartFile("file", []byte("Last_Name\nDoe\n"))
	status, _, data = c.raw("POST", "/crm/v8/upload", ctCSV, plain, bulkHeaders)
	envelope("not a zip", status, data, 400, "INVALID_FILE_FORMAT")
	ctTxt, txt := multipartFile("file", zipOf(t, "notes.txt", "hello"))
	status, _, data = c.raw("POST", "/crm/v8/upload", ctTxt, txt, bulkHeaders)
	envelope("zip without CSV", status, data, 400, "FILE_NOT_SUPPORTED")

	fileID := c.upload("Last_Name,Company\nDoe,Acme\n")
	res := func(mod, file string, mappings ...any) string {
		return mustJSON(map[string]any{"operation": "insert", "resource": []any{map[string]any{
			"type": "data", "module": map[string]any{"api_name": mod}, "file_id": file, "field_mappings": mappings}}})
	}
	lastName := map[string]any{"api_name": "Last_Name", "index": 0}
	cases := []struct{ name, body, code string }{
		{"no operation", `{"resource":[]}`, "MISSING_REQUIRED_KEY"},
		{"bad operation", `{"operation":"delete","resource":[{}]}`, "INVALID_DATA"},
		{"no resource", `{"operation":"insert"}`, "MISSING_REQUIRED_KEY"},
		{"unknown module", res("Nope", fileID, lastName), "MODULE_NOT_AVAILABLE"},
		{"unknown file", res("Leads", "42", lastName), "INVALID_FILE_ID"},
		{"unknown field", res("Leads", fileID, lastName, map[string]any{"api_name": "Nope", "index": 1}), "INVALID_FIELD"},
		{"no index", res("Leads", fileID, lastName, map[string]any{"api_name": "Company"}), "MISSING_REQUIRED_KEY"},
		{"index out of range", res("Leads", fileID, lastName, map[string]any{"api_name": "Company", "index": 7}), "COLUMN_INDEX_NOT_FOUND"},
		{"mandatory not mapped", res("Leads", fileID, map[string]any{"api_name": "Company", "index": 1}), "MANDATORY_FIELDS_NOT_MAPPED"},
		{"bad format", res("Leads", fileID, lastName, map[string]any{"api_name": "Company", "index": 1, "format": "yyyy"}), "INVALID_FORMAT"},
		{"not JSON", `{`, "INVALID_DATA"},
	}
	for _, tc := range cases {
		status, m := c.do("POST", "/crm/bulk/v8/write", tc.body)
		if status != 400 || m["code"] != tc.code || m["status"] != "error" {
			t.Errorf("%s: %d %v", tc.name, status, m)
		}
	}
	if status, m := c.do("GET", "/crm/bulk/v8/write/123", ""); status != 400 || m["code"] != "RESOURCE_NOT_FOUND" {
		t.Errorf("unknown job: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/bulk/v8/write/123/result", ""); status != 400 || m["code"] != "RESOURCE_NOT_FOUND" {
		t.Errorf("unknown job result: %d %v", status, m)
	}
	if status, m := c.do("GET", "/crm/v8/upload", ""); status != 400 || m["code"] != "INVALID_REQUEST_METHOD" {
		t.Errorf("GET upload: %d %v", status, m)
	}
}

// TestBulkConcurrent runs exports and imports in parallel with record
// writes, for the race detector.
func TestBulkConcurrent(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	fileID := c.upload("Last_Name\nDoe\nRoe\n")
	read := `{"query":{"module":{"api_name":"Leads"},"fields":["Last_Name"]}}`
	write := mustJSON(map[string]any{"operation": "insert", "resource": []any{map[string]any{"type": "data",
		"module": map[string]any{"api_name": "Leads"}, "file_id": fileID, "field_mappings": []any{map[string]any{"api_name": "Last_Name", "index": 0}}}}})
	post := func(path, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", srv.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+c.access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	done := make(chan error, 30)
	for i := range 30 {
		go func() {
			var status int
			switch i % 3 {
			case 0:
				status, _ = post("/crm/bulk/v8/read", read)
			case 1:
				status, _ = post("/crm/bulk/v8/write", write)
			default:
				status, _ = post("/crm/v8/Leads", `{"data":[{"Last_Name":"Poe"}]}`)
			}
			if status != 201 {
				done <- fmt.Errorf("call %d answered %d", i, status)
				return
			}
			done <- nil
		}()
	}
	for range 30 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if n := len(srv.Records("Leads")); n != 10*2+10 {
		t.Errorf("%d leads, want 30", n)
	}
}
