package zohotest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The requests Zoho's Node.js SDK (@zohocrm/nodejs-sdk-8.0 2.0.0) sent to
// zhemu when it wrote and read related records, notes, attachments and a
// photo, replayed byte for byte: query strings as it builds them (commas
// and a URL unencoded, a trailing "&"), its JSON bodies, and its multipart
// bodies (form-data's boundary, a part type from the file's extension).

// sdkBoundary is the boundary the SDK's form-data package wrote.
const sdkBoundary = "--------------------------263968694247246107611946"

// sdkFilePart is a multipart body with one part "file", as the SDK sends
// an attachment or a photo.
func sdkFilePart(name, contentType string, content []byte) []byte {
	var b bytes.Buffer
	b.WriteString("--" + sdkBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: " + contentType + "\r\n\r\n")
	b.Write(content)
	b.WriteString("\r\n--" + sdkBoundary + "--\r\n")
	return b.Bytes()
}

// png1x1 is the 67-byte PNG the SDK uploaded as a contact's photo.
var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestSDKAssociationsReplay(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	create := func(module, body string) string {
		t.Helper()
		code, m := c.do("POST", "/crm/v8/"+module, body)
		if code != 201 {
			t.Fatalf("POST %s %s: %d %v", module, body, code, m)
		}
		return details(m, 0)["id"].(string)
	}
	acct := create("Accounts", `{"data":[{"Account_Name":"NodeCo"}]}`)
	contact := create("Contacts", `{"data":[{"Last_Name":"NodeNg","Account_Name":{"id":"`+acct+`"}}]}`)
	create("Contacts", `{"data":[{"Last_Name":"NodeRoe","Account_Name":{"id":"`+acct+`"}}]}`)
	camp := create("Campaigns", `{"data":[{"Campaign_Name":"NodeCamp"}]}`)
	lead := create("Leads", `{"data":[{"Last_Name":"NodeLead","Company":"NodeLeadCo"}]}`)
	prod := create("Products", `{"data":[{"Product_Name":"NodeWidget"}]}`)

	// Links, a note through POST /Notes, two attachments and a photo.
	json200 := func(method, path, contentType string, body []byte) map[string]any {
		t.Helper()
		code, _, data := c.raw(method, path, contentType, body, nil)
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil || code != 200 && code != 201 {
			t.Fatalf("%s %s: %d %s", method, path, code, data)
		}
		return m
	}
	m := json200("PUT", "/crm/v8/Campaigns/"+camp+"/Leads", "application/json", []byte(`{"data":[{"id":"`+lead+`","Member_Status":"Responded"}]}`))
	if item(m, 0)["message"] != "relation added" {
		t.Errorf("link lead: %v", m)
	}
	json200("PUT", "/crm/v8/Accounts/"+acct+"/Products", "application/json", []byte(`{"data":[{"id":"`+prod+`"}]}`))
	json200("POST", "/crm/v8/Notes", "application/json",
		[]byte(`{"data":[{"Note_Title":"Node note","Note_Content":"written by the Node SDK","Parent_Id":{"module":{"api_name":"Accounts"},"id":"`+acct+`"}}]}`))
	multipart := "multipart/form-data; boundary=" + sdkBoundary
	m = json200("POST", "/crm/v8/Accounts/"+acct+"/Attachments", multipart, sdkFilePart("node.txt", "text/plain", []byte("hello from the Node SDK")))
	file := details(m, 0)["id"].(string)
	m = json200("POST", "/crm/v8/Accounts/"+acct+"/Attachments?attachmentUrl=https://example.com/node&title=Node%20link&", "", nil)
	link := details(m, 0)["id"].(string)
	if m = json200("POST", "/crm/v8/Contacts/"+contact+"/photo", multipart, sdkFilePart("photo.png", "image/png", png1x1)); m["status"] != "success" {
		t.Errorf("photo upload: %v", m)
	}

	// What the SDK read back.
	list := func(path string) []map[string]any {
		t.Helper()
		m := json200("GET", path, "", nil)
		var out []map[string]any
		for i := range m["data"].([]any) {
			out = append(out, item(m, i))
		}
		return out
	}
	if got := list("/crm/v8/Accounts/" + acct + "/Contacts?fields=Last_Name,Account_Name&"); len(got) != 2 || got[0]["Account_Name"].(map[string]any)["id"] != acct {
		t.Errorf("related Contacts: %v", got)
	}
	// The relation's own field, asked for: Zoho's SDKs name it in fields.
	if got := list("/crm/v8/Campaigns/" + camp + "/Leads?fields=Last_Name,Member_Status&"); len(got) != 1 || got[0]["id"] != lead || got[0]["Member_Status"] != "Responded" {
		t.Errorf("campaign's Leads with Member_Status: %v", got)
	}
	if got := list("/crm/v8/Leads/" + lead + "/Campaigns?fields=Member_Status&"); len(got) != 1 || got[0]["id"] != camp || got[0]["Member_Status"] != "Responded" {
		t.Errorf("lead's Campaigns, fields=Member_Status alone: %v", got)
	}
	if got := list("/crm/v8/Accounts/" + acct + "/Products?fields=Product_Name&"); len(got) != 1 || got[0]["id"] != prod {
		t.Errorf("account's Products: %v", got)
	}
	for _, path := range []string{"/crm/v8/Accounts/" + acct + "/Notes?fields=Note_Title,Note_Content,Parent_Id&", "/crm/v8/Notes?fields=Note_Title,Note_Content,Parent_Id&"} {
		got := list(path)
		if len(got) != 1 || got[0]["Note_Title"] != "Node note" {
			t.Fatalf("%s: %v", path, got)
		}
		if p := got[0]["Parent_Id"].(map[string]any); p["id"] != acct || p["module"].(map[string]any)["api_name"] != "Accounts" {
			t.Errorf("%s: Parent_Id %v", path, p)
		}
	}
	atts := list("/crm/v8/Accounts/" + acct + "/Attachments?fields=id,File_Name,Size&")
	byID := map[string]map[string]any{}
	for _, a := range atts {
		byID[a["id"].(string)] = a
	}
	if a := byID[file]; len(atts) != 2 || a["File_Name"] != "node.txt" || a["Size"] != "23" {
		t.Errorf("file attachment listed as %v", a)
	}
	if a := byID[link]; a["File_Name"] != "Node link" || a["$link_url"] != "https://example.com/node" {
		t.Errorf("link attachment listed as %v", a)
	}
	code, hdr, data := c.raw("GET", "/crm/v8/Accounts/"+acct+"/Attachments/"+file, "", nil, nil)
	if code != 200 || string(data) != "hello from the Node SDK" || !strings.Contains(hdr.Get("Content-Disposition"), `filename="node.txt"`) {
		t.Errorf("download: %d %q %v", code, data, hdr)
	}
	code, hdr, data = c.raw("GET", "/crm/v8/Contacts/"+contact+"/photo", "", nil, nil)
	if code != 200 || !bytes.Equal(data, png1x1) || hdr.Get("Content-Type") != "image/png" {
		t.Errorf("photo: %d %d bytes %v", code, len(data), hdr.Get("Content-Type"))
	}
}
