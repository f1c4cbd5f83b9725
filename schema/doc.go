// Package schema holds the Go types of Zoho CRM's metadata: modules,
// fields (with picklists, lookups, lengths and decimal places), layouts,
// related lists, custom views, users and the organisation, decoded from
// the JSON that Zoho's settings, users and org APIs answer
// (https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html and the
// pages beside it; the OAS files in spec/oas).
//
// It is the one decoding of that JSON in zohohub: package settings returns
// these types from a live org, zhgen generates code from them, package
// zohotest serves an org described by them, and package spec holds an org's
// metadata as files in their shape. It imports nothing else of zohohub, so
// every one of those can use it.
//
// The types keep what zohohub and its users need and ignore the other keys.
// They tolerate the shape changes between API versions that matter to them:
// a lookup's module is a string in v2 and an object since v3, a related
// list's sequence_number is a string, api_supported is absent before v3.
//
// Metadata as files (what zhgen -live -dump writes and spec/metadata holds)
// is a [Snapshot]: modules.json, fields/<Module>.json,
// layouts/<Module>.json and related_lists/<Module>.json, each exactly one
// of Zoho's answers. [Load] reads and decodes such a directory.
package schema
