package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// TestEndToEnd goes from a grant token to a compiled program against a
// running emulator: zhgen auth stores tokens, zhgen -live generates a
// package from the emulator's metadata into a throwaway module, and a
// program built from it creates and reads a record of the custom module.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program with the go command")
	}
	srv := zohotest.New(t)
	env := srv.Environment()
	store := filepath.Join(t.TempDir(), "tokens.csv")
	if code, _, stderr := zhgen(t, "auth", "-grant-token", srv.NewGrantToken("ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL"),
		"-client-id", srv.ClientID(), "-client-secret", srv.ClientSecret(), "-accounts-url", env.AccountsURL,
		"-store", "file:"+store); code != 0 {
		t.Fatalf("zhgen auth: exit %d\n%s", code, stderr)
	}

	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/e2e\n\ngo 1.26\n\nrequire github.com/zohohub/zohohub v0.0.0\n\nreplace github.com/zohohub/zohohub => "+root+"\n")
	sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	writeFile(t, filepath.Join(mod, "go.sum"), string(sum))
	code, _, stderr := zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", srv.ClientID(),
		"-api-domain", env.APIDomain, "-accounts-url", env.AccountsURL, "-pkg", "crm", "-out", filepath.Join(mod, "crm"))
	if code != 0 {
		t.Fatalf("zhgen -live: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "fetching fields of") {
		t.Errorf("no progress on stderr:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(mod, "crm", "project.go")); err != nil {
		t.Fatalf("no project.go for the custom module: %v\n%s", err, stderr)
	}

	writeFile(t, filepath.Join(mod, "main.go"), `package main

import (
	"context"
	"fmt"
	"os"

	"example.com/e2e/crm"
	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

type staticToken string

func (s staticToken) AccessToken(context.Context) (string, error) { return string(s), nil }
func (staticToken) Invalidate(string)                           {}

func main() {
	ctx := context.Background()
	env, err := auth.Custom(os.Getenv("E2E_API"), os.Getenv("E2E_ACCOUNTS"), os.Getenv("E2E_API"))
	if err != nil {
		panic(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(staticToken(os.Getenv("E2E_TOKEN"))))
	if err != nil {
		panic(err)
	}
	projects := zohohub.Records[crm.Project](c)
	p := &crm.Project{Name: "Apollo"}
	if err := projects.Save(ctx, p); err != nil {
		panic(err)
	}
	got, err := projects.Find(ctx, p.ID)
	if err != nil {
		panic(err)
	}
	fmt.Printf("created %s: %s in %s\n", got.ID, got.Name, got.ZohoModule())
}
`)
	runGo(t, mod, nil, "build", "./...")
	tok, err := persistence.NewFile(store)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := tok.Get(context.Background(), persistence.Key{ClientID: srv.ClientID()})
	if err != nil {
		t.Fatal(err)
	}
	out := runGo(t, mod, []string{"E2E_API=" + env.APIDomain, "E2E_ACCOUNTS=" + env.AccountsURL, "E2E_TOKEN=" + stored.AccessToken}, "run", ".")
	if !strings.Contains(out, ": Apollo in ") {
		t.Errorf("program output %q", out)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runGo(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
