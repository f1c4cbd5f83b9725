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
	srv, err := zohotest.Start(opts...)
	if err != nil {
		log.Fatal(err)
	}
	access, _ := srv.IssueToken()
	client, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)))
	if err != nil {
		log.Fatal(err)
	}
	return srv, client
}
