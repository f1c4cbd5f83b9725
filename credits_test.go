package zohohub_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// The emulator charges what Zoho charges (2 for deleted records, 1 for a
// list, 1 per 10 records written), reports the credits left once half of
// them are spent, and answers 429 when they run out; the client keeps the
// last report.
func TestCreditsReportedOnceHalfSpent(t *testing.T) {
	srv := zohotest.New(t, zohotest.WithCredits(20))
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list := &zohohub.Request{Path: "Leads", Query: url.Values{"fields": {"Last_Name"}}}
	for range 4 {
		if _, err := c.Do(ctx, &zohohub.Request{Path: "Leads/deleted"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Do(ctx, &zohohub.Request{Method: "POST", Path: "Leads", Body: []byte(`{"data":[` +
		`{"Last_Name":"a"},{"Last_Name":"b"},{"Last_Name":"c"},{"Last_Name":"d"},{"Last_Name":"e"},{"Last_Name":"f"},` +
		`{"Last_Name":"g"},{"Last_Name":"h"},{"Last_Name":"i"},{"Last_Name":"j"},{"Last_Name":"k"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if n := srv.CreditsSpent(); n != 10 {
		t.Fatalf("the emulator charged %d credits for 4 deleted-records calls and a write of 11 records, want 8+2", n)
	}
	if cr, ok := c.Credits(); ok {
		t.Fatalf("credits %+v reported with half of them spent; Zoho reports them beyond half", cr)
	}
	if _, err := c.Do(ctx, list); err != nil {
		t.Fatal(err)
	}
	cr, ok := c.Credits()
	if !ok || cr.Remaining != 9 || cr.At.IsZero() {
		t.Fatalf("credits %+v, %v after 11 of 20 spent; want 9 left", cr, ok)
	}
	for range 9 {
		if _, err := c.Do(ctx, list); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.Do(ctx, list)
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || apiErr.Code != "TOO_MANY_REQUESTS" {
		t.Fatalf("a call beyond the allowance: %v, want 429 TOO_MANY_REQUESTS", err)
	}
	if cr, _ := c.Credits(); cr.Remaining != 0 || srv.CreditsSpent() != 20 {
		t.Fatalf("credits %+v, spent %d; want 0 left of 20, the refused call not charged", cr, srv.CreditsSpent())
	}
}
