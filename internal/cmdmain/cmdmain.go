// Package cmdmain is the main function zhemu and zhsync share: run the
// command until SIGINT or SIGTERM, and exit as its error says.
package cmdmain

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// ErrUsage is a command line the usage was printed for: the command exits
// with status 2 and says nothing more.
var ErrUsage = errors.New("usage")

// Main runs run with a context that SIGINT and SIGTERM cancel, then exits:
// 0 when run returns nil or flag.ErrHelp, 2 for ErrUsage, and 1 after
// writing "name: err" to stderr for any other error.
func Main(name string, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, ErrUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
