package zohotest

import "strings"

// allScopes is the scope set the documentation asks a grant for (README,
// docs/authentication.md, docs/testing.md; TestDocsNameOneScopeSet holds
// them to it) and what a grant without explicit scopes (IssueToken,
// WithGrantToken, zhemu -grant-token, NewGrantToken()) is given: it opens
// every route here.
const allScopes = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoCRM.bulk.ALL,ZohoCRM.notifications.ALL,ZohoCRM.mass_update.UPDATE"

// scopeSet is a token's scopes, lower-cased: Zoho compares them without
// regard to case (ZohoCRM.modules.leads.READ and ZohoCRM.modules.Leads.READ
// are one scope).
type scopeSet map[string]bool

func parseScopes(s string) scopeSet {
	set := scopeSet{}
	for _, sc := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		set[strings.ToLower(sc)] = true
	}
	return set
}

// any reports whether the set holds one of the scopes.
func (s scopeSet) any(scopes ...string) bool {
	for _, sc := range scopes {
		if s[strings.ToLower(sc)] {
			return true
		}
	}
	return false
}

// need is one scope a route needs: any of its alternatives grants it. The
// last is the narrowest, the one OAUTH_SCOPE_MISMATCH names.
type need []string

// scopeRule is what a route needs of the token, given the call (its path
// values: the module).
type scopeRule func(c *call) []need

// missing returns the narrowest scope of each need the set does not meet.
func (s scopeSet) missing(needs []need) []string {
	var out []string
	for _, n := range needs {
		if !s.any(n...) {
			out = append(out, n[len(n)-1])
		}
	}
	return out
}

// scopeMismatch is Zoho's answer to a token without the scope a call
// needs; details name the scopes to add to the grant, under the key Zoho's
// API listing (GET /crm/{v}/__apis, spec/oas/apis.json) names a route's
// scope with.
func scopeMismatch(missing []string) *zerr {
	return newErr(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", map[string]any{"oauth_scope": strings.Join(missing, ",")})
}

// scope is a rule of one fixed need.
func scope(alternatives ...string) scopeRule {
	needs := []need{alternatives}
	return func(*call) []need { return needs }
}

// settingsScope is what a settings route of kind (modules, fields, layouts,
// related_lists) needs.
func settingsScope(kind string) scopeRule {
	return scope("ZohoCRM.settings.ALL", "ZohoCRM.settings.READ", "ZohoCRM.settings."+kind+".ALL", "ZohoCRM.settings."+kind+".READ")
}

// recordScope is what a records route needs: each op (READ, CREATE,
// UPDATE, DELETE) on the module of the path.
func recordScope(ops ...string) scopeRule {
	return func(c *call) []need {
		needs := make([]need, len(ops))
		for i, op := range ops {
			needs[i] = moduleNeed(c.moduleName, op)
		}
		return needs
	}
}

// notesScope is what the notes of a record need: op on notes and reading
// the record's module.
func notesScope(op string) scopeRule {
	return func(c *call) []need { return []need{moduleNeed("notes", op), moduleNeed(c.moduleName, "READ")} }
}

// moduleNeed is op on module's records: ZohoCRM.modules.ALL,
// ZohoCRM.modules.{op}, ZohoCRM.modules.{module}.ALL or
// ZohoCRM.modules.{module}.{op}; WRITE covers CREATE and UPDATE.
func moduleNeed(module, op string) need {
	n := need{"ZohoCRM.modules.ALL", "ZohoCRM.modules." + op, "ZohoCRM.modules." + module + ".ALL"}
	if op == "CREATE" || op == "UPDATE" {
		n = append(n, "ZohoCRM.modules.WRITE", "ZohoCRM.modules."+module+".WRITE")
	}
	return append(n, "ZohoCRM.modules."+module+"."+op)
}
