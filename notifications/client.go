package notifications

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zohohub/zohohub"
)

// watchPath is the watch API, relative to the versioned API root.
const watchPath = "actions/watch"

// Client enables, lists, renews and disables notification channels. It
// needs the ZohoCRM.notifications.ALL scope.
type Client struct {
	api *zohohub.Client
}

// NewClient returns a Client that calls Zoho through api.
func NewClient(api *zohohub.Client) *Client { return &Client{api: api} }

// Enable subscribes the channels (POST actions/watch) and returns what
// Zoho confirmed, one Subscription per channel and module. A channel Zoho
// refused is an *zohohub.APIError whose Index is its position.
func (c *Client) Enable(ctx context.Context, channels ...Channel) ([]Subscription, error) {
	return c.write(ctx, http.MethodPost, channels)
}

// Update replaces the channels' events, URL, token and expiry (PUT
// actions/watch); renewing a channel is an Update with a later Expiry. A
// channel Zoho no longer holds fails with code NOT_SUBSCRIBED (see
// IsNotSubscribed).
func (c *Client) Update(ctx context.Context, channels ...Channel) ([]Subscription, error) {
	return c.write(ctx, http.MethodPut, channels)
}

// RemoveEvents stops the events of one channel (PATCH actions/watch with
// _delete_events), keeping its others.
func (c *Client) RemoveEvents(ctx context.Context, channelID string, events ...string) ([]Subscription, error) {
	if !isDigits(channelID) || len(events) == 0 {
		return nil, errors.New("notifications: RemoveEvents needs a channel id and events")
	}
	body := map[string]any{"watch": []wireChannel{{ChannelID: flexString(channelID), Events: events, DeleteEvents: true}}}
	return c.send(ctx, http.MethodPatch, body)
}

func (c *Client) write(ctx context.Context, method string, channels []Channel) ([]Subscription, error) {
	if len(channels) == 0 {
		return nil, errors.New("notifications: no channel given")
	}
	wire := make([]wireChannel, len(channels))
	for i, ch := range channels {
		if err := ch.Validate(); err != nil {
			return nil, err
		}
		wire[i] = ch.wire()
	}
	return c.send(ctx, method, map[string]any{"watch": wire})
}

