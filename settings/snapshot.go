package settings

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/schema"
)

// SnapshotOption configures Snapshot.
type SnapshotOption func(*snapshotConfig)

type snapshotConfig struct {
	modules  []string
	progress func(string)
}

// OnlyModules restricts a snapshot to these modules (by API name), each of
// which must exist; by default it holds every module whose records the
// API serves.
func OnlyModules(apiNames ...string) SnapshotOption {
	return func(c *snapshotConfig) { c.modules = append(c.modules, apiNames...) }
}

// WithProgress has Snapshot report each step, and each file it leaves
// out, as a line of text.
func WithProgress(f func(msg string)) SnapshotOption {
	return func(c *snapshotConfig) { c.progress = f }
}

// Snapshot downloads the org's module metadata as files, each byte for byte
// as Zoho sent it: modules.json, and the fields, layouts and related lists
// of the chosen modules, plus the fields of the subform modules their
// subforms name. Commit it (zhgen -live -dump does), and generate code or
// run zohotest from it offline.
//
// A module Zoho lists but serves no fields for (Visits, Approvals, …) is
// left out, unless OnlyModules named it: then it is an error, as is a name
// the org does not have (*schema.UnknownModuleError). Layouts and related
// lists that Zoho refuses (a token without their scope) or answers in a
// shape schema cannot decode are left out too: code generation needs only
// the fields.
func Snapshot(ctx context.Context, c *zohohub.Client, opts ...SnapshotOption) (schema.Snapshot, error) {
	var cfg snapshotConfig
	for _, o := range opts {
		o(&cfg)
	}
	progress := func(msg string) {
		if cfg.progress != nil {
			cfg.progress(msg)
		}
	}
	snap := schema.Snapshot{}
	progress("fetching module list")
	raw, err := getFile(ctx, c, "settings/modules", nil, `{"modules":[]}`)
	if err != nil {
		return nil, err
	}
	mods, err := schema.DecodeModules(raw)
	if err != nil {
		return nil, badAnswer("settings/modules", err)
	}
	snap[schema.ModulesFile] = raw
	todo, err := chooseModules(mods, cfg.modules)
	if err != nil {
		return nil, err
	}
	explicit := len(cfg.modules) > 0

	var subforms []string
	for i, name := range todo {
		progress(fmt.Sprintf("fetching fields, layouts and related lists of %s (%d/%d)", name, i+1, len(todo)))
		raw, err := getFile(ctx, c, "settings/fields", moduleQuery(name), `{"fields":[]}`)
		if err != nil {
			if !explicit && refused(err) {
				progress(fmt.Sprintf("skipping %s: %v", name, err))
				continue
			}
			return nil, err
		}
		fields, err := schema.DecodeFields(raw)
		if err != nil {
			return nil, badAnswer("settings/fields?module="+name, err)
		}
		snap[schema.FieldsFile(name)] = raw
		for _, f := range fields {
			if sub := f.SubformModule(); f.DataType == "subform" && sub != "" && !slices.Contains(subforms, sub) {
				subforms = append(subforms, sub)
			}
		}
		for _, part := range []struct {
			path, file, empty string
			decode            func([]byte) error
		}{
			{"settings/layouts", schema.LayoutsFile(name), `{"layouts":[]}`, func(b []byte) error { _, err := schema.DecodeLayouts(b); return err }},
			{"settings/related_lists", schema.RelatedListsFile(name), `{"related_lists":[]}`, func(b []byte) error { _, err := schema.DecodeRelatedLists(b); return err }},
		} {
			raw, err := getFile(ctx, c, part.path, moduleQuery(name), part.empty)
			if err == nil {
				if err = part.decode(raw); err != nil {
					err = badAnswer(part.path+"?module="+name, err)
				}
			}
			switch {
			case err == nil:
				snap[part.file] = raw
			case refused(err) || errors.Is(err, zohohub.ErrScopeMismatch) || errors.Is(err, zohohub.ErrBadResponse):
				progress(fmt.Sprintf("leaving out %s: %v", part.file, err))
			default:
				return nil, err
			}
		}
	}
	slices.Sort(subforms)
	for _, sub := range subforms {
		if _, done := snap[schema.FieldsFile(sub)]; done {
			continue
		}
		progress("fetching fields of subform " + sub)
		raw, err := getFile(ctx, c, "settings/fields", moduleQuery(sub), `{"fields":[]}`)
		if err == nil {
			if _, err = schema.DecodeFields(raw); err != nil {
				err = badAnswer("settings/fields?module="+sub, err)
			}
		}
		if err != nil {
			// Rows then fall back to ID plus Get/Set; worth a line, not a failure.
			progress(fmt.Sprintf("no fields for subform %s: %v", sub, err))
			continue
		}
		snap[schema.FieldsFile(sub)] = raw
	}
	return snap, nil
}

// chooseModules returns the modules a snapshot holds, sorted: the named
// ones, each of which must exist, or else every module holding records.
func chooseModules(mods []schema.Module, names []string) ([]string, error) {
	known := map[string]bool{}
	var todo []string
	for _, m := range mods {
		known[m.APIName] = true
		if len(names) == 0 && m.HoldsRecords() {
			todo = append(todo, m.APIName)
		}
	}
	for _, n := range names {
		if !known[n] {
			return nil, &schema.UnknownModuleError{Name: n, Known: slices.Sorted(maps.Keys(known))}
		}
		if !slices.Contains(todo, n) {
			todo = append(todo, n)
		}
	}
	slices.Sort(todo)
	return todo, nil
}

// getFile gets an answer to keep as a snapshot file: a 204 No Content
// becomes empty, the envelope with an empty list.
func getFile(ctx context.Context, c *zohohub.Client, path string, q url.Values, empty string) ([]byte, error) {
	body, err := get(ctx, c, path, q)
	if err == nil && len(body) == 0 {
		body = []byte(empty)
	}
	return body, err
}

// refused reports whether Zoho refused a request for this module for good
// (an unknown module, no permission), as opposed to the token, its scopes,
// the rate limit or the server failing.
func refused(err error) bool {
	apiErr, ok := errors.AsType[*zohohub.APIError](err)
	return ok && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		apiErr.StatusCode != http.StatusUnauthorized && apiErr.StatusCode != http.StatusTooManyRequests
}
