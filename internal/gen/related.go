package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// Associations: lookups whose target module is generated get a helper
// typed with the target (zohohub.LookupTo[Account]), which Query.Include
// loads; each related list of records gets a handle for zohohub.Related,
// typed with the records' type when their module is generated
// (zohohub.RelatedList[Account, Contact]), else with zohohub.AnyRecord.

// relatedPlan is one related list handle.
type relatedPlan struct {
	Name    string
	Target  string // the Go type of the list's records
	APIName string
}

// anyRecordType is the record type of a related list whose records' module
// is not generated, or mixes modules.
const anyRecordType = rootPkg + ".AnyRecord"

// typeOf returns the Go type name generated for module, "" when the module
// is not generated.
func (g *generator) typeOf(module string) string {
	for _, m := range g.mods {
		if m.APIName == module {
			return typeGoName(module)
		}
	}
	return ""
}

// lookupHelper returns the helper of field f: LookupTo of the target's
// type for a lookup to one generated module, else helper unchanged.
func (g *generator) lookupHelper(f Field, helper string) string {
	if helper != kindLookup.helper || f.IsMultiModuleLookup() {
		return helper
	}
	if target := g.typeOf(f.Lookup.Module.APIName); target != "" {
		return rootPkg + ".LookupTo[" + target + "]"
	}
	return helper
}

// listType returns the Go type of the records of related list rl: the
// generated type of its module, zohohub.AnyRecord for a module the records
// API serves that is not generated and for Activities (tasks, events and
// calls mixed), "" for a list the related records API does not list as
// records (Attachments has its own calls; Emails, visits and the like
// answer other shapes).
func (g *generator) listType(rl schema.RelatedList) string {
	module := rl.Module.APIName
	if t := g.typeOf(module); t != "" {
		return t
	}
	if m, ok := g.meta.Module(module); ok && m.APISupported || module == "Activities" {
		return anyRecordType
	}
	return ""
}

// planRelated adds the handles of module m's related lists of records. A
// handle whose name another declaration has is left out with a warning:
// related lists are a convenience, not worth failing the generation for.
func (g *generator) planRelated(p *modulePlan) {
	for _, rl := range g.meta.RelatedLists[p.APIName] {
		target := g.listType(rl)
		if target == "" || rl.Href == "" || !mappableAPIName(rl.APIName) {
			continue
		}
		name := p.TypeName + fieldGoName(rl.APIName)
		what := fmt.Sprintf("related list %s of %s", rl.APIName, p.APIName)
		if prev, taken := g.names[name]; taken {
			g.warn("%s: left out, its name %s is that of the %s", what, name, prev)
			continue
		}
		g.names[name] = what
		p.RelatedLists = append(p.RelatedLists, relatedPlan{Name: name, Target: target, APIName: rl.APIName})
	}
	slices.SortFunc(p.RelatedLists, func(a, b relatedPlan) int { return strings.Compare(a.Name, b.Name) })
}
