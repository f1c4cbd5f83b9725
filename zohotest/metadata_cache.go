package zohotest

import (
	"sync"

	"github.com/zohohub/zohohub/spec"
)

// specMetadata is package spec's metadata, parsed once per process: parsing
// its 1.7 MB takes about 50 ms, and a test suite starts a server per test.
// The parsed value is never modified; a server that changes a part of it
// (WithUserEmail) copies that part first.
var specMetadata = sync.OnceValues(func() (*metadata, error) { return loadMetadata(spec.Metadata()) })

// metadata returns the server's parsed metadata: package spec's, shared,
// unless WithMetadata or WithCustomField gave other files.
func (cfg *config) metadata() (*metadata, error) {
	if cfg.meta == nil && len(cfg.customFields) == 0 {
		shared, err := specMetadata()
		if err != nil {
			return nil, err
		}
		m := *shared // a shallow copy: the server may replace its fields, never write into them
		return &m, nil
	}
	fsys := cfg.meta
	if fsys == nil {
		fsys = spec.Metadata()
	}
	if len(cfg.customFields) > 0 {
		var err error
		if fsys, err = withCustomFields(fsys, cfg.customFields); err != nil {
			return nil, err
		}
	}
	return loadMetadata(fsys)
}
