package persistence

import (
	"log/slog"
	"time"
)

// FileOption configures [NewFile].
type FileOption interface{ applyFile(*fileConfig) }

// MySQLOption configures [NewMySQL] and [OpenMySQL].
type MySQLOption interface{ applyMySQL(*mysqlConfig) }

// Option configures every store that takes options ([NewFile], [NewMySQL]).
type Option interface {
	FileOption
	MySQLOption
}

// commonConfig holds settings shared by the file and MySQL stores.
type commonConfig struct {
	logger *slog.Logger
	// maxPoll bounds the wait between attempts to take a lock that is held
	// by another process. Locks are polled so that a caller's context is
	// honoured; within one process waiters are woken at once.
	maxPoll time.Duration
}

func defaultCommon() commonConfig {
	return commonConfig{logger: slog.New(slog.DiscardHandler), maxPoll: 50 * time.Millisecond}
}

type commonOption func(*commonConfig)

func (o commonOption) applyFile(c *fileConfig)   { o(&c.commonConfig) }
func (o commonOption) applyMySQL(c *mysqlConfig) { o(&c.commonConfig) }

// WithLogger sets the logger for debug messages about locks and writes.
// Messages name files, tables and keys, never token values. The default
// discards everything.
func WithLogger(l *slog.Logger) Option {
	return commonOption(func(c *commonConfig) {
		if l != nil {
			c.logger = l
		}
	})
}

// WithLockPollInterval sets the longest pause between two attempts to take
// a lock held by another process (default 50ms). Shorter means faster
// hand-over and more system calls or queries while waiting.
func WithLockPollInterval(d time.Duration) Option {
	return commonOption(func(c *commonConfig) {
		if d > 0 {
			c.maxPoll = d
		}
	})
}

type fileConfig struct {
	commonConfig
}

type mysqlConfig struct {
	commonConfig
	table       string
	createTable bool
}

type mysqlOption func(*mysqlConfig)

func (o mysqlOption) applyMySQL(c *mysqlConfig) { o(c) }

// WithTable sets the MySQL table, "name" or "database.name" (default
// "oauthtoken", the official SDKs' table). Each part must match
// ^[A-Za-z_][A-Za-z0-9_]{0,63}$; anything else makes NewMySQL fail.
func WithTable(name string) MySQLOption {
	return mysqlOption(func(c *mysqlConfig) { c.table = name })
}

// WithoutTableCreation makes NewMySQL fail when the table is missing instead
// of creating it, for deployments whose database user may not run DDL.
func WithoutTableCreation() MySQLOption {
	return mysqlOption(func(c *mysqlConfig) { c.createTable = false })
}
