package zohotest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// scopeList is a list of two or more scopes, comma-separated or as the
// strings of a Go slice.
var scopeList = regexp.MustCompile(`ZohoCRM(?:\.\w+)+(?:(?:,\s*|",\s*")ZohoCRM(?:\.\w+)+)+`)

// The README, the docs and the examples ask a grant for one scope set,
// the one zohotest gives a grant without explicit scopes.
func TestDocsNameOneScopeSet(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, _ := filepath.Glob("../examples/*/main.go")
	files = append(append(files, "../README.md"), examples...)
	lists := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range scopeList.FindAllString(string(data), -1) {
			lists++
			got := regexp.MustCompile(`",\s*"|,\s*`).ReplaceAllString(list, ",")
			if got != allScopes {
				t.Errorf("%s lists the scopes %s; the documented set is %s", name, got, allScopes)
			}
		}
	}
	if lists < 4 || !strings.Contains(allScopes, "ZohoCRM.coql.READ") {
		t.Errorf("found %d scope lists in %d files", lists, len(files))
	}
}
