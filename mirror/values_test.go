package mirror

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestBulkReadCellsAndJSONGiveOneRow: a value read through the records
// API (typed JSON) and through Bulk Read (a text cell) is one parameter.
func TestBulkReadCellsAndJSONGiveOneRow(t *testing.T) {
	ist := time.FixedZone("", 5*3600+1800)
	for _, tc := range []struct {
		col        column
		json, cell string
		want       any
	}{
		{column{Kind: kindText}, `"Doe, \"Jo\""`, `"Doe, \"Jo\""`, `Doe, "Jo"`},
		{column{Kind: kindInt}, `42`, `"42"`, int64(42)},
		{column{Kind: kindBigint}, `"900719925474099301"`, `"900719925474099301"`, int64(900719925474099301)},
		{column{Kind: kindDouble}, `0.125`, `"0.125"`, 0.125},
		{column{Kind: kindNumeric}, `250000.9`, `"250000.9"`, "250000.9"},
		{column{Kind: kindBool}, `false`, `"false"`, false},
		{column{Kind: kindDate}, `"2024-02-29"`, `"2024-02-29"`, "2024-02-29"},
		{column{Kind: kindTimestamp}, `"2024-03-01T09:30:00+05:30"`, `"2024-03-01T09:30:00+05:30"`, time.Date(2024, 3, 1, 9, 30, 0, 0, ist).UTC()},
		{column{Kind: kindTextList}, `["Alpha","Gamma"]`, `"Alpha;Gamma"`, []string{"Alpha", "Gamma"}},
		{column{Kind: kindTextList}, `[]`, `""`, nil},
		{column{Kind: kindJSON}, `[{"id":"1","File_Name__s":"a.pdf"}]`, `"[{\"id\":\"1\",\"File_Name__s\":\"a.pdf\"}]"`, `[{"id":"1","File_Name__s":"a.pdf"}]`},
		{column{Kind: kindJSON}, `[]`, `""`, nil},
		{column{Kind: kindInt}, `null`, `""`, nil},
		{column{Kind: kindBigint, part: partID}, `{"id":"5725767000000220979","name":"Jane Roe"}`, `"5725767000000220979"`, int64(5725767000000220979)},
	} {
		tc.col.field = "F"
		api := source{fields: map[string]json.RawMessage{"F": json.RawMessage(tc.json)}}
		bulk := source{fields: map[string]json.RawMessage{"F": json.RawMessage(tc.cell)}, bulk: true}
		for name, src := range map[string]source{"json": api, "bulk": bulk} {
			got, err := src.value(tc.col, "", postgres{})
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s %s %s: %#v, %v; want %#v", tc.col.Kind, name, map[string]string{"json": tc.json, "bulk": tc.cell}[name], got, err, tc.want)
			}
		}
	}
}

func TestNamesOfLookupsAndUsers(t *testing.T) {
	name := column{field: "Account", Kind: kindText, part: partName}
	user := column{field: "Owner", Kind: kindText, part: partName, user: true}
	api := source{fields: map[string]json.RawMessage{"Account": json.RawMessage(`{"id":"1","name":"Zylker"}`), "Owner": json.RawMessage(`{"id":"7","name":"Jane"}`)}}
	bulk := source{bulk: true, users: map[string]string{"7": "Jane"}, fields: map[string]json.RawMessage{
		"Account": json.RawMessage(`"1"`), "Account.Account_Name": json.RawMessage(`"Zylker"`), "Owner": json.RawMessage(`{"id":"7"}`)}}
	for _, src := range []source{api, bulk} {
		if got, _ := src.value(name, "Account.Account_Name", postgres{}); got != "Zylker" {
			t.Errorf("lookup name %v (bulk %v)", got, src.bulk)
		}
		if got, _ := src.value(user, "", postgres{}); got != "Jane" {
			t.Errorf("user name %v (bulk %v)", got, src.bulk)
		}
	}
	mod := column{field: "What_Id", Kind: kindText, part: partModule}
	se := source{fields: map[string]json.RawMessage{"What_Id": json.RawMessage(`{"id":"1","name":"x"}`), "$se_module": json.RawMessage(`"Deals"`)}}
	if got, _ := se.value(mod, "", postgres{}); got != "Deals" {
		t.Errorf("module of a multi-module lookup: %v", got)
	}
}

func TestValuesThatDoNotFitAreErrors(t *testing.T) {
	for _, tc := range []struct {
		k   kind
		raw string
	}{
		{kindInt, `"12a"`}, {kindInt, `1.5`}, {kindInt, `3000000000`}, {kindBigint, `{"id":"1"}`},
		{kindDouble, `"NaN"`}, {kindDouble, `"1e999x"`}, {kindNumeric, `"Infinity"`}, {kindNumeric, `[1]`},
		{kindBool, `"yes"`}, {kindDate, `"2024-02-30"`}, {kindDate, `20240229`},
		{kindTimestamp, `"2024-03-01 09:30"`}, {kindTextList, `{"a":1}`},
	} {
		src := source{fields: map[string]json.RawMessage{"F": json.RawMessage(tc.raw)}}
		if got, err := src.value(column{Kind: tc.k, field: "F"}, "", postgres{}); err == nil {
			t.Errorf("%s %s: %#v, want an error", tc.k, tc.raw, got)
		} else if strings.Contains(err.Error(), "%!") {
			t.Errorf("error %q", err)
		}
	}
	for _, id := range []string{"", "0", "012", "+12", "12345678901234567890", "1/2"} {
		if _, err := parseID(id); err == nil {
			t.Errorf("parseID(%q) is no error", id)
		}
	}
}

func TestMySQLListsAreJSON(t *testing.T) {
	v, err := mysqlDialect{}.listValue([]string{"a", `b"c`})
	if err != nil || v != `["a","b\"c"]` {
		t.Fatalf("%#v, %v", v, err)
	}
}
