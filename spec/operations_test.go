package spec_test

// oasOp is one operation of Zoho's OAS: a file of oasDir and a path
// template in it; the method is the route's.
type oasOp struct{ file, path string }

// oasFiles is every file operations names, and those they $ref.
var oasFiles = []string{"bulk_read.json", "bulk_write.json", "common.json", "coql.json", "custom_views.json", "fields.json", "layouts.json",
	"module_search.json", "modules.json", "notes.json", "notifications.json", "org.json", "record.json", "record_count.json", "related_lists.json", "users.json",
	"related_records.json", "attachments.json", "record_photo.json", "files.json", "convert_lead.json", "conversion_option.json", "blueprint.json",
	"tags.json", "mass_update.json", "change_owner.json", "mass_change_owner.json", "mass_delete_tags.json"}

// operations maps each route of zohotest.Routes, as "METHOD pattern", to
// the OAS operations its responses must satisfy. A route without an OAS
// operation (the accounts server) maps to nil and is checked by hand in
// accounts_test.go. Add one line per new route.
func operations() map[string][]oasOp {
	rec := func(p string) []oasOp { return []oasOp{{"record.json", "/crm/v8/{module_api_name}" + p}} }
	related := func(p string) []oasOp {
		return []oasOp{{"related_records.json", "/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}" + p}}
	}
	return map[string][]oasOp{
		"POST /oauth/v2/token":        nil,
		"POST /oauth/v2/token/revoke": nil,
		"GET /oauth/v2/auth":          nil,

		"GET /crm/v8/settings/modules":               {{"modules.json", "/crm/v8/settings/modules"}},
		"GET /crm/v8/settings/modules/{api_name}":    {{"modules.json", "/crm/v8/settings/modules/{api_name}"}},
		"GET /crm/v8/settings/fields?module=":        {{"fields.json", "/crm/v8/settings/fields"}},
		"GET /crm/v8/settings/fields/{id}?module=":   {{"fields.json", "/crm/v8/settings/fields/{field}"}},
		"GET /crm/v8/settings/layouts?module=":       {{"layouts.json", "/crm/v8/settings/layouts"}},
		"GET /crm/v8/settings/related_lists?module=": {{"related_lists.json", "/crm/v8/settings/related_lists"}},
		"GET /crm/v8/users":                          {{"users.json", "/crm/v8/users"}},
		"GET /crm/v8/users?type=CurrentUser":         {{"users.json", "/crm/v8/users"}},
		"GET /crm/v8/users/{id}":                     {{"users.json", "/crm/v8/users/{user}"}},
		"GET /crm/v8/org":                            {{"org.json", "/crm/v8/org"}},
		"POST /crm/v8/coql":                          {{"coql.json", "/crm/v8/coql"}},

		"GET /crm/v8/actions/watch":                 {{"notifications.json", "/crm/v8/actions/watch"}},
		"POST /crm/v8/actions/watch":                {{"notifications.json", "/crm/v8/actions/watch"}},
		"PUT /crm/v8/actions/watch":                 {{"notifications.json", "/crm/v8/actions/watch"}},
		"PATCH /crm/v8/actions/watch":               {{"notifications.json", "/crm/v8/actions/watch"}},
		"DELETE /crm/v8/actions/watch?channel_ids=": {{"notifications.json", "/crm/v8/actions/watch"}},

		"GET /crm/v8/settings/custom_views?module=":      {{"custom_views.json", "/crm/v8/settings/custom_views"}},
		"GET /crm/v8/settings/custom_views/{id}?module=": {{"custom_views.json", "/crm/v8/settings/custom_views/{id}"}},

		"GET /crm/v8/{module}":         rec(""),
		"POST /crm/v8/{module}":        rec(""),
		"PUT /crm/v8/{module}":         rec(""),
		"DELETE /crm/v8/{module}":      rec(""),
		"POST /crm/v8/{module}/upsert": rec("/upsert"),
		"GET /crm/v8/{module}/search":  append(rec("/search"), oasOp{"module_search.json", "/crm/v8/{module}/search"}),
		"GET /crm/v8/{module}/deleted": rec("/deleted"),
		"GET /crm/v8/{module}/actions/count": append(rec("/actions/count"),
			oasOp{"record_count.json", "/crm/v8/{module_api_name}/actions/count"}),
		"GET /crm/v8/{module}/{id}":    rec("/{id}"),
		"PUT /crm/v8/{module}/{id}":    rec("/{id}"),
		"DELETE /crm/v8/{module}/{id}": rec("/{id}"),

		// notes.json has no /{module}/{id}/Notes: a record's notes list
		// and add as /Notes does, the parent taken from the path
		// (docs/wire.md §7).
		"GET /crm/v8/{module}/{id}/Notes":  {{"notes.json", "/crm/v8/Notes"}},
		"POST /crm/v8/{module}/{id}/Notes": {{"notes.json", "/crm/v8/Notes"}},

		// Related records, attachments, photos and the file store.
		"GET /crm/v8/{module}/{id}/{list}":                         related(""),
		"PUT /crm/v8/{module}/{id}/{list}":                         related(""),
		"DELETE /crm/v8/{module}/{id}/{list}":                      related(""),
		"GET /crm/v8/{module}/{id}/{list}/{related_id}":            related("/{related_record_id}"),
		"PUT /crm/v8/{module}/{id}/{list}/{related_id}":            related("/{related_record_id}"),
		"DELETE /crm/v8/{module}/{id}/{list}/{related_id}":         related("/{related_record_id}"),
		"GET /crm/v8/{module}/{id}/Attachments":                    {{"attachments.json", "/crm/v8/{module}/{record_id}/Attachments"}},
		"POST /crm/v8/{module}/{id}/Attachments":                   {{"attachments.json", "/crm/v8/{module}/{record_id}/Attachments"}},
		"DELETE /crm/v8/{module}/{id}/Attachments":                 {{"attachments.json", "/crm/v8/{module}/{record_id}/Attachments"}},
		"GET /crm/v8/{module}/{id}/Attachments/{attachment_id}":    {{"attachments.json", "/crm/v8/{module}/{record_id}/Attachments/{id}"}},
		"DELETE /crm/v8/{module}/{id}/Attachments/{attachment_id}": {{"attachments.json", "/crm/v8/{module}/{record_id}/Attachments/{id}"}},
		"GET /crm/v8/{module}/{id}/photo":                          {{"record_photo.json", "/crm/v8/{module}/{record}/photo"}},
		"POST /crm/v8/{module}/{id}/photo":                         {{"record_photo.json", "/crm/v8/{module}/{record}/photo"}},
		"DELETE /crm/v8/{module}/{id}/photo":                       {{"record_photo.json", "/crm/v8/{module}/{record}/photo"}},
		"POST /crm/v8/files":                                       {{"files.json", "/crm/v8/files"}},
		"GET /crm/v8/files?id=":                                    {{"files.json", "/crm/v8/files"}},

		// Actions on a record: a lead's conversion, blueprints.
		"POST /crm/v8/{module}/{id}/actions/convert":     {{"convert_lead.json", "/crm/v8/Leads/{lead_id}/actions/convert"}},
		"GET /crm/v8/{module}/{id}/__conversion_options": {{"conversion_option.json", "/crm/v8/Leads/{lead_id}/__conversion_options"}},
		"GET /crm/v8/{module}/{id}/actions/blueprint":    {{"blueprint.json", "/crm/v8/{module_api_name}/{record_id}/actions/blueprint"}},
		"PUT /crm/v8/{module}/{id}/actions/blueprint":    {{"blueprint.json", "/crm/v8/{module_api_name}/{record_id}/actions/blueprint"}},

		// Tags, mass update and change owner (docs/wire.md §12.3–12.6).
		"GET /crm/v8/settings/tags?module=":                            {{"tags.json", "/crm/v8/settings/tags"}},
		"POST /crm/v8/settings/tags?module=":                           {{"tags.json", "/crm/v8/settings/tags"}},
		"PUT /crm/v8/settings/tags?module=":                            {{"tags.json", "/crm/v8/settings/tags"}},
		"PUT /crm/v8/settings/tags/{id}?module=":                       {{"tags.json", "/crm/v8/settings/tags/{id}"}},
		"DELETE /crm/v8/settings/tags/{id}":                            {{"tags.json", "/crm/v8/settings/tags/{id}"}},
		"POST /crm/v8/settings/tags/{id}/actions/merge":                {{"tags.json", "/crm/v8/settings/tags/{id}/actions/merge"}},
		"GET /crm/v8/settings/tags/{id}/actions/records_count?module=": {{"tags.json", "/crm/v8/settings/tags/{id}/actions/records_count"}},
		"POST /crm/v8/settings/tags/actions/mass_delete":               {{"mass_delete_tags.json", "/crm/v8/settings/tags/actions/mass_delete"}},
		"GET /crm/v8/settings/tags/actions/mass_delete?job_id=":        {{"mass_delete_tags.json", "/crm/v8/settings/tags/actions/mass_delete"}},
		"POST /crm/v8/{module}/actions/add_tags":                       {{"tags.json", "/crm/v8/{module_api_name}/actions/add_tags"}},
		"POST /crm/v8/{module}/actions/remove_tags":                    {{"tags.json", "/crm/v8/{module_api_name}/actions/remove_tags"}},
		"POST /crm/v8/{module}/{id}/actions/add_tags":                  {{"tags.json", "/crm/v8/{module_api_name}/{record_id}/actions/add_tags"}},
		"POST /crm/v8/{module}/{id}/actions/remove_tags":               {{"tags.json", "/crm/v8/{module_api_name}/{record_id}/actions/remove_tags"}},
		"POST /crm/v8/{module}/actions/mass_update":                    {{"mass_update.json", "/crm/v8/{module}/actions/mass_update"}},
		"GET /crm/v8/{module}/actions/mass_update?job_id=":             {{"mass_update.json", "/crm/v8/{module}/actions/mass_update"}},
		"POST /crm/v8/{module}/actions/change_owner":                   {{"change_owner.json", "/crm/v8/{module}/actions/change_owner"}},
		"POST /crm/v8/{module}/actions/mass_change_owner":              {{"mass_change_owner.json", "/crm/v8/{module}/actions/mass_change_owner"}},
		"GET /crm/v8/{module}/actions/mass_change_owner?job_id=":       {{"mass_change_owner.json", "/crm/v8/{module}/actions/mass_change_owner"}},
		"POST /crm/v8/{module}/{id}/actions/change_owner":              {{"change_owner.json", "/crm/v8/{module}/{id}/actions/change_owner"}},

		"POST /crm/v8/upload":                {{"bulk_write.json", "/crm/v8/upload"}},
		"POST /crm/bulk/v8/read":             {{"bulk_read.json", "/crm/bulk/v8/read"}},
		"GET /crm/bulk/v8/read/{id}":         {{"bulk_read.json", "/crm/bulk/v8/read/{job_id}"}},
		"GET /crm/bulk/v8/read/{id}/result":  {{"bulk_read.json", "/crm/bulk/v8/read/{job_id}/result"}},
		"POST /crm/bulk/v8/write":            {{"bulk_write.json", "/crm/bulk/v8/write"}},
		"GET /crm/bulk/v8/write/{id}":        {{"bulk_write.json", "/crm/bulk/v8/write/{job_id}"}},
		"GET /crm/bulk/v8/write/{id}/result": {{"bulk_write.json", "/{download_url}"}}, // the job's download_url
	}
}
