package settings_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/settings"
	"github.com/zohohub/zohohub/zohotest"
)

// gadgetOrg is an org with a custom module whose subform rows live in a
// subform module, a listed module without a fields API, a web tab, and
// Leads with its layouts and related lists.
var gadgetOrg = fstest.MapFS{
	"modules.json": {Data: []byte(`{"modules":[
		{"api_name":"Leads","module_name":"Leads","generated_type":"default","api_supported":true},
		{"api_name":"Gadgets","module_name":"Gadgets","generated_type":"custom","api_supported":true},
		{"api_name":"Gadget_Parts","module_name":"Gadget_Parts","generated_type":"subform","api_supported":true},
		{"api_name":"Activities","module_name":"Activities","generated_type":"default","api_supported":true},
		{"api_name":"Home","module_name":"Home","generated_type":"web","api_supported":false}]}`)},
	"fields/Leads.json": {Data: []byte(`{"fields":[{"id":"1","api_name":"Last_Name","data_type":"text","json_type":"string","length":80,"system_mandatory":true,"unique":{},"lookup":{}}]}`)},
	"fields/Gadgets.json": {Data: []byte(`{"fields":[{"id":"2","api_name":"Name","data_type":"text","json_type":"string","length":120,"unique":{},"lookup":{}},
		{"id":"3","api_name":"Parts","data_type":"subform","json_type":"jsonarray","unique":{},"lookup":{},"associated_module":{"module":"Gadget_Parts","id":"9"}}]}`)},
	"fields/Gadget_Parts.json": {Data: []byte(`{"fields":[{"id":"4","api_name":"Part","data_type":"text","json_type":"string","length":50,"unique":{},"lookup":{}}]}`)},
	"layouts/Leads.json":       {Data: []byte(`{"layouts":[{"id":"5","name":"Standard","sections":[]}]}`)},
	"related_lists/Leads.json": {Data: []byte(`{"related_lists":[{"id":"6","api_name":"Notes","module":{"api_name":"Notes","id":"7"},"href":"Leads/{ENTITYID}/Notes","sequence_number":"1"}]}`)},
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newClient(t, zohotest.WithMetadata(gadgetOrg))
	var progress []string
	snap, err := settings.Snapshot(ctx, c, settings.WithProgress(func(m string) { progress = append(progress, m) }))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fields/Gadget_Parts.json", "fields/Gadgets.json", "fields/Leads.json", "layouts/Gadgets.json", "layouts/Leads.json",
		"modules.json", "related_lists/Gadgets.json", "related_lists/Leads.json"}
	if got := slices.Sorted(maps.Keys(snap)); !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	// Byte for byte as served; a 204 (Gadgets has no layouts) is an empty list.
	for _, name := range []string{"modules.json", "fields/Leads.json", "layouts/Leads.json", "related_lists/Leads.json", "fields/Gadget_Parts.json"} {
		if string(snap[name]) != string(gadgetOrg[name].Data) {
			t.Errorf("%s differs from what the org served:\n%s", name, snap[name])
		}
	}
	if string(snap["layouts/Gadgets.json"]) != `{"layouts":[]}` {
		t.Errorf("layouts of Gadgets: %s", snap["layouts/Gadgets.json"])
	}
	meta, err := snap.Decode()
	if err != nil || meta.RelatedLists["Leads"][0].SequenceNumber != 1 {
		t.Errorf("decoded snapshot: %v, %+v", err, meta.RelatedLists)
	}
	for _, line := range []string{"fetching module list", "fetching fields, layouts and related lists of Gadgets (2/3)",
		"skipping Activities: zohohub: GET settings/fields: HTTP 400 INVALID_MODULE", "fetching fields of subform Gadget_Parts"} {
		if !slices.ContainsFunc(progress, func(p string) bool { return strings.HasPrefix(p, line) }) {
			t.Errorf("no progress line %q in %q", line, progress)
		}
	}

	// Named modules: exactly those; an unknown one, or one without a
	// fields API, is an error.
	snap, err = settings.Snapshot(ctx, c, settings.OnlyModules("Leads"))
	if got := slices.Sorted(maps.Keys(snap)); err != nil || !slices.Equal(got, []string{"fields/Leads.json", "layouts/Leads.json", "modules.json", "related_lists/Leads.json"}) {
		t.Errorf("Leads only: %q, %v", got, err)
	}
	_, err = settings.Snapshot(ctx, c, settings.OnlyModules("Leads", "Leeds"))
	if ue, ok := errors.AsType[*schema.UnknownModuleError](err); !ok || ue.Name != "Leeds" || !slices.Contains(ue.Known, "Activities") {
		t.Errorf("unknown module: %v", err)
	}
	_, err = settings.Snapshot(ctx, c, settings.OnlyModules("Activities"))
	if apiErr, ok := errors.AsType[*zohohub.APIError](err); !ok || apiErr.Code != "INVALID_MODULE" {
		t.Errorf("named module without fields: %v", err)
	}
}

// A token without the layouts and related lists scopes still gets a
// snapshot: without those files. One without the fields scope does not.
func TestSnapshotScopes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := zohotest.New(t, zohotest.WithMetadata(gadgetOrg))
	client := func(scopes ...string) *zohohub.Client {
		env := srv.Environment()
		cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: env}
		tok, err := cfg.Exchange(ctx, srv.NewGrantToken(scopes...))
		if err != nil {
			t.Fatal(err)
		}
		c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken(tok.AccessToken)))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var progress []string
	snap, err := settings.Snapshot(ctx, client("ZohoCRM.settings.modules.READ", "ZohoCRM.settings.fields.READ"),
		settings.OnlyModules("Leads"), settings.WithProgress(func(m string) { progress = append(progress, m) }))
	if got := slices.Sorted(maps.Keys(snap)); err != nil || !slices.Equal(got, []string{"fields/Leads.json", "modules.json"}) {
		t.Errorf("without layout scopes: %q, %v", got, err)
	}
	if !slices.ContainsFunc(progress, func(p string) bool {
		return strings.HasPrefix(p, "leaving out layouts/Leads.json:") && strings.Contains(p, "OAUTH_SCOPE_MISMATCH")
	}) {
		t.Errorf("progress %q", progress)
	}
	_, err = settings.Snapshot(ctx, client("ZohoCRM.settings.modules.READ"), settings.OnlyModules("Leads"))
	if !errors.Is(err, zohohub.ErrScopeMismatch) {
		t.Errorf("without the fields scope: %v", err)
	}
}
