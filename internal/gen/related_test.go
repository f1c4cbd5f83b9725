package gen

import (
	"regexp"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/schema"
)

// TestRelatedHandlesCoverSpecMetadata: every related list of records in
// spec/metadata gets a handle, typed with its records' type, or
// zohohub.AnyRecord for Activities; Attachments, which has calls of its
// own, gets none.
func TestRelatedHandlesCoverSpecMetadata(t *testing.T) {
	meta, err := schema.LoadDir("../../spec/metadata")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(meta, Config{})
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		src.Write(f.Data)
	}
	handles := 0
	for _, m := range meta.Modules {
		parent := typeGoName(m.APIName)
		for _, rl := range meta.RelatedLists[m.APIName] {
			records := typeGoName(rl.Module.APIName)
			switch rl.Module.APIName {
			case "Attachments":
				if strings.Contains(src.String(), "= \"Attachments\"") {
					t.Errorf("a handle for %s's Attachments", m.APIName)
				}
				continue
			case "Activities":
				records = `zohohub\.AnyRecord`
			}
			handle := regexp.MustCompile(`\n\t` + parent + fieldGoName(rl.APIName) + `\s+zohohub\.RelatedList\[` + parent + `, ` + records + `\]\s+= "` + rl.APIName + `"\n`)
			if !handle.MatchString(src.String()) {
				t.Errorf("no handle RelatedList[%s, %s] for the related list %s of %s", parent, records, rl.APIName, m.APIName)
			}
			handles++
		}
	}
	if handles < 37 { // of the 48 lists in spec/metadata, 11 are Attachments
		t.Errorf("%d handles checked", handles)
	}
}
