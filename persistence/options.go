package persistence

import (
	"log/slog"
	"time"

	"github.com/zohohub/zohohub/persistence/internal/storeopt"
)

// FileOption configures [NewFile].
type FileOption interface{ applyFile(*fileConfig) }

// Option configures every store that takes options: [NewFile] here, and
// the MySQL store of package persistence/mysqlstore.
type Option interface {
	FileOption
	// ApplyStoreSettings records the option for stores in other packages
	// of this module. Its argument's type is internal to the module, so
	// only this package's functions return an Option.
	ApplyStoreSettings(*storeopt.Settings)
}

type commonOption func(*storeopt.Settings)

func (o commonOption) applyFile(c *fileConfig)                 { o(&c.Settings) }
func (o commonOption) ApplyStoreSettings(s *storeopt.Settings) { o(s) }

// WithLogger sets the logger for debug messages about locks and writes.
// Messages name files, tables and keys, never token values. The default
// discards everything.
func WithLogger(l *slog.Logger) Option {
	return commonOption(func(s *storeopt.Settings) {
		if l != nil {
			s.Logger = l
		}
	})
}

// WithLockPollInterval sets the longest pause between two attempts to take
// a lock held by another process (default 50ms). Shorter means faster
// hand-over and more system calls or queries while waiting.
func WithLockPollInterval(d time.Duration) Option {
	return commonOption(func(s *storeopt.Settings) {
		if d > 0 {
			s.LockPoll = d
		}
	})
}

type fileConfig struct {
	storeopt.Settings
}
