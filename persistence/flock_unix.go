//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package persistence

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/zohohub/zohohub/persistence/internal/lockwait"
)

// lockFile takes an exclusive flock(2) on path, creating it with mode 0600
// if needed. flock locks belong to the open file description, so two opens
// in one process exclude each other just as two processes do. The lock is
// tried without blocking and polled, so that ctx is honoured.
func lockFile(ctx context.Context, path string, maxPoll time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("persistence: open lock file: %w", err)
	}
	fd := int(f.Fd())
	err = lockwait.Poll(ctx, maxPoll, func() (bool, error) {
		switch err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
			return false, nil
		default:
			return false, &os.PathError{Op: "flock", Path: path, Err: err}
		}
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		// Closing the descriptor releases the lock; unlocking first makes
		// the hand-over independent of any descriptor leaked to a child.
		_ = syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
