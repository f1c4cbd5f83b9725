// Package settings reads an organisation's metadata and users through a
// *zohohub.Client: modules, fields (picklists, lookups, lengths, decimal
// places, read-only, mandatory and unique flags), layouts, related lists,
// custom views, users and the organisation itself, as the types of package
// schema.
//
// Every call goes through the client's pipeline (access token, concurrency
// bound, retries, redirect refusal), and fails with the client's errors: an
// *zohohub.APIError for Zoho's error answers, such as INVALID_MODULE for a
// module the org does not have, matching zohohub.ErrBadResponse when the
// answer is not the JSON the call expects.
//
//	fields, err := settings.Fields(ctx, client, "Leads")
//	for u, err := range settings.Users(ctx, client, settings.ActiveUsers) { … }
//
// The calls need the scopes ZohoCRM.settings.READ (or .ALL),
// ZohoCRM.users.READ and ZohoCRM.org.READ.
//
// [Snapshot] downloads an org's module metadata as files, byte for byte as
// Zoho sent them: what zhgen -live -dump writes, and what
// zohotest.WithMetadata and zhgen -metadata read.
package settings
