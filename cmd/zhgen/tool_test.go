package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/internal/testenv"
)

// toolPath and emulatorPath are the package paths of zhgen and zhemu, as
// a module's tool directive names them.
const (
	toolPath     = "github.com/zohohub/zohohub/cmd/zhgen"
	emulatorPath = "github.com/zohohub/zohohub/cmd/zhemu"
)

// unpublished is the version a module requires zohohub at when a replace
// directive points at a checkout: go get cannot fetch an unpublished
// module, go mod edit can require it.
const unpublished = "v0.0.0-00010101000000-000000000000"

// TestToolDirective proves the route docs/getting-started.md and
// docs/codegen.md give, in a fresh module against this checkout: zhgen and
// zhemu as tools of the module (go get -tool once zohohub is published),
// go mod tidy fetching what they need, go tool zhgen -h, and a generation
// from this repository's spec/metadata through the //go:generate line of
// docs/codegen.md.
// The go command reaches the module proxy of the environment for
// dependencies.
func TestToolDirective(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command, which may download modules")
	}
	t.Parallel()
	root := testenv.Root(t)
	mod := newToolModule(t, root)
	testenv.Go(t, mod, nil, "mod", "edit", "-tool", emulatorPath)
	testenv.Go(t, mod, nil, "mod", "tidy")
	gomod, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	if err != nil || !strings.Contains(string(gomod), toolPath) || !strings.Contains(string(gomod), emulatorPath) {
		t.Fatalf("go.mod after tidy lacks the tool directives (%v):\n%s", err, gomod)
	}
	// From here on the go command may not touch go.mod or go.sum, as in
	// a user's build: tidy must have recorded all the tools need.
	readonly := []string{"GOFLAGS=-mod=readonly"}
	if out := testenv.Go(t, mod, readonly, "tool", "zhgen", "-h"); !strings.Contains(out, "zhgen generates typed Go structs") {
		t.Errorf("go tool zhgen -h:\n%s", out)
	}
	if out := testenv.Go(t, mod, readonly, "tool", "zhemu", "-h"); !strings.Contains(out, "zhemu serves an in-memory Zoho CRM") {
		t.Errorf("go tool zhemu -h:\n%s", out)
	}

	// go generate with the line the docs give, then build what it wrote
	// with a program that uses it.
	pkg := filepath.Join(mod, "crm")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	line := docGenerateLine(t, filepath.Join(root, "docs", "codegen.md"))
	if !strings.HasPrefix(line, "//go:generate go tool zhgen ") {
		t.Errorf("docs/codegen.md generates with %q, not go tool zhgen", line)
	}
	line = strings.Replace(line, "../zoho-metadata", filepath.Join(root, "spec", "metadata"), 1)
	testenv.WriteFile(t, filepath.Join(pkg, "generate.go"), line+"\npackage crm\n")
	testenv.Go(t, mod, readonly, "generate", "./crm")
	for _, name := range []string{"account.go", "lead.go", "project.go"} {
		if _, err := os.Stat(filepath.Join(pkg, name)); err != nil {
			t.Errorf("go generate wrote no %s: %v", name, err)
		}
	}
	testenv.WriteFile(t, filepath.Join(mod, "main.go"), `package main

import (
	"fmt"

	"example.com/myapp/crm"
)

func main() { fmt.Println(crm.Account{AccountName: "Zylker"}.ZohoModule(), crm.AccountAccountName) }
`)
	if out := testenv.Go(t, mod, readonly, "run", "."); strings.TrimSpace(out) != "Accounts Account_Name" {
		t.Errorf("program output %q", out)
	}
}

// newToolModule makes the reader's module, example.com/myapp, requiring
// the zohohub checkout at root with zhgen as a tool: go get -tool, for a
// module go get cannot fetch.
func newToolModule(t *testing.T, root string) string {
	t.Helper()
	mod := t.TempDir()
	testenv.WriteFile(t, filepath.Join(mod, "go.mod"), "module example.com/myapp\n\ngo 1.26\n")
	testenv.Go(t, mod, nil, "mod", "edit", "-replace", "github.com/zohohub/zohohub="+root,
		"-require", "github.com/zohohub/zohohub@"+unpublished, "-tool", toolPath)
	return mod
}
