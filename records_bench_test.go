package zohohub_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// benchAccount has the fields of Zoho's standard Accounts module, as the
// generated modules.Account does.
type benchAccount struct {
	zohohub.Model
	AccountName      string           `zoho:"Account_Name"`
	AccountNumber    string           `zoho:"Account_Number"`
	AccountSite      string           `zoho:"Account_Site"`
	AccountType      string           `zoho:"Account_Type"`
	Industry         string           `zoho:"Industry"`
	AnnualRevenue    float64          `zoho:"Annual_Revenue"`
	Employees        int              `zoho:"Employees"`
	Ownership        string           `zoho:"Ownership"`
	ParentAccount    zohohub.Lookup   `zoho:"Parent_Account"`
	Phone            string           `zoho:"Phone"`
	Fax              string           `zoho:"Fax"`
	Website          string           `zoho:"Website"`
	Rating           string           `zoho:"Rating"`
	SICCode          int              `zoho:"SIC_Code"`
	TickerSymbol     string           `zoho:"Ticker_Symbol"`
	BillingStreet    string           `zoho:"Billing_Street"`
	BillingCity      string           `zoho:"Billing_City"`
	BillingState     string           `zoho:"Billing_State"`
	BillingCode      string           `zoho:"Billing_Code"`
	BillingCountry   string           `zoho:"Billing_Country"`
	ShippingStreet   string           `zoho:"Shipping_Street"`
	ShippingCity     string           `zoho:"Shipping_City"`
	ShippingState    string           `zoho:"Shipping_State"`
	ShippingCode     string           `zoho:"Shipping_Code"`
	ShippingCountry  string           `zoho:"Shipping_Country"`
	Description      string           `zoho:"Description"`
	Layout           zohohub.Lookup   `zoho:"Layout"`
	LastActivityTime time.Time        `zoho:"Last_Activity_Time"`
	Locked           bool             `zoho:"Locked__s"`
	RecordStatus     string           `zoho:"Record_Status__s"`
	Tag              []zohohub.Record `zoho:"Tag"`
}

func (benchAccount) ZohoModule() string { return "Accounts" }

// plainAccount is the same record for encoding/json.
type plainAccount struct {
	ID               string           `json:"id"`
	Owner            zohohub.User     `json:"Owner"`
	CreatedBy        zohohub.User     `json:"Created_By"`
	ModifiedBy       zohohub.User     `json:"Modified_By"`
	CreatedTime      time.Time        `json:"Created_Time"`
	ModifiedTime     time.Time        `json:"Modified_Time"`
	AccountName      string           `json:"Account_Name"`
	AccountNumber    string           `json:"Account_Number"`
	AccountSite      string           `json:"Account_Site"`
	AccountType      string           `json:"Account_Type"`
	Industry         string           `json:"Industry"`
	AnnualRevenue    float64          `json:"Annual_Revenue"`
	Employees        int              `json:"Employees"`
	Ownership        string           `json:"Ownership"`
	ParentAccount    zohohub.Lookup   `json:"Parent_Account"`
	Phone            string           `json:"Phone"`
	Fax              string           `json:"Fax"`
	Website          string           `json:"Website"`
	Rating           string           `json:"Rating"`
	SICCode          int              `json:"SIC_Code"`
	TickerSymbol     string           `json:"Ticker_Symbol"`
	BillingStreet    string           `json:"Billing_Street"`
	BillingCity      string           `json:"Billing_City"`
	BillingState     string           `json:"Billing_State"`
	BillingCode      string           `json:"Billing_Code"`
	BillingCountry   string           `json:"Billing_Country"`
	ShippingStreet   string           `json:"Shipping_Street"`
	ShippingCity     string           `json:"Shipping_City"`
	ShippingState    string           `json:"Shipping_State"`
	ShippingCode     string           `json:"Shipping_Code"`
	ShippingCountry  string           `json:"Shipping_Country"`
	Description      string           `json:"Description"`
	Layout           zohohub.Lookup   `json:"Layout"`
	LastActivityTime time.Time        `json:"Last_Activity_Time"`
	Locked           bool             `json:"Locked__s"`
	RecordStatus     string           `json:"Record_Status__s"`
	Tag              []zohohub.Record `json:"Tag"`
}

