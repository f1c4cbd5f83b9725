package zohotest

import (
	"net/http"
	"net/url"
	"strings"
)

// Route is one kind of request the server answers: an HTTP method and a
// path pattern. In a pattern, {module} is a module API name, {id} a record
// or user id and {api_name} a module API name in a settings path. A
// pattern may end in "?name=value", a query parameter value that selects
// a distinct answer, or "?name=", a parameter the route requires. In a
// bulk pattern, {id} is a job id.
//
// CRM patterns are written for v8; the server answers the same routes
// under /crm/v2 … /crm/v7 (and /crm/bulk/v2 … /crm/bulk/v7).
type Route struct {
	Method  string
	Pattern string
}

// routeEntry is one line of the route table: the route, what it needs of
// the token, and its handler.
type routeEntry struct {
	Route
	accounts bool      // served by the accounts server: no token, no CRM checks
	scope    scopeRule // nil for the accounts server
	serve    func(c *call)
}

// routeTable is every route the server answers. The router (router.go),
// Routes and RouteOf are built from it; routes that differ only in their
// query parameter share the first one's handler.
var routeTable = []routeEntry{
	// Accounts server (oauth.go).
	{Route: Route{"POST", "/oauth/v2/token"}, accounts: true, serve: func(c *call) { c.s.token(c.w, c.r) }},
	{Route: Route{"POST", "/oauth/v2/token/revoke"}, accounts: true, serve: func(c *call) { c.s.revoke(c.w, c.r) }},
	{Route: Route{"GET", "/oauth/v2/auth"}, accounts: true, serve: func(c *call) { c.s.consent(c.w, c.r) }},

	// Metadata, users and org.
	{Route{"GET", "/crm/v8/settings/modules"}, false, settingsScope("modules"), func(c *call) { c.serveFile("modules.json") }},
	{Route{"GET", "/crm/v8/settings/modules/{api_name}"}, false, settingsScope("modules"), func(c *call) { c.moduleDetail(c.r.PathValue("api_name")) }},
	{Route{"GET", "/crm/v8/settings/fields?module="}, false, settingsScope("fields"), func(c *call) { c.settingsList("fields") }},
	{Route{"GET", "/crm/v8/settings/fields/{id}?module="}, false, settingsScope("fields"), func(c *call) { c.fieldByID(c.pathID) }},
	{Route{"GET", "/crm/v8/settings/layouts?module="}, false, settingsScope("layouts"), func(c *call) { c.settingsList("layouts") }},
	{Route{"GET", "/crm/v8/settings/related_lists?module="}, false, settingsScope("related_lists"), func(c *call) { c.settingsList("related_lists") }},
	{Route{"GET", "/crm/v8/settings/custom_views?module="}, false, settingsScope("custom_views"), func(c *call) { c.customViews("") }},
	{Route{"GET", "/crm/v8/settings/custom_views/{id}?module="}, false, settingsScope("custom_views"), func(c *call) { c.customViews(c.pathID) }},
	{Route{"GET", "/crm/v8/users"}, false, scope("ZohoCRM.users.ALL", "ZohoCRM.users.READ"), func(c *call) { c.users("") }},
	{Route{"GET", "/crm/v8/users?type=CurrentUser"}, false, scope("ZohoCRM.users.ALL", "ZohoCRM.users.READ"), func(c *call) { c.users("") }},
	{Route{"GET", "/crm/v8/users/{id}"}, false, scope("ZohoCRM.users.ALL", "ZohoCRM.users.READ"), func(c *call) { c.users(c.pathID) }},
	{Route{"GET", "/crm/v8/org"}, false, scope("ZohoCRM.org.ALL", "ZohoCRM.org.READ"), func(c *call) { c.serveFile("org.json") }},
	{Route{"POST", "/crm/v8/coql"}, false, scope("ZohoCRM.coql.ALL", "ZohoCRM.coql.READ"), func(c *call) { c.coql() }},

	// A module's tags (settingstags.go, settingstags_massdelete.go).
	{Route{"GET", "/crm/v8/settings/tags?module="}, false, tagsScope("READ"), func(c *call) { c.listTags() }},
	{Route{"POST", "/crm/v8/settings/tags?module="}, false, tagsScope("CREATE"), func(c *call) { c.createTags() }},
	{Route{"PUT", "/crm/v8/settings/tags?module="}, false, tagsScope("UPDATE"), func(c *call) { c.updateTags("") }},
	{Route{"PUT", "/crm/v8/settings/tags/{id}?module="}, false, tagsScope("UPDATE"), func(c *call) { c.updateTags(c.pathID) }},
	{Route{"DELETE", "/crm/v8/settings/tags/{id}"}, false, tagsScope("DELETE"), func(c *call) { c.deleteTag(c.pathID) }},
	{Route{"POST", "/crm/v8/settings/tags/{id}/actions/merge"}, false, tagsScope("UPDATE"), func(c *call) { c.mergeTags(c.pathID) }},
	{Route{"GET", "/crm/v8/settings/tags/{id}/actions/records_count?module="}, false, tagsScope("READ"), func(c *call) { c.tagRecordsCount(c.pathID) }},
	{Route{"POST", "/crm/v8/settings/tags/actions/mass_delete"}, false, tagsScope("DELETE"), func(c *call) { c.massDeleteTags() }},
	{Route{"GET", "/crm/v8/settings/tags/actions/mass_delete?job_id="}, false, tagsScope("READ"), func(c *call) { c.massDeleteTagsStatus() }},

	// Notifications (watch.go).
	{Route{"GET", "/crm/v8/actions/watch"}, false, watchScope("READ"), func(c *call) { c.watch() }},
	{Route{"POST", "/crm/v8/actions/watch"}, false, watchScope("CREATE"), func(c *call) { c.watch() }},
	{Route{"PUT", "/crm/v8/actions/watch"}, false, watchScope("UPDATE"), func(c *call) { c.watch() }},
	{Route{"PATCH", "/crm/v8/actions/watch"}, false, watchScope("UPDATE"), func(c *call) { c.watch() }},
	{Route{"DELETE", "/crm/v8/actions/watch?channel_ids="}, false, watchScope("DELETE"), func(c *call) { c.watch() }},

	// Records (crm.go).
	{Route{"GET", "/crm/v8/{module}"}, false, recordScope("READ"), func(c *call) { c.list(c.moduleName) }},
	{Route{"POST", "/crm/v8/{module}"}, false, recordScope("CREATE"), func(c *call) { c.write(c.moduleName, "insert", "") }},
	{Route{"PUT", "/crm/v8/{module}"}, false, recordScope("UPDATE"), func(c *call) { c.write(c.moduleName, "update", "") }},
	{Route{"DELETE", "/crm/v8/{module}"}, false, recordScope("DELETE"), func(c *call) { c.delete(c.moduleName, splitIDs(c.q.Get("ids"))) }},
	{Route{"POST", "/crm/v8/{module}/upsert"}, false, recordScope("CREATE", "UPDATE"), func(c *call) { c.write(c.moduleName, "upsert", "") }},
	{Route{"GET", "/crm/v8/{module}/search"}, false, recordScope("READ"), func(c *call) { c.search(c.moduleName) }},
	{Route{"GET", "/crm/v8/{module}/deleted"}, false, recordScope("READ"), func(c *call) { c.deleted(c.moduleName) }},
	{Route{"GET", "/crm/v8/{module}/actions/count"}, false, recordScope("READ"), func(c *call) { c.count(c.moduleName) }},
	{Route{"GET", "/crm/v8/{module}/{id}"}, false, recordScope("READ"), func(c *call) { c.get(c.moduleName, c.pathID) }},
	{Route{"PUT", "/crm/v8/{module}/{id}"}, false, recordScope("UPDATE"), func(c *call) { c.write(c.moduleName, "update", c.pathID) }},
	{Route{"DELETE", "/crm/v8/{module}/{id}"}, false, recordScope("DELETE"), func(c *call) { c.delete(c.moduleName, []string{c.pathID}) }},

	// Actions on records: tags (tags.go), mass update (massupdate.go),
	// change owner (owner.go, massowner.go).
	{Route{"POST", "/crm/v8/{module}/actions/add_tags"}, false, recordScope("UPDATE"), func(c *call) { c.recordTags(c.moduleName, "", true) }},
	{Route{"POST", "/crm/v8/{module}/actions/remove_tags"}, false, recordScope("UPDATE"), func(c *call) { c.recordTags(c.moduleName, "", false) }},
	{Route{"POST", "/crm/v8/{module}/{id}/actions/add_tags"}, false, recordScope("UPDATE"), func(c *call) { c.recordTags(c.moduleName, c.pathID, true) }},
	{Route{"POST", "/crm/v8/{module}/{id}/actions/remove_tags"}, false, recordScope("UPDATE"), func(c *call) { c.recordTags(c.moduleName, c.pathID, false) }},
	{Route{"POST", "/crm/v8/{module}/actions/mass_update"}, false, massUpdateScope, func(c *call) { c.massUpdate(c.moduleName) }},
	{Route{"GET", "/crm/v8/{module}/actions/mass_update?job_id="}, false, massUpdateScope, func(c *call) { c.massJobStatus("mass_update", c.moduleName) }},
	{Route{"POST", "/crm/v8/{module}/actions/mass_change_owner"}, false, massOwnerScope("CREATE"), func(c *call) { c.massChangeOwner(c.moduleName) }},
	{Route{"GET", "/crm/v8/{module}/actions/mass_change_owner?job_id="}, false, massOwnerScope("READ"), func(c *call) { c.massJobStatus("mass_change_owner", c.moduleName) }},
	{Route{"POST", "/crm/v8/{module}/actions/change_owner"}, false, ownerScope, func(c *call) { c.changeOwner(c.moduleName, "") }},
	{Route{"POST", "/crm/v8/{module}/{id}/actions/change_owner"}, false, ownerScope, func(c *call) { c.changeOwner(c.moduleName, c.pathID) }},

	// Notes of a record (notes.go).
	{Route{"GET", "/crm/v8/{module}/{id}/Notes"}, false, notesScope("READ"), func(c *call) { c.recordNotes(c.moduleName, c.pathID) }},
	{Route{"POST", "/crm/v8/{module}/{id}/Notes"}, false, notesScope("CREATE"), func(c *call) { c.recordNotes(c.moduleName, c.pathID) }},

	// Actions on a record: converting a lead (convert.go), blueprints
	// (blueprint.go).
	{Route{"POST", "/crm/v8/{module}/{id}/actions/convert"}, false, recordScope("CREATE"), func(c *call) { c.convertLead() }},
	{Route{"GET", "/crm/v8/{module}/{id}/__conversion_options"}, false, recordScope("READ"), func(c *call) { c.conversionOptions() }},
	{Route{"GET", "/crm/v8/{module}/{id}/actions/blueprint"}, false, recordScope("READ"), func(c *call) { c.blueprint() }},
	{Route{"PUT", "/crm/v8/{module}/{id}/actions/blueprint"}, false, recordScope("UPDATE"), func(c *call) { c.blueprint() }},

	// Attachments and photo of a record, and the file store (attachments.go).
	{Route{"GET", "/crm/v8/{module}/{id}/Attachments"}, false, attachmentScope("READ"), func(c *call) { c.getAttachments() }},
	{Route{"POST", "/crm/v8/{module}/{id}/Attachments"}, false, attachmentScope("CREATE"), func(c *call) { c.addAttachment() }},
	{Route{"DELETE", "/crm/v8/{module}/{id}/Attachments"}, false, attachmentScope("DELETE"), func(c *call) { c.deleteAttachments() }},
	{Route{"GET", "/crm/v8/{module}/{id}/Attachments/{attachment_id}"}, false, attachmentScope("READ"), func(c *call) { c.downloadAttachment() }},
	{Route{"DELETE", "/crm/v8/{module}/{id}/Attachments/{attachment_id}"}, false, attachmentScope("DELETE"), func(c *call) { c.deleteAttachments() }},
	{Route{"GET", "/crm/v8/{module}/{id}/photo"}, false, attachmentScope("READ"), func(c *call) { c.photo() }},
	{Route{"POST", "/crm/v8/{module}/{id}/photo"}, false, attachmentScope("UPDATE"), func(c *call) { c.photo() }},
	{Route{"DELETE", "/crm/v8/{module}/{id}/photo"}, false, attachmentScope("UPDATE"), func(c *call) { c.photo() }},
	{Route{"POST", "/crm/v8/files"}, false, scope("ZohoCRM.files.ALL", "ZohoCRM.files.CREATE"), func(c *call) { c.uploadFiles() }},
	{Route{"GET", "/crm/v8/files?id="}, false, scope("ZohoCRM.files.ALL", "ZohoCRM.files.READ"), func(c *call) { c.downloadFile() }},

	// Related records (related.go).
	{Route{"GET", "/crm/v8/{module}/{id}/{list}"}, false, relatedScope("READ"), func(c *call) { c.relatedRecords() }},
	{Route{"PUT", "/crm/v8/{module}/{id}/{list}"}, false, relatedScope("UPDATE"), func(c *call) { c.linkRecords() }},
	{Route{"DELETE", "/crm/v8/{module}/{id}/{list}"}, false, relatedScope("UPDATE"), func(c *call) { c.unlinkRecords() }},
	{Route{"GET", "/crm/v8/{module}/{id}/{list}/{related_id}"}, false, relatedScope("READ"), func(c *call) { c.relatedRecord() }},
	{Route{"PUT", "/crm/v8/{module}/{id}/{list}/{related_id}"}, false, relatedScope("UPDATE"), func(c *call) { c.linkRecords() }},
	{Route{"DELETE", "/crm/v8/{module}/{id}/{list}/{related_id}"}, false, relatedScope("UPDATE"), func(c *call) { c.unlinkRecords() }},

	// Bulk read and bulk write (bulk.go); Zoho serves upload on its
	// content host.
	{Route{"POST", "/crm/v8/upload"}, false, scope("ZohoCRM.bulk.ALL", "ZohoFiles.files.ALL", "ZohoFiles.files.CREATE", "ZohoCRM.bulk.CREATE"), func(c *call) { c.upload() }},
	{Route{"POST", "/crm/bulk/v8/read"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.READ"), func(c *call) { c.createRead() }},
	{Route{"GET", "/crm/bulk/v8/read/{id}"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.READ"), func(c *call) { c.readStatus(c.pathID) }},
	{Route{"GET", "/crm/bulk/v8/read/{id}/result"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.READ"), func(c *call) { c.readResult(c.pathID) }},
	{Route{"POST", "/crm/bulk/v8/write"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.CREATE"), func(c *call) { c.createWrite() }},
	{Route{"GET", "/crm/bulk/v8/write/{id}"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.READ"), func(c *call) { c.writeStatus(c.pathID) }},
	{Route{"GET", "/crm/bulk/v8/write/{id}/result"}, false, scope("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.READ"), func(c *call) { c.writeResult(c.pathID) }},
}

// Routes returns every route the server answers, one line per route, in
// the order of its route table, from which the router is built.
func Routes() []Route {
	out := make([]Route, len(routeTable))
	for i, e := range routeTable {
		out[i] = e.Route
	}
	return out
}

// RouteOf returns the route of Routes that answers a request, and false if
// none does: it asks the server's own router. Where several patterns fit
// the path, the router prefers the words the API spells where others have
// {module} (settings, users, org, coql, upload), which are never modules
// (/crm/v8/users/search is a user id, /crm/v8/Leads/search a search,
// /crm/v8/Leads/fields a record id); then, among routes that differ only
// in their query, the one whose query parameter value the request names
// (/users?type=CurrentUser).
func RouteOf(method, path string, query url.Values) (Route, bool) {
	r := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}}
	e, _, ok := routes().match(r)
	if !ok {
		return Route{}, false
	}
	return e.forQuery(query).Route, true
}

// forQuery picks, among the entries that share e's method and path, the
// one whose query parameter value the request names, else the one that
// names none.
func (e *routeEntry) forQuery(query url.Values) *routeEntry {
	for _, o := range routes().siblings[e.key()] {
		_, q, _ := strings.Cut(o.Pattern, "?")
		if name, value, _ := strings.Cut(q, "="); value != "" && query.Get(name) == value {
			return o
		}
	}
	return e
}

// key is the method and path of an entry's pattern, without its query.
func (e *routeEntry) key() string {
	path, _, _ := strings.Cut(e.Pattern, "?")
	return e.Method + " " + path
}
