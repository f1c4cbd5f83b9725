package notifications_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/notifications"
	"github.com/zohohub/zohohub/zohotest"
)

// newAPI returns a client of srv.
func newAPI(t testing.TB, srv *zohotest.Server) *zohohub.Client {
	t.Helper()
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// receiver is a Handler served on a loopback port, whose events arrive on
// a channel.
func receiver(t *testing.T) (*notifications.Handler, string, chan notifications.Event) {
	t.Helper()
	events := make(chan notifications.Event, 16)
	h := notifications.NewHandler(func(_ context.Context, ev notifications.Event) { events <- ev })
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return h, hs.URL + "/zoho/notify", events
}

// next waits at most 2 s for an event.
func next(t *testing.T, events chan notifications.Event) notifications.Event {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(2 * time.Second):
		t.Fatal("no notification within 2 s")
		return notifications.Event{}
	}
}

// do sends a records API call and returns the id of its first item.
func do(t *testing.T, api *zohohub.Client, method, path, body string) string {
	t.Helper()
	var ans struct {
		Data []struct {
			Details struct {
				ID string `json:"id"`
			} `json:"details"`
		} `json:"data"`
	}
	req := &zohohub.Request{Method: method, Path: path}
	if body != "" {
		req.Body = []byte(body)
	}
	if _, err := api.DoJSON(context.Background(), req, &ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.Data) == 0 {
		t.Fatalf("%s %s: no data", method, path)
	}
	return ans.Data[0].Details.ID
}

