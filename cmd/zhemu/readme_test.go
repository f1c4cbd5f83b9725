package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/internal/testenv"
)

// TestReadmeTourAgainstZhemu copies README's tour into a program and runs
// it against zhemu serving an org's metadata (-metadata, the layout zhgen
// -dump writes) with the tour's custom field (-custom-field
// Accounts.Main_Contact_Name:text). The glue only points the environment
// at zhemu, fills the tour's placeholders (the ids, the token, many, the
// loop bodies) and checks every error the tour leaves unchecked.
func TestReadmeTourAgainstZhemu(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	t.Parallel()
	root := testenv.Root(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := testenv.NewModule(t, "tour")
	testenv.WriteFile(t, filepath.Join(dir, "main.go"), tourProgram(t, string(readme)))
	seed := filepath.Join(dir, "seed.json")
	testenv.WriteFile(t, seed, `{"Accounts":[{"Account_Name":"Zylker","Industry":"Technology"}]}`)

	z := startZhemu(t, "-client-id", "1000.TOUR", "-client-secret", "tour-secret", "-grant-token", "1000.tour.grant", "-seed", seed,
		"-metadata", filepath.Join(root, "spec", "metadata"), "-custom-field", "Accounts.Main_Contact_Name:text")
	ids := strings.Fields(strings.SplitN(z.out.String(), "zhemu: seeded Accounts ", 2)[1])
	out := testenv.Go(t, dir, []string{"GOPROXY=off", "GOSUMDB=off"}, "run", ".", z.base, "1000.TOUR", "tour-secret", "1000.tour.grant", ids[0])
	if !strings.Contains(out, "tour done: 2 saved") {
		t.Fatalf("the tour against zhemu did not finish:\n%s", out)
	}
}

// tourProgram is README's tour (the Go block after "## A tour") as a
// program: main(base, clientID, secret, grantToken, id).
func tourProgram(t *testing.T, readme string) string {
	t.Helper()
	_, after, _ := strings.Cut(readme, "## A tour")
	_, block, _ := strings.Cut(after, "```go\n")
	block, _, found := strings.Cut(block, "```")
	if !found {
		t.Fatal("README has no Go block after ## A tour")
	}
	comment := regexp.MustCompile(`\s+//.*$`)
	var body []string
	glued := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line = comment.ReplaceAllString(line, "")
		if strings.HasPrefix(line, "//") {
			continue
		}
		if strings.Contains(line, "auth.MustLookup(auth.EU, auth.Production)") {
			line, glued["environment"] = strings.ReplaceAll(line, "auth.MustLookup(auth.EU, auth.Production)", "zhemu"), true
		}
		if strings.Contains(line, "{ … }") {
			v, _, _ := strings.Cut(strings.TrimPrefix(line, "for "), ",") // the loop's variable
			line, glued["loop"] = strings.ReplaceAll(line, "{ … }", "{ check(err); _ = "+v+" }"), true
		}
		if strings.Contains(line, "SaveAll(ctx, many)") {
			body, glued["many"] = append(body, `many := []*MyAccount{{Account: modules.Account{AccountName: "Many 1", Industry: "Technology"}}, {Account: modules.Account{AccountName: "Many 2"}}}`), true
		}
		switch {
		case strings.HasPrefix(line, "_ = "):
			line = "check(" + strings.TrimPrefix(line, "_ = ") + ")"
		case !strings.HasPrefix(line, "for ") && regexp.MustCompile(`\berr :?= `).MatchString(line):
			line += "; check(err)"
		}
		body = append(body, line)
		if strings.Contains(line, "SaveAll(ctx, many)") {
			body = append(body, "saved := res.Count(zohohub.ActionCreated) // before the tour reuses res")
		}
	}
	for _, g := range []string{"environment", "loop", "many"} {
		if !glued[g] {
			t.Fatalf("README's tour changed (no place for the %s glue); update tourProgram", g)
		}
	}
	return `package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/persistence"
)

func main() {
	ctx := context.Background()
	base, clientID, secret, grantToken, id := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	zhemu, err := auth.Custom(base, base, base)
	check(err)

	// README's tour.
	` + strings.Join(body, "\n\t") + `

	fmt.Printf("tour done: %d saved\n", saved)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
`
}
