package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// The README's first command: it must finish quickly against the embedded
// emulator and print every step.
func TestQuickstart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	if err := run(ctx, []string{"-store", t.TempDir() + "/tokens.csv"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("quickstart took %v, want under 10 s", d)
	}
	for _, step := range []string{"1. Exchanged", "2. Created account", "3. Created contact", "4. Created lead", "5. Found account",
		"6. Querying", "7. Updated", "8. Deleted", "9. Finding the deleted account says: not found"} {
		if !strings.Contains(out.String(), step) {
			t.Errorf("output lacks step %q", step)
		}
	}
	if !strings.Contains(out.String(), "→ POST /crm/v8/Accounts") || !strings.Contains(out.String(), "← 201") {
		t.Errorf("requests and answers are not printed:\n%s", out.String())
	}
}
