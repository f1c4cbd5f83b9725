package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zohohub/zohohub/persistence"
)

// SampleToken returns a token with every field set; n makes it distinct.
// Values include CSV-hostile characters to prove real quoting.
func SampleToken(user string, n int) *persistence.Token {
	return &persistence.Token{
		UserName:     user,
		ClientID:     "1000.CLIENT",
		ClientSecret: fmt.Sprintf("sec,ret\"%d", n),
		RefreshToken: fmt.Sprintf("1000.rt.%d", n),
		AccessToken:  fmt.Sprintf("1000.at.%d", n),
		GrantToken:   fmt.Sprintf("1000.gt\n%d", n),
		Expiry:       time.UnixMilli(1795341180470 + int64(n)),
		RedirectURL:  "http://localhost:8080/cb?a=1,b=2",
		APIDomain:    "https://www.zohoapis.eu",
	}
}

// EqualToken compares tokens, times by instant.
func EqualToken(t *testing.T, got, want *persistence.Token) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("token mismatch (-want +got):\n%s", diff)
	}
}

// SDKExampleToken is the example row of the official SDKs' token file
// (persistence/testdata/sdk_tokens.csv).
func SDKExampleToken() *persistence.Token {
	return &persistence.Token{
		ID: "1", UserName: "jane@example.com:333", ClientID: "cid", ClientSecret: "csec",
		RefreshToken: "RT-1", AccessToken: "AT-2", GrantToken: "GT-1",
		Expiry: time.UnixMilli(1795341180470), RedirectURL: "http://localhost/cb",
		APIDomain: "https://www.zohoapis.com",
	}
}
