package zohotest

import "strings"

// allScopes is what a grant without explicit scopes (IssueToken,
// WithGrantToken, zhemu -grant-token, NewGrantToken()) is given: every
// scope a route here checks, so such tokens can call everything.
const allScopes = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ,ZohoCRM.bulk.ALL"

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

// module reports whether the set lets op (READ, CREATE, UPDATE, DELETE)
// on module's records: ZohoCRM.modules.ALL, ZohoCRM.modules.{op},
// ZohoCRM.modules.{module}.ALL or ZohoCRM.modules.{module}.{op}; WRITE
// covers CREATE and UPDATE.
func (s scopeSet) module(module, op string) bool {
	ok := s.any("ZohoCRM.modules.ALL", "ZohoCRM.modules."+op, "ZohoCRM.modules."+module+".ALL", "ZohoCRM.modules."+module+"."+op)
	if !ok && (op == "CREATE" || op == "UPDATE") {
		ok = s.any("ZohoCRM.modules.WRITE", "ZohoCRM.modules."+module+".WRITE")
	}
	return ok
}

// grantedLocked is the scopes, comma-separated, of the grant behind a
// refresh token; a token minted by IssueToken has every scope.
func (s *Server) grantedLocked(refresh string) string {
	if sc, ok := s.scopes[refresh]; ok {
		return sc
	}
	return allScopes
}

// scopeOps is the record operation each HTTP method asks of a module.
var scopeOps = map[string]string{"GET": "READ", "POST": "CREATE", "PUT": "UPDATE", "DELETE": "DELETE"}

// allow reports whether the set has a scope for what the CRM path rest
// (after /crm/{v}/ or /crm/bulk/{v}/) asks with method. Paths no route
// serves are left to the router's INVALID_URL_PATTERN.
func (set scopeSet) allow(method string, bulk bool, rest []string) bool {
	op := scopeOps[method]
	switch {
	case bulk && rest[0] == "read":
		return set.any("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.READ")
	case bulk:
		return set.any("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.READ")
	case rest[0] == "upload":
		return set.any("ZohoCRM.bulk.ALL", "ZohoCRM.bulk.CREATE", "ZohoFiles.files.ALL", "ZohoFiles.files.CREATE")
	case rest[0] == "settings":
		if len(rest) > 1 {
			return set.any("ZohoCRM.settings.ALL", "ZohoCRM.settings.READ", "ZohoCRM.settings."+rest[1]+".ALL", "ZohoCRM.settings."+rest[1]+".READ")
		}
		return set.any("ZohoCRM.settings.ALL", "ZohoCRM.settings.READ")
	case rest[0] == "users":
		return set.any("ZohoCRM.users.ALL", "ZohoCRM.users.READ")
	case rest[0] == "org":
		return set.any("ZohoCRM.org.ALL", "ZohoCRM.org.READ")
	case rest[0] == "coql":
		return set.any("ZohoCRM.coql.READ", "ZohoCRM.coql.ALL")
	case len(rest) == 3 && rest[2] == "Notes":
		return set.module("notes", op) && set.module(rest[0], "READ")
	case len(rest) == 2 && rest[1] == "upsert":
		return set.module(rest[0], "CREATE") && set.module(rest[0], "UPDATE")
	case op == "":
		return true // the router answers INVALID_REQUEST_METHOD
	default: // records, search, deleted, actions/count
		return set.module(rest[0], op)
	}
}

// scopeOfLocked is the scope a refresh answer reports: the scopes the
// grant behind the refresh token was given, space-separated as Zoho
// writes them.
func (s *Server) scopeOfLocked(refresh string) string {
	return strings.ReplaceAll(s.grantedLocked(refresh), ",", " ")
}
