package zohohub_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// paddedAnswers serves srv, padding the answer to every write of Accounts
// with pad bytes of JSON whitespace after its opening brace, streamed
// under a Content-Length that counts them: the client sees the answer's
// size before reading it, as from Zoho, and the test's own heap holds one
// shared chunk of padding. inFlight is the most padded answers being
// written at once.
type paddedAnswers struct {
	srv      *zohotest.Server
	pad      int
	hold     time.Duration
	chunk    []byte
	writing  atomic.Int64
	inFlight atomic.Int64
	peak     atomic.Uint64 // the live heap's high-water mark, in bytes
}

func (p *paddedAnswers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/Accounts") {
		p.srv.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.srv.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if len(body) == 0 || body[0] != '{' {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(body)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+p.pad))
	w.WriteHeader(rec.Code)
	n := p.writing.Add(1)
	defer p.writing.Add(-1)
	for cur := p.inFlight.Load(); n > cur && !p.inFlight.CompareAndSwap(cur, n); cur = p.inFlight.Load() {
	}
	if _, err := w.Write(body[:1]); err != nil {
		return
	}
	for sent := 0; sent < p.pad; sent += len(p.chunk) {
		if sent == p.pad/2 {
			// Half the answer sent: the client is reading it, or waits
			// for budget holding nothing; a client that took no budget
			// holds a buffer of the announced size for every answer
			// whose headers it has.
			w.(http.Flusher).Flush()
			time.Sleep(p.hold)
			p.sample()
		}
		if _, err := w.Write(p.chunk[:min(len(p.chunk), p.pad-sent)]); err != nil {
			return
		}
	}
	w.Write(body[1:])
}

// sample records the live heap: after two collections (the second frees
// what died during the first), HeapAlloc is what is reachable now.
func (p *paddedAnswers) sample() {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	for cur := p.peak.Load(); m.HeapAlloc > cur && !p.peak.CompareAndSwap(cur, m.HeapAlloc); cur = p.peak.Load() {
	}
}

// concurrentSaveAll runs ten SaveAll calls of 100 Accounts at once on one
// client (WithConcurrency(10), WithResponseBudget(budget)) against
// zohotest with every write's answer padded by pad bytes, checks every
// record was created, and returns the live heap's high-water mark above
// the heap before, and the most padded answers the server was writing at
// once.
func concurrentSaveAll(t *testing.T, pad int, budget int64) (grew int64, inFlight int64) {
	t.Helper()
	srv := zohotest.New(t)
	p := &paddedAnswers{srv: srv, pad: pad, hold: 10 * time.Millisecond, chunk: bytes.Repeat([]byte(" "), 64<<10)}
	hs := httptest.NewServer(p)
	defer hs.Close()
	env, err := auth.Custom(hs.URL, hs.URL, hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithConcurrency(10), zohohub.WithResponseBudget(budget))
	if err != nil {
		t.Fatal(err)
	}
	const calls, each = 10, 100
	batches := make([][]*hAccount, calls)
	for i := range batches {
		batches[i] = make([]*hAccount, each)
		for j := range batches[i] {
			batches[i][j] = &hAccount{AccountName: fmt.Sprintf("Account %d-%d", i, j)}
		}
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i, batch := range batches {
		wg.Go(func() {
			_, errs[i] = zohohub.Records[hAccount](c).SaveAll(ctx, batch)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("SaveAll %d: %v", i, err)
		}
		for j, r := range batches[i] {
			if r.ID == "" {
				t.Fatalf("SaveAll %d: record %d has no id", i, j)
			}
		}
	}
	if n := len(srv.Records("Accounts")); n != calls*each {
		t.Fatalf("%d Accounts in the emulator, want %d", n, calls*each)
	}
	return int64(p.peak.Load()) - int64(before.HeapAlloc), p.inFlight.Load()
}

// TestConcurrentSaveAllWithinResponseBudget: ten SaveAll calls at once on
// one client (issue #16), each of 100 Accounts and so one write, each
// answered with 8 MiB, and a response budget of one such answer: the live
// heap, sampled halfway through every answer, grows by at most 1.5 × the
// budget, where ten answers held at once would take 80 MiB (the same test
// with a 1 GiB budget: +84 MiB).
func TestConcurrentSaveAllWithinResponseBudget(t *testing.T) {
	const pad = 8 << 20
	budget := int64(pad + 64<<10) // one padded answer of 100 records
	grew, inFlight := concurrentSaveAll(t, pad, budget)
	t.Logf("budget %d KiB: live heap high-water mark +%d KiB; the server had up to %d padded answers in flight", budget>>10, grew>>10, inFlight)
	if inFlight < 5 {
		t.Errorf("the server had at most %d answers in flight, want the ten SaveAll calls' writes at once", inFlight)
	}
	if bound := budget * 3 / 2; grew > bound {
		t.Errorf("live heap grew %d KiB, more than 1.5 × the %d KiB response budget", grew>>10, budget>>10)
	}
}
