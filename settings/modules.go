package settings

import (
	"context"
	"net/url"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/schema"
)

// Modules lists the org's modules (GET /settings/modules): the standard
// and custom ones, and those the records API does not serve (see
// schema.Module.HoldsRecords).
func Modules(ctx context.Context, c *zohohub.Client) ([]schema.Module, error) {
	return list(ctx, c, "settings/modules", nil, schema.DecodeModules)
}

// Module returns one module with its fields, layouts, related lists and
// default custom view (GET /settings/modules/{api_name}).
func Module(ctx context.Context, c *zohohub.Client, apiName string) (schema.Module, error) {
	return one(ctx, c, "settings/modules/"+url.PathEscape(apiName), nil, schema.DecodeModules)
}

// Fields lists a module's fields (GET /settings/fields?module=X).
func Fields(ctx context.Context, c *zohohub.Client, module string) ([]schema.Field, error) {
	return list(ctx, c, "settings/fields", moduleQuery(module), schema.DecodeFields)
}

// Field returns one field of a module by its id (GET
// /settings/fields/{id}?module=X).
func Field(ctx context.Context, c *zohohub.Client, module, id string) (schema.Field, error) {
	return one(ctx, c, "settings/fields/"+url.PathEscape(id), moduleQuery(module), schema.DecodeFields)
}

// Layouts lists a module's layouts with their sections and fields (GET
// /settings/layouts?module=X).
func Layouts(ctx context.Context, c *zohohub.Client, module string) ([]schema.Layout, error) {
	return list(ctx, c, "settings/layouts", moduleQuery(module), schema.DecodeLayouts)
}

// RelatedLists lists the related lists of a module's records (GET
// /settings/related_lists?module=X).
func RelatedLists(ctx context.Context, c *zohohub.Client, module string) ([]schema.RelatedList, error) {
	return list(ctx, c, "settings/related_lists", moduleQuery(module), schema.DecodeRelatedLists)
}

// CustomViews lists a module's custom views, every page of them (GET
// /settings/custom_views?module=X).
func CustomViews(ctx context.Context, c *zohohub.Client, module string) ([]schema.CustomView, error) {
	return collect(pages(ctx, c, "settings/custom_views", moduleQuery(module), schema.DecodeCustomViews))
}

// CustomView returns one custom view of a module with its criteria (GET
// /settings/custom_views/{id}?module=X).
func CustomView(ctx context.Context, c *zohohub.Client, module, id string) (schema.CustomView, error) {
	return one(ctx, c, "settings/custom_views/"+url.PathEscape(id), moduleQuery(module), schema.DecodeCustomViews)
}
