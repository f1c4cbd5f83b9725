package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/internal/testenv"
)

// TestGoldenCompiles builds every golden file, with a program that uses
// the generated types, in a throwaway module that points at this
// repository: the golden files are only worth comparing against if they
// are valid Go against the real zohohub package.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	for _, tc := range goldenCases(t) {
		goldens, _ := filepath.Glob(filepath.Join(tc.dir, "want", "*.go.golden"))
		if len(goldens) == 0 {
			continue // a case whose generation fails
		}
		t.Run(tc.name, func(t *testing.T) {
			dir := testenv.NewModule(t, "example.com/zhgentest")
			pkg := filepath.Join(dir, "modules")
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, g := range goldens {
				b, err := os.ReadFile(g)
				if err != nil {
					t.Fatal(err)
				}
				testenv.WriteFile(t, filepath.Join(pkg, strings.TrimSuffix(filepath.Base(g), ".golden")), string(b))
			}
			if tc.name == "alltypes" {
				// Typed helpers and picklist values fit together.
				testenv.WriteFile(t, filepath.Join(pkg, "use_test.go"), `package modules

import "github.com/zohohub/zohohub"

var (
	_ zohohub.PicklistField[AccountIndustryValue] = AccountIndustry
	_                                             = Account{Industry: AccountIndustryValueASPApplicationServiceProvider}
	_                                             = Gadget{Parts: []GadgetPartsRow{{Kind: GadgetPartsRowKindValueBolt}}, Colours: []GadgetColoursValue{GadgetColoursValueRed}}
	_                                             = zohohub.Records[Gadget]
)
`)
			}
			testenv.Go(t, dir, nil, "vet", "./...")
		})
	}
}
