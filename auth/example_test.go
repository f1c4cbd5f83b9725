package auth_test

import (
	"fmt"

	"github.com/zohohub/zohohub/auth"
)

func ExampleLookup() {
	env, err := auth.Lookup(auth.EU, auth.Sandbox)
	if err != nil {
		panic(err)
	}
	fmt.Println(env.APIDomain)
	fmt.Println(env.TokenURL())
	// Output:
	// https://sandbox.zohoapis.eu
	// https://accounts.zoho.eu/oauth/v2/token
}

func ExampleConfig_AuthCodeURL() {
	cfg := auth.Config{
		ClientID:    "1000.EXAMPLE",
		RedirectURL: "https://app.example/zoho/callback",
		Scopes:      []string{"ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL"},
		Environment: auth.MustLookup(auth.US, auth.Production),
	}
	fmt.Println(cfg.AuthCodeURL("state-123"))
	// Output:
	// https://accounts.zoho.com/oauth/v2/auth?access_type=offline&client_id=1000.EXAMPLE&prompt=consent&redirect_uri=https%3A%2F%2Fapp.example%2Fzoho%2Fcallback&response_type=code&scope=ZohoCRM.modules.ALL%2CZohoCRM.settings.ALL&state=state-123
}

func ExampleFromRedirect() {
	// Zoho's redirect names the user's data centre.
	env, err := auth.FromRedirect("", "https://accounts.zoho.com.au")
	if err != nil {
		panic(err)
	}
	fmt.Println(env.DataCenter, env.APIDomain)
	// Output: au https://www.zohoapis.com.au
}

// A stored token's api_domain names the user's data centre: the web flow
// builds each user's client for it. A custom environment (zohotest, zhemu)
// has no data centre and keeps its own URLs.
func ExampleFromAPIDomain() {
	env, err := auth.FromAPIDomain("https://www.zohoapis.eu") // persistence.Token.APIDomain
	if err != nil {
		panic(err)
	}
	fmt.Println(env, env.AccountsURL)

	emu, _ := auth.Custom("http://127.0.0.1:8080", "http://127.0.0.1:8080", "")
	_, err = auth.FromAPIDomain(emu.APIDomain)
	fmt.Println(emu.DataCenter == "", err != nil)
	// Output:
	// eu/production https://accounts.zoho.eu
	// true true
}
