package mirror

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/notifications"
)

// Notifications feeds Watch with the records Zoho notifies as changed, so
// that they reach the tables within seconds instead of at the next pass.
// It subscribes a channel to every operation on the modules (a Keeper:
// enabled, renewed before it expires, disabled when Run ends), receives
// Zoho's callbacks at the notify URL (Handler, which checks the channel's
// token), and hands Watch the ids, coalesced per module, on Changes. When
// Zoho had dropped the channel (it is enabled again), Zoho notified
// nothing meanwhile: Changes then asks Watch for a pass of every module.
// Passes at Watch's interval stay the safety net for lost callbacks.
type Notifications struct {
	keeper  *notifications.Keeper
	handler *notifications.Handler
	modules []string
	log     *slog.Logger
	changes chan Change
	wake    chan struct{}

	mu      sync.Mutex
	pending map[string]map[string]bool // module → ids notified, not yet handed over
	count   int                        // ids in pending
	sweep   map[string]bool            // modules to pass over instead
	enables int                        // times the channel was enabled
}

// NotifyOption configures Notifications.
type NotifyOption func(*notifyOptions)

type notifyOptions struct {
	channelID string
	lifetime  time.Duration
	log       *slog.Logger
}

// WithChannelID sets the channel's id, digits unique in the org (default:
// derived from the notify URL, so that a restart reuses the channel).
func WithChannelID(id string) NotifyOption { return func(o *notifyOptions) { o.channelID = id } }

// WithChannelLifetime sets how far ahead each renewal moves the channel's
// expiry (default DefaultChannelLifetime, at most a week); the channel is
// renewed a quarter of it before it ends. A process that dies without
// disabling its channel leaves it to expire.
func WithChannelLifetime(d time.Duration) NotifyOption {
	return func(o *notifyOptions) { o.lifetime = d }
}

// WithNotifyLogger sets where failures to subscribe or renew, and
// refused callbacks, are logged (default: discarded).
func WithNotifyLogger(l *slog.Logger) NotifyOption { return func(o *notifyOptions) { o.log = l } }

// DefaultChannelLifetime is the channel's lifetime without
// WithChannelLifetime.
const DefaultChannelLifetime = 24 * time.Hour

// maxPending bounds the ids held for Watch per module; beyond, the module
// gets a pass instead (which reads every change since its watermark).
const maxPending = 100000

// NewNotifications returns the notifications of the modules of the org
// client talks to, POSTed by Zoho to notifyURL (which must reach Handler;
// https for Zoho). The token needs the ZohoCRM.notifications.ALL scope.
func NewNotifications(client *zohohub.Client, notifyURL string, modules []string, opts ...NotifyOption) (*Notifications, error) {
	o := notifyOptions{lifetime: DefaultChannelLifetime, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, opt := range opts {
		opt(&o)
	}
	if len(modules) == 0 {
		return nil, errNoModules
	}
	if o.channelID == "" {
		o.channelID = channelIDOf(notifyURL)
	}
	var secret [16]byte
	crand.Read(secret[:]) // never fails (crypto/rand)
	ch := notifications.Channel{ID: o.channelID, NotifyURL: notifyURL, Token: hex.EncodeToString(secret[:])}
	for _, m := range modules {
		ch.Events = append(ch.Events, m+".all")
	}
	n := &Notifications{modules: slices.Clone(modules), log: o.log, changes: make(chan Change), wake: make(chan struct{}, 1),
		pending: map[string]map[string]bool{}, sweep: map[string]bool{}}
	keeper, err := notifications.NewKeeper(notifications.NewClient(client), ch, notifications.WithLifetime(o.lifetime),
		notifications.WithErrorHandler(func(err error) { o.log.Warn("mirror: notifications", "error", err) }),
		notifications.WithEnableHandler(n.enabled))
	if err != nil {
		return nil, fmt.Errorf("mirror: notifications: %w", err)
	}
	n.keeper = keeper
	n.handler = notifications.NewHandler(n.deliver, notifications.WithHandlerLogger(o.log))
	n.handler.Register(ch.ID, ch.Token)
	return n, nil
}

// channelIDOf derives a channel id of 18 digits from the notify URL.
func channelIDOf(notifyURL string) string {
	h := fnv.New64a()
	h.Write([]byte(notifyURL))
	return fmt.Sprint(h.Sum64()%9e17 + 1e17)
}

// Handler is the receiver of Zoho's callbacks: serve it at the notify URL.
func (n *Notifications) Handler() http.Handler { return n.handler }

// Changes is what to give Watch. It is closed when Run returns.
func (n *Notifications) Changes() <-chan Change { return n.changes }

// Run keeps the channel subscribed and hands the changes notified to
// Changes until ctx ends; then it disables the channel, closes Changes and
// returns the error of disabling, if any.
func (n *Notifications) Run(ctx context.Context) error {
	defer close(n.changes)
	kept := make(chan error, 1)
	go func() { kept <- n.keeper.Run(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return <-kept
		case <-n.wake:
		}
		for _, ch := range n.take() {
			select {
			case n.changes <- ch:
			case <-ctx.Done():
				return <-kept
			}
		}
	}
}

// deliver takes a callback's ids (the Handler's function: quick, it runs
// while Zoho waits for the answer).
func (n *Notifications) deliver(_ context.Context, ev notifications.Event) {
	if !slices.Contains(n.modules, ev.Module) {
		return
	}
	n.mu.Lock()
	switch {
	case n.sweep[ev.Module]:
	case n.count+len(ev.IDs) > maxPending:
		n.log.Warn("mirror: too many notified ids waiting; the module gets a pass instead", "module", ev.Module)
		n.count -= len(n.pending[ev.Module])
		delete(n.pending, ev.Module)
		n.sweep[ev.Module] = true
	default:
		ids := n.pending[ev.Module]
		if ids == nil {
			ids = map[string]bool{}
			n.pending[ev.Module] = ids
		}
		for _, id := range ev.IDs {
			if !ids[id] {
				ids[id] = true
				n.count++
			}
		}
	}
	n.mu.Unlock()
	n.signal()
}

// enabled is told each time the Keeper enables the channel: after the
// first, every module gets a pass for what was not notified meanwhile.
func (n *Notifications) enabled() {
	n.mu.Lock()
	n.enables++
	if n.enables > 1 {
		n.log.Info("mirror: the notification channel was enabled again; a pass looks for what was not notified")
		for _, m := range n.modules {
			n.sweep[m] = true
		}
		n.pending, n.count = map[string]map[string]bool{}, 0
	}
	n.mu.Unlock()
	n.signal()
}

func (n *Notifications) signal() {
	select {
	case n.wake <- struct{}{}:
	default: // already signalled
	}
}

// take empties what waits: a Change without ids (a pass) per module to
// sweep, a Change with the ids of each other module.
func (n *Notifications) take() []Change {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []Change
	for _, m := range n.modules {
		switch {
		case n.sweep[m]:
			out = append(out, Change{Module: m})
		case len(n.pending[m]) > 0:
			ids := make([]string, 0, len(n.pending[m]))
			for id := range n.pending[m] {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			out = append(out, Change{Module: m, IDs: ids})
		}
	}
	n.pending, n.count, n.sweep = map[string]map[string]bool{}, 0, map[string]bool{}
	return out
}
