package demo

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Main is an example's main: it calls run with the command line and
// standard output, and exits 1 printing the error, prefixed with name,
// when run fails.
func Main(name string, run func(ctx context.Context, args []string, out io.Writer) error) {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
