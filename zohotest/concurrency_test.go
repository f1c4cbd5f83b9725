package zohotest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub/zohotest"
)

// listAll pages through GET /{module} (page, then page_token past 2000)
// and returns every record's Last_Name by id.
func listAll(c *client, module string) map[string]string {
	c.t.Helper()
	out := map[string]string{}
	q := url.Values{"fields": {"Last_Name"}, "per_page": {"200"}, "page": {"1"}}
	for range 1000 {
		code, m := c.do("GET", "/crm/v8/"+module+"?"+q.Encode(), "")
		if code == 204 {
			return out
		}
		if code != 200 {
			c.t.Fatalf("list: %d %v", code, m)
		}
		for _, r := range m["data"].([]any) {
			rec := r.(map[string]any)
			id := rec["id"].(string)
			if _, dup := out[id]; dup {
				c.t.Fatalf("list: record %s on two pages", id)
			}
			out[id], _ = rec["Last_Name"].(string)
		}
		info := m["info"].(map[string]any)
		if info["more_records"] != true {
			return out
		}
		tok, _ := info["next_page_token"].(string)
		q.Del("page")
		q.Set("page_token", tok)
	}
	c.t.Fatal("list: no end")
	return nil
}

// TestConcurrentReadersWritersDeleters runs 50 goroutines for a bounded
// time against one module — writers inserting and updating, deleters
// removing what writers made, readers listing, getting and querying — and
// then checks, through the API, that count = inserts − deletes and that
// every surviving record holds the last value written to it.
func TestConcurrentReadersWritersDeleters(t *testing.T) {
	// Not parallel: it checks its own time bound.
	_, c := newClient(t)
	const goroutines = 50
	deadline := time.Now().Add(1500 * time.Millisecond)
	var inserted, deleted atomic.Int64
	var want sync.Map // id → last Last_Name written (deleted ids removed)
	made := make(chan string, 10000)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline) && i < 40; i++ {
				switch g % 5 {
				case 0, 1, 2: // writer
					name := fmt.Sprintf("w%d-%d", g, i)
					code, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"`+name+`"}]}`)
					if code != 201 {
						t.Errorf("insert: %d %v", code, m)
						return
					}
					id := details(m, 0)["id"].(string)
					inserted.Add(1)
					if i%3 == 0 { // update before anyone may delete it
						name += "u"
						if code, m := c.do("PUT", "/crm/v8/Leads/"+id, `{"data":[{"Last_Name":"`+name+`"}]}`); code != 200 {
							t.Errorf("update: %d %v", code, m)
							return
						}
					}
					want.Store(id, name)
					made <- id
				case 3: // deleter
					select {
					case id := <-made:
						code, m := c.do("DELETE", "/crm/v8/Leads/"+id, "")
						if code != 200 || item(m, 0)["status"] != "success" {
							t.Errorf("delete %s: %d %v", id, code, m)
							return
						}
						want.Delete(id)
						deleted.Add(1)
					case <-time.After(time.Until(deadline)):
						return // nothing made in time (a slow machine): the writers' inserts still count
					}
				case 4: // reader
					code, m := c.do("GET", "/crm/v8/Leads?fields=Last_Name&per_page=50", "")
					if code != 200 && code != 204 {
						t.Errorf("list: %d %v", code, m)
						return
					}
					if code == 200 {
						for _, r := range m["data"].([]any) {
							if r.(map[string]any)["Last_Name"] == nil {
								t.Errorf("listed a record without its Last_Name: %v", r)
							}
						}
					}
					if code, m := c.do("POST", "/crm/v8/coql", `{"select_query":"select Last_Name from Leads where Last_Name like 'w%' limit 10"}`); code != 200 && code != 204 {
						t.Errorf("coql: %d %v", code, m)
					}
				}
			}
		})
	}
	wg.Wait()
	if time.Now().After(deadline.Add(1500 * time.Millisecond)) {
		t.Errorf("the run overran its time bound")
	}
	n := int(inserted.Load() - deleted.Load())
	if inserted.Load() == 0 || deleted.Load() == 0 {
		t.Fatalf("nothing happened: %d inserts, %d deletes", inserted.Load(), deleted.Load())
	}
	t.Logf("%d inserts, %d deletes", inserted.Load(), deleted.Load())
	_, m := c.do("GET", "/crm/v8/Leads/actions/count", "")
	if m["count"] != float64(n) {
		t.Errorf("actions/count %v, want inserts − deletes = %d", m["count"], n)
	}
	listed := listAll(c, "Leads")
	if len(listed) != n {
		t.Errorf("listing holds %d records, want %d", len(listed), n)
	}
	want.Range(func(k, v any) bool {
		if listed[k.(string)] != v.(string) {
			t.Errorf("record %s: Last_Name %q, last written %q", k, listed[k.(string)], v)
		}
		return true
	})
}

// stalledWriter is a client that stops reading its answer: Write blocks
// until release is closed.
type stalledWriter struct {
	header           http.Header
	entered, release chan struct{}
	once             sync.Once
}

func (w *stalledWriter) Header() http.Header { return w.header }
func (w *stalledWriter) WriteHeader(int)     {}
func (w *stalledWriter) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.entered) })
	<-w.release
	return len(b), nil
}

// An answer is written after every lock is released: a client that stops
// reading the answer to its insert stops no other call, on its module or
// another.
func TestSlowClientBlocksNoOne(t *testing.T) {
	t.Parallel()
	srv, err := zohotest.NewHandler("http://zohotest.invalid")
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	request := func(method, target, body string) *http.Request {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		return req
	}
	stalled := &stalledWriter{header: http.Header{}, entered: make(chan struct{}), release: make(chan struct{})}
	defer close(stalled.release)
	go srv.ServeHTTP(stalled, request("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Slow"}]}`))
	<-stalled.entered
	for _, call := range []struct{ method, target, body string }{
		{"POST", "/crm/v8/Contacts", `{"data":[{"Last_Name":"Roe"}]}`},
		{"POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Doe"}]}`},
		{"GET", "/crm/v8/Leads?fields=Last_Name", ""},
	} {
		done := make(chan int, 1)
		go func() {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, request(call.method, call.target, call.body))
			done <- w.Code
		}()
		select {
		case code := <-done:
			if code >= 300 {
				t.Errorf("%s %s: %d", call.method, call.target, code)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s %s waits for a client that stopped reading", call.method, call.target)
		}
	}
}
