package mirror_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/mirror"
	"github.com/zohohub/zohohub/zohotest"
)

// A pass's summary counts the credits its calls cost, as the emulator
// charges them (a Bulk Read job 50, deleted records 2, the rest 1 a call),
// and the credits left as Zoho reports them once half are spent.
func TestSummaryCountsCredits(t *testing.T) {
	const allowance = 2000
	srv := zohotest.New(t, zohotest.WithCredits(allowance))
	seedLeads(t, srv, 250, nil)
	e := postgresEngine(t)
	m, _, c := mirrorOf(t, srv, e, mirror.WithBulkThreshold(100))
	ctx := context.Background()
	sum, err := m.Sync(ctx, "Leads")
	if err != nil {
		t.Fatal(err)
	}
	spent := srv.CreditsSpent()
	if sum.Modules[0].Mode != mirror.ModeBulk || sum.Credits != spent || sum.Credits < 50+sum.Requests-1 || sum.Modules[0].Credits != sum.Credits {
		t.Fatalf("first pass: %d credits (module %d) in %d requests, mode %s; the emulator charged %d, a Bulk Read job alone 50",
			sum.Credits, sum.Modules[0].Credits, sum.Requests, sum.Modules[0].Mode, spent)
	}
	t.Logf("first pass: %d requests, %d credits", sum.Requests, sum.Credits)
	if sum.CreditsRemaining != nil {
		t.Fatalf("credits left %d reported with %d of %d spent", *sum.CreditsRemaining, spent, allowance)
	}
	for range allowance/2 - spent + 1 { // another process spends past half
		if _, err := c.Do(ctx, &zohohub.Request{Path: "org", Query: url.Values{}}); err != nil {
			t.Fatal(err)
		}
	}
	before := srv.CreditsSpent()
	sum, err = m.Sync(ctx, "Leads")
	if err != nil {
		t.Fatal(err)
	}
	after := srv.CreditsSpent()
	t.Logf("incremental pass: %d requests, %d credits, %d left", sum.Requests, sum.Credits, allowance-after)
	if sum.Modules[0].Mode != mirror.ModeIncremental || sum.Credits != after-before || sum.CreditsRemaining == nil || *sum.CreditsRemaining != allowance-after {
		t.Fatalf("incremental pass: %d credits, %v left; the emulator charged %d and has %d left", sum.Credits, sum.CreditsRemaining, after-before, allowance-after)
	}
}
