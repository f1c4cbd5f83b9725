package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/internal/testenv"
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
	srv := zohotest.New(t, zohotest.WithClient("1000.DEMO", "s3cret")) // the guide's client
	env := srv.Environment()
	store := filepath.Join(t.TempDir(), "tokens.csv")
	if code, _, stderr := zhgen(t, "auth", "-grant-token", srv.NewGrantToken("ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL"),
		"-client-id", srv.ClientID(), "-client-secret", srv.ClientSecret(), "-accounts-url", env.AccountsURL,
		"-store", "file:"+store, "-user", "me@example.com"); code != 0 {
		t.Fatalf("zhgen auth: exit %d\n%s", code, stderr)
	}

	root := testenv.Root(t)
	mod := newToolModule(t, root)
	code, _, stderr := zhgen(t, "-live", "-token-store", "file:"+store, "-client-id", srv.ClientID(), "-user", "me@example.com",
		"-api-domain", env.APIDomain, "-accounts-url", env.AccountsURL, "-pkg", "crm", "-out", filepath.Join(mod, "crm"), "-dump", filepath.Join(mod, "zoho-metadata"))
	if code != 0 {
		t.Fatalf("zhgen -live: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "fetching fields, layouts and related lists of") {
		t.Errorf("no progress on stderr:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(mod, "crm", "project.go")); err != nil {
		t.Fatalf("no project.go for the custom module: %v\n%s", err, stderr)
	}

	// The program is the one docs/codegen.md shows, run as the reader would:
	// from the module directory holding tokens.csv.
	testenv.WriteFile(t, filepath.Join(mod, "main.go"), docProgram(t, filepath.Join(root, "docs", "codegen.md")))
	data, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(mod, "tokens.csv"), string(data))
	testenv.Go(t, mod, nil, "mod", "tidy")
	testenv.Go(t, mod, nil, "build", "./...")

	// go generate from the dumped metadata, offline, rewrites the same bytes.
	testenv.WriteFile(t, filepath.Join(mod, "crm", "generate.go"), docGenerateLine(t, filepath.Join(root, "docs", "codegen.md"))+"\npackage crm\n")
	before, _ := os.ReadFile(filepath.Join(mod, "crm", "project.go"))
	testenv.Go(t, mod, nil, "generate", "./crm")
	if after, _ := os.ReadFile(filepath.Join(mod, "crm", "project.go")); string(after) != string(before) {
		t.Error("go generate from the dump changed project.go")
	}
	out := testenv.Go(t, mod, nil, "run", ".", "-zhemu", srv.URL())
	if !strings.Contains(out, ": Apollo in Projects") {
		t.Errorf("program output %q", out)
	}
}

// docGenerateLine returns the //go:generate line of crm/generate.go a
// guide shows.
func docGenerateLine(t *testing.T, guide string) string {
	t.Helper()
	data, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "//go:generate ") && strings.Contains(line, "-metadata ../zoho-metadata") {
			return line
		}
	}
	t.Fatalf("%s shows no //go:generate line for crm/generate.go", guide)
	return ""
}

// docProgram returns the Go block that follows the e2e:main.go marker of a
// guide.
func docProgram(t *testing.T, guide string) string {
	t.Helper()
	data, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- e2e:main.go -->\n```go\n")
	prog, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatalf("%s has no program after <!-- e2e:main.go -->", guide)
	}
	return prog
}
