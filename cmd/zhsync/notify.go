package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/mirror"
)

// receiver is the notifications of a watch: the channel kept subscribed
// and the HTTP server Zoho POSTs to.
type receiver struct {
	n      *mirror.Notifications
	hs     *http.Server
	cancel context.CancelFunc
	ran    chan error // Run's end: the channel disabled
	addr   string
}

// checkNotifyURL checks -notify-url: an absolute http(s) URL.
func checkNotifyURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("-notify-url %q: want the http(s) URL Zoho can POST to, such as https://sync.example.com/zoho/notify", raw)
	}
	return nil
}

// startReceiver subscribes to the notifications of cfg's modules and
// serves their callbacks on cfg.listen (on ln instead when not nil), at
// the notify URL's path, until ctx ends or stop is called. It logs the
// address it listens on (listen=HOST:PORT at level info): the port the
// kernel picked for -listen :0.
func startReceiver(ctx context.Context, cfg *config, client *zohohub.Client, log *slog.Logger, ln net.Listener) (*receiver, error) {
	opts := []mirror.NotifyOption{mirror.WithChannelLifetime(cfg.channelLifetime), mirror.WithNotifyLogger(log)}
	if cfg.channelID != "" {
		opts = append(opts, mirror.WithChannelID(cfg.channelID))
	}
	n, err := mirror.NewNotifications(client, cfg.notifyURL, cfg.modules, opts...)
	if err != nil {
		return nil, err
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.listen); err != nil {
			return nil, fmt.Errorf("-listen %s: %w", cfg.listen, err)
		}
	}
	u, _ := url.Parse(cfg.notifyURL) // checked by parse
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, n.Handler())
	ctx, cancel := context.WithCancel(ctx)
	r := &receiver{n: n, hs: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, cancel: cancel,
		ran: make(chan error, 1), addr: ln.Addr().String()}
	go r.hs.Serve(ln)
	go func() { r.ran <- n.Run(ctx) }()
	log.Info("zhsync: receiving notifications", "listen", r.addr, "path", path, "notify_url", cfg.notifyURL)
	return r, nil
}

// stop disables the channel, then stops the server.
func (r *receiver) stop() error {
	r.cancel()
	err := <-r.ran
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := r.hs.Shutdown(sctx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
