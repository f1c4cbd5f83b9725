package zohohub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

type importedLead struct {
	Model       `zoho:",module=Leads"`
	LastName    string `zoho:"Last_Name"`
	Description string `zoho:"Description"`
}

// uploadedCSVs serves zohotest behind a handler that keeps the CSV of
// every bulk write upload.
func uploadedCSVs(t *testing.T) (*Client, *zohotest.Server, *[][]byte) {
	t.Helper()
	var srv *zohotest.Server
	var files [][]byte
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crm/v8/upload" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			_, params, _ := strings.Cut(r.Header.Get("Content-Type"), "boundary=")
			part, err := multipart.NewReader(bytes.NewReader(body), params).NextPart()
			if err != nil {
				t.Errorf("upload: %v", err)
			} else if data, _ := io.ReadAll(part); len(data) > 0 {
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil || len(zr.File) != 1 {
					t.Errorf("upload is not a zip of one file: %v", err)
				} else {
					rc, _ := zr.File[0].Open()
					csvText, _ := io.ReadAll(rc)
					files = append(files, csvText)
				}
			}
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	srv, err := zohotest.NewHandler(front.URL)
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	c, err := New(WithEnvironment(srv.Environment()), WithTokenSource(auth.StaticToken(access)), WithExportPolling(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, &files
}

// TestImportSplitsFilesBySize: a job's CSV stays within the byte bound
// (Zoho's 25 MB, lowered here), each file holding the records that follow
// the last one's, and every record is written once.
func TestImportSplitsFilesBySize(t *testing.T) {
	c, srv, files := uploadedCSVs(t)
	const n = 300
	leads := make([]*importedLead, n)
	for i := range leads {
		leads[i] = &importedLead{LastName: fmt.Sprintf("Doe %03d", i), Description: strings.Repeat("x", i%40)}
	}
	small := func(cfg *importConfig) error { cfg.maxBytes = 2048; return nil }
	res, err := Records[importedLead](c).Import(context.Background(), leads, small)
	if err != nil || res.Count(ActionCreated) != n || len(srv.Records("Leads")) != n {
		t.Fatalf("%d created, %d in Zoho: %v", res.Count(ActionCreated), len(srv.Records("Leads")), err)
	}
	next := 0
	for i, f := range *files {
		if len(f) > 2048 {
			t.Errorf("file %d: %d bytes of CSV", i, len(f))
		}
		rows, err := csv.NewReader(bytes.NewReader(f)).ReadAll()
		if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "Last_Name,Description" {
			t.Fatalf("file %d: %v %q", i, err, rows)
		}
		for _, row := range rows[1:] {
			if row[0] != leads[next].LastName {
				t.Fatalf("file %d holds %s where %s was next", i, row[0], leads[next].LastName)
			}
			next++
		}
		// A file ends when the next record would not fit.
		if next < n && len(f)+len(leads[next].LastName)+len(leads[next].Description)+2 <= 2048 {
			t.Errorf("file %d ends early, at %d bytes", i, len(f))
		}
	}
	if next != n || len(*files) < 4 {
		t.Fatalf("%d files held %d records", len(*files), next)
	}
}

func TestImportSplitsFilesByRows(t *testing.T) {
	c, _, files := uploadedCSVs(t)
	leads := make([]*importedLead, 250)
	for i := range leads {
		leads[i] = &importedLead{LastName: fmt.Sprint(i)}
	}
	few := func(cfg *importConfig) error { cfg.maxRows = 100; return nil }
	if _, err := Records[importedLead](c).Import(context.Background(), leads, few); err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, f := range *files {
		counts = append(counts, bytes.Count(f, []byte("\n"))-1)
	}
	if fmt.Sprint(counts) != "[100 100 50]" {
		t.Fatalf("files of %v records", counts)
	}
	if maxBulkWriteRows != 25000 || maxBulkWriteZipBytes != 25<<20 || maxBulkWriteColumns != 200 {
		t.Fatal("Zoho's Bulk Write limits are 25,000 records, 25 MB and 200 columns a file (docs/wire.md §7)")
	}
}

func TestSkippedError(t *testing.T) {
	for _, tc := range []struct{ cell, code, field, text string }{
		{"MANDATORY_NOT_FOUND-Company", "MANDATORY_NOT_FOUND", "Company", `api_name="Company"`},
		{"MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email", "MANDATORY_NOT_FOUND", "Company", `"code":"DUPLICATE_DATA"`},
		{"CANNOT_PROCESS", "CANNOT_PROCESS", "", "CANNOT_PROCESS"},
		{"", "SKIPPED", "", "skipped by bulk write job 7 (row 3 of its file)"},
	} {
		e := skippedError(tc.cell, "SKIPPED", "7", "/crm/bulk/v8/write", 12, 3)
		if e.Code != tc.code || e.APIName() != tc.field || e.Index != 12 || !strings.Contains(e.Error(), tc.text) {
			t.Errorf("%q: %v", tc.cell, e)
		}
	}
	e := skippedError("MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email", "SKIPPED", "7", "/p", 0, 0)
	if all, _ := e.Details["errors"].([]any); len(all) != 3 {
		t.Errorf("errors %v, want 3", e.Details["errors"])
	}
}

// TestBulkResultURL: the access token goes to Zoho's hosts only.
func TestBulkResultURL(t *testing.T) {
	us, _ := New(WithTokenSource(auth.StaticToken("t")))
	eu, _ := New(WithTokenSource(auth.StaticToken("t")), WithEnvironment(auth.MustLookup(auth.EU, auth.Sandbox)))
	custom, _ := auth.Custom("http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:9090")
	local, _ := New(WithTokenSource(auth.StaticToken("t")), WithEnvironment(custom))
	for _, tc := range []struct {
		c        *Client
		raw, url string
	}{
		{us, "/crm/bulk/v8/write/1/result", "https://www.zohoapis.com/crm/bulk/v8/write/1/result"},
		{us, "https://download-accl.zoho.com/v2/crm/6735/bulk-write/1/1.zip", "https://download-accl.zoho.com/v2/crm/6735/bulk-write/1/1.zip"},
		{us, "https://content.zohoapis.com/x.zip", "https://content.zohoapis.com/x.zip"},
		{eu, "https://download-accl.zoho.eu/1.zip", "https://download-accl.zoho.eu/1.zip"},
		{local, "http://127.0.0.1:8080/crm/bulk/v8/write/1/result", "http://127.0.0.1:8080/crm/bulk/v8/write/1/result"},
		{local, "http://127.0.0.1:9090/r.zip", "http://127.0.0.1:9090/r.zip"},
		{us, "http://download-accl.zoho.com/1.zip", ""},
		{us, "https://download-accl.zoho.eu/1.zip", ""},
		{us, "https://evil.example/1.zip", ""},
		{us, "https://zoho.com.evil.example/1.zip", ""},
		{us, "https://download.zoho.com:8443/1.zip", ""},
		{us, "https://user@download.zoho.com/1.zip", ""},
		{us, "//evil.example/1.zip", ""},
		{us, "result.zip", ""},
		{local, "http://127.0.0.1:8081/r.zip", ""},
	} {
		u, _, err := tc.c.bulkResultURL(tc.raw)
		if u != tc.url || (err == nil) != (tc.url != "") {
			t.Errorf("%s: %q, %v; want %q", tc.raw, u, err, tc.url)
		}
	}
}
