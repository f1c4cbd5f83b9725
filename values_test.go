package zohohub_test

import (
	"context"
	"encoding/json"
	"errors"
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

var ist = time.FixedZone("IST", 5*3600+1800)

func fullProject() *tProject {
	deadline := time.Date(2024, 12, 31, 23, 59, 59, 0, time.FixedZone("", -8*3600))
	return &tProject{
		Name: "Apollo", Description: "Línea 1\n\"quoted\" <b>", Budget: 250000.9, Completion: 12.5, Headcount: 7,
		EAN:       1<<53 + 1,
		Active:    true,
		StartDate: zohohub.Date{Year: 2024, Month: 1, Day: 31},
		// 00:30 in India is the previous day in UTC: the offset must survive.
		KickOff: time.Date(2024, 2, 1, 0, 30, 0, 0, ist),
		Status:  "In Progress", Tags: []string{"Analytics", "Big data"}, Phases: []Phase{"Design", "Build"},
		Account:      zohohub.Lookup{ID: "3652397000000624046"},
		Manager:      zohohub.User{ID: "5725767000000411001"},
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
	f := newFakeCRM(t)
	c := f.client(t)
	rs := zohohub.Records[tProject](c)
	p := fullProject()
	if err := rs.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	body := string(f.takeRequests()[0].Body)
	for _, want := range []string{`"EAN_Code":"9007199254740993"`, `"Kick_Off":"2024-02-01T00:30:00+05:30"`,
		`"Start_Date":"2024-01-31"`, `"Account":{"id":"3652397000000624046"}`, `"Manager":{"id":"5725767000000411001"}`,
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
	assertSameProject(t, got, p)
	if name, off := got.KickOff.Zone(); off != 5*3600+1800 {
		t.Errorf("Kick_Off zone %s %d, want +05:30", name, off)
	}
	if got.KickOff.UTC().Day() != 31 {
		t.Errorf("Kick_Off in UTC = %v", got.KickOff.UTC())
	}

	// Clear everything: non-pointer zero values go out as null (false as
	// false), pointers as what they point to.
	*got = tProject{Model: got.Model}
	got.Rating, got.Note = nil, new("")
	if err := rs.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	body = string(f.takeRequests()[1].Body)
	for _, want := range []string{`"Name":null`, `"Budget":null`, `"EAN_Code":null`, `"Active":false`, `"Start_Date":null`,
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
	want := &tProject{Note: new("")}
	assertSameProject(t, cleared, want)
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
	f := newFakeCRM(t)
	c := f.client(t)
	// A record as Zoho writes it: a bigint beyond 2^53 as a string, a user
	// lookup with email, file details, a subform with ids, nulls.
	f.put("Projects", "42", map[string]any{
		"Name": "Zoho", "EAN_Code": "1234567890123456789", "Headcount": 12, "Budget": 10.25,
		"Kick_Off": "2017-08-16T14:32:23+05:30", "Start_Date": "2017-08-16",
		"Manager":    map[string]any{"name": "Pat", "id": "1", "email": "p@example.com"},
		"Account":    map[string]any{"name": "Zylker", "id": "2"},
		"Documents":  []any{map[string]any{"File_Name__s": "a.pdf", "Size__s": "12", "id": "77", "File_Id__s": "zfs"}},
		"Milestones": []any{map[string]any{"id": "9", "Title": "T", "Due": nil, "Done": false, "Parent_Id": map[string]any{"id": "42"}}},
		"Tags_Multi": []any{}, "Phases": nil, "Rating": nil, "Record_Status__s": "Available", "Live_CCJs": 0,
		"Widget_Data": map[string]any{"any": "thing"}, "$approved": true,
	})
	rs := zohohub.Records[tProject](c)
	p, err := rs.Find(ctx, "42")
	if err != nil {
		t.Fatal(err)
	}
	if p.EAN != 1234567890123456789 || p.Headcount != 12 || p.Budget != 10.25 {
		t.Errorf("numbers: %d %d %v", p.EAN, p.Headcount, p.Budget)
	}
	if p.Manager != (zohohub.User{ID: "1", Name: "Pat", Email: "p@example.com"}) || p.Account != (zohohub.Lookup{ID: "2", Name: "Zylker"}) {
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
	f.takeRequests()
	if err := rs.Save(ctx, p); err != nil || len(f.takeRequests()) != 0 {
		t.Fatalf("save of an unchanged record: %v", err)
	}
	p.Milestones[0].Done = true
	if err := rs.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if body := string(f.takeRequests()[0].Body); body != `{"data":[{"id":"42","Milestones":[{"id":"9","Title":"T","Due":null,"Done":true}]}]}` {
		t.Errorf("subform update body %s", body)
	}
}

func TestDecodeErrorsAreClear(t *testing.T) {
	ctx := context.Background()
	f := newFakeCRM(t)
	c := f.client(t)
	rs := zohohub.Records[tProject](c)
	cases := map[string]any{
		"Headcount":  "twelve",
		"EAN_Code":   "99999999999999999999",
		"Start_Date": "31/01/2024",
		"Kick_Off":   "yesterday",
		"Account":    "not an object",
		"Tags_Multi": "not an array",
		"Active":     "maybe",
	}
	for field, v := range cases {
		f.put("Projects", "1", map[string]any{field: v})
		_, err := rs.Find(ctx, "1")
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
