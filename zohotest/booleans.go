package zohotest

import "github.com/zohohub/zohohub/schema"

// defaultBooleans stores false for every writable checkbox field a record
// lacks: Zoho has no null checkbox, so a record created without one, or
// updated with null, reads back false ("Email_Opt_Out": false) and matches
// COQL "= false". Zoho's SDKs type these fields Boolean.
func defaultBooleans(fields map[string]schema.Field, rec map[string]any) {
	for api, f := range fields {
		if f.DataType != "boolean" || f.ReadOnly {
			continue
		}
		if v, ok := rec[api]; !ok || v == nil {
			rec[api] = false
		}
	}
}
