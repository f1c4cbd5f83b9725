package settings

import (
	"context"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/schema"
)

// Org returns the organisation (GET /org).
func Org(ctx context.Context, c *zohohub.Client) (schema.Org, error) {
	return one(ctx, c, "org", nil, schema.DecodeOrg)
}