// A create, an update and a delete in the emulator each reach the
// registered handler within 2 s, typed.
func TestWritesReachHandler(t *testing.T) {
	srv := zohotest.New(t)
	api := newAPI(t, srv)
	h, url, events := receiver(t)
	ch := notifications.Channel{ID: "1001", Events: []string{"Leads.all"}, NotifyURL: url, Token: "s3cret-token",
		ReturnAffectedFieldValues: true}
	h.Register(ch.ID, ch.Token)
	subs, err := notifications.NewClient(api).Enable(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Module != "Leads" || subs[0].ChannelID != "1001" || subs[0].Expiry.IsZero() {
		t.Fatalf("subscriptions %+v", subs)
	}
	id := do(t, api, "POST", "Leads", `{"data":[{"Last_Name":"Roe","Company":"Acme"}]}`)
	ev := next(t, events)
	if ev.Module != "Leads" || ev.Operation != notifications.Insert || !slices.Equal(ev.IDs, []string{id}) || ev.ChannelID != "1001" {
		t.Errorf("insert event %+v, want Leads insert of %s", ev, id)
	}
	do(t, api, "PUT", "Leads/"+id, `{"data":[{"Company":"Globex"}]}`)
	ev = next(t, events)
	if ev.Operation != notifications.Update || !slices.Equal(ev.AffectedFields[id], []string{"Company"}) ||
		string(ev.AffectedValues[id]["Company"]) != `"Globex"` {
		t.Errorf("update event %+v, want Company changed to Globex", ev)
	}
	do(t, api, "DELETE", "Leads/"+id, "")
	if ev = next(t, events); ev.Operation != notifications.Delete || !slices.Equal(ev.IDs, []string{id}) {
		t.Errorf("delete event %+v", ev)
	}
	// A module the channel does not watch sends nothing.
	do(t, api, "POST", "Accounts", `{"data":[{"Account_Name":"Initech"}]}`)
	select {
	case ev := <-events:
		t.Errorf("unwatched module notified: %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
}

// The client lists, renews, removes events from and disables channels;
// Zoho's refusals are APIErrors naming the channel's position.
func TestClientLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	nc := notifications.NewClient(newAPI(t, srv))
	ch := notifications.Channel{ID: "2002", Events: []string{"Leads.create", "Deals.edit"}, NotifyURL: "https://example.com/hook", Token: "t"}
	if _, err := nc.Enable(ctx, ch); err != nil {
		t.Fatal(err)
	}
	ws, err := nc.List(ctx, notifications.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Module != "Deals" || !slices.Equal(ws[0].Events, []string{"Deals.edit"}) || ws[1].Module != "Leads" {
		t.Fatalf("List = %+v", ws)
	}
	later := time.Now().Add(72 * time.Hour).Truncate(time.Second)
	ch.Expiry = later
	subs, err := nc.Update(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if !subs[0].Expiry.Equal(later) {
		t.Errorf("renewed expiry %v, want %v", subs[0].Expiry, later)
	}
	if _, err := nc.RemoveEvents(ctx, ch.ID, "Deals.edit"); err != nil {
		t.Fatal(err)
	}
	if ws, _ = nc.List(ctx, notifications.ListOptions{Module: "Deals"}); len(ws) != 0 {
		t.Errorf("Deals still watched: %+v", ws)
	}
	// More than a week ahead: refused by Zoho, channel 0 named.
	ch.Expiry = time.Now().Add(8 * 24 * time.Hour)
	_, err = nc.Update(ctx, ch)
	var apiErr *zohohub.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "INVALID_DATA" || apiErr.Index != 0 {
		t.Errorf("expiry beyond a week: %v, want INVALID_DATA of channel 0", err)
	}
	if err := nc.Disable(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if ws, err = nc.List(ctx, notifications.ListOptions{}); err != nil || len(ws) != 0 {
		t.Errorf("after Disable: %+v, %v", ws, err)
	}
	if err := nc.Disable(ctx, ch.ID); !notifications.IsNotSubscribed(err) {
		t.Errorf("disabling a disabled channel: %v, want NOT_SUBSCRIBED", err)
	}
	if _, err := nc.Update(ctx, notifications.Channel{ID: "9", Events: []string{"Leads.all"}, NotifyURL: "https://example.com"}); !notifications.IsNotSubscribed(err) {
		t.Errorf("updating an unknown channel: %v, want NOT_SUBSCRIBED", err)
	}
}

// Bad channels fail before a request is sent.
func TestChannelValidate(t *testing.T) {
	good := notifications.Channel{ID: "1", Events: []string{"Leads.all"}, NotifyURL: "https://example.com/n"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*notifications.Channel){
		"id not digits":  func(c *notifications.Channel) { c.ID = "abc" },
		"no events":      func(c *notifications.Channel) { c.Events = nil },
		"bad operation":  func(c *notifications.Channel) { c.Events = []string{"Leads.update"} },
		"no module":      func(c *notifications.Channel) { c.Events = []string{"all"} },
		"bad url":        func(c *notifications.Channel) { c.NotifyURL = "ftp://x" },
		"token too long": func(c *notifications.Channel) { c.Token = strings.Repeat("x", 51) },
	} {
		c := good
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The keeper renews the channel before it expires.
func TestKeeperRenewsBeforeExpiry(t *testing.T) {
	srv := zohotest.New(t)
	nc := notifications.NewClient(newAPI(t, srv))
	ch := notifications.Channel{ID: "3003", Events: []string{"Leads.all"}, NotifyURL: "https://example.com/n", Token: "t"}
	k, err := notifications.NewKeeper(nc, ch, notifications.WithLifetime(2*time.Second), notifications.WithRenewBefore(1500*time.Millisecond),
		notifications.WithErrorHandler(func(err error) { t.Error(err) }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- k.Run(ctx) }()
	time.Sleep(2500 * time.Millisecond) // beyond the first expiry
	if got := srv.WatchChannels(); !slices.Equal(got, []string{"3003"}) {
		t.Errorf("live channels %v after the first expiry, want [3003]", got)
	}
	puts := 0
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/actions/watch") && r.Status == 200 {
			puts++
		}
	}
	if puts == 0 {
		t.Error("no renewal (PUT actions/watch) sent")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := srv.WatchChannels(); len(got) != 0 {
		t.Errorf("channels %v left after Run ended, want none (disabled)", got)
	}
}

// A channel that expired anyway (a process paused past its expiry) is
// enabled again by the keeper, and notifications flow again.
func TestKeeperReenablesExpiredChannel(t *testing.T) {
	var offset atomic.Int64 // how far the shared clock is ahead of real time
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv := zohotest.New(t, zohotest.WithClock(now), zohotest.WithTokenTTL(1000*time.Hour))
	api := newAPI(t, srv)
	h, url, events := receiver(t)
	ch := notifications.Channel{ID: "4004", Events: []string{"Leads.create"}, NotifyURL: url, Token: "tok"}
	h.Register(ch.ID, ch.Token)
	var mu sync.Mutex
	var reported []error
	var enabled atomic.Int32
	k, err := notifications.NewKeeper(notifications.NewClient(api), ch, notifications.WithLifetime(2*time.Second),
		notifications.WithRenewBefore(time.Second), notifications.WithKeeperClock(now), notifications.WithEnableHandler(func() { enabled.Add(1) }),
		notifications.WithErrorHandler(func(err error) { mu.Lock(); reported = append(reported, err); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.Run(ctx)
	waitFor(t, func() bool { return len(srv.WatchChannels()) == 1 })
	srv.ResetRequests()
	offset.Store(int64(10 * time.Second)) // the channel expires in the emulator
	if got := srv.WatchChannels(); len(got) != 0 {
		t.Fatalf("channel still live after its expiry: %v", got)
	}
	waitFor(t, func() bool { return len(srv.WatchChannels()) == 1 && enabled.Load() >= 2 })
	var seen []string
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/actions/watch") {
			seen = append(seen, r.Method+" "+http.StatusText(r.Status))
		}
	}
	if len(seen) < 2 || seen[0] != "PUT Accepted" || seen[1] != "POST Created" {
		t.Errorf("watch calls after the expiry %v, want a renewal refused (NOT_SUBSCRIBED) then an enable", seen)
	}
	mu.Lock()
	if len(reported) != 0 {
		t.Errorf("errors reported: %v", reported)
	}
	mu.Unlock()
	if n := enabled.Load(); n != 2 {
		t.Errorf("the enable handler was called %d times, want 2: the first enable and the one after the expiry", n)
	}
	id := do(t, api, "POST", "Leads", `{"data":[{"Last_Name":"Roe","Company":"Acme"}]}`)
	if ev := next(t, events); !slices.Equal(ev.IDs, []string{id}) {
		t.Errorf("event %+v after re-enabling", ev)
	}
	srv.ExpireWatchChannels() // as if dropped by Zoho: enabled again at the next renewal
	if got := srv.WatchChannels(); len(got) != 0 {
		t.Fatalf("channels %v after ExpireWatchChannels, want none", got)
	}
	// The emulator holds the channel before the keeper has read the answer
	// and called the handler: wait for the handler, not for the channel.
	waitFor(t, func() bool { return enabled.Load() >= 3 })
	if n := enabled.Load(); n != 3 {
		t.Errorf("the enable handler was called %d times, want 3", n)
	}
	if got := srv.WatchChannels(); len(got) != 1 {
		t.Errorf("channels %v after re-enabling, want one", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 3 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
