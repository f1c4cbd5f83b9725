// Package storeopt holds the settings that every token store's options
// write, so that stores in other packages of the module (such as
// persistence/mysqlstore) accept persistence.WithLogger and
// persistence.WithLockPollInterval as the core stores do, without the core
// knowing those stores.
package storeopt

import (
	"log/slog"
	"time"
)

// Settings are what options set on a store.
type Settings struct {
	// Logger receives debug messages about locks and writes.
	Logger *slog.Logger
	// LockPoll bounds the wait between attempts to take a lock held by
	// another process.
	LockPoll time.Duration
	// Own holds the settings only one store type has (mysqlstore's table,
	// for one); the store sets it before applying options, and its options
	// type-assert it, leaving other stores' settings alone.
	Own any
}

// Defaults returns the settings a store starts from: a logger that
// discards everything and a 50ms lock poll.
func Defaults() Settings {
	return Settings{Logger: slog.New(slog.DiscardHandler), LockPoll: 50 * time.Millisecond}
}

// Option is an option any store of the module accepts.
type Option interface {
	ApplyStoreSettings(*Settings)
}

// Apply returns the defaults with own in Settings.Own and opts applied.
func Apply[O Option](own any, opts []O) Settings {
	s := Defaults()
	s.Own = own
	for _, o := range opts {
		o.ApplyStoreSettings(&s)
	}
	return s
}
