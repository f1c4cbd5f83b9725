package gen

import "github.com/zohohub/zohohub/schema"

// The generator works on package schema's decoding of Zoho's metadata; the
// short names read better in its code.
type (
	// Metadata is the decoded metadata the generator works from.
	Metadata = schema.Metadata
	// Module is one element of GET /settings/modules.
	Module = schema.Module
	// Field is one element of GET /settings/fields?module=X.
	Field = schema.Field
)
