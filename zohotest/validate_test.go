package zohotest

import (
	"regexp"
	"strings"
	"testing"
)

// emailPattern is the rule validEmail implements without a regular
// expression.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"a@b.c", "jane.doe@acme.example", "@b.c", "a@.c", "a@b.", "a@b", "a@@b.c", "a b@c.d", "a@b.c\n", "a@b..c", "ü@ß.de", "a@b.c@d.e", "\xff@b.c", "a\t@b.c", "a@b\v.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validEmail(s), emailPattern.MatchString(s); got != want {
			t.Fatalf("validEmail(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

// Unique fields compare text by foldKey: equal keys exactly when
// strings.EqualFold says equal.
func FuzzFoldKey(f *testing.F) {
	for _, p := range [][2]string{{"Jane@Acme.example", "jane@acme.EXAMPLE"}, {"K", "\u212a"}, {"s", "\u017f"}, {"straße", "STRASSE"}, {"\xff", "\ufffd"}, {"İ", "i"}, {"ǅ", "ǆ"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := foldKey("", a) == foldKey("", b), strings.EqualFold(a, b); got != want {
			t.Fatalf("foldKey(%q) == foldKey(%q) is %v; EqualFold says %v", a, b, got, want)
		}
	})
}
