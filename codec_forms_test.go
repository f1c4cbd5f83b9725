package zohohub

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// everyForm has a field of each kind of Go type codecFor knows.
type everyForm struct {
	Model    `zoho:",module=Leads"`
	Text     string            `zoho:"Text"`
	Named    namedText         `zoho:"Named"`
	Flag     bool              `zoho:"Flag"`
	Int      int               `zoho:"Int"`
	Big      int64             `zoho:"Big"`
	Uint     uint32            `zoho:"Uint"`
	Float    float64           `zoho:"Float,decimals=2"`
	Dec      Decimal           `zoho:"Dec,decimals=2"`
	Time     time.Time         `zoho:"Time"`
	Day      Date              `zoho:"Day"`
	Ref      Lookup            `zoho:"Ref"`
	Who      User              `zoho:"Who"`
	Files    []File            `zoho:"Files"`
	Raw      json.RawMessage   `zoho:"Raw"`
	Map      map[string]string `zoho:"Map"`
	Any      any               `zoho:"Any"`
	Ptr      *Decimal          `zoho:"Ptr"`
	Picks    []namedText       `zoho:"Picks"`
	Rows     []formRow         `zoho:"Rows"`
	Records  []Record          `zoho:"Records"`
	Fixed    [2]int            `zoho:"Fixed"`
	Marshals jsonText          `zoho:"Marshals"`
}

type namedText string

type formRow struct {
	ID   string `zoho:"id"`
	Note string `zoho:"Note"`
}

type jsonText struct{ s string }

func (j jsonText) MarshalJSON() ([]byte, error) { return json.Marshal(j.s) }

// Every codec has every form: the JSON form, the CSV-cell form and the Go
// form (convert may be nil: only assignable values fit). A new form is a
// new function here, checked for every type at once.
func TestEveryCodecHasEveryForm(t *testing.T) {
	info, err := inspectRecordType(reflect.TypeFor[everyForm]())
	if err != nil {
		t.Fatal(err)
	}
	var check func(name string, c *codec)
	check = func(name string, c *codec) {
		if c.decode == nil || c.encode == nil || c.isZero == nil || c.cell == nil || c.writeCell == nil {
			t.Errorf("%s: codec lacks a form: %+v", name, c)
		}
	}
	for _, f := range info.fields {
		check(f.goName, f.codec)
	}
	if n := len(info.fields); n != reflect.TypeFor[everyForm]().NumField()-1+6 {
		t.Errorf("%d fields mapped", n)
	}
}
