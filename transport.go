package zohohub

import (
	"net"
	"net/http"
	"time"
)

// Timeouts of the default HTTP client. A whole-request timeout would cut
// long Bulk Read downloads; the caller's context bounds a call instead.
const (
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 2 * time.Minute
)

// defaultHTTPClient is the client a Client sends with unless given one:
// Go's default transport with bounded connect, TLS handshake and
// response-header waits (Go's has none for the headers), keeping an idle
// connection for each request that may be in flight.
func defaultHTTPClient(concurrency int) *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		t = t.Clone()
	} else { // a program replaced Go's default transport with another kind
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second}
	}
	t.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = tlsHandshakeTimeout
	t.ResponseHeaderTimeout = responseHeaderTimeout
	t.MaxIdleConnsPerHost = concurrency
	return &http.Client{Transport: t}
}
