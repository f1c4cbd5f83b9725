package gen

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/iancoleman/strcase"
)

// Naming turns Zoho API names, picklist values and labels into exported Go
// identifiers. It uses strcase to find word boundaries, then applies its own
// initialism table: strcase's acronym table is process-global, and the
// generator must not change other callers' behaviour.
//
// The steps:
//  1. A custom suffix __c, __s or __r is dropped ("Budget__c" → "Budget").
//  2. Latin letters with diacritics are folded ("Ümlaut" → "Umlaut"); any
//     other non-ASCII letter or digit becomes a word "U" + its hex code
//     point; &, +, %, # and @ become And, Plus, Percent, Number, At; all
//     other punctuation separates words.
//  3. strcase.ToSnake splits each chunk into words at case and digit
//     boundaries; "1st"-style ordinals are kept together.
//  4. Each word is capitalised, or upper-cased when it is an initialism
//     ("Skype_ID" → "SkypeID", "SIC_Code" → "SICCode").
//
// Names are always exported, so Go keywords ("type", "func", "range") cannot
// clash: they become Type, Func, Range.

// initialisms are upper-cased whole words: golint's list plus acronyms common
// in CRM metadata.
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true, "eof": true,
	"guid": true, "html": true, "http": true, "https": true, "id": true, "ip": true, "json": true,
	"lhs": true, "qps": true, "ram": true, "rhs": true, "rpc": true, "sla": true, "smtp": true,
	"sql": true, "ssh": true, "tcp": true, "tls": true, "ttl": true, "udp": true, "ui": true,
	"uid": true, "uuid": true, "uri": true, "url": true, "utf8": true, "vm": true, "xml": true,
	"xmpp": true, "xsrf": true, "xss": true,
	// CRM vocabulary.
	"asp": true, "crm": true, "ean": true, "erp": true, "gst": true, "isv": true, "msp": true,
	"oem": true, "sic": true, "sku": true, "sms": true, "vat": true, "pdf": true, "ceo": true,
	"cfo": true, "cto": true, "upc": true, "isbn": true,
}

// ordinalSuffixes are kept attached to a preceding number: "1st", not "1St".
var ordinalSuffixes = map[string]bool{"st": true, "nd": true, "rd": true, "th": true}

// symbolWords name symbols that would otherwise vanish, so "A&B" and "AB"
// stay distinct.
var symbolWords = map[rune]string{'&': "and", '+': "plus", '%': "percent", '#': "number", '@': "at"}

