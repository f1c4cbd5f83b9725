package gen

import (
	"go/token"
	"testing"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, field, value string }{
		{"Account_Name", "AccountName", "AccountName"},
		{"SIC_Code", "SICCode", "SICCode"},
		{"Skype_ID", "SkypeID", "SkypeID"},
		{"Website_URL", "WebsiteURL", "WebsiteURL"},
		{"Email_1", "Email1", "Email1"},
		{"Budget__c", "Budget", "BudgetC"},
		{"Record_Status__s", "RecordStatus", "RecordStatusS"},
		{"type", "Type", "Type"},
		{"func", "Func", "Func"},
		{"1st_Choice", "F1stChoice", "1stChoice"},
		{"ASP (Application Service Provider)", "ASPApplicationServiceProvider", "ASPApplicationServiceProvider"},
		{"Data/Telecom OEM", "DataTelecomOEM", "DataTelecomOEM"},
		{"-None-", "None", "None"},
		{"Ümlaut Straße", "UmlautStrasse", "UmlautStrasse"},
		{"日本", "U65E5U672C", "U65E5U672C"},
		{"A&B", "AAndB", "AAndB"},
		{"50%", "F50Percent", "50Percent"},
		{"?", "", "U003F"},
		{"", "", "Empty"},
	} {
		checkName(t, "fieldGoName", fieldGoName, tc.in, tc.field)
		checkName(t, "valueGoName", valueGoName, tc.in, tc.value)
	}
	for _, tc := range []struct{ module, typ, file string }{
		{"Accounts", "Account", "account.go"},
		{"Activities", "Activity", "activity.go"},
		{"Addresses", "Address", "address.go"},
		{"Sales_Orders", "SalesOrder", "sales_order.go"},
		{"Price_Books", "PriceBook", "price_book.go"},
		{"Projects__c", "Project", "project.go"},
		{"Cases", "Case", "case.go"},
		{"Status", "Status", "status.go"},
		{"Analysis", "Analysis", "analysis.go"},
		{"Server_Linux", "ServerLinux", "server_linux_module.go"},
		{"Unit_Tests", "UnitTest", "unit_test_module.go"},
	} {
		checkName(t, "typeGoName", typeGoName, tc.module, tc.typ)
		checkName(t, "fileName", fileName, tc.module, tc.file)
	}
}

// checkName reports a name function (called name) that does not make want
// of in.
func checkName(t *testing.T, name string, f func(string) string, in, want string) {
	t.Helper()
	if got := f(in); got != want {
		t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
	}
}

// FuzzNames checks that every name the generator makes is an exported Go
// identifier (or empty, which the generator reports as an error).
func FuzzNames(f *testing.F) {
	for _, s := range []string{"Account_Name", "ÄÖÜ", "1st", "-None-", "__c", "a__c__s", "日本語 text", "x\u0301y", "_1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n := fieldGoName(s); n != "" && (!token.IsIdentifier(n) || !token.IsExported(n)) {
			t.Errorf("fieldGoName(%q) = %q, not an exported identifier", s, n)
		}
		if n := "T" + valueGoName(s); !token.IsIdentifier(n) {
			t.Errorf("valueGoName(%q) = %q, not an identifier suffix", s, n)
		}
		if n := typeGoName(s); n != "" && (!token.IsIdentifier(n) || !token.IsExported(n)) {
			t.Errorf("typeGoName(%q) = %q, not an exported identifier", s, n)
		}
	})
}
