// Package examplecrm starts the in-memory Zoho CRM of package zohotest for
// the runnable examples of several packages, with a client holding a token
// for it. A program gets its client from zohohub.New with its org's data
// centre and an *auth.Cache instead: ExampleNew shows the set-up step by
// step.
package examplecrm

import (
	"log"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// Start starts the emulator with opts and returns it, for the example to
// close, with a client for it. A failure ends the example, as log.Fatal
// does.
func Start(opts ...zohotest.Option) (*zohotest.Server, *zohohub.Client) {
	srv := start(opts)
	return srv, newClient(srv, nil)
}

// StartClient is Start for a client built with opts besides those that
// point it at the emulator (a limiter, say).
func StartClient(opts ...zohohub.Option) (*zohotest.Server, *zohohub.Client) {
	srv := start(nil)
	return srv, newClient(srv, opts)
}

func start(opts []zohotest.Option) *zohotest.Server {
	srv, err := zohotest.Start(opts...)
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

// newClient returns a client for srv holding a token srv issued, built
// with opts besides.
func newClient(srv *zohotest.Server, opts []zohohub.Option) *zohohub.Client {
	access, _ := srv.IssueToken()
	opts = append([]zohohub.Option{zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access))}, opts...)
	client, err := zohohub.New(opts...)
	if err != nil {
		log.Fatal(err)
	}
	return client
}
