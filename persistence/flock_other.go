//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package persistence

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// lockFile is not implemented on this platform: the file store needs
// flock(2) to share a file between processes safely.
func lockFile(ctx context.Context, path string, maxPoll time.Duration) (func(), error) {
	return nil, fmt.Errorf("persistence: locking %s: %w", path, errors.ErrUnsupported)
}

// syncDir is a no-op where directories cannot be opened for syncing.
func syncDir(string) error { return nil }
