package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/zohohub/zohohub/internal/orgflags"
	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/settings"
)

// liveFlags say how to reach a live org (or a running zhemu).
type liveFlags struct {
	enabled bool
	orgflags.Flags
}

func (l *liveFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.enabled, "live", false, "read metadata from a live org or a running zhemu instead of -metadata")
	l.Flags.Register(fs)
}

// fetch downloads the org's metadata through a zohohub client: the token
// comes from -access-token, or from the token store through an auth.Cache
// that refreshes it (and saves it back) when it expires or Zoho rejects it.
func (l *liveFlags) fetch(ctx context.Context, modules []string, progress func(string)) (schema.Snapshot, error) {
	client, closeStore, err := l.Client(ctx, &http.Client{Timeout: 2 * time.Minute})
	if err != nil {
		return nil, fmt.Errorf("-live: %w", err)
	}
	defer closeStore()
	return settings.Snapshot(ctx, client, settings.OnlyModules(modules...), settings.WithProgress(progress))
}