// watchAnswer is the watch API's answer to a write: one item per channel.
type watchAnswer struct {
	Watch []struct {
		Code    string          `json:"code"`
		Status  string          `json:"status"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	} `json:"watch"`
}

func (c *Client) send(ctx context.Context, method string, body any) ([]Subscription, error) {
	var ans watchAnswer
	resp, err := c.api.DoJSON(ctx, &zohohub.Request{Method: method, Path: watchPath, Body: body}, &ans)
	if err != nil {
		return nil, err
	}
	var subs []Subscription
	for i, item := range ans.Watch {
		if item.Status != "success" {
			return subs, itemError(resp.StatusCode, method, i, item.Code, item.Message, item.Status, item.Details)
		}
		var d struct {
			Events []struct {
				ChannelID     flexString `json:"channel_id"`
				ChannelExpiry string     `json:"channel_expiry"`
				ResourceName  string     `json:"resource_name"`
				ResourceID    flexString `json:"resource_id"`
				ResourceURI   string     `json:"resource_uri"`
			} `json:"events"`
		}
		if len(item.Details) > 0 {
			if err := json.Unmarshal(item.Details, &d); err != nil {
				return subs, fmt.Errorf("notifications: %s %s: decoding details of channel %d: %w", method, watchPath, i, err)
			}
		}
		for _, ev := range d.Events {
			exp, err := parseTime(ev.ChannelExpiry)
			if err != nil {
				return subs, fmt.Errorf("notifications: %s %s: channel_expiry %q: %w", method, watchPath, ev.ChannelExpiry, err)
			}
			subs = append(subs, Subscription{ChannelID: string(ev.ChannelID), Module: ev.ResourceName, Expiry: exp,
				ResourceID: string(ev.ResourceID), ResourceURI: ev.ResourceURI})
		}
	}
	if len(ans.Watch) == 0 {
		return nil, &zohohub.APIError{StatusCode: resp.StatusCode, Method: method, Path: watchPath, Index: -1,
			Message: "answer without a watch array"}
	}
	return subs, nil
}

func itemError(status int, method string, i int, code, msg, st string, raw json.RawMessage) error {
	var details map[string]any
	json.Unmarshal(raw, &details) // details are optional; a bad one is left out
	return &zohohub.APIError{StatusCode: status, Code: code, Message: msg, Status: st, Details: details,
		Method: method, Path: watchPath, Index: i}
}

// IsNotSubscribed reports whether err is Zoho's answer for a channel it
// does not hold (expired or disabled).
func IsNotSubscribed(err error) bool {
	var apiErr *zohohub.APIError
	return errors.As(err, &apiErr) && apiErr.Code == "NOT_SUBSCRIBED"
}

// ListOptions narrows List to one channel or one module.
type ListOptions struct {
	ChannelID string
	Module    string
}

// List returns the live channels, once per module they watch (GET
// actions/watch, every page). Zoho answers 204 when there is none: an
// empty list.
func (c *Client) List(ctx context.Context, opt ListOptions) ([]Watch, error) {
	var out []Watch
	for page := 1; page <= 1000; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {"200"}}
		if opt.ChannelID != "" {
			q.Set("channel_id", opt.ChannelID)
		}
		if opt.Module != "" {
			q.Set("module", opt.Module)
		}
		var ans struct {
			Watch []wireChannel `json:"watch"`
			Info  struct {
				MoreRecords bool `json:"more_records"`
			} `json:"info"`
		}
		if _, err := c.api.DoJSON(ctx, &zohohub.Request{Path: watchPath, Query: q}, &ans); err != nil {
			return out, err
		}
		for _, w := range ans.Watch {
			exp, err := parseTime(w.ChannelExpiry)
			if err != nil {
				return out, fmt.Errorf("notifications: GET %s: channel_expiry %q: %w", watchPath, w.ChannelExpiry, err)
			}
			out = append(out, Watch{Channel: Channel{ID: string(w.ChannelID), Events: w.Events, NotifyURL: w.NotifyURL,
				Token: w.Token, Expiry: exp, ReturnAffectedFieldValues: w.ReturnAffectedFieldValues,
				NotifyOnRelatedAction: w.NotifyOnRelatedAction}, Module: w.ResourceName,
				ResourceID: string(w.ResourceID), ResourceURI: w.ResourceURI})
		}
		if !ans.Info.MoreRecords || len(ans.Watch) == 0 {
			return out, nil
		}
	}
	return out, nil
}

// Disable unsubscribes the channels (DELETE actions/watch?channel_ids=).
// A channel Zoho does not hold is reported as NOT_SUBSCRIBED; the others
// are disabled all the same.
func (c *Client) Disable(ctx context.Context, channelIDs ...string) error {
	if len(channelIDs) == 0 {
		return errors.New("notifications: Disable needs a channel id")
	}
	for _, id := range channelIDs {
		if !isDigits(id) {
			return fmt.Errorf("notifications: channel id %q is not a number", id)
		}
	}
	q := url.Values{"channel_ids": {strings.Join(channelIDs, ",")}}
	var ans watchAnswer
	resp, err := c.api.DoJSON(ctx, &zohohub.Request{Method: http.MethodDelete, Path: watchPath, Query: q}, &ans)
	if err != nil {
		return err
	}
	var errs []error
	for i, item := range ans.Watch {
		if item.Status != "success" {
			errs = append(errs, itemError(resp.StatusCode, http.MethodDelete, i, item.Code, item.Message, item.Status, item.Details))
		}
	}
	return errors.Join(errs...)
}
