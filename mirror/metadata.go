package mirror

// This file is the mirror's one reader of Zoho's metadata: the fields of a
// module, the display fields of the modules and the names of the users,
// decoded into the little the schema needs. It is to be replaced by
// package settings (settings.Fields, settings.Modules, settings.Users),
// which decodes the same answers in full.

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/zohohub/zohohub"
)

// fieldMeta is what the mirror needs of a field of GET
// /settings/fields?module=X.
type fieldMeta struct {
	APIName  string `json:"api_name"`
	DataType string `json:"data_type"`
	JSONType string `json:"json_type"`
	// Length is the most characters of a text, or digits of a number.
	Length       int  `json:"length"`
	DecimalPlace *int `json:"decimal_place"`
	Lookup       struct {
		Module struct {
			APIName string `json:"api_name"`
		} `json:"module"`
	} `json:"lookup"`
	Subform          *moduleRef `json:"subform"`
	AssociatedModule *moduleRef `json:"associated_module"`
	Formula          struct {
		ReturnType string `json:"return_type"`
	} `json:"formula"`
	RollupSummary struct {
		ReturnType string `json:"return_type"`
	} `json:"rollup_summary"`
}

type moduleRef struct {
	APIName string `json:"api_name"`
}

// lookupModule is the module a lookup points to; "se_module" when the
// record's $se_module names it.
func (f fieldMeta) lookupModule() string { return f.Lookup.Module.APIName }

// subformModule is the module of a subform's rows, "" for other fields.
func (f fieldMeta) subformModule() string {
	for _, r := range []*moduleRef{f.Subform, f.AssociatedModule} {
		if r != nil && r.APIName != "" {
			return r.APIName
		}
	}
	return ""
}

// returnType is the type a formula or rollup summary field computes.
func (f fieldMeta) returnType() string {
	if f.Formula.ReturnType != "" {
		return f.Formula.ReturnType
	}
	return f.RollupSummary.ReturnType
}

// readFields lists a module's fields.
func readFields(ctx context.Context, c *zohohub.Client, module string) ([]fieldMeta, error) {
	var out struct {
		Fields []fieldMeta `json:"fields"`
	}
	req := &zohohub.Request{Path: "settings/fields", Query: url.Values{"module": {module}}}
	if _, err := c.DoJSON(ctx, req, &out); err != nil {
		return nil, fmt.Errorf("mirror: fields of %s: %w", module, err)
	}
	if len(out.Fields) == 0 {
		return nil, fmt.Errorf("mirror: fields of %s: Zoho lists none", module)
	}
	return out.Fields, nil
}

// readDisplayFields returns, by module, the field whose value names a
// record in lookups (GET /settings/modules).
func readDisplayFields(ctx context.Context, c *zohohub.Client) (map[string]string, error) {
	var out struct {
		Modules []struct {
			APIName      string    `json:"api_name"`
			DisplayField moduleRef `json:"display_field"`
		} `json:"modules"`
	}
	if _, err := c.DoJSON(ctx, &zohohub.Request{Path: "settings/modules"}, &out); err != nil {
		return nil, fmt.Errorf("mirror: modules: %w", err)
	}
	display := map[string]string{}
	for _, m := range out.Modules {
		if m.DisplayField.APIName != "" {
			display[m.APIName] = m.DisplayField.APIName
		}
	}
	return display, nil
}

// readUserNames returns the full names of the org's users by id, as Zoho
// names a user in owner and user lookups (GET /users?type=AllUsers, 200 a
// page).
func readUserNames(ctx context.Context, c *zohohub.Client) (map[string]string, error) {
	names := map[string]string{}
	for page := 1; ; page++ {
		var out struct {
			Users []struct {
				ID       string `json:"id"`
				FullName string `json:"full_name"`
			} `json:"users"`
			Info struct {
				MoreRecords bool `json:"more_records"`
			} `json:"info"`
		}
		q := url.Values{"type": {"AllUsers"}, "page": {strconv.Itoa(page)}, "per_page": {"200"}}
		if _, err := c.DoJSON(ctx, &zohohub.Request{Path: "users", Query: q}, &out); err != nil {
			return nil, fmt.Errorf("mirror: users: %w", err)
		}
		for _, u := range out.Users {
			names[u.ID] = u.FullName
		}
		if !out.Info.MoreRecords || len(out.Users) == 0 {
			return names, nil
		}
	}
}
