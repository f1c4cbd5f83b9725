package zohohub_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

type qLead struct {
	zohohub.Model
	LastName string `zoho:"Last_Name"`
	Company  string `zoho:"Company"`
	Rating   string `zoho:"Rating"`
}

func (qLead) ZohoModule() string { return "Leads" }

// signedInClient is a Client of srv that holds an access token srv
// issued; opts come after the environment and the token source.
func signedInClient(t testing.TB, srv *zohotest.Server, opts ...zohohub.Option) *zohohub.Client {
	t.Helper()
	access, _ := srv.IssueToken()
	c, err := zohohub.New(append([]zohohub.Option{zohohub.WithEnvironment(srv.Environment()),
		zohohub.WithTokenSource(auth.StaticToken(access))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emulatorClient is a signed-in Client of a new zohotest server.
func emulatorClient(t *testing.T, opts ...zohotest.Option) (*zohotest.Server, *zohohub.Client) {
	t.Helper()
	srv := zohotest.New(t, opts...)
	return srv, signedInClient(t, srv)
}

func TestQueryStreamsAllMatches(t *testing.T) {
	srv, c := emulatorClient(t)
	recs := make([]map[string]any, 5000)
	for i := range recs {
		company := "Other"
		if i%50 < 31 { // 3,100 of 5,000
			company = "Match Co"
		}
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("L%05d", i), "Company": company}
	}
	if _, err := srv.Seed("Leads", recs...); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	leads := zohohub.Records[qLead](c)
	seen := map[string]bool{}
	for l, err := range leads.Where(zohohub.TextField("Company").Equals("Match Co")).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[l.ID] || l.Company != "Match Co" {
			t.Fatalf("duplicate or wrong record %s %q", l.ID, l.Company)
		}
		seen[l.ID] = true
	}
	if len(seen) != 3100 {
		t.Fatalf("got %d records, want 3100", len(seen))
	}
	if n := len(srv.Requests()); n > 16 {
		t.Fatalf("%d requests, want ≤16", n)
	}
	// Plain listing pages past the 2000-record window with page_token.
	srv.ResetRequests()
	n := 0
	for _, err := range leads.Query().All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5000 || len(srv.Requests()) != 25 {
		t.Fatalf("listed %d records in %d requests, want 5000 in 25", n, len(srv.Requests()))
	}
}

func TestQuerySpecialCharacters(t *testing.T) {
	srv, c := emulatorClient(t)
	values := []string{`Burns,B`, `a(b)c`, `back\slash`, `trail\`, `col:on`, `O'Leary`, `say "hi"`, `100%`, `Ünïcödé 日本`, `x) or (Last_Name:equals:y`}
	for _, v := range values {
		if _, err := srv.Seed("Leads", map[string]any{"Last_Name": v, "Company": "C"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Seed("Leads", map[string]any{"Last_Name": "Burns", "Company": "C"}, map[string]any{"Last_Name": "a", "Company": "C"}); err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[qLead](c)
	ctx := context.Background()
	f := zohohub.TextField("Last_Name")
	for _, v := range values {
		for name, q := range map[string]zohohub.Query[qLead]{
			"coql equals":   leads.Where(f.Equals(v)),
			"search equals": leads.Where(f.Equals(v)).Limit(10),
			"search in":     leads.Where(f.In(v, "no such name")).Limit(10),
			"coql in":       leads.Where(f.In(v, "no such name")),
		} {
			got, err := q.Collect(ctx)
			if err != nil {
				t.Fatalf("%s %q: %v", name, v, err)
			}
			if len(got) != 1 || got[0].LastName != v {
				t.Fatalf("%s %q: got %d records %v", name, v, len(got), got)
			}
		}
	}
}

func TestQueryBadInputSendsNothing(t *testing.T) {
	srv, c := emulatorClient(t)
	leads := zohohub.Records[qLead](c)
	srv.ResetRequests()
	for name, q := range map[string]zohohub.Query[qLead]{
		"unknown field":     leads.Where(zohohub.TextField("No_Such_Field").Equals("x")),
		"between one value": leads.Where(zohohub.Field("Last_Name").Between("a", nil)),
		"in empty":          leads.Where(zohohub.TextField("Last_Name").In()),
		"unknown select":    leads.Query().Select("Nope"),
	} {
		if _, err := q.Collect(context.Background()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent for bad queries", n)
	}
}

func TestQueryIsImmutable(t *testing.T) {
	_, c := emulatorClient(t)
	base := zohohub.Records[qLead](c).Where(zohohub.TextField("Company").Equals("A"))
	q1 := base.Where(zohohub.TextField("Last_Name").Equals("x"))
	q2 := base.Where(zohohub.TextField("Last_Name").Equals("y"))
	p1, _ := q1.Explain()
	p2, _ := q2.Explain()
	pb, _ := base.Explain()
	if p1.COQL == p2.COQL || pb.COQL == p1.COQL {
		t.Fatalf("shared base changed:\n%s\n%s\n%s", pb.COQL, p1.COQL, p2.COQL)
	}
}

// TestQueryMemoryIsConstant checks that All streams: the live heap while
// iterating 3,100 matches stays near one page, far below the records held.
func TestQueryMemoryIsConstant(t *testing.T) {
	srv, c := emulatorClient(t)
	recs := make([]map[string]any, 5000)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("L%05d", i), "Company": "Match Co " + strings.Repeat("x", 150)}
	}
	if _, err := srv.Seed("Leads", recs...); err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[qLead](c)
	q := leads.Where(zohohub.TextField("Company").StartsWith("Match"))
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var atStart, peak uint64
	n := 0
	for _, err := range q.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 100 {
			atStart = heap()
		}
		if n%1000 == 0 {
			peak = max(peak, heap())
		}
	}
	all, err := q.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	held := heap()
	runtime.KeepAlive(all)
	growth := int64(peak) - int64(atStart)
	t.Logf("streamed %d records: heap grew %d KB while iterating; holding them all costs %d KB", n, growth/1024, (int64(held)-int64(atStart))/1024)
	if growth > int64(held-atStart)/2 {
		t.Fatalf("heap grew %d bytes while streaming, close to holding all records (%d)", growth, held-atStart)
	}
}

// ModifiedSince narrows Count as it narrows the records All returns, also
// without other conditions (when All sends it as If-Modified-Since).
func TestModifiedSinceCount(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, c := emulatorClient(t, zohotest.WithClock(clock))
	seed(t, srv, "Leads", map[string]any{"Last_Name": "old1", "Company": "A"}, map[string]any{"Last_Name": "old2", "Company": "A"})
	mu.Lock()
	since := now.Add(15 * time.Minute)
	now = now.Add(30 * time.Minute) // within the access token's hour
	mu.Unlock()
	seed(t, srv, "Leads", map[string]any{"Last_Name": "new", "Company": "A"})

	q := zohohub.Records[qLead](c).Query().ModifiedSince(since)
	recs, err := q.Collect(context.Background())
	if err != nil || len(recs) != 1 || recs[0].LastName != "new" {
		t.Fatalf("Collect = %d records, %v; want the one modified since", len(recs), err)
	}
	n, err := q.Count(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Count = %d, %v; want 1", n, err)
	}
	n, err = q.Where(zohohub.TextField("Company").Equals("A")).Count(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Count with a condition = %d, %v; want 1", n, err)
	}
}

// An offset past the 2000 records that page numbers reach cannot be
// listed by page (Zoho answers DISCRETE_PAGINATION_LIMIT_EXCEEDED): the
// query goes through COQL instead.
func TestQueryOffsetBeyondPageWindow(t *testing.T) {
	srv, c := emulatorClient(t)
	recs := make([]map[string]any, 2100)
	for i := range recs {
		recs[i] = map[string]any{"Last_Name": fmt.Sprintf("L%05d", i), "Company": "A"}
	}
	seed(t, srv, "Leads", recs...)
	q := zohohub.Records[qLead](c).Query().Offset(2050)
	got, err := q.Collect(context.Background())
	if err != nil || len(got) != 50 {
		p, _ := q.Explain()
		t.Fatalf("Offset(2050): %d records, %v; want 50 (plan %v)", len(got), err, p)
	}
}

// ModifiedSince holds when ordering sends a query without other
// conditions through COQL (no If-Modified-Since header there).
func TestModifiedSinceThroughCOQL(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, c := emulatorClient(t, zohotest.WithClock(clock))
	seed(t, srv, "Leads", map[string]any{"Last_Name": "old", "Company": "A"})
	mu.Lock()
	since := now.Add(15 * time.Minute)
	now = now.Add(30 * time.Minute)
	mu.Unlock()
	seed(t, srv, "Leads", map[string]any{"Last_Name": "new", "Company": "A"})

	q := zohohub.Records[qLead](c).Query().ModifiedSince(since).OrderBy("Last_Name")
	if p, err := q.Explain(); err != nil || p.Kind != zohohub.PlanCOQL {
		t.Fatalf("plan %v, %v; want COQL", p, err)
	}
	recs, err := q.Collect(context.Background())
	if err != nil || len(recs) != 1 || recs[0].LastName != "new" {
		t.Fatalf("Collect = %d records, %v; want the one modified since", len(recs), err)
	}
}

// A selected name must be a field path: it goes unquoted into COQL and
// the fields parameter, so anything else could rewrite the query.
func TestSelectRefusesNonFieldNames(t *testing.T) {
	_, c := emulatorClient(t)
	q := zohohub.Records[qLead](c).Query().Select("Owner.id from Contacts where id is not null").OrderBy("Last_Name")
	if p, err := q.Explain(); err == nil {
		t.Fatalf("plan %v, want an error", p)
	}
}

// An OrderBy name must be a field path for the same reason.
func TestOrderByRefusesNonFieldNames(t *testing.T) {
	_, c := emulatorClient(t)
	q := zohohub.Records[qLead](c).Query().OrderBy("Last_Name limit 0, 1")
	if p, err := q.Explain(); err == nil {
		t.Fatalf("plan %v, want an error", p)
	}
}
