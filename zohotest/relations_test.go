package zohotest

import "testing"

// TestEveryRelatedListIsServed: each related list the standard metadata
// gives a module is one the related records routes answer, none "The
// relation name given seems to be invalid".
func TestEveryRelatedListIsServed(t *testing.T) {
	t.Parallel()
	s := New(t)
	n := 0
	for module, lists := range s.meta.related {
		for _, rl := range lists {
			if _, ok := s.relationOf(module, rl.APIName); !ok {
				t.Errorf("%s/{id}/%s is not served", module, rl.APIName)
			}
			n++
		}
	}
	if n < 48 {
		t.Errorf("%d related lists", n)
	}
}
