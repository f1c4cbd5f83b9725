package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
)

type ProjectStatus string

type Phase string

type Milestone struct {
	ID    string       `zoho:"id"`
	Title string       `zoho:"Title"`
	Due   zohohub.Date `zoho:"Due"`
	Done  bool         `zoho:"Done"`
}

// tProject has a field of every data type of the custom module Projects.
type tProject struct {
	zohohub.Model
	Name             string            `zoho:"Name"`
	Description      string            `zoho:"Project_description"`
	Budget           float64           `zoho:"Budget"`             // currency
	Completion       float64           `zoho:"Completion_Percent"` // percent
	Headcount        int               `zoho:"Headcount"`          // integer
	EAN              int64             `zoho:"EAN_Code"`           // bigint
	Active           bool              `zoho:"Active"`             // boolean
	StartDate        zohohub.Date      `zoho:"Start_Date"`         // date
	KickOff          time.Time         `zoho:"Kick_Off"`           // datetime
	Status           ProjectStatus     `zoho:"Status"`             // picklist
	Tags             []string          `zoho:"Tags_Multi"`         // multiselectpicklist
	Phases           []Phase           `zoho:"Phases"`             // multiselectpicklist, named
	Account          zohohub.Lookup    `zoho:"Account"`            // lookup
	Manager          zohohub.User      `zoho:"Manager"`            // userlookup
	Documents        []zohohub.File    `zoho:"Documents"`          // fileupload
	Stakeholders     []zohohub.Record  `zoho:"Stakeholders"`       // multiselectlookup
	Milestones       []Milestone       `zoho:"Milestones"`         // subform
	Widget           json.RawMessage   `zoho:"Widget_Data"`        // unknown data_type
	Rating           *int              `zoho:"Rating"`
	Discount         *float64          `zoho:"Discount"`
	Deadline         *time.Time        `zoho:"Deadline"`
	Review           *zohohub.Date     `zoho:"Review_Date"`
	Note             *string           `zoho:"Note"`
	Approved         *bool             `zoho:"$approved"`
	LiveCCJs         int               `zoho:"Live_CCJs"`
	PortalSessionURL string            // default mapping: Portal_Session_URL
	RecordStatus     string            `zoho:"Record_Status__s,readonly"`
	Ignored          string            `zoho:"-"`
	Meta             map[string]string `zoho:"Meta_Json"`
}

func (tProject) ZohoModule() string { return "Projects" }

// projectFields are the fields tProject maps that spec's Projects lacks:
// the org's custom fields, one of each data type.
var projectFields = []string{
	"Projects.Completion_Percent:percent", "Projects.Headcount:integer", "Projects.EAN_Code:bigint", "Projects.Active:boolean",
	"Projects.Kick_Off:datetime", "Projects.Status:picklist", "Projects.Tags_Multi:multiselectpicklist", "Projects.Phases:multiselectpicklist",
	"Projects.Manager:userlookup", "Projects.Documents:fileupload", "Projects.Stakeholders:multiselectlookup", "Projects.Milestones:subform",
	"Projects.Widget_Data:widget", // a data type zohohub does not know; zohotest stores it as given
	"Projects.Rating:integer", "Projects.Discount:double", "Projects.Deadline:datetime", "Projects.Review_Date:date", "Projects.Note:text",
	"Projects.Record_Status__s:picklist", // Zoho sets it; writable here so that Seed can
	"Projects.Meta_Json:json",
}

// janeRoe is the id of zohotest's user (spec/metadata/users.json): user
// lookups must name a user of the org.
const janeRoe = "5725767000000220979"

var ist = time.FixedZone("IST", 5*3600+1800)

func fullProject(accountID string) *tProject {
	deadline := time.Date(2024, 12, 31, 23, 59, 59, 0, time.FixedZone("", -8*3600))
	return &tProject{
		Name: "Apollo", Description: "Línea 1\n\"quoted\" <b>", Budget: 250000.9, Completion: 12.5, Headcount: 7,
		EAN:       1<<53 + 1,
		Active:    true,
		StartDate: zohohub.Date{Year: 2024, Month: 1, Day: 31},
		// 00:30 in India is the previous day in UTC: the offset must survive.
		KickOff: time.Date(2024, 2, 1, 0, 30, 0, 0, ist),
		Status:  "In Progress", Tags: []string{"Analytics", "Big data"}, Phases: []Phase{"Design", "Build"},
		Account:      zohohub.Lookup{ID: accountID},
		Manager:      zohohub.User{ID: janeRoe},
		Documents:    []zohohub.File{{FileID: "zfs-1"}},
		Stakeholders: []zohohub.Record{{"Stakeholder": map[string]any{"id": "111"}}},
		Milestones:   []Milestone{{Title: "M1", Due: zohohub.Date{Year: 2024, Month: 3, Day: 1}, Done: true}},
		Widget:       json.RawMessage(`{"x":[1,2,{"y":null}]}`),
		Rating:       new(0), Discount: new(0.0), Deadline: &deadline, Review: &zohohub.Date{Year: 2025, Month: 2, Day: 28},
		Note: new(""), Approved: new(false),
		LiveCCJs: 3, PortalSessionURL: "https://example.com/s?a=1&b=2",
		Meta: map[string]string{"k": "v"},
	}
}

