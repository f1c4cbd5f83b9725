package notifications

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Limits of the watch API (Zoho's notifications.json, docs/wire.md §7).
const (
	// MaxTokenLength is the longest channel token Zoho accepts.
	MaxTokenLength = 50
	// MaxExpiry is how far ahead a channel may expire.
	MaxExpiry = 7 * 24 * time.Hour
	// DefaultExpiry is Zoho's expiry for a channel enabled without one.
	DefaultExpiry = time.Hour
)

// timeLayout is how Zoho writes channel_expiry: ISO 8601 with an offset.
const timeLayout = "2006-01-02T15:04:05-07:00"

// Channel is a subscription to notifications: which events Zoho reports,
// and where.
type Channel struct {
	// ID is the application's number for the channel (digits), unique in
	// the org; Zoho echoes it in every callback.
	ID string
	// Events are "Module.operation", the operation create, edit, delete or
	// all, such as "Leads.all" or "Deals.create".
	Events []string
	// NotifyURL receives Zoho's POSTs.
	NotifyURL string
	// Token, at most 50 characters, comes back in every callback so that
	// the receiver can tell Zoho's POSTs from forgeries. Use a random one.
	Token string
	// Expiry is when Zoho drops the channel; zero means Zoho's default, one
	// hour. At most a week ahead.
	Expiry time.Time
	// ReturnAffectedFieldValues asks Zoho to send the new values of the
	// fields an edit changed.
	ReturnAffectedFieldValues bool
	// NotifyOnRelatedAction asks Zoho to notify actions on related records.
	NotifyOnRelatedAction bool
}

// Validate checks the channel against the watch API's rules, so a bad one
// fails before a request is sent.
func (ch Channel) Validate() error {
	if !isDigits(ch.ID) {
		return fmt.Errorf("notifications: channel id %q is not a number", ch.ID)
	}
	if len(ch.Events) == 0 {
		return fmt.Errorf("notifications: channel %s watches no events", ch.ID)
	}
	for _, ev := range ch.Events {
		module, op, ok := strings.Cut(ev, ".")
		if !ok || !isName(module) || (op != "create" && op != "edit" && op != "delete" && op != "all") {
			return fmt.Errorf("notifications: channel %s: event %q is not Module.create|edit|delete|all", ch.ID, ev)
		}
	}
	u, err := url.Parse(ch.NotifyURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("notifications: channel %s: notify URL is not an http(s) URL", ch.ID)
	}
	if len(ch.Token) > MaxTokenLength {
		return fmt.Errorf("notifications: channel %s: token longer than %d characters", ch.ID, MaxTokenLength)
	}
	return nil
}

// wireChannel is a channel as the watch API writes it.
type wireChannel struct {
	ChannelID                 flexString `json:"channel_id"`
	Events                    []string   `json:"events,omitempty"`
	NotifyURL                 string     `json:"notify_url,omitempty"`
	Token                     string     `json:"token,omitempty"`
	ChannelExpiry             string     `json:"channel_expiry,omitempty"`
	ReturnAffectedFieldValues bool       `json:"return_affected_field_values,omitempty"`
	NotifyOnRelatedAction     bool       `json:"notify_on_related_action,omitempty"`
	DeleteEvents              bool       `json:"_delete_events,omitempty"`
	ResourceName              string     `json:"resource_name,omitempty"`
	ResourceID                flexString `json:"resource_id,omitempty"`
	ResourceURI               string     `json:"resource_uri,omitempty"`
}

func (ch Channel) wire() wireChannel {
	w := wireChannel{ChannelID: flexString(ch.ID), Events: ch.Events, NotifyURL: ch.NotifyURL, Token: ch.Token,
		ReturnAffectedFieldValues: ch.ReturnAffectedFieldValues, NotifyOnRelatedAction: ch.NotifyOnRelatedAction}
	if !ch.Expiry.IsZero() {
		w.ChannelExpiry = ch.Expiry.Format(timeLayout)
	}
	return w
}

// Watch is one module of a channel as List reports it: Zoho lists a
// channel once per module it watches.
type Watch struct {
	Channel
	// Module is the module's API name, such as "Leads".
	Module string
	// ResourceID and ResourceURI name the module as Zoho does.
	ResourceID, ResourceURI string
}

// Subscription is what Zoho confirms for one module of a channel it
// enabled or renewed.
type Subscription struct {
	ChannelID string
	Module    string
	// Expiry is when Zoho drops the channel.
	Expiry                  time.Time
	ResourceID, ResourceURI string
}

// flexString decodes a JSON string or number (Zoho writes ids both ways)
// and encodes a string.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("not a string or a number")
	}
	*f = flexString(n.String())
	return nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isName reports whether s is a plausible module API name: letters,
// digits and underscores.
func isName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
