package zohotest

import (
	"slices"
	"testing"
)

// A conversion carries over the lead's tags carry_over_tags names, to the
// records of the modules it names them for. Tags are stored as Zoho
// answers them, a record's Tag: [{name, id}].
func TestConvertCarriesOverTags(t *testing.T) {
	t.Parallel()
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.Seed("Leads", map[string]any{"Last_Name": "Tagged", "Company": "Tags Inc"})
	if err != nil {
		t.Fatal(err)
	}
	leads := s.records.module(leadsModule)
	leads.mu.Lock()
	old, _ := leads.get(ids[0])
	lead := copyRecord(old)
	lead["Tag"] = []any{map[string]any{"name": "hot", "id": "1"}, map[string]any{"name": "fair", "id": "2"}}
	leads.putLocked(lead)
	leads.mu.Unlock()

	got, zerr := s.convert(ids[0], convertRequest{tags: map[string][]string{"Contacts": {"hot", "fair"}, "Accounts": {"fair", "cold"}}})
	if zerr != nil {
		t.Fatal(zerr)
	}
	names := func(module string) []string {
		rec, _ := s.records.get(module, got[module])
		var out []string
		tags, _ := rec["Tag"].([]any)
		for _, tag := range tags {
			out = append(out, tag.(map[string]any)["name"].(string))
		}
		slices.Sort(out)
		return out
	}
	if c, a := names("Contacts"), names("Accounts"); !slices.Equal(c, []string{"fair", "hot"}) || !slices.Equal(a, []string{"fair"}) {
		t.Errorf("contact tags %v, account tags %v; want [fair hot] and [fair]", c, a)
	}
	// The carried tags are the Contacts module's own (tags.go): listed, and
	// followed by its records when renamed.
	s.tags.mu.Lock()
	contactTags := s.tags.listLocked("Contacts")
	s.tags.mu.Unlock()
	if len(contactTags) != 2 {
		t.Fatalf("Contacts has tags %+v, want hot and fair", contactTags)
	}
	unlock := s.lockTags("Contacts")
	for i := range s.tags.tags["Contacts"] {
		s.tags.tags["Contacts"][i].name += "!"
	}
	s.retagLocked("Contacts", func(ids []string) []string { return ids })
	unlock()
	if c := names("Contacts"); !slices.Equal(c, []string{"fair!", "hot!"}) {
		t.Errorf("after renaming Contacts' tags, the contact shows %v", c)
	}
}
