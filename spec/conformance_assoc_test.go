package spec_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
)

// multipartFile is a multipart/form-data body with one part "file" and
// its Content-Type header.
func multipartFile(t *testing.T, name, content string) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// tokenWith exchanges a grant of the given scopes for an access token.
func (c *conformance) tokenWith(t *testing.T, scopes ...string) string {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {c.srv.ClientID()}, "client_secret": {c.srv.ClientSecret()},
		"code": {c.srv.NewGrantToken(scopes...)}}
	x := c.send(t, "POST", "/oauth/v2/token", form.Encode(), "")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(x.body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token exchange: %d %s", x.status, x.body)
	}
	return tok.AccessToken
}

// testRelated checks related records: lists of a lookup, linked
// relations (link, list with Member_Status, unlink), one related record,
// and their errors.
func (c *conformance) testRelated(t *testing.T) {
	acct, err := c.srv.Seed("Accounts", map[string]any{"Account_Name": "Acme"}, map[string]any{"Account_Name": "Empty"})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := c.srv.Seed("Contacts", map[string]any{"Last_Name": "Ng", "Account_Name": map[string]any{"id": acct[0]}}, map[string]any{"Last_Name": "Oh", "Account_Name": map[string]any{"id": acct[0]}})
	if err != nil {
		t.Fatal(err)
	}
	camp, err := c.srv.Seed("Campaigns", map[string]any{"Campaign_Name": "Spring"})
	if err != nil {
		t.Fatal(err)
	}
	contacts := "/crm/v8/Accounts/" + acct[0] + "/Contacts"
	x := c.crm(t, "GET", contacts+"?fields=Last_Name,Account_Name&per_page=1", "", 200, "")
	info, _ := x.json()["info"].(map[string]any)
	tok, _ := info["next_page_token"].(string)
	if tok == "" {
		t.Fatalf("no next_page_token: %s", x.body)
	}
	c.crm(t, "GET", contacts+"?fields=Last_Name,Account_Name&per_page=1&page_token="+tok, "", 200, "")
	c.crm(t, "GET", contacts+"?fields=Last_Name&sort_by=Created_Time&sort_order=asc", "", 200, "")
	c.crm(t, "GET", "/crm/v8/Accounts/"+acct[1]+"/Contacts?fields=Last_Name", "", 204, "")
	c.crm(t, "GET", contacts, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "GET", contacts+"?fields=Nope", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Accounts/1/Contacts?fields=Last_Name", "", 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/Accounts/"+acct[0]+"/Nope?fields=Last_Name", "", 400, "INVALID_DATA")
	c.crm(t, "GET", contacts+"/"+ct[0]+"?fields=Last_Name", "", 200, "")
	c.crm(t, "GET", contacts+"/1", "", 204, "")

	members := "/crm/v8/Campaigns/" + camp[0] + "/Contacts"
	c.crm(t, "PUT", members, `{"data":[{"id":"`+ct[0]+`","Member_Status":"Invited"},{"id":"1"}]}`, 207, "SUCCESS,INVALID_DATA")
	c.crm(t, "PUT", members+"/"+ct[1], `{"data":[{"Member_Status":"Sent"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", members, `{"data":[{"id":"`+ct[0]+`","Nope":"x"}]}`, 400, "INVALID_DATA")
	c.crm(t, "PUT", members, `{"data":[]}`, 400, "EXPECTED_FIELD_MISSING")
	c.crm(t, "PUT", contacts, `{"data":[{"id":"`+ct[0]+`"}]}`, 400, "NOT_SUPPORTED")
	x = c.crm(t, "GET", members+"?fields=Last_Name", "", 200, "")
	if !strings.Contains(string(x.body), `"Member_Status":"Invited"`) {
		t.Errorf("linked contacts without their Member_Status: %s", x.body)
	}
	c.crm(t, "GET", "/crm/v8/Contacts/"+ct[0]+"/Campaigns?fields=Campaign_Name", "", 200, "")
	c.crm(t, "DELETE", members+"?ids="+ct[0]+",1", "", 207, "SUCCESS,INVALID_DATA")
	c.crm(t, "DELETE", members+"/"+ct[1], "", 200, "SUCCESS")
	c.crm(t, "DELETE", members, "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "DELETE", contacts+"?ids="+ct[0], "", 400, "NOT_SUPPORTED")
}

// testAttachments checks attachments (a file, a link, list, download,
// delete), the photo and the file store.
func (c *conformance) testAttachments(t *testing.T) {
	acct, err := c.srv.Seed("Accounts", map[string]any{"Account_Name": "Files Inc"})
	if err != nil {
		t.Fatal(err)
	}
	atts := "/crm/v8/Accounts/" + acct[0] + "/Attachments"
	body, ct := multipartFile(t, "a.txt", "hello")
	x := c.crm(t, "POST", atts, body, 200, "SUCCESS", "Content-Type", ct)
	id, _ := x.json()["data"].([]any)[0].(map[string]any)["details"].(map[string]any)["id"].(string)
	c.crm(t, "POST", atts+"?attachmentUrl="+url.QueryEscape("https://example.com/x.pdf")+"&title=X", "", 200, "SUCCESS")
	c.crm(t, "POST", atts, "", 400, "MANDATORY_NOT_FOUND")
	big, bigCT := multipartFile(t, "big.bin", strings.Repeat("x", 20<<20+1))
	c.crm(t, "POST", atts, big, 413, "FILE_TOO_LARGE", "Content-Type", bigCT)
	c.crm(t, "POST", "/crm/v8/Accounts/1/Attachments", body, 400, "INVALID_DATA", "Content-Type", ct)
	c.crm(t, "GET", atts+"?fields=File_Name,Size,Parent_Id,Owner,Created_By,Modified_By,Created_Time,Modified_Time", "", 200, "")
	c.crm(t, "GET", atts, "", 400, "REQUIRED_PARAM_MISSING")
	x = c.crm(t, "GET", atts+"/"+id, "", 200, "")
	if string(x.body) != "hello" {
		t.Errorf("downloaded %q", x.body)
	}
	c.crm(t, "GET", atts+"/1", "", 400, "INVALID_DATA")
	c.crm(t, "DELETE", atts+"/"+id, "", 200, "SUCCESS")
	c.crm(t, "DELETE", atts+"?ids="+id, "", 400, "INVALID_DATA")
	c.crm(t, "DELETE", atts, "", 400, "REQUIRED_PARAM_MISSING")

	photo := "/crm/v8/Accounts/" + acct[0] + "/photo"
	c.crm(t, "GET", photo, "", 204, "")
	pbody, pct := multipartFile(t, "logo.png", "\x89PNG\r\n\x1a\n")
	c.crm(t, "POST", photo, pbody, 200, "SUCCESS", "Content-Type", pct)
	c.crm(t, "GET", photo, "", 200, "")
	c.crm(t, "DELETE", photo, "", 200, "SUCCESS")
	c.crm(t, "DELETE", photo, "", 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/Deals/1/photo", pbody, 400, "INVALID_MODULE", "Content-Type", pct)

	files := c.tokenWith(t, "ZohoCRM.files.ALL")
	fbody, fct := multipartFile(t, "c.pdf", "%PDF")
	x = c.expect(t, c.send(t, "POST", "/crm/v8/files", fbody, files, "Content-Type", fct), 200, "SUCCESS")
	fid, _ := x.json()["data"].([]any)[0].(map[string]any)["details"].(map[string]any)["id"].(string)
	c.expect(t, c.send(t, "GET", "/crm/v8/files?id="+fid, "", files), 200, "")
	c.expect(t, c.send(t, "GET", "/crm/v8/files?id=nope", "", files), 400, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/files", fbody, 401, "OAUTH_SCOPE_MISMATCH", "Content-Type", fct)
}
