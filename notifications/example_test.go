package notifications_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/internal/examplecrm"
	"github.com/zohohub/zohohub/notifications"
)

// Subscribe to the Leads module of an org (here the emulator), receive
// Zoho's callbacks with a Handler, and keep the channel alive with a
// Keeper until the context ends.
func Example() {
	srv, api := examplecrm.Start()
	defer srv.Close()

	// The receiver: in production, mounted on the application's HTTPS
	// server at the notify URL.
	events := make(chan notifications.Event, 100)
	handler := notifications.NewHandler(func(_ context.Context, ev notifications.Event) { events <- ev })
	hs := httptest.NewServer(handler)
	defer hs.Close()

	ch := notifications.Channel{ID: "1000", Events: []string{"Leads.all"}, NotifyURL: hs.URL, Token: "a-random-secret"}
	handler.Register(ch.ID, ch.Token)
	keeper, err := notifications.NewKeeper(notifications.NewClient(api), ch,
		notifications.WithErrorHandler(func(err error) { log.Print(err) }))
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- keeper.Run(ctx) }() // enables, renews, disables when ctx ends
	for len(srv.WatchChannels()) == 0 {     // wait for the first enable (a real program need not)
		time.Sleep(10 * time.Millisecond)
	}

	// A write in the CRM…
	if _, err := api.Do(ctx, &zohohub.Request{Method: "POST", Path: "Leads",
		Body: []byte(`{"data":[{"Last_Name":"Roe","Company":"Acme"}]}`)}); err != nil {
		log.Fatal(err)
	}
	// …arrives as a typed event.
	ev := <-events
	fmt.Println(ev.Module, ev.Operation, len(ev.IDs), "record")

	stop()
	fmt.Println("disabled:", <-done == nil, len(srv.WatchChannels()) == 0)
	// Output:
	// Leads insert 1 record
	// disabled: true true
}
