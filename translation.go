package zohohub

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Translator is implemented by a record type that names some of its
// fields' Zoho API names in a table instead of tags, the Ruby zoho_hub
// "attribute_translation". The keys are Go field names (promoted fields of
// embedded structs included), the values Zoho API names:
//
//	func (MyLead) ZohoTranslation() map[string]string {
//		return map[string]string{"Source": "Lead_Source", "CCJs": "Live_CCJs"}
//	}
//
// A field's API name is found, in order: in its zoho tag; in this table;
// by the default mapping of its Go name (see [DefaultAPIName]). The table is
// read once per type.
type Translator interface {
	ZohoTranslation() map[string]string
}

// DefaultAPIName is the API name a Go field without a tag or translation is
// mapped to. Words of the Go name are joined with "_", initialisms kept
// whole and digit runs made words of their own:
//
//	AccountName      → Account_Name
//	SICCode          → SIC_Code
//	PortalSessionURL → Portal_Session_URL
//	LiveCCJs         → Live_CCJs
//	PickList15       → Pick_List_15
//	ID               → id
//
// A Go name that already contains "_" is used as it is (Record_Status__s).
// Zoho's API names are free-form (Project_description, $approved), so
// generated code and careful hand-written code put the exact name in a
// zoho tag; this mapping is the fallback.
func DefaultAPIName(goName string) string {
	if goName == "ID" {
		return "id"
	}
	if strings.Contains(goName, "_") {
		return goName
	}
	words := splitWords(goName)
	return strings.Join(words, "_")
}

type runeClass int

const (
	classLower runeClass = iota
	classUpper
	classDigit
	classOther
)

func classOf(r rune) runeClass {
	switch {
	case unicode.IsUpper(r):
		return classUpper
	case unicode.IsLower(r):
		return classLower
	case unicode.IsDigit(r):
		return classDigit
	}
	return classOther
}

// splitWords splits a Go identifier into words: "SICCode" → SIC, Code;
// "LiveCCJs" → Live, CCJs; "Address2" → Address, 2.
func splitWords(s string) []string {
	rs := []rune(s)
	var words []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := classOf(rs[i-1]), classOf(rs[i])
		split := false
		switch {
		case cur == classDigit && prev != classDigit, prev == classDigit && cur != classDigit:
			split = true
		case prev == classLower && cur == classUpper:
			split = true
		case prev == classUpper && cur == classUpper && i+1 < len(rs) && classOf(rs[i+1]) == classLower:
			// An initialism followed by a word: split before the word's
			// capital ("SICCode"), except for a plural "s" closing the
			// initialism ("CCJs", "URLs").
			if !pluralS(rs, i+1) {
				split = true
			}
		}
		if split {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	return append(words, string(rs[start:]))
}

// pluralS reports whether rs[i] is a lone lower-case "s" ending a word.
func pluralS(rs []rune, i int) bool {
	if rs[i] != 's' {
		return false
	}
	return i+1 == len(rs) || classOf(rs[i+1]) != classLower
}

// validAPIName reports whether s can be a Zoho API name: ASCII letters,
// digits, "_" and a leading "$" for system keys.
func validAPIName(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r == '$' && i == 0:
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}
