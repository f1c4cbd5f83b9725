package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// DataCenter is one of Zoho's regional data centres, named by its short
// code as Zoho's OAuth redirect names it in the location parameter.
type DataCenter string

// Zoho's data centres that host Zoho CRM.
const (
	US DataCenter = "us"
	EU DataCenter = "eu"
	IN DataCenter = "in"
	CN DataCenter = "cn"
	AU DataCenter = "au"
	JP DataCenter = "jp"
	CA DataCenter = "ca"
	SA DataCenter = "sa"
)

// DataCenters lists every data centre zohohub knows, in a fixed order.
func DataCenters() []DataCenter { return []DataCenter{US, EU, IN, CN, AU, JP, CA, SA} }

// Kind is the kind of Zoho CRM organisation an environment reaches.
type Kind string

// The kinds of organisation. Sandbox and developer orgs share the
// production accounts server of their data centre.
const (
	Production Kind = "production"
	Sandbox    Kind = "sandbox"
	Developer  Kind = "developer"
)

// Environment is where a client sends its requests: the CRM API base URL,
// the accounts (OAuth) server and the file-upload host.
type Environment struct {
	// DataCenter is empty for a custom environment.
	DataCenter DataCenter
	// Kind is empty for a custom environment.
	Kind Kind
	// APIDomain is the base of CRM API URLs, such as "https://www.zohoapis.com".
	APIDomain string
	// AccountsURL is the accounts server, such as "https://accounts.zoho.com".
	AccountsURL string
	// UploadURL is the host for bulk-write uploads, such as "https://content.zohoapis.com".
	UploadURL string
}

type dcHosts struct {
	accounts string // accounts server
	tld      string // suffix of zohoapis hosts
	upload   string // upload host
}

// Taken from Zoho's multi-DC documentation and its official SDKs.
var dataCenterHosts = map[DataCenter]dcHosts{
	US: {"https://accounts.zoho.com", "com", "https://content.zohoapis.com"},
	EU: {"https://accounts.zoho.eu", "eu", "https://content.zohoapis.eu"},
	IN: {"https://accounts.zoho.in", "in", "https://content.zohoapis.in"},
	CN: {"https://accounts.zoho.com.cn", "com.cn", "https://content.zohoapis.com.cn"},
	AU: {"https://accounts.zoho.com.au", "com.au", "https://content.zohoapis.com.au"},
	JP: {"https://accounts.zoho.jp", "jp", "https://content.zohoapis.jp"},
	CA: {"https://accounts.zohocloud.ca", "ca", "https://upload.zohocloud.ca"},
	SA: {"https://accounts.zoho.sa", "sa", "https://files.zoho.sa"},
}

func hostPrefix(k Kind) (string, bool) {
	switch k {
	case Production, "":
		return "www", true
	case Sandbox:
		return "sandbox", true
	case Developer:
		return "developer", true
	}
	return "", false
}

// Lookup returns the environment of a data centre and kind of organisation.
// The data centre is matched without regard to case ("EU" and "eu" both work).
func Lookup(dc DataCenter, kind Kind) (Environment, error) {
	dc = DataCenter(strings.ToLower(string(dc)))
	h, ok := dataCenterHosts[dc]
	if !ok {
		return Environment{}, fmt.Errorf("auth: unknown data centre %q (want one of us, eu, in, cn, au, jp, ca, sa)", string(dc))
	}
	prefix, ok := hostPrefix(kind)
	if !ok {
		return Environment{}, fmt.Errorf("auth: unknown environment kind %q (want production, sandbox or developer)", string(kind))
	}
	if kind == "" {
		kind = Production
	}
	return Environment{
		DataCenter:  dc,
		Kind:        kind,
		APIDomain:   "https://" + prefix + ".zohoapis." + h.tld,
		AccountsURL: h.accounts,
		UploadURL:   h.upload,
	}, nil
}

