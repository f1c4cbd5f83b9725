package zohotest_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/zohohub/zohohub/zohotest"
)

// A bulk read job exports a snapshot of records as a zipped CSV; with the
// default WithBulkJobDelay it is COMPLETED at its first status call.
func Example_bulkRead() {
	srv, err := zohotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"}, map[string]any{"Last_Name": "Roe", "Company": "Beta"})
	access, _ := srv.IssueToken()
	call := func(method, path, body string) []byte {
		req, _ := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return data
	}
	var job struct {
		Data []struct {
			Details struct{ ID string } `json:"details"`
			State   string              `json:"state"`
			Result  struct {
				DownloadURL string `json:"download_url"`
			} `json:"result"`
		} `json:"data"`
	}
	json.Unmarshal(call("POST", "/crm/bulk/v8/read", `{"query":{"module":{"api_name":"Leads"},"fields":["Last_Name","Company"],
		"criteria":{"field":{"api_name":"Company"},"comparator":"starts_with","value":"ac"}}}`), &job)
	json.Unmarshal(call("GET", "/crm/bulk/v8/read/"+job.Data[0].Details.ID, ""), &job)
	fmt.Println(job.Data[0].State)
	zipped := call("GET", job.Data[0].Result.DownloadURL, "")
	zr, _ := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	f, _ := zr.File[0].Open()
	csvText, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimSpace(string(csvText)), "\n")
	fmt.Println(lines[0])
	fmt.Println(strings.SplitN(lines[1], ",", 2)[1]) // after the record id
	// Output:
	// COMPLETED
	// id,Last_Name,Company
	// Doe,Acme
}
