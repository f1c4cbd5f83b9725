package spec_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"strings"
	"testing"
)

// testNotes checks the notes of a record: list, add and their errors
// (docs/wire.md §7).
func (c *conformance) testNotes(t *testing.T) {
	ids, err := c.srv.Seed("Leads", map[string]any{"Last_Name": "Curie"}, map[string]any{"Last_Name": "Noether"})
	if err != nil {
		t.Fatal(err)
	}
	notes := "/crm/v8/Leads/" + ids[0] + "/Notes"
	c.crm(t, "POST", notes, `{"data":[{"Note_Title":"First","Note_Content":"one"}]}`, 201, "SUCCESS")
	c.crm(t, "POST", notes, `{"data":[{"Note_Content":"two"},{"Note_Title":"no content"}]}`, 207, "SUCCESS,MANDATORY_NOT_FOUND")
	c.crm(t, "POST", notes, `{"data":[{"Note_Title":"no content"}]}`, 400, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", notes, `not json`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Leads/1/Notes", `{"data":[{"Note_Content":"x"}]}`, 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Nope/1/Notes", `{"data":[{"Note_Content":"x"}]}`, 400, "INVALID_MODULE")

	x := c.crm(t, "GET", notes+"?fields=Note_Title,Note_Content,Parent_Id", "", 200, "")
	if data, _ := x.json()["data"].([]any); len(data) != 2 {
		t.Errorf("GET %s: %d notes, want 2: %s", notes, len(data), x.body)
	}
	c.crm(t, "GET", notes+"?fields=Note_Title&per_page=1&page=2", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Leads/"+ids[1]+"/Notes?fields=Note_Title", "", 204, "")
	c.crm(t, "GET", notes, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", notes+"?fields=Nope", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Leads/1/Notes?fields=Note_Title", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Nope/1/Notes?fields=Note_Title", "", 400, "INVALID_MODULE")
}

// testBulkRead checks a bulk read job from creation to download, and the
// errors of each step.
func (c *conformance) testBulkRead(t *testing.T) {
	if _, err := c.srv.Seed("Contacts", map[string]any{"Last_Name": "Boyle"}, map[string]any{"Last_Name": "Lamb"}); err != nil {
		t.Fatal(err)
	}
	x := c.crm(t, "POST", "/crm/bulk/v8/read", `{"query":{"module":{"api_name":"Contacts"},"fields":["Last_Name","Email"],`+
		`"criteria":{"group_operator":"and","group":[{"field":{"api_name":"Last_Name"},"comparator":"equal","value":"Boyle"}]}},"file_type":"csv"}`,
		201, "ADDED_SUCCESSFULLY")
	job := jobID(t, x)
	x = c.crm(t, "GET", "/crm/bulk/v8/read/"+job, "", 200, "")
	var status struct {
		Data []struct {
			State  string `json:"state"`
			Result struct {
				DownloadURL string `json:"download_url"`
			} `json:"result"`
		} `json:"data"`
	}
	if json.Unmarshal(x.body, &status) != nil || len(status.Data) != 1 || status.Data[0].State != "COMPLETED" {
		t.Fatalf("bulk read status: %s", x.body)
	}
	x = c.crm(t, "GET", status.Data[0].Result.DownloadURL, "", 200, "")
	if rows := zipCSV(t, x); len(rows) != 2 || rows[0][0] != "id" || rows[1][1] != "Boyle" {
		t.Errorf("bulk read result: %q", rows)
	}

	criteria := func(c string) string { return `{"query":{"module":{"api_name":"Contacts"},"criteria":` + c + `}}` }
	for _, e := range []struct{ body, code string }{
		{``, "REQUEST_BODY_IS_EMPTY"},
		{`not json`, "INVALID_DATA"},
		{`{"query":{}}`, "MANDATORY_NOT_FOUND"},
		{`{"query":{"module":{"api_name":"Nope"}}}`, "MODULE_NOT_AVAILABLE"},
		{`{"query":{"module":{"api_name":"Contacts"}},"file_type":"ics"}`, "INVALID_DATA"},
		{`{"query":{"module":{"api_name":"Contacts"},"fields":["Nope"]}}`, "FIELD_NOT_AVAILABLE"},
		{`{"query":{"module":{"api_name":"Contacts"},"page":0}}`, "INVALID_DATA"},
		{criteria(`{"field":{"api_name":"Nope"},"comparator":"equal","value":"x"}`), "FIELD_IN_CRITERIA_NOT_AVAILABLE"},
		{criteria(`{"field":{"api_name":"Last_Name"},"comparator":"between","value":["a","b"]}`), "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE"},
		{criteria(`{"field":{"api_name":"Created_Time"},"comparator":"between","value":["2024-01-01T00:00:00+00:00"]}`), "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE"},
		{criteria(`{"field":{"api_name":"Created_Time"},"comparator":"equal","value":"soon"}`), "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE"},
		{criteria(`{"group_operator":"xor","group":[]}`), "GROUP_OPERATOR_NOT_SUPPORTED"},
		{criteria(`{"group_operator":"and","group":[]}`), "INVALID_CRITERIA"},
	} {
		c.crm(t, "POST", "/crm/bulk/v8/read", e.body, 400, e.code)
	}
	c.crm(t, "GET", "/crm/bulk/v8/read/1", "", 404, "RESOURCE_NOT_FOUND")
	c.crm(t, "GET", "/crm/bulk/v8/read/1/result", "", 400, "RESOURCE_NOT_FOUND")
}

// testBulkWrite checks an upload, a bulk write job from creation to its
// result, and the errors of each step.
func (c *conformance) testBulkWrite(t *testing.T) {
	zgid := c.orgZGID(t)
	headers := []string{"feature", "bulk-write", "X-CRM-ORG", zgid}
	upload := func(file []byte, header ...string) exchange {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if file != nil {
			w, _ := mw.CreateFormFile("file", "Leads.zip")
			w.Write(file)
		}
		mw.Close()
		return c.send(t, "POST", "/crm/v8/upload", buf.String(), c.access, append([]string{"Content-Type", mw.FormDataContentType()}, header...)...)
	}
	x := c.expect(t, upload(zipOf(t, "Leads.csv", "Last_Name,Company\r\nDoe,Acme\r\n,Nameless\r\n"), headers...), 200, "FILE_UPLOAD_SUCCESS")
	var up struct {
		Details struct {
			FileID string `json:"file_id"`
		} `json:"details"`
	}
	if json.Unmarshal(x.body, &up) != nil || up.Details.FileID == "" {
		t.Fatalf("upload: %s", x.body)
	}
	c.expect(t, upload(zipOf(t, "Leads.csv", ""), headers...), 400, "FILE_NOT_SUPPORTED")
	c.expect(t, upload([]byte("Last_Name\r\nDoe\r\n"), headers...), 400, "INVALID_FILE_FORMAT")
	c.expect(t, upload(nil, headers...), 400, "MANDATORY_NOT_FOUND")
	c.expect(t, upload(zipOf(t, "Leads.csv", "Last_Name\r\nDoe\r\n"), "feature", "bulk-write", "X-CRM-ORG", "1"), 400, "")
	c.expect(t, upload(zipOf(t, "Leads.csv", "Last_Name\r\nDoe\r\n")), 400, "")

	resource := func(fileID string, mappings string) string {
		return `{"type":"data","module":{"api_name":"Leads"},"file_id":"` + fileID + `","field_mappings":[` + mappings + `]}`
	}
	good := resource(up.Details.FileID, `{"api_name":"Last_Name","index":0},{"api_name":"Company","index":1}`)
	x = c.crm(t, "POST", "/crm/bulk/v8/write", `{"operation":"insert","resource":[`+good+`]}`, 201, "SUCCESS")
	var created struct {
		Details struct {
			ID string `json:"id"`
		} `json:"details"`
	}
	if json.Unmarshal(x.body, &created) != nil || created.Details.ID == "" {
		t.Fatalf("bulk write create: %s", x.body)
	}
	x = c.crm(t, "GET", "/crm/bulk/v8/write/"+created.Details.ID, "", 200, "")
	var status struct {
		Status string `json:"status"`
		Result struct {
			DownloadURL string `json:"download_url"`
		} `json:"result"`
	}
	if json.Unmarshal(x.body, &status) != nil || status.Status != "COMPLETED" || !strings.HasPrefix(status.Result.DownloadURL, c.srv.URL()) {
		t.Fatalf("bulk write status: %s", x.body)
	}
	x = c.crm(t, "GET", strings.TrimPrefix(status.Result.DownloadURL, c.srv.URL()), "", 200, "")
	if rows := zipCSV(t, x); len(rows) != 3 || rows[1][2] != "ADDED" || rows[2][2] != "SKIPPED" {
		t.Errorf("bulk write result: %q", rows)
	}

	for _, e := range []struct{ body, code string }{
		{`not json`, "INVALID_DATA"},
		{`{"resource":[` + good + `]}`, "MISSING_REQUIRED_KEY"},
		{`{"operation":"merge","resource":[` + good + `]}`, "INVALID_DATA"},
		{`{"operation":"insert"}`, "MISSING_REQUIRED_KEY"},
		{`{"operation":"insert","resource":[` + strings.Replace(good, `"Leads"`, `"Nope"`, 1) + `]}`, "MODULE_NOT_AVAILABLE"},
		{`{"operation":"insert","resource":[` + resource("1", `{"api_name":"Last_Name","index":0}`) + `]}`, "INVALID_FILE_ID"},
		{`{"operation":"insert","resource":[` + resource(up.Details.FileID, `{"api_name":"Nope","index":0},{"api_name":"Last_Name","index":0}`) + `]}`, "INVALID_FIELD"},
		{`{"operation":"insert","resource":[` + resource(up.Details.FileID, `{"api_name":"Last_Name"}`) + `]}`, "MISSING_REQUIRED_KEY"},
		{`{"operation":"insert","resource":[` + resource(up.Details.FileID, `{"api_name":"Last_Name","index":9}`) + `]}`, "COLUMN_INDEX_NOT_FOUND"},
		{`{"operation":"insert","resource":[` + resource(up.Details.FileID, `{"api_name":"Company","index":1}`) + `]}`, "MANDATORY_FIELDS_NOT_MAPPED"},
		{`{"operation":"update","resource":[` + good + `]}`, "MISSING_REQUIRED_KEY"},
	} {
		c.crm(t, "POST", "/crm/bulk/v8/write", e.body, 400, e.code)
	}
	c.crm(t, "GET", "/crm/bulk/v8/write/1", "", 400, "RESOURCE_NOT_FOUND")
	c.crm(t, "GET", "/crm/bulk/v8/write/1/result", "", 400, "RESOURCE_NOT_FOUND")

	// A file holds at most 25,000 records and 200 columns
	// (bulk-write/limitations.html, docs/wire.md §7).
	fileID := func(content string) string {
		t.Helper()
		x := c.expect(t, upload(zipOf(t, "Leads.csv", content), headers...), 200, "FILE_UPLOAD_SUCCESS")
		if json.Unmarshal(x.body, &up) != nil || up.Details.FileID == "" {
			t.Fatalf("upload: %s", x.body)
		}
		return up.Details.FileID
	}
	rows := "Last_Name,Company\r\n" + strings.Repeat("Doe,Acme\r\n", 25001)
	mapped := `{"api_name":"Last_Name","index":0},{"api_name":"Company","index":1}`
	c.crm(t, "POST", "/crm/bulk/v8/write", `{"operation":"insert","resource":[`+resource(fileID(rows), mapped)+`]}`, 400, "LIMIT_EXCEEDED")
	wide := "Last_Name,Company" + strings.Repeat(",Description", 199) + "\r\nDoe,Acme\r\n"
	c.crm(t, "POST", "/crm/bulk/v8/write", `{"operation":"insert","resource":[`+resource(fileID(wide), mapped)+`]}`, 400, "HEADER_LIMIT_EXCEEDED")
	x = c.crm(t, "POST", "/crm/bulk/v8/write", `{"operation":"insert","resource":[`+resource(fileID(strings.TrimSuffix(rows, "Doe,Acme\r\n")), mapped)+`]}`, 201, "SUCCESS")
	if json.Unmarshal(x.body, &created) != nil || created.Details.ID == "" {
		t.Fatalf("bulk write create: %s", x.body)
	}
}

// orgZGID is the org's zgid, which uploads name in X-CRM-ORG.
func (c *conformance) orgZGID(t *testing.T) string {
	var org struct {
		Org []struct {
			ZGID json.RawMessage `json:"zgid"`
		} `json:"org"`
	}
	x := c.crm(t, "GET", "/crm/v8/org", "", 200, "")
	if json.Unmarshal(x.body, &org) != nil || len(org.Org) == 0 {
		t.Fatalf("org: %s", x.body)
	}
	return strings.Trim(string(org.Org[0].ZGID), `"`)
}

// jobID is the job id of a bulk read create answer.
func jobID(t *testing.T, x exchange) string {
	t.Helper()
	var m struct {
		Data []struct {
			Details struct {
				ID string `json:"id"`
			} `json:"details"`
		} `json:"data"`
	}
	if json.Unmarshal(x.body, &m) != nil || len(m.Data) != 1 || m.Data[0].Details.ID == "" {
		t.Fatalf("no job id: %s", x.body)
	}
	return m.Data[0].Details.ID
}

// zipOf is a zip holding one file.
func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
