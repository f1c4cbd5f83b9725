package mirror

import (
	"context"
	"time"
)

// Mode is how a pass read a module.
type Mode string

// The ways a pass reads a module.
const (
	// ModeBulk: the first load, through Bulk Read.
	ModeBulk Mode = "bulk"
	// ModePages: the first load, page by page.
	ModePages Mode = "pages"
	// ModeIncremental: the records modified and deleted since the
	// watermark.
	ModeIncremental Mode = "incremental"
	// ModeRefresh: records named by id (Refresh).
	ModeRefresh Mode = "refresh"
)

// ModuleStats is what a pass did to one module.
type ModuleStats struct {
	Module string `json:"module"`
	Table  string `json:"table"`
	Mode   Mode   `json:"mode"`
	// Read is the records read from Zoho; Inserted, Updated and Deleted
	// the rows that changed (a record read again with the same values
	// updates nothing).
	Read     int `json:"read"`
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
	Deleted  int `json:"deleted"`
	// Requests is the API calls the pass sent for the module, and Credits
	// the API credits they cost (an estimate from Zoho's price list), when
	// the mirror has a RequestCounter.
	Requests int `json:"requests"`
	Credits  int `json:"credits"`
	// Watermark is the module's watermark after the pass.
	Watermark time.Time `json:"watermark"`
	// Created, AddedColumns and WidenedColumns are the schema changes the
	// pass made; Incompatible the fields whose type changed to one their
	// column cannot hold (the column is left alone and not written).
	Created        bool     `json:"created,omitempty"`
	AddedColumns   []string `json:"added_columns,omitempty"`
	WidenedColumns []string `json:"widened_columns,omitempty"`
	Incompatible   []string `json:"incompatible,omitempty"`
	// LookupNames is the rows whose lookup names changed because the
	// record they point to, in another module synced with this one, was
	// renamed or deleted (Zoho does not modify the records pointing to it).
	LookupNames int `json:"lookup_names,omitempty"`
	// Reload: the load saw records deleted while it paged, so it may
	// have missed some, and the next pass loads the module again.
	Reload   bool          `json:"reload,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	Error    string        `json:"error,omitempty"`
}

// Summary is what a pass did.
type Summary struct {
	Modules  []ModuleStats `json:"modules"`
	Inserted int           `json:"inserted"`
	Updated  int           `json:"updated"`
	Deleted  int           `json:"deleted"`
	// LookupNames is the rows whose lookup names were brought up to date.
	LookupNames int `json:"lookup_names,omitempty"`
	Requests    int `json:"requests"`
	// Credits is the API credits the pass's requests cost (an estimate
	// from Zoho's price list); CreditsRemaining the org's credits left as
	// Zoho last reported them, nil when it has not (it reports them once
	// half are spent).
	Credits          int           `json:"credits"`
	CreditsRemaining *int          `json:"credits_remaining,omitempty"`
	Duration         time.Duration `json:"duration_ns"`
}

func (s *Summary) add(st ModuleStats) {
	s.Modules = append(s.Modules, st)
	s.Inserted += st.Inserted
	s.Updated += st.Updated
	s.LookupNames += st.LookupNames
	s.Deleted += st.Deleted
	s.Requests += st.Requests
	s.Credits += st.Credits
}

// Progress is told how each module's pass goes, for a progress bar or
// log lines. Its methods are called from the goroutine syncing the
// module, for several modules at once.
type Progress interface {
	// Begin: the pass of module starts reading, in mode; total is the
	// number of records it expects, or -1 when it cannot know.
	Begin(module string, mode Mode, total int)
	// Add: n more records of module were written.
	Add(module string, n int)
	// End: the pass of module ended, with err when it failed.
	End(module string, stats ModuleStats, err error)
}

// noProgress is the Progress of a mirror told of none.
type noProgress struct{}

func (noProgress) Begin(string, Mode, int)        {}
func (noProgress) Add(string, int)                {}
func (noProgress) End(string, ModuleStats, error) {}

// moduleKey is the context key of the module a request is sent for.
type moduleKey struct{}

func withModule(ctx context.Context, module string) context.Context {
	return context.WithValue(ctx, moduleKey{}, module)
}

// counted is what the request counter counted for module so far.
func (m *Mirror) counted(module string) tally {
	if m.o.counter == nil {
		return tally{}
	}
	return tally{m.o.counter.Module(module), m.o.counter.ModuleCredits(module)}
}

// totals fills in the summary's requests and credits: what the counter
// counted since before, and the credits Zoho last reported left.
func (m *Mirror) totals(sum *Summary, before tally) {
	if m.o.counter != nil {
		sum.Requests = m.o.counter.Total() - before.requests
		sum.Credits = m.o.counter.Credits() - before.credits
	}
	m.noteRemaining(sum)
}

// noteRemaining sets the summary's credits left, if Zoho reported them.
func (m *Mirror) noteRemaining(sum *Summary) {
	if cr, ok := m.c.Credits(); ok {
		sum.CreditsRemaining = &cr.Remaining
	}
}

// allCounted is what the request counter counted in all so far.
func (m *Mirror) allCounted() tally {
	if m.o.counter == nil {
		return tally{}
	}
	return tally{m.o.counter.Total(), m.o.counter.Credits()}
}
