package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -decimal chooses the Go type of currency and decimal fields; the choice
// is recorded in the header, so -check compares like with like.
func TestDecimalFlag(t *testing.T) {
	for mode, want := range map[string]string{
		"":      "Price             zohohub.Decimal ",
		"exact": "Price             zohohub.Decimal ",
		"float": "Price             float64 ",
	} {
		out := t.TempDir()
		args := []string{"-q", "-metadata", fixture, "-out", out}
		if mode != "" {
			args = append(args, "-decimal="+mode)
		}
		if code, _, stderr := zhgen(t, args...); code != 0 {
			t.Fatalf("-decimal=%s: exit %d\n%s", mode, code, stderr)
		}
		src, err := os.ReadFile(filepath.Join(out, "gadget.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), want) || !strings.Contains(string(src), `zoho:"Price,decimals=2"`) {
			t.Errorf("-decimal=%s: gadget.go lacks %q and the decimals tag:\n%s", mode, want, src)
		}
		if header := strings.Contains(string(src), "-decimal=float"); header != (mode == "float") {
			t.Errorf("-decimal=%s: header names -decimal=float: %v", mode, header)
		}
		if code, _, stderr := zhgen(t, append(args, "-check")...); code != 0 {
			t.Errorf("-decimal=%s -check: exit %d\n%s", mode, code, stderr)
		}
	}
	if code, _, stderr := zhgen(t, "-metadata", fixture, "-out", t.TempDir(), "-decimal=big"); code != 2 || !strings.Contains(stderr, "want exact or float") {
		t.Errorf("-decimal=big: exit %d\n%s", code, stderr)
	}
}
