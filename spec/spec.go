// Package spec holds the Zoho CRM API contract as data: module metadata
// (modules, fields, layouts, related lists, users, org) shaped exactly like
// Zoho's v8 responses, and Zoho's OAS files (spec/oas) the conformance
// tests check zohotest against. The emulator in package zohotest serves
// the metadata, and zhgen generates package modules from it; package
// schema decodes it.
//
// The files are written by internal/metagen/gen.py
// (python3 spec/internal/metagen/gen.py spec/metadata).
package spec

import (
	"embed"
	"io/fs"
)

//go:embed metadata
var metadata embed.FS

// Metadata returns the metadata files, rooted at the metadata directory:
// modules.json, fields/<Module>.json, layouts/<Module>.json,
// related_lists/<Module>.json, users.json and org.json.
func Metadata() fs.FS {
	sub, err := fs.Sub(metadata, "metadata")
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return sub
}
