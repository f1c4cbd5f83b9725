package zohotest

// defaultBooleans stores false for every writable checkbox field (apis) a
// record lacks: Zoho has no null checkbox, so a record created without
// one, or updated with null, reads back false ("Email_Opt_Out": false) and
// matches COQL "= false". Zoho's SDKs type these fields Boolean.
func defaultBooleans(apis []string, rec map[string]any) {
	for _, api := range apis {
		if v, ok := rec[api]; !ok || v == nil {
			rec[api] = false
		}
	}
}