// accountsPage is a 200-record page shaped like Zoho's answer, including
// system keys neither struct maps.
func accountsPage() []byte {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"Owner":{"name":"Patricia Boyle","id":"5725767000000411001","email":"p.boyle@zylker.com"},
"$currency_symbol":"$","$field_states":null,"Ownership":"Public","$review_process":{"approve":false,"reject":false,"resubmit":false},
"Description":"Key account number %d. Renewal due in Q3; contact procurement before the end of the month.",
"$sharing_permission":"full_access","Account_Type":"Customer","Rating":"Active","$process_flow":false,
"Billing_Country":"United States","$locked_for_me":false,"id":"57257670000005%05d","$approved":true,"$approval":{"delegate":false,"approve":false,"reject":false,"resubmit":false},
"Modified_Time":"2024-05-10T01:10:47-07:00","Billing_Street":"%d Main Street","Website":"https://www.zylker%d.com","Created_Time":"2023-01-15T09:30:00-07:00",
"$editable":true,"Billing_Code":"94105","Shipping_Country":"United States","Shipping_State":"CA","Shipping_Street":"1 Dock Road","Shipping_Code":"94107",
"Parent_Account":{"name":"Zylker Holdings","id":"5725767000000500001"},"Layout":{"name":"Standard","id":"5725767000000091055"},
"Ticker_Symbol":"ZYLK","Created_By":{"name":"Patricia Boyle","id":"5725767000000411001","email":"p.boyle@zylker.com"},
"Modified_By":{"name":"Patricia Boyle","id":"5725767000000411001","email":"p.boyle@zylker.com"},"Billing_State":"CA",
"Industry":"Technology","Employees":%d,"Annual_Revenue":%d.5,"Account_Number":"ACC-%d","Account_Site":"HQ","Phone":"+1 555 %04d",
"Fax":null,"SIC_Code":7372,"Billing_City":"San Francisco","Shipping_City":"San Francisco","Last_Activity_Time":"2024-05-01T12:00:00+05:30",
"Locked__s":false,"Record_Status__s":"Available","Tag":[{"name":"vip","id":"5725767000000600001","color_code":"#F48435"}],
"$in_merge":false,"$approval_state":"approved","Account_Name":"Zylker %d"}`, i, i, i, i, i*10, i*1000, i, i, i)
	}
	b.WriteString(`],"info":{"per_page":200,"count":200,"page":1,"more_records":true}}`)
	return []byte(b.String())
}

func BenchmarkDecodeAccountsPage(b *testing.B) {
	page := accountsPage()
	c, err := zohohub.New(zohohub.WithTokenSource(auth.StaticToken("x")))
	if err != nil {
		b.Fatal(err)
	}
	rs := zohohub.Records[benchAccount](c)
	b.Run("zohohub", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			recs, err := rs.Decode(page)
			if err != nil || len(recs) != 200 {
				b.Fatal(err, len(recs))
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var out struct {
				Data []*plainAccount `json:"data"`
				Info json.RawMessage `json:"info"`
			}
			if err := json.Unmarshal(page, &out); err != nil || len(out.Data) != 200 {
				b.Fatal(err)
			}
		}
	})
}

// TestBenchPageDecodesLikeEncodingJSON keeps the benchmark honest: both
// sides decode the same values.
func TestBenchPageDecodesLikeEncodingJSON(t *testing.T) {
	page := accountsPage()
	c, err := zohohub.New(zohohub.WithTokenSource(auth.StaticToken("x")))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := zohohub.Records[benchAccount](c).Decode(page)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data []*plainAccount `json:"data"`
	}
	if err := json.Unmarshal(page, &out); err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		p := out.Data[i]
		if r.ID != p.ID || r.AccountName != p.AccountName || r.Owner != p.Owner || r.ParentAccount != p.ParentAccount ||
			!r.LastActivityTime.Equal(p.LastActivityTime) || r.AnnualRevenue != p.AnnualRevenue || r.Employees != p.Employees ||
			r.Description != p.Description || len(r.Tag) != len(p.Tag) || r.Phone != p.Phone {
			t.Fatalf("record %d differs:\n%+v\n%+v", i, r, p)
		}
		if _, ok := r.Get("$approval_state"); !ok {
			t.Fatalf("record %d lost its unmapped fields", i)
		}
	}
}
