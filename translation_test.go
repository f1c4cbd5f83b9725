package zohohub_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

func TestDefaultAPIName(t *testing.T) {
	for goName, want := range map[string]string{
		"AccountName":         "Account_Name",
		"LastName":            "Last_Name",
		"SICCode":             "SIC_Code",
		"PortalSessionURL":    "Portal_Session_URL",
		"PortalURLs":          "Portal_URLs",
		"LiveCCJs":            "Live_CCJs",
		"SkypeID":             "Skype_ID",
		"ID":                  "id",
		"PickList15":          "Pick_List_15",
		"Address2Line":        "Address_2_Line",
		"Email":               "Email",
		"URL":                 "URL",
		"Record_Status__s":    "Record_Status__s",
		"Project_description": "Project_description",
		"HTTPSettings":        "HTTP_Settings",
	} {
		if got := zohohub.DefaultAPIName(goName); got != want {
			t.Errorf("DefaultAPIName(%q) = %q, want %q", goName, got, want)
		}
	}
}

// names maps awkward real Zoho names three ways: tags, a translation table
// and the default mapper.
type names struct {
	zohohub.Model    `zoho:",module=Leads"`
	LastName         string // default: Last_Name
	Description      string `zoho:"Project_description"`
	PortalSessionURL string // default: Portal_Session_URL
	CCJs             int    // table: Live_CCJs
	Status           string `zoho:"Record_Status__s"`
	Approved         bool   `zoho:"$approved"`
	UTMSource        string // table: Utm_source
}

func (names) ZohoTranslation() map[string]string {
	return map[string]string{"CCJs": "Live_CCJs", "UTMSource": "Utm_source"}
}

func TestNamesRoundTrip(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t, withFields("Leads.Project_description:textarea", "Leads.Portal_Session_URL:website",
		"Leads.Live_CCJs:integer", "Leads.Record_Status__s:picklist", "Leads.Utm_source:text")...)
	wire := map[string]any{"Last_Name": "Roe", "Project_description": "d", "Portal_Session_URL": "u",
		"Live_CCJs": 2, "Record_Status__s": "Available", "$approved": true, "Utm_source": "ad"}
	id := seed(t, srv, "Leads", wire)[0]
	rs := zohohub.Records[names](c)
	n, err := rs.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if n.LastName != "Roe" || n.Description != "d" || n.PortalSessionURL != "u" || n.CCJs != 2 || n.Status != "Available" || !n.Approved || n.UTMSource != "ad" {
		t.Fatalf("read %+v", n)
	}
	for _, name := range n.Unmapped() {
		if _, ok := wire[name]; ok {
			t.Fatalf("%s not mapped: %v", name, n.Unmapped())
		}
	}
	// Write every field back under the same name.
	n.LastName, n.Description, n.PortalSessionURL, n.CCJs, n.Status, n.Approved, n.UTMSource = "Roe2", "d2", "u2", 3, "Draft", false, "mail"
	if err := rs.Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	reqs := sent(srv)
	body := string(reqs[len(reqs)-1].Body)
	for _, k := range []string{`"Last_Name":"Roe2"`, `"Project_description":"d2"`, `"Portal_Session_URL":"u2"`, `"Live_CCJs":3`,
		`"Record_Status__s":"Draft"`, `"$approved":false`, `"Utm_source":"mail"`} {
		if !strings.Contains(body, k) {
			t.Errorf("update body lacks %s: %s", k, body)
		}
	}
	after := stored(srv, "Leads", id)
	for k, want := range map[string]string{"Last_Name": `"Roe2"`, "Project_description": `"d2"`, "Portal_Session_URL": `"u2"`,
		"Live_CCJs": "3", "Record_Status__s": `"Draft"`, "Utm_source": `"mail"`} {
		if string(after[k]) != want {
			t.Errorf("stored %s = %s, want %s", k, after[k], want)
		}
	}
}