func TestProjectsEveryTypeRoundTrips(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t, withFields(projectFields...)...)
	// Zoho refuses a lookup to a record that does not exist.
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Zylker"})[0]
	sent(srv)
	rs := zohohub.Records[tProject](c)
	p := fullProject(acct)
	if err := rs.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	body := string(sent(srv)[0].Body)
	for _, want := range []string{`"EAN_Code":"9007199254740993"`, `"Kick_Off":"2024-02-01T00:30:00+05:30"`,
		`"Start_Date":"2024-01-31"`, `"Account":{"id":"` + acct + `"}`, `"Manager":{"id":"` + janeRoe + `"}`,
		`"Documents":[{"File_Id__s":"zfs-1"}]`, `"Rating":0`, `"Discount":0`, `"Note":""`, `"$approved":false`,
		`"Portal_Session_URL":`, `"Live_CCJs":3`, `"Project_description":`, `"Budget":250000.9`,
		`"Milestones":[{"Title":"M1","Due":"2024-03-01","Done":true}]`} {
		if !strings.Contains(body, want) {
			t.Errorf("insert body lacks %s:\n%s", want, body)
		}
	}
	for _, absent := range []string{"Record_Status__s", "Ignored", "Created_Time"} {
		if strings.Contains(body, absent) {
			t.Errorf("insert body holds %s", absent)
		}
	}
	got, err := rs.Find(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Zoho answers lookups with names, and ignores a write of $approved,
	// which is its own.
	want := *p
	want.Account.Name = "Zylker"
	want.Manager.Name, want.Manager.Email = "Jane Roe", "jane@example.com"
	want.Approved = nil
	assertSameProject(t, got, &want)
	if name, off := got.KickOff.Zone(); off != 5*3600+1800 {
		t.Errorf("Kick_Off zone %s %d, want +05:30", name, off)
	}
	if got.KickOff.UTC().Day() != 31 {
		t.Errorf("Kick_Off in UTC = %v", got.KickOff.UTC())
	}

	// Clear everything but the mandatory Name (Zoho refuses to empty it):
	// non-pointer zero values go out as null (false as false), pointers as
	// what they point to.
	*got = tProject{Model: got.Model, Name: got.Name}
	got.Rating, got.Note = nil, new("")
	if err := rs.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	reqs := sent(srv)
	body = string(reqs[len(reqs)-1].Body)
	for _, want := range []string{`"Budget":null`, `"EAN_Code":null`, `"Active":false`, `"Start_Date":null`,
		`"Kick_Off":null`, `"Tags_Multi":null`, `"Account":null`, `"Documents":null`, `"Milestones":null`, `"Widget_Data":null`,
		`"Rating":null`, `"Deadline":null`, `"Meta_Json":null`} {
		if !strings.Contains(body, want) {
			t.Errorf("clearing body lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, `"Note"`) {
		t.Errorf("unchanged pointer sent: %s", body)
	}
	cleared, err := rs.Find(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertSameProject(t, cleared, &tProject{Name: p.Name, Note: new("")})
}

// assertSameProject compares mapped fields; times by instant and offset.
func assertSameProject(t *testing.T, got, want *tProject) {
	t.Helper()
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := 1; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		switch gt := g.(type) {
		case time.Time:
			wt := w.(time.Time)
			_, go1 := gt.Zone()
			_, wo := wt.Zone()
			if !gt.Equal(wt) || go1 != wo {
				t.Errorf("%s = %v, want %v", name, gt, wt)
			}
			continue
		case *time.Time:
			wt := w.(*time.Time)
			if (gt == nil) != (wt == nil) || gt != nil && (!gt.Equal(*wt) || gt.Format(time.RFC3339) != wt.Format(time.RFC3339)) {
				t.Errorf("%s = %v, want %v", name, gt, wt)
			}
			continue
		case json.RawMessage:
			if string(gt) != string(w.(json.RawMessage)) {
				t.Errorf("%s = %s, want %s", name, gt, w)
			}
			continue
		}
		if name == "Ignored" || name == "RecordStatus" {
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %#v, want %#v", name, g, w)
		}
	}
}

func TestDecodeZohoShapes(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t, withFields(projectFields...)...)
	acct := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Zylker"})[0]
	// A record as Zoho holds it: a bigint beyond 2^53 as a string, file
	// details, a subform with ids, nulls. Zoho answers lookups with the
	// name (and a user's email).
	id := seed(t, srv, "Projects", map[string]any{
		"Name": "Zoho", "EAN_Code": "123456789012345678", "Headcount": 12, "Budget": 10.25,
		"Kick_Off": "2017-08-16T14:32:23+05:30", "Start_Date": "2017-08-16",
		"Manager":    map[string]any{"id": janeRoe},
		"Account":    map[string]any{"id": acct},
		"Documents":  []any{map[string]any{"File_Name__s": "a.pdf", "Size__s": "12", "id": "77", "File_Id__s": "zfs"}},
		"Milestones": []any{map[string]any{"id": "9", "Title": "T", "Due": nil, "Done": false, "Parent_Id": map[string]any{"id": acct}}},
		"Tags_Multi": []any{}, "Phases": nil, "Rating": nil, "Record_Status__s": "Available", "Live_CCJs": 0,
		"Widget_Data": map[string]any{"any": "thing"}, "$approved": true,
	})[0]
	rs := zohohub.Records[tProject](c)
	p, err := rs.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.EAN != 123456789012345678 || p.Headcount != 12 || p.Budget != 10.25 {
		t.Errorf("numbers: %d %d %v", p.EAN, p.Headcount, p.Budget)
	}
	if p.Manager != (zohohub.User{ID: janeRoe, Name: "Jane Roe", Email: "jane@example.com"}) || p.Account != (zohohub.Lookup{ID: acct, Name: "Zylker"}) {
		t.Errorf("lookups: %+v %+v", p.Manager, p.Account)
	}
	if len(p.Documents) != 1 || p.Documents[0] != (zohohub.File{ID: "77", FileID: "zfs", Name: "a.pdf", Size: "12"}) {
		t.Errorf("documents: %+v", p.Documents)
	}
	if len(p.Milestones) != 1 || p.Milestones[0] != (Milestone{ID: "9", Title: "T"}) {
		t.Errorf("milestones: %+v", p.Milestones)
	}
	if p.Tags == nil || len(p.Tags) != 0 || p.Phases != nil || p.Rating != nil {
		t.Errorf("empty vs null: %#v %#v %#v", p.Tags, p.Phases, p.Rating)
	}
	if p.RecordStatus != "Available" || p.Approved == nil || !*p.Approved || string(p.Widget) != `{"any":"thing"}` {
		t.Errorf("system keys: %q %v %s", p.RecordStatus, p.Approved, p.Widget)
	}
	if p.KickOff.Format(time.RFC3339) != "2017-08-16T14:32:23+05:30" || p.StartDate.String() != "2017-08-16" {
		t.Errorf("dates: %v %v", p.KickOff, p.StartDate)
	}
	// Unchanged after reading: nothing to send; one subform change sends
	// the subform with the row's id.
	sent(srv)
	if err := rs.Save(ctx, p); err != nil || len(sent(srv)) != 0 {
		t.Fatalf("save of an unchanged record: %v", err)
	}
	p.Milestones[0].Done = true
	if err := rs.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if body := string(sent(srv)[0].Body); body != `{"data":[{"id":"`+id+`","Milestones":[{"id":"9","Title":"T","Due":null,"Done":true}]}]}` {
		t.Errorf("subform update body %s", body)
	}
	if got := string(stored(srv, "Projects", id)["Milestones"]); !strings.Contains(got, `"Done":true`) || !strings.Contains(got, `"id":"9"`) {
		t.Errorf("stored subform %s", got)
	}
}

func TestDecodeErrorsAreClear(t *testing.T) {
	ctx := context.Background()
	// The org changed these fields to text after the struct was written
	// (or generated): Zoho now holds values the Go types cannot take.
	var changed []string
	cases := map[string]any{
		"Headcount":  "twelve",
		"EAN_Code":   "99999999999999999999",
		"Start_Date": "31/01/2024",
		"Kick_Off":   "yesterday",
		"Account":    "not an object",
		"Tags_Multi": "not an array",
		"Active":     "maybe",
	}
	for field := range cases {
		changed = append(changed, "Projects."+field+":text")
	}
	srv, c := emulatorClient(t, withFields(changed...)...)
	rs := zohohub.Records[tProject](c)
	for field, v := range cases {
		id := seed(t, srv, "Projects", map[string]any{"Name": field, field: v})[0]
		_, err := rs.Find(ctx, id)
		var fe *zohohub.FieldError
		if !errors.As(err, &fe) || fe.APIName != field {
			t.Errorf("%s=%v: err = %v, want a FieldError for it", field, v, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	d := zohohub.Date{Year: 2024, Month: 2, Day: 29}
	b, err := json.Marshal(d)
	if err != nil || string(b) != `"2024-02-29"` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back zohohub.Date
	if err := json.Unmarshal(b, &back); err != nil || back != d {
		t.Fatalf("Unmarshal = %v, %v", back, err)
	}
	if b, _ := json.Marshal(zohohub.Date{}); string(b) != "null" {
		t.Fatalf("zero date = %s", b)
	}
	if _, err := json.Marshal(zohohub.Date{Year: 2023, Month: 2, Day: 29}); err == nil {
		t.Fatal("invalid date marshalled")
	}
	if _, err := zohohub.ParseDate("2024-13-01"); err == nil {
		t.Fatal("month 13 parsed")
	}
	tokyo := time.FixedZone("JST", 9*3600)
	// 2024-01-31 20:00 in UTC is already Feb 1 in Tokyo.
	instant := time.Date(2024, 1, 31, 20, 0, 0, 0, time.UTC)
	if zohohub.DateOf(instant) != (zohohub.Date{Year: 2024, Month: 1, Day: 31}) || zohohub.DateOf(instant.In(tokyo)) != (zohohub.Date{Year: 2024, Month: 2, Day: 1}) {
		t.Fatal("DateOf ignores the location")
	}
	if got := d.In(tokyo); got.Format(time.RFC3339) != "2024-02-29T00:00:00+09:00" {
		t.Fatalf("In = %v", got)
	}
	if d.AddDays(1) != (zohohub.Date{Year: 2024, Month: 3, Day: 1}) || !d.Before(d.AddDays(1)) {
		t.Fatal("AddDays/Before")
	}
}

// setForm has a field of each type Model.Set converts into.
type setForm struct {
	zohohub.Model `zoho:",module=Leads"`
	Last          string          `zoho:"Last_Name"`
	Status        ProjectStatus   `zoho:"Lead_Status"`
	Phases        []Phase         `zoho:"Phases"`
	Count         *int            `zoho:"No_of_Employees"`
	Small         uint8           `zoho:"Small"`
	Amount        zohohub.Decimal `zoho:"Annual_Revenue"`
	Share         float32         `zoho:"Share"`
}

// Set converts what fits the field exactly, whatever its Go type, and
// refuses the rest.
func TestSetConvertsWhatFits(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t)
	id := seed(t, srv, "Leads", map[string]any{"Last_Name": "Roe", "Company": "Acme"})[0]
	r, err := zohohub.Records[setForm](c).Find(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field string
		value any
	}{
		{"Last_Name", ProjectStatus("Doe")}, {"Lead_Status", "Contacted"}, {"Phases", []string{"Design"}},
		{"No_of_Employees", 12}, {"Small", int64(200)}, {"Small", uint(7)}, {"Annual_Revenue", 1250.5},
		{"Annual_Revenue", 40}, {"Annual_Revenue", zohohub.MustParseDecimal("0.10")}, {"Share", 0.25}, {"Share", 3},
	} {
		if err := r.Set(tc.field, tc.value); err != nil {
			t.Errorf("Set(%s, %T %v): %v", tc.field, tc.value, tc.value, err)
		}
	}
	if r.Last != "Doe" || r.Status != "Contacted" || !reflect.DeepEqual(r.Phases, []Phase{"Design"}) || r.Count == nil || *r.Count != 12 ||
		r.Small != 7 || r.Amount.String() != "0.10" || r.Share != 3 {
		t.Errorf("after Set: %+v", r)
	}
	for _, tc := range []struct {
		field string
		value any
	}{
		{"Last_Name", 3}, {"Phases", []int{1}}, {"No_of_Employees", 1.5}, {"Small", 300}, {"Small", -1},
		{"Annual_Revenue", "12"}, {"Annual_Revenue", math.NaN()}, {"Share", "x"},
	} {
		if err := r.Set(tc.field, tc.value); err == nil || !strings.Contains(err.Error(), "does not fit") {
			t.Errorf("Set(%s, %T %v) = %v, want an error", tc.field, tc.value, tc.value, err)
		}
	}
}
