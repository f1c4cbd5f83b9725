package demo

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// Flags name the org and the OAuth client an example uses.
type Flags struct {
	DC, Kind               string
	ClientID, ClientSecret string
}

// Register adds -dc, -env, -client-id and -client-secret to fs; client
// names the kind of OAuth client in their help: "Self Client", "web
// client".
func (f *Flags) Register(fs *flag.FlagSet, client string) {
	fs.StringVar(&f.DC, "dc", "", "Zoho data centre of a real org (us, eu, in, cn, au, jp, ca, sa); empty runs the embedded emulator")
	fs.StringVar(&f.Kind, "env", "production", "kind of org: production, sandbox or developer")
	fs.StringVar(&f.ClientID, "client-id", "", client+" id (real org)")
	fs.StringVar(&f.ClientSecret, "client-secret", "", client+" secret (real org); also read from ZOHO_CLIENT_SECRET")
}

// Open returns the org's environment. With no -dc it starts the emulator,
// says so on out, takes the emulator's client and returns the emulator,
// which the caller closes; otherwise the emulator is nil, the secret
// defaults to $ZOHO_CLIENT_SECRET and both client flags are required.
func (f *Flags) Open(out io.Writer) (auth.Environment, *zohotest.Server, error) {
	if f.DC == "" {
		crm, err := zohotest.Start()
		if err != nil {
			return auth.Environment{}, nil, err
		}
		f.ClientID, f.ClientSecret = crm.ClientID(), crm.ClientSecret()
		fmt.Fprintf(out, "Started the embedded Zoho CRM emulator at %s\n", crm.URL())
		return crm.Environment(), crm, nil
	}
	env, err := auth.Lookup(auth.DataCenter(f.DC), auth.Kind(f.Kind))
	if err != nil {
		return auth.Environment{}, nil, err
	}
	if f.ClientSecret == "" {
		f.ClientSecret = os.Getenv("ZOHO_CLIENT_SECRET")
	}
	if f.ClientID == "" || f.ClientSecret == "" {
		return auth.Environment{}, nil, errors.New("a real org needs -client-id and -client-secret")
	}
	return env, nil, nil
}

// TokenFile returns path, or when it is empty a tokens.csv in a new
// temporary directory (named after prefix) that cleanup removes.
func TokenFile(path, prefix string) (file string, cleanup func(), err error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "tokens.csv"), func() { os.RemoveAll(dir) }, nil
}
