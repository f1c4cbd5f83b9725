// Command zhgen generates typed Go structs for Zoho CRM modules from the
// org's own metadata, and checks that committed generated code still
// matches it.
//
// Run zhgen --help for the flags; zhgen auth --help for storing tokens from
// a self-client grant token.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // an error, or -check found differences
	exitUsage   = 2
	programName = "zhgen"
)

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "auth" {
		err = runAuth(ctx, args[1:], stdout, stderr)
	} else {
		err = runGenerate(ctx, args, stdout, stderr)
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		return exitUsage
	case errors.Is(err, errCheckFailed):
		return exitFailed
	}
	fmt.Fprintf(stderr, "%s: %v\n", programName, err)
	return exitFailed
}

var (
	errUsage       = errors.New("usage error")
	errCheckFailed = errors.New("generated files differ")
)
