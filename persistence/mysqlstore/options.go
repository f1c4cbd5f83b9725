package mysqlstore

import "github.com/zohohub/zohohub/persistence/internal/storeopt"

// Option configures [Open] and [New]: [WithTable], [WithoutTableCreation],
// and the options every store takes, persistence.WithLogger and
// persistence.WithLockPollInterval.
type Option interface {
	// ApplyStoreSettings records the option. Its argument's type is
	// internal to the zohohub module: options come from this package and
	// from package persistence.
	ApplyStoreSettings(*storeopt.Settings)
}

// config holds the settings only this store has (storeopt.Settings.Own).
type config struct {
	table       string
	createTable bool
}

// ownOption sets this store's own settings and leaves other stores' alone.
type ownOption func(*config)

func (o ownOption) ApplyStoreSettings(s *storeopt.Settings) {
	if c, ok := s.Own.(*config); ok {
		o(c)
	}
}

// WithTable sets the table, "name" or "database.name" (default
// [DefaultTable], the official SDKs' table, in the connection's database).
// Each part must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$; anything else makes
// Open and New fail. An existing table must have the SDKs' columns: a table
// that does not is refused and left untouched.
func WithTable(name string) Option {
	return ownOption(func(c *config) { c.table = name })
}

// WithoutTableCreation makes Open and New fail when the table is missing
// (or lacks the api_domain column that SDKs older than it did not create)
// instead of changing the schema, for deployments whose database user may
// not run DDL.
func WithoutTableCreation() Option {
	return ownOption(func(c *config) { c.createTable = false })
}
