package mirror

import (
	"context"
	"fmt"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/settings"
)

// The metadata a pass reads, through package settings.

// readFields lists a module's fields.
func readFields(ctx context.Context, c *zohohub.Client, module string) ([]schema.Field, error) {
	fields, err := settings.Fields(ctx, c, module)
	if err != nil {
		return nil, fmt.Errorf("mirror: fields of %s: %w", module, err)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("mirror: fields of %s: Zoho lists none", module)
	}
	return fields, nil
}

// readDisplayFields returns, by module, the field whose value names a
// record in lookups.
func readDisplayFields(ctx context.Context, c *zohohub.Client) (map[string]string, error) {
	modules, err := settings.Modules(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("mirror: modules: %w", err)
	}
	display := map[string]string{}
	for _, m := range modules {
		if m.DisplayField.APIName != "" {
			display[m.APIName] = m.DisplayField.APIName
		}
	}
	return display, nil
}

// readUserNames returns the full names of the org's users by id, as Zoho
// names a user in owner and user lookups.
func readUserNames(ctx context.Context, c *zohohub.Client) (map[string]string, error) {
	names := map[string]string{}
	for u, err := range settings.Users(ctx, c, settings.AllUsers) {
		if err != nil {
			return nil, fmt.Errorf("mirror: users: %w", err)
		}
		names[u.ID] = u.FullName
	}
	return names, nil
}
