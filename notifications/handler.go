package notifications

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Operation is what happened to the records of an Event.
type Operation string

// The operations Zoho reports.
const (
	Insert Operation = "insert"
	Update Operation = "update"
	Delete Operation = "delete"
)

// Event is one notification: records of a module that were inserted,
// updated or deleted.
type Event struct {
	ChannelID string
	Module    string
	Operation Operation
	// IDs are the records' ids (digits).
	IDs []string
	// AffectedFields are, per record id, the API names of the fields an
	// update changed (Zoho sends them for updates only).
	AffectedFields map[string][]string
	// AffectedValues are, per record id, the new values of those fields,
	// when the channel asked for them (ReturnAffectedFieldValues).
	AffectedValues map[string]map[string]json.RawMessage
	// ServerTime is when Zoho sent the notification.
	ServerTime time.Time
	// ResourceURI is the module's API URL.
	ResourceURI string
}

// DefaultMaxBody bounds a callback's body: Zoho's carry ids and field
// names of at most a few hundred records.
const DefaultMaxBody = 1 << 20

// Handler receives Zoho's notification callbacks at a channel's notify
// URL. It accepts a POST only for a channel it was told of (Register) and
// with that channel's token, compared in constant time; refuses anything
// else with 401 (no token) or 403 (unknown channel or wrong token),
// without echoing what was sent; bounds the body; checks that ids are
// digits and the operation one Zoho sends; and then calls deliver and
// answers 200. deliver runs in the request's goroutine, so it must be
// quick (hand the event to a channel or a queue): Zoho retries a slow
// answer.
type Handler struct {
	deliver func(context.Context, Event)
	maxBody int64
	log     *slog.Logger

	mu     sync.RWMutex
	tokens map[string]string // channel id → token
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler)

// WithMaxBody sets the largest body accepted (default DefaultMaxBody);
// larger ones are answered 413.
func WithMaxBody(n int64) HandlerOption { return func(h *Handler) { h.maxBody = n } }

// WithHandlerLogger sets where refused callbacks are logged (never with
// their token). Default: discarded.
func WithHandlerLogger(l *slog.Logger) HandlerOption { return func(h *Handler) { h.log = l } }

// NewHandler returns a Handler that passes every valid event to deliver.
func NewHandler(deliver func(context.Context, Event), opts ...HandlerOption) *Handler {
	h := &Handler{deliver: deliver, maxBody: DefaultMaxBody, tokens: map[string]string{},
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(h)
	}
	if h.deliver == nil {
		h.deliver = func(context.Context, Event) {}
	}
	return h
}

// Register makes the handler accept callbacks of channel id carrying
// token. Registering an id again replaces its token.
func (h *Handler) Register(channelID, token string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tokens[channelID] = token
}

// Forget makes the handler refuse callbacks of channel id.
func (h *Handler) Forget(channelID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.tokens, channelID)
}

// callback is the body Zoho POSTs.
type callback struct {
	ServerTime     int64             `json:"server_time"`
	Module         string            `json:"module"`
	ResourceURI    string            `json:"resource_uri"`
	IDs            []flexString      `json:"ids"`
	AffectedFields []json.RawMessage `json:"affected_fields"`
	AffectedValues []struct {
		RecordID flexString                 `json:"record_id"`
		Values   map[string]json.RawMessage `json:"values"`
	} `json:"affected_values"`
	Operation string     `json:"operation"`
	ChannelID flexString `json:"channel_id"`
	Token     *string    `json:"token"`
}

// ServeHTTP answers one callback.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	var cb callback
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&cb); err != nil {
		http.Error(w, "body is not a notification", http.StatusBadRequest)
		return
	}
	if status := h.authorize(cb); status != 0 {
		h.log.Warn("notifications: refused a callback", "status", status, "channel_known", status == http.StatusForbidden)
		http.Error(w, http.StatusText(status), status)
		return
	}
	ev, err := cb.event()
	if err != nil {
		h.log.Warn("notifications: invalid callback", "channel", string(cb.ChannelID), "error", err)
		http.Error(w, "invalid notification", http.StatusBadRequest)
		return
	}
	h.deliver(context.WithoutCancel(r.Context()), ev)
	w.WriteHeader(http.StatusOK)
}

// authorize returns 0 if the callback carries its channel's token, else
// the status to refuse it with. The comparison takes the same time for an
// unknown channel as for a wrong token.
func (h *Handler) authorize(cb callback) int {
	if cb.Token == nil {
		return http.StatusUnauthorized
	}
	h.mu.RLock()
	want, known := h.tokens[string(cb.ChannelID)]
	h.mu.RUnlock()
	if !known {
		want = "\x00unknown channel\x00" // compared anyway, so timing tells nothing
	}
	ok := subtle.ConstantTimeCompare([]byte(*cb.Token), []byte(want)) == 1
	if !ok || !known {
		return http.StatusForbidden
	}
	return 0
}

// event validates the callback and makes it an Event.
func (cb callback) event() (Event, error) {
	ev := Event{ChannelID: string(cb.ChannelID), Module: cb.Module, Operation: Operation(cb.Operation),
		ResourceURI: cb.ResourceURI}
	switch ev.Operation {
	case Insert, Update, Delete:
	default:
		return Event{}, errors.New("unknown operation")
	}
	if !isName(cb.Module) {
		return Event{}, errors.New("module is not an API name")
	}
	if len(cb.IDs) == 0 {
		return Event{}, errors.New("no ids")
	}
	for _, id := range cb.IDs {
		if !isDigits(string(id)) {
			return Event{}, errors.New("an id is not a number")
		}
		ev.IDs = append(ev.IDs, string(id))
	}
	if cb.ServerTime > 0 {
		ev.ServerTime = time.UnixMilli(cb.ServerTime)
	}
	// affected_fields: [{"<id>": ["Field", …]}, …]; other shapes are
	// ignored rather than refused, as Zoho may add to them.
	for _, raw := range cb.AffectedFields {
		var m map[string][]string
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		for id, fields := range m {
			if isDigits(id) {
				if ev.AffectedFields == nil {
					ev.AffectedFields = map[string][]string{}
				}
				ev.AffectedFields[id] = fields
			}
		}
	}
	for _, v := range cb.AffectedValues {
		if isDigits(string(v.RecordID)) {
			if ev.AffectedValues == nil {
				ev.AffectedValues = map[string]map[string]json.RawMessage{}
			}
			ev.AffectedValues[string(v.RecordID)] = v.Values
		}
	}
	return ev, nil
}