// MustLookup is like [Lookup] but panics on an unknown data centre or kind.
// It is meant for package-level values built from constants.
func MustLookup(dc DataCenter, kind Kind) Environment {
	env, err := Lookup(dc, kind)
	if err != nil {
		panic(err)
	}
	return env
}

// Custom returns an environment with explicit URLs, such as a zohotest
// server or a proxy. Trailing slashes are removed. Each URL must be absolute;
// an empty uploadURL means the API domain, which is where zohotest and zhemu
// serve uploads.
func Custom(apiDomain, accountsURL, uploadURL string) (Environment, error) {
	env := Environment{}
	if uploadURL == "" {
		uploadURL = apiDomain
	}
	for _, f := range []struct {
		name string
		in   string
		out  *string
	}{{"API domain", apiDomain, &env.APIDomain}, {"accounts URL", accountsURL, &env.AccountsURL}, {"upload URL", uploadURL, &env.UploadURL}} {
		u, err := url.Parse(f.in)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return Environment{}, fmt.Errorf("auth: custom environment: %s %q is not an absolute URL", f.name, f.in)
		}
		*f.out = strings.TrimRight(f.in, "/")
	}
	return env, nil
}

// TokenURL is the OAuth token endpoint of the environment.
func (e Environment) TokenURL() string { return e.AccountsURL + "/oauth/v2/token" }

// AuthURL is the OAuth authorization (consent) endpoint of the environment.
func (e Environment) AuthURL() string { return e.AccountsURL + "/oauth/v2/auth" }

// RevokeURL is the OAuth token revocation endpoint of the environment.
func (e Environment) RevokeURL() string { return e.AccountsURL + "/oauth/v2/token/revoke" }

// String names the environment, such as "eu/sandbox" or "custom(https://…)".
func (e Environment) String() string {
	if e.DataCenter == "" {
		return "custom(" + e.APIDomain + ")"
	}
	return string(e.DataCenter) + "/" + string(e.Kind)
}

// WithAPIDomain returns e with its API domain replaced by the api_domain a
// token response named: Zoho's api_domain is authoritative for the user's
// data centre. For a known Zoho domain the whole environment of that data
// centre and kind (as the domain names it) is returned; an unknown domain
// replaces only APIDomain, keeping e's other URLs.
func (e Environment) WithAPIDomain(apiDomain string) Environment {
	apiDomain = strings.TrimRight(apiDomain, "/")
	if apiDomain == "" || apiDomain == e.APIDomain {
		return e
	}
	if found, err := FromAPIDomain(apiDomain); err == nil {
		return found
	}
	e.APIDomain = apiDomain
	return e
}

// FromAPIDomain returns the environment whose API domain is apiDomain, such
// as "https://sandbox.zohoapis.eu" (the scheme may be omitted).
func FromAPIDomain(apiDomain string) (Environment, error) {
	host := hostOf(apiDomain)
	for _, dc := range DataCenters() {
		for _, k := range []Kind{Production, Sandbox, Developer} {
			env := MustLookup(dc, k)
			if hostOf(env.APIDomain) == host {
				return env, nil
			}
		}
	}
	return Environment{}, fmt.Errorf("auth: %q is not a known Zoho API domain", apiDomain)
}

// FromRedirect returns the production environment of the data centre that
// Zoho's OAuth redirect names: its location parameter (such as "eu") or its
// accounts-server parameter (such as "https://accounts.zoho.eu"). The
// location wins when both are given and known.
func FromRedirect(location, accountsServer string) (Environment, error) {
	if location != "" {
		if env, err := Lookup(DataCenter(location), Production); err == nil {
			return env, nil
		}
	}
	if accountsServer != "" {
		host := hostOf(accountsServer)
		for _, dc := range DataCenters() {
			if hostOf(dataCenterHosts[dc].accounts) == host {
				return MustLookup(dc, Production), nil
			}
		}
	}
	return Environment{}, fmt.Errorf("auth: redirect names no known data centre (location %q, accounts-server %q)", location, accountsServer)
}

func hostOf(s string) string {
	s = strings.TrimSpace(strings.ToLower(s))
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.Hostname()
}
