package zohohub

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/zohohub/zohohub/auth"
)

// encodeLead has the writable text fields of Zoho's standard Leads module,
// as the generated modules.Lead does (modules cannot be imported here).
type encodeLead struct {
	Model
	City          string `zoho:"City"`
	Company       string `zoho:"Company"`
	Description   string `zoho:"Description"`
	Email         string `zoho:"Email"`
	EmailOptOut   bool   `zoho:"Email_Opt_Out"`
	FirstName     string `zoho:"First_Name"`
	LastName      string `zoho:"Last_Name"`
	Mobile        string `zoho:"Mobile"`
	NoOfEmployees int    `zoho:"No_of_Employees"`
	Phone         string `zoho:"Phone"`
	State         string `zoho:"State"`
	Street        string `zoho:"Street"`
	Website       string `zoho:"Website"`
	ZipCode       string `zoho:"Zip_Code"`
}

func (encodeLead) ZohoModule() string { return "Leads" }

// plainEncodeLead is the same record for encoding/json.
type plainEncodeLead struct {
	ID            string `json:"id,omitempty"`
	City          string `json:"City,omitempty"`
	Company       string `json:"Company,omitempty"`
	Description   string `json:"Description,omitempty"`
	Email         string `json:"Email,omitempty"`
	EmailOptOut   bool   `json:"Email_Opt_Out"`
	FirstName     string `json:"First_Name,omitempty"`
	LastName      string `json:"Last_Name,omitempty"`
	Mobile        string `json:"Mobile,omitempty"`
	NoOfEmployees int    `json:"No_of_Employees,omitempty"`
	Phone         string `json:"Phone,omitempty"`
	State         string `json:"State,omitempty"`
	Street        string `json:"Street,omitempty"`
	Website       string `json:"Website,omitempty"`
	ZipCode       string `json:"Zip_Code,omitempty"`
}

func encodeLeads(n int) ([]*encodeLead, []*plainEncodeLead) {
	recs := make([]*encodeLead, n)
	plain := make([]*plainEncodeLead, n)
	for i := range n {
		p := &plainEncodeLead{City: "Berlin", Company: fmt.Sprintf("Acme %d", i), Description: "Met at the fair; wants a demo in May.",
			Email: fmt.Sprintf("jane.%d@example.com", i), FirstName: "Jane", LastName: fmt.Sprintf("Doe %d", i), Mobile: "+49 170 1234567",
			NoOfEmployees: 10 + i, Phone: "+49 30 1234567", State: "Berlin", Street: "Unter den Linden 1", Website: "https://acme.example", ZipCode: "10117"}
		plain[i] = p
		recs[i] = &encodeLead{City: p.City, Company: p.Company, Description: p.Description, Email: p.Email, FirstName: p.FirstName,
			LastName: p.LastName, Mobile: p.Mobile, NoOfEmployees: p.NoOfEmployees, Phone: p.Phone, State: p.State, Street: p.Street,
			Website: p.Website, ZipCode: p.ZipCode}
	}
	return recs, plain
}

// BenchmarkEncodeInsertBody encodes the body of a 100-record insert: each
// record's non-empty writable fields, then the request body, as SaveAll
// does; against encoding/json marshalling the same records.
func BenchmarkEncodeInsertBody(b *testing.B) {
	c, err := New(WithTokenSource(auth.StaticToken("x")))
	if err != nil {
		b.Fatal(err)
	}
	rs := Records[encodeLead](c)
	recs, plain := encodeLeads(100)
	b.Run("zohohub", func(b *testing.B) {
		b.ReportAllocs()
		size := 0
		for b.Loop() {
			// As writeAll does: the objects one after the other in one
			// buffer, sized after the previous request's, each an exact
			// slice of it (the record's snapshot), and the body ended in
			// place.
			objs := make([][]byte, len(recs))
			buf := make([]byte, 0, size+size/8)
			for i, r := range recs {
				w := nextObject(&buf, i)
				start := len(w)
				var err error
				if buf, err = rs.appendInsertJSON(w, r, &r.Model); err != nil {
					b.Fatal(err)
				}
				objs[i] = buf[start:len(buf):len(buf)]
			}
			size = len(buf)
			_ = appendWriteTail(buf, nil, nil)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(struct {
				Data []*plainEncodeLead `json:"data"`
			}{plain}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEncodeDirtyUpdate encodes a 100-record update in which one
// field of each record changed since it was read: zohohub finds the
// changed field against the record's snapshot; the encoding/json side is
// told which field changed and marshals id and that field.
func BenchmarkEncodeDirtyUpdate(b *testing.B) {
	c, err := New(WithTokenSource(auth.StaticToken("x")))
	if err != nil {
		b.Fatal(err)
	}
	rs := Records[encodeLead](c)
	_, plain := encodeLeads(100)
	for i, p := range plain {
		p.ID = fmt.Sprintf("57257670000010%05d", i)
	}
	page, err := json.Marshal(struct {
		Data []*plainEncodeLead `json:"data"`
	}{plain})
	if err != nil {
		b.Fatal(err)
	}
	recs, err := rs.Decode(page)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range recs {
		r.City = "Hamburg"
	}
	type cityUpdate struct {
		ID   string `json:"id"`
		City string `json:"City"`
	}
	b.Run("zohohub", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// As writeAll does (see BenchmarkEncodeInsertBody), the
			// buffer as large as the last request's.
			objs := make([][]byte, len(recs))
			buf := make([]byte, 0, rs.info.updateBody.Load())
			for i, r := range recs {
				w := nextObject(&buf, i)
				start := len(w)
				var changed bool
				var err error
				if buf, changed, err = rs.appendUpdateJSON(w, r, &r.Model); err != nil || !changed {
					b.Fatal(err, changed)
				}
				objs[i] = buf[start:len(buf):len(buf)]
			}
			rs.info.updateBody.Store(bodySizeHint(buf))
			_ = appendWriteTail(buf, nil, nil)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ups := make([]cityUpdate, len(plain))
			for i, p := range plain {
				ups[i] = cityUpdate{ID: p.ID, City: "Hamburg"}
			}
			if _, err := json.Marshal(struct {
				Data []cityUpdate `json:"data"`
			}{ups}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestEncodeBenchBodiesMatch keeps the encode benchmarks honest: both
// sides write the same members.
func TestEncodeBenchBodiesMatch(t *testing.T) {
	c, err := New(WithTokenSource(auth.StaticToken("x")))
	if err != nil {
		t.Fatal(err)
	}
	rs := Records[encodeLead](c)
	recs, plain := encodeLeads(1)
	obj, err := rs.insertJSON(recs[0], &recs[0].Model)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(obj, &got); err != nil {
		t.Fatal(err)
	}
	p, _ := json.Marshal(plain[0])
	if err := json.Unmarshal(p, &want); err != nil {
		t.Fatal(err)
	}
	delete(want, "Email_Opt_Out") // false is omitted on insert by zohohub
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("zohohub writes %v\nencoding/json %v", got, want)
	}
}
