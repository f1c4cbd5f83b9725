package zohohub

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Timeouts of the default HTTP client. A whole-request timeout would cut
// long Bulk Read downloads; the caller's context bounds a call instead.
const (
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 2 * time.Minute
	// idleConnsPerHost keeps a connection for each request the largest
	// edition lets an organisation have in flight (WithConcurrency).
	idleConnsPerHost = 25
)

// defaultTransport is the transport of every Client not given an HTTP
// client: one, like Go's http.DefaultTransport, so that the connections
// of clients a program drops are reused rather than left idle. It is Go's
// default transport with bounded connect, TLS handshake and
// response-header waits (Go's has none for the headers).
var defaultTransport = sync.OnceValue(func() *http.Transport {
	t, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		t = t.Clone()
	} else { // a program replaced Go's default transport with another kind
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second}
	}
	t.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = tlsHandshakeTimeout
	t.ResponseHeaderTimeout = responseHeaderTimeout
	t.MaxIdleConnsPerHost = idleConnsPerHost
	return t
})

// defaultHTTPClient is the client a Client sends with unless given one.
func defaultHTTPClient() *http.Client { return &http.Client{Transport: defaultTransport()} }
