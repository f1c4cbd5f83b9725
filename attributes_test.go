package zohohub_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

type noModule struct {
	zohohub.Model
	Name string `zoho:"Name"`
}

type twoFields struct {
	zohohub.Model
	A string `zoho:"Same"`
	B string `zoho:"Same"`
}

func (twoFields) ZohoModule() string { return "Leads" }

type noModel struct {
	Name string `zoho:"Name"`
}

func (noModel) ZohoModule() string { return "Leads" }

type badTag struct {
	zohohub.Model
	A string `zoho:"A,writeonce"`
}

func (badTag) ZohoModule() string { return "Leads" }

type badName struct {
	zohohub.Model
	A string `zoho:"Has Space"`
}

func (badName) ZohoModule() string { return "Leads" }

type badTranslation struct {
	zohohub.Model
	A string
}

func (badTranslation) ZohoModule() string { return "Leads" }
func (badTranslation) ZohoTranslation() map[string]string {
	return map[string]string{"Missing": "X"}
}

type chanField struct {
	zohohub.Model
	C chan int
}

func (chanField) ZohoModule() string { return "Leads" }

type embeddedPointer struct {
	*tAccount
}

// outer wins: Phone is mapped by tAccount and by the outer type.
type outerWins struct {
	tAccount
	MobilePhone string `zoho:"Phone"`
}

func TestBadRecordTypes(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	check := func(name string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, want)
		}
	}
	check("no module", zohohub.Records[noModule](c).Err(), "has no module")
	check("two fields", zohohub.Records[twoFields](c).Err(), `fields A and B both map to API name "Same"`)
	check("no Model", zohohub.Records[noModel](c).Err(), "does not embed zohohub.Model")
	check("pointer type", zohohub.Records[*tAccount](c).Err(), "is a pointer")
	check("not a struct", zohohub.Records[string](c).Err(), "not a struct")
	check("bad tag", zohohub.Records[badTag](c).Err(), `unknown zoho tag option "writeonce"`)
	check("bad name", zohohub.Records[badName](c).Err(), `"Has Space" is not a Zoho API name`)
	check("bad translation", zohohub.Records[badTranslation](c).Err(), "names field Missing")
	check("chan", zohohub.Records[chanField](c).Err(), "cannot hold a Zoho field value")
	check("embedded pointer", zohohub.Records[embeddedPointer](c).Err(), "embed")

	// Every method says so, and sends nothing.
	rs := zohohub.Records[noModule](c)
	_, err := rs.Find(ctx, "1")
	check("Find", err, "has no module")
	check("Save", rs.Save(ctx, &noModule{}), "has no module")
	_, err = rs.SaveAll(ctx, []*noModule{{}})
	check("SaveAll", err, "has no module")
	if reqs := sent(srv); len(reqs) != 0 {
		t.Fatalf("sent %d requests", len(reqs))
	}
	// The answer is cached per client, and the same.
	if zohohub.Records[noModule](c).Err().Error() != rs.Err().Error() {
		t.Fatal("cached error differs")
	}
}

func TestOuterFieldWins(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	id := seed(t, srv, "Accounts", map[string]any{"Phone": "555", "Account_Name": "A"})[0]
	rs := zohohub.Records[outerWins](c)
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	o, err := rs.Find(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.MobilePhone != "555" || o.tAccount.Phone != "" || o.AccountName != "A" {
		t.Fatalf("outer field did not win: %+v", o)
	}
	if rs.Module() != "Accounts" {
		t.Fatalf("module %q not promoted", rs.Module())
	}
}