// latinFold maps Latin letters with diacritics to ASCII.
var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'Ø': "O", 'ø': "o", 'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'Þ': "Th", 'þ': "th"}
	groups := map[string]string{
		"A": "ÀÁÂÃÄÅĀĂĄ", "a": "àáâãäåāăą", "C": "ÇĆĈĊČ", "c": "çćĉċč", "D": "Ď", "d": "ď",
		"E": "ÈÉÊËĒĔĖĘĚ", "e": "èéêëēĕėęě", "G": "ĜĞĠĢ", "g": "ĝğġģ", "H": "ĤĦ", "h": "ĥħ",
		"I": "ÌÍÎÏĨĪĬĮİ", "i": "ìíîïĩīĭįı", "J": "Ĵ", "j": "ĵ", "K": "Ķ", "k": "ķ", "L": "ĹĻĽĿ", "l": "ĺļľŀ",
		"N": "ÑŃŅŇ", "n": "ñńņň", "O": "ÒÓÔÕÖŌŎŐ", "o": "òóôõöōŏő", "R": "ŔŖŘ", "r": "ŕŗř",
		"S": "ŚŜŞŠ", "s": "śŝşš", "T": "ŢŤŦ", "t": "ţťŧ", "U": "ÙÚÛÜŨŪŬŮŰŲ", "u": "ùúûüũūŭůűų",
		"W": "Ŵ", "w": "ŵ", "Y": "ÝŶŸ", "y": "ýÿŷ", "Z": "ŹŻŽ", "z": "źżž",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// customSuffixes are the suffixes Zoho appends to custom (__c) and system
// (__s) API names.
var customSuffixes = []string{"__c", "__s", "__r"}

// trimCustomSuffix drops a trailing __c, __s or __r.
func trimCustomSuffix(s string) string {
	for _, suf := range customSuffixes {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// words splits s into lower-case ASCII words.
func words(s string) []string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case latinFold[r] != "":
			b.WriteString(latinFold[r])
		case symbolWords[r] != "":
			b.WriteString(" " + symbolWords[r] + " ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			fmt.Fprintf(&b, " U%04X ", r)
		default:
			b.WriteByte(' ')
		}
	}
	var out []string
	for chunk := range strings.FieldsSeq(b.String()) {
		var parts []string
		if isCodePoint(chunk) {
			parts = []string{chunk}
		} else {
			parts = strings.Split(strcase.ToSnake(chunk), "_")
		}
		for _, p := range parts {
			if p == "" {
				continue
			}
			p = strings.ToLower(p)
			if n := len(out); n > 0 && ordinalSuffixes[p] && isDigits(out[n-1]) {
				out[n-1] += p
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

func isCodePoint(s string) bool {
	return len(s) >= 5 && s[0] == 'U' && strings.Trim(s[1:], "0123456789ABCDEF") == ""
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// camel joins words into an exported-style identifier fragment. It may
// start with a digit; callers that need a whole identifier use ident.
func camel(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		switch {
		case initialisms[w]:
			b.WriteString(strings.ToUpper(w))
		case isCodePoint(strings.ToUpper(w)):
			b.WriteString(strings.ToUpper(w))
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// fieldGoName returns the Go name of an API name: step 1 to 4 above. It
// returns "" when the name has no letters or digits at all.
func fieldGoName(apiName string) string {
	name := camel(words(trimCustomSuffix(apiName)))
	if name != "" && !unicode.IsLetter(rune(name[0])) {
		name = "F" + name // Go identifiers cannot start with a digit
	}
	return name
}

// valueGoName returns the name fragment of a picklist value, appended to the
// picklist type name (so it may start with a digit). A value without letters
// or digits is named by its code points ("-" → "U002D"), the empty value
// "Empty".
func valueGoName(value string) string {
	if name := camel(words(value)); name != "" {
		return name
	}
	if value == "" {
		return "Empty"
	}
	var b strings.Builder
	for _, r := range value {
		fmt.Fprintf(&b, "U%04X", r)
	}
	return b.String()
}

// singular returns the singular of a module's plural API name by English
// suffix rules ("Accounts" → "Accounts", "Activities" → "Activity",
// "Addresses" → "Address"). Names without a plural ending are kept.
func singular(word string) string {
	lower := strings.ToLower(word)
	switch {
	case strings.HasSuffix(lower, "ies") && len(word) > 4:
		return word[:len(word)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return word[:len(word)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return word
	case strings.HasSuffix(lower, "s") && len(word) > 1:
		return word[:len(word)-1]
	}
	return word
}

// typeGoName returns the Go type name of a module: its API name without a
// custom suffix, with the last word made singular ("Sales_Orders" →
// "SalesOrder", "Projects__c" → "Project").
func typeGoName(moduleAPIName string) string {
	ws := words(trimCustomSuffix(moduleAPIName))
	if len(ws) == 0 {
		return ""
	}
	ws[len(ws)-1] = strings.ToLower(singular(ws[len(ws)-1]))
	name := camel(ws)
	if !unicode.IsLetter(rune(name[0])) {
		name = "M" + name
	}
	return name
}

// fileName returns the file a module's code is written to: the type name in
// snake case ("SalesOrder" → "sales_order.go").
func fileName(moduleAPIName string) string {
	ws := words(trimCustomSuffix(moduleAPIName))
	if len(ws) == 0 {
		return "module.go"
	}
	ws[len(ws)-1] = strings.ToLower(singular(ws[len(ws)-1]))
	name := strings.ToLower(strings.Join(ws, "_"))
	if last := ws[len(ws)-1]; len(ws) > 1 && buildSuffixes[last] || name[0] == '_' {
		// Go reads x_test.go as a test and x_linux.go as constrained to Linux.
		name += "_module"
	}
	return name + ".go"
}

// buildSuffixes are file-name suffixes the go command gives a meaning to.
var buildSuffixes = map[string]bool{
	"test": true, "aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true,
	"openbsd": true, "plan9": true, "solaris": true, "wasip1": true, "windows": true, "zos": true,
	"386": true, "amd64": true, "arm": true, "arm64": true, "loong64": true, "mips": true, "mipsle": true,
	"mips64": true, "mips64le": true, "ppc64": true, "ppc64le": true, "riscv64": true, "s390x": true,
	"wasm": true, "sparc64": true,
}
