package zohohub_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

// wide maps more fields than one request's fields parameter may name.
type wide struct {
	zohohub.Model
	F00 string `zoho:"Field_00"`
	F01 string `zoho:"Field_01"`
	F02 string `zoho:"Field_02"`
	F03 string `zoho:"Field_03"`
	F04 string `zoho:"Field_04"`
	F05 string `zoho:"Field_05"`
	F06 string `zoho:"Field_06"`
	F07 string `zoho:"Field_07"`
	F08 string `zoho:"Field_08"`
	F09 string `zoho:"Field_09"`
	F10 string `zoho:"Field_10"`
	F11 string `zoho:"Field_11"`
	F12 string `zoho:"Field_12"`
	F13 string `zoho:"Field_13"`
	F14 string `zoho:"Field_14"`
	F15 string `zoho:"Field_15"`
	F16 string `zoho:"Field_16"`
	F17 string `zoho:"Field_17"`
	F18 string `zoho:"Field_18"`
	F19 string `zoho:"Field_19"`
	F20 string `zoho:"Field_20"`
	F21 string `zoho:"Field_21"`
	F22 string `zoho:"Field_22"`
	F23 string `zoho:"Field_23"`
	F24 string `zoho:"Field_24"`
	F25 string `zoho:"Field_25"`
	F26 string `zoho:"Field_26"`
	F27 string `zoho:"Field_27"`
	F28 string `zoho:"Field_28"`
	F29 string `zoho:"Field_29"`
	F30 string `zoho:"Field_30"`
	F31 string `zoho:"Field_31"`
	F32 string `zoho:"Field_32"`
	F33 string `zoho:"Field_33"`
	F34 string `zoho:"Field_34"`
	F35 string `zoho:"Field_35"`
	F36 string `zoho:"Field_36"`
	F37 string `zoho:"Field_37"`
	F38 string `zoho:"Field_38"`
	F39 string `zoho:"Field_39"`
	F40 string `zoho:"Field_40"`
	F41 string `zoho:"Field_41"`
	F42 string `zoho:"Field_42"`
	F43 string `zoho:"Field_43"`
	F44 string `zoho:"Field_44"`
	F45 string `zoho:"Field_45"`
	F46 string `zoho:"Field_46"`
	F47 string `zoho:"Field_47"`
	F48 string `zoho:"Field_48"`
	F49 string `zoho:"Field_49"`
	F50 string `zoho:"Field_50"`
	F51 string `zoho:"Field_51"`
	F52 string `zoho:"Field_52"`
	F53 string `zoho:"Field_53"`
	F54 string `zoho:"Field_54"`
	F55 string `zoho:"Field_55"`
	F56 string `zoho:"Field_56"`
	F57 string `zoho:"Field_57"`
	F58 string `zoho:"Field_58"`
	F59 string `zoho:"Field_59"`
}

func (wide) ZohoModule() string { return "Deals" }

func TestFindManyMoreThan50Fields(t *testing.T) {
	ctx := context.Background()
	fields := []string{"Deals.Unmapped_X:text"}
	members := map[string]any{"Deal_Name": "D", "Stage": "Qualification", "Unmapped_X": "kept"}
	for i := range 60 {
		fields = append(fields, fmt.Sprintf("Deals.Field_%02d:text", i))
		members[fmt.Sprintf("Field_%02d", i)] = fmt.Sprint(i)
	}
	srv, c := emulatorClient(t, withFields(fields...)...)
	ids := seed(t, srv, "Deals", members, members)
	sent(srv)
	rs := zohohub.Records[wide](c)
	recs, err := rs.FindMany(ctx, ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != ids[1] || recs[1].ID != ids[0] {
		t.Fatalf("records %v", recs)
	}
	if recs[1].F00 != "0" || recs[1].F59 != "59" || recs[1].F44 != "44" {
		t.Fatalf("merge lost fields: %+v", recs[1])
	}
	// Only the fields asked for come back from a list read.
	if _, ok := recs[0].Get("Unmapped_X"); ok {
		t.Fatal("unrequested field returned")
	}
	// zohotest, as Zoho, refuses more than 50 fields in one request.
	reqs := sent(srv)
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (fields in two groups)", len(reqs))
	}
	asked := map[string]bool{}
	for _, r := range reqs {
		fields := strings.Split(url.Values(r.Query).Get("fields"), ",")
		if len(fields) > 50 {
			t.Fatalf("%d fields in one request", len(fields))
		}
		for _, f := range fields {
			asked[f] = true
		}
	}
	if !asked["Field_00"] || !asked["Field_59"] {
		t.Fatalf("fields asked for: %v", asked)
	}
	// Nothing changed after the merge: nothing to send.
	if err := rs.Save(ctx, recs[0]); err != nil || len(sent(srv)) != 0 {
		t.Fatalf("save after merge: %v", err)
	}
	recs[0].F55 = "x"
	if err := rs.Save(ctx, recs[0]); err != nil {
		t.Fatal(err)
	}
	if body := string(sent(srv)[0].Body); body != `{"data":[{"id":"`+ids[1]+`","Field_55":"x"}]}` {
		t.Fatalf("body %s", body)
	}
	// Same record twice in one batch: refused.
	if _, err := rs.SaveAll(ctx, []*wide{recs[0], recs[0]}); err == nil || !strings.Contains(err.Error(), "same record") {
		t.Fatalf("duplicate record: %v", err)
	}
}
