package zohohub_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/zohotest"
)

// fault is what faultProxy does with a request after the emulator has
// applied it.
type fault int

const (
	passOn    fault = iota // the emulator's answer
	answer500              // 500 INTERNAL_ERROR
	dropConn               // the connection is cut, no answer
	hang                   // no answer until the client gives up
	reject500              // 500 without forwarding: nothing applied
)

func (f fault) String() string {
	return [...]string{"pass on", "500 after applying", "cut after applying", "hang after applying", "500 unapplied"}[f]
}

// faultKey carries a request's fault from the handler to ModifyResponse.
type faultKey struct{}

// faultProxy is a reverse proxy in front of zohotest. It forwards every
// request (but those decide rejects), so the emulator applies it, and then
// answers as decide says: the client cannot know whether a write it was
// not told about happened.
type faultProxy struct {
	env     auth.Environment
	applied atomic.Int64 // requests applied and then answered 500, cut or hung
}

// errWithheld marks an answer the proxy replaces.
var errWithheld = errors.New("answer withheld")

func newFaultProxy(t testing.TB, srv *zohotest.Server, decide func(*http.Request) fault) *faultProxy {
	t.Helper()
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	fp := &faultProxy{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		f, _ := resp.Request.Context().Value(faultKey{}).(fault)
		switch f {
		case passOn:
			return nil
		case hang:
			fp.applied.Add(1)
			<-resp.Request.Context().Done() // the client went away
			return errWithheld
		default:
			fp.applied.Add(1)
			return &withheld{f}
		}
	}
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		var wh *withheld
		switch {
		case errors.As(err, &wh) && wh.f == dropConn:
			panic(http.ErrAbortHandler) // net/http cuts the connection
		case errors.As(err, &wh):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`)
		default:
			w.WriteHeader(http.StatusBadGateway)
		}
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := decide(r)
		if f == reject500 {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`)
			return
		}
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), faultKey{}, f)))
	}))
	t.Cleanup(hs.Close)
	if fp.env, err = auth.Custom(hs.URL, hs.URL, hs.URL); err != nil {
		t.Fatal(err)
	}
	return fp
}

type withheld struct{ f fault }

func (w *withheld) Error() string { return errWithheld.Error() }

// randomFaults fails a share rate of the record writes (POST, PUT and
// DELETE, not COQL, which reads), half with a 500 and half with a cut
// connection, from a seeded generator so that a run is repeatable.
func randomFaults(rate float64, seed uint64) func(*http.Request) fault {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, 11))
	return func(r *http.Request) fault {
		if !isRecordWrite(r) {
			return passOn
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case rng.Float64() >= rate:
			return passOn
		case rng.IntN(2) == 0:
			return dropConn
		}
		return answer500
	}
}

// nthRequest applies f to the n-th request (from 1) matching route, such
// as "POST /crm/v8/Leads", and passes the others on.
func nthRequest(route string, n int, f fault) func(*http.Request) fault {
	var seen atomic.Int64
	return func(r *http.Request) fault {
		if r.Method+" "+r.URL.Path == route && seen.Add(1) == int64(n) {
			return f
		}
		return passOn
	}
}

func isRecordWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodDelete:
		return strings.HasPrefix(r.URL.Path, "/crm/") && !strings.HasSuffix(r.URL.Path, "/coql")
	}
	return false
}

// proxiedClient is a client of srv through a fault proxy, retrying fast.
func proxiedClient(t testing.TB, srv *zohotest.Server, decide func(*http.Request) fault, opts ...zohohub.Option) (*zohohub.Client, *faultProxy) {
	t.Helper()
	fp := newFaultProxy(t, srv, decide)
	access, _ := srv.IssueToken()
	all := append([]zohohub.Option{zohohub.WithEnvironment(fp.env), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})}, opts...)
	c, err := zohohub.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, fp
}
