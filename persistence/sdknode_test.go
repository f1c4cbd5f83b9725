package persistence_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
)

// testdata/sdk_tokens_node.csv holds the bytes @zohocrm/nodejs-sdk-8.0
// 2.0.0's FileStore wrote after a grant exchange against zhemu, tokens
// replaced: no trailing newline, an empty redirect_url, "email:zgid" as
// user_name and a non-Zoho api_domain.
func TestFileNodeSDKRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sdk_tokens.txt")
	copyFixture(t, "sdk_tokens_node.csv", path)
	s, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "jane@example.com:700000000", ClientID: "1000.DUMMYCLIENT"}
	got, err := s.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualToken(t, got, &persistence.Token{
		ID: "1", UserName: key.UserName, ClientID: key.ClientID, ClientSecret: "dummy-secret",
		RefreshToken: "1000.dummyrefresh.node", AccessToken: "1000.dummyaccess.node",
		GrantToken: "1000.dummygrant.node", Expiry: time.UnixMilli(1795341180470),
		APIDomain: "http://127.0.0.1:8080",
	})

	// A refresh by zohohub replaces the SDK's row in place; a second user
	// gets the next id.
	got.AccessToken = "1000.newaccess.go"
	got.Expiry = time.UnixMilli(1795341999000)
	if err := s.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	bob := &persistence.Token{UserName: "bob@example.com", ClientID: key.ClientID, ClientSecret: "dummy-secret",
		RefreshToken: "1000.bob.refresh", AccessToken: "1000.bob.access", Expiry: time.UnixMilli(1795341999001),
		APIDomain: "http://127.0.0.1:8080"}
	if err := s.Save(ctx, bob); err != nil {
		t.Fatal(err)
	}

	// Read the file back the way the Node FileStore does: split on "\n",
	// skip rows with at most one field, split on "," with no unquoting, and
	// take the columns by position.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	if lines[0] != "id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain" {
		t.Fatalf("header = %q", lines[0])
	}
	var rows [][]string
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); len(f) > 1 {
			rows = append(rows, f)
		}
	}
	want := [][]string{
		{"1", key.UserName, key.ClientID, "dummy-secret", "1000.dummyrefresh.node", "1000.newaccess.go", "1000.dummygrant.node", "1795341999000", "", "http://127.0.0.1:8080"},
		{"2", "bob@example.com", key.ClientID, "dummy-secret", "1000.bob.refresh", "1000.bob.access", "", "1795341999001", "", "http://127.0.0.1:8080"},
	}
	if len(rows) != len(want) {
		t.Fatalf("Node would see %d rows, want %d:\n%s", len(rows), len(want), raw)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d as Node reads it = %q, want %q", i+1, rows[i], want[i])
		}
	}
	if strings.Contains(string(raw), "\r") {
		t.Error("file has CR line endings; Node would keep the CR in api_domain")
	}
}
