package zohotest

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The notifications (watch) API: POST|GET|PUT|PATCH|DELETE
// /crm/{v}/actions/watch, as in Zoho's notifications.json and
// docs/wire.md §7. Channels hold events per module and operation; every
// matching write of the records API is POSTed, as Zoho's callback body, to
// the channel's notify_url, after the write and never under the store
// lock. Errors of one channel stand in the watch array (202, as
// notifications.json files them); errors of the request are top-level.

const (
	watchMaxExpiry     = 7 * 24 * time.Hour // channel_expiry at most a week ahead
	watchDefaultExpiry = time.Hour
	watchMaxToken      = 50
	watchQueue         = 1024 // callbacks waiting to be POSTed; beyond, dropped
)

// watchState is the server's channels and callback queue, with a lock of
// its own: a write takes it after its module's lock, and nothing holding
// it takes another.
type watchState struct {
	mu       sync.Mutex
	channels map[string]*watchChannel // channel_id →
	queue    []watchDelivery
	posting  bool // a goroutine is draining queue
	dropped  int
	client   *http.Client
}

type watchChannel struct {
	id         string
	events     map[string]map[string]bool // module → operations (create, edit, delete, all)
	url        string
	token      string
	expiry     time.Time
	values     bool // return_affected_field_values
	relatedToo bool // notify_on_related_action
}

type watchDelivery struct {
	url  string
	body []byte
}

// watchInput is one channel of a request body.
type watchInput struct {
	ChannelID    json.RawMessage `json:"channel_id"`
	Events       []string        `json:"events"`
	NotifyURL    *string         `json:"notify_url"`
	Token        *string         `json:"token"`
	Expiry       *string         `json:"channel_expiry"`
	Values       *bool           `json:"return_affected_field_values"`
	RelatedToo   *bool           `json:"notify_on_related_action"`
	DeleteEvents *bool           `json:"_delete_events"`
}

var watchOps = map[string]string{"create": "insert", "edit": "update", "delete": "delete"}

// watchScope is what the watch API needs of the token for op (READ,
// CREATE, UPDATE, DELETE).
func watchScope(op string) scopeRule {
	return scope("ZohoCRM.notifications.ALL", "ZohoCRM.notifications."+op)
}

// watch answers /crm/{v}/actions/watch.
func (c *call) watch() {
	s := c.s
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	if s.watch.channels == nil {
		s.watch.channels = map[string]*watchChannel{}
	}
	s.expireChannelsLocked()
	switch c.r.Method {
	case "GET":
		c.listChannelsLocked()
	case "DELETE":
		c.deleteChannelsLocked()
	default:
		c.writeChannelsLocked()
	}
}

func (s *Server) expireChannelsLocked() {
	now := s.cfg.now()
	for id, ch := range s.watch.channels {
		if !now.Before(ch.expiry) {
			delete(s.watch.channels, id)
		}
	}
}

func (c *call) writeChannelsLocked() {
	var body struct {
		Watch []watchInput `json:"watch"`
	}
	if err := decodeJSON(c.body, &body); err != nil || body.Watch == nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a watch array", map[string]any{"api_name": "watch"}))
		return
	}
	if len(body.Watch) == 0 {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "watch"}))
		return
	}
	items := make([]any, len(body.Watch))
	failed := false
	for i, in := range body.Watch {
		item, err := c.writeChannelLocked(i, in)
		if err != nil {
			failed = true
			items[i] = err.envelope()
			continue
		}
		items[i] = item
	}
	status := http.StatusOK
	switch {
	case failed:
		status = http.StatusAccepted
	case c.r.Method == "POST":
		status = http.StatusCreated
	}
	writeJSON(c.w, status, map[string]any{"watch": items})
}

// writeChannelLocked enables (POST), replaces (PUT) or amends (PATCH) one
// channel.
func (c *call) writeChannelLocked(i int, in watchInput) (map[string]any, *zerr) {
	s := c.s
	path := func(f string) map[string]any {
		return map[string]any{"api_name": f, "json_path": "$.watch[" + strconv.Itoa(i) + "]." + f}
	}
	id := strings.Trim(string(in.ChannelID), `"`)
	if len(in.ChannelID) == 0 || id == "null" || id == "" {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", path("channel_id"))
	}
	if !digits(id) || len(id) > 19 {
		return nil, newErr(400, "INVALID_DATA", "invalid data", path("channel_id"))
	}
	old := s.watch.channels[id]
	if c.r.Method != "POST" && old == nil {
		return nil, newErr(400, "NOT_SUBSCRIBED", "the channel is not subscribed", map[string]any{"channel_id": id})
	}
	ch := &watchChannel{id: id, events: map[string]map[string]bool{}, expiry: s.cfg.now().Add(watchDefaultExpiry)}
	if c.r.Method == "PATCH" {
		cp := *old
		cp.events = map[string]map[string]bool{}
		for m, ops := range old.events {
			cp.events[m] = maps.Clone(ops)
		}
		ch = &cp
	}
	mandatory := c.r.Method != "PATCH"
	if len(in.Events) == 0 && mandatory {
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", path("events"))
	}
	remove := in.DeleteEvents != nil && *in.DeleteEvents
	for _, ev := range in.Events {
		module, op, ok := strings.Cut(ev, ".")
		_, known := s.meta.modules[module]
		if !ok || !known || (op != "all" && watchOps[op] == "") {
			return nil, newErr(400, "INVALID_DATA", "invalid data", path("events"))
		}
		if remove {
			delete(ch.events[module], op)
			if len(ch.events[module]) == 0 {
				delete(ch.events, module)
			}
			continue
		}
		if ch.events[module] == nil {
			ch.events[module] = map[string]bool{}
		}
		ch.events[module][op] = true
	}
	switch {
	case in.NotifyURL != nil:
		u, err := url.Parse(*in.NotifyURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, newErr(400, "INVALID_DATA", "invalid data", path("notify_url"))
		}
		ch.url = u.String()
	case mandatory:
		return nil, newErr(400, "MANDATORY_NOT_FOUND", "required field not found", path("notify_url"))
	}
	if in.Token != nil {
		if len(*in.Token) > watchMaxToken {
			return nil, newErr(400, "INVALID_DATA", "the token is longer than 50 characters", path("token"))
		}
		ch.token = *in.Token
	}
	if in.Expiry != nil {
		t, err := time.Parse(time.RFC3339, *in.Expiry)
		now := s.cfg.now()
		if err != nil || !t.After(now) || t.Sub(now) > watchMaxExpiry {
			return nil, newErr(400, "INVALID_DATA", "channel_expiry must be in the future and within a week", path("channel_expiry"))
		}
		ch.expiry = t
	}
	if in.Values != nil {
		ch.values = *in.Values
	}
	if in.RelatedToo != nil {
		ch.relatedToo = *in.RelatedToo
	}
	s.watch.channels[id] = ch
	msg := "Successfully subscribed for actions-watch of the given module"
	switch {
	case remove:
		msg = "Successfully removed the subscribe details"
	case c.r.Method != "POST":
		msg = "Successfully updated the subscribe details"
	}
	var events []any
	for _, m := range ch.modules() {
		events = append(events, map[string]any{"channel_expiry": zohoTime(ch.expiry), "resource_uri": s.base + "/crm/v8/" + m,
			"resource_id": s.meta.modules[m].ID, "resource_name": m, "channel_id": id, "notification_condition": []any{}})
	}
	return map[string]any{"code": "SUCCESS", "details": map[string]any{"events": events}, "message": msg, "status": "success"}, nil
}

func (c *call) listChannelsLocked() {
	s := c.s
	perPage, page, ok := c.pageParams()
	if !ok {
		return
	}
	want, module := c.q.Get("channel_id"), c.q.Get("module")
	ids := make([]string, 0, len(s.watch.channels))
	for id := range s.watch.channels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []any
	for _, id := range ids {
		ch := s.watch.channels[id]
		if want != "" && id != want {
			continue
		}
		for _, m := range ch.modules() {
			if module != "" && m != module {
				continue
			}
			var events []string
			for op := range ch.events[m] {
				events = append(events, m+"."+op)
			}
			sort.Strings(events)
			out = append(out, map[string]any{"channel_id": id, "events": events, "notify_url": ch.url, "token": ch.token,
				"channel_expiry": zohoTime(ch.expiry), "resource_name": m, "resource_id": s.meta.modules[m].ID,
				"resource_uri": s.base + "/crm/v8/" + m, "return_affected_field_values": ch.values,
				"notify_on_related_action": ch.relatedToo, "fields": nil, "notification_condition": []any{}})
		}
	}
	answerPage(c, "watch", out, page, perPage)
}

func (c *call) deleteChannelsLocked() {
	s := c.s
	ids := splitIDs(c.q.Get("channel_ids"))
	if len(ids) == 0 || ids[0] == "" {
		c.fail(newErr(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", map[string]any{"param_name": "channel_ids", "param": "channel_ids"}))
		return
	}
	items := make([]any, len(ids))
	failed := false
	for i, id := range ids {
		if s.watch.channels[id] == nil {
			failed = true
			items[i] = newErr(400, "NOT_SUBSCRIBED", "the channel is not subscribed", map[string]any{"channel_id": id}).envelope()
			continue
		}
		delete(s.watch.channels, id)
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"channel_id": id},
			"message": "Successfully un-subscribed from actions-watch", "status": "success"}
	}
	status := http.StatusOK
	if failed {
		status = http.StatusAccepted
	}
	writeJSON(c.w, status, map[string]any{"watch": items})
}

func (ch *watchChannel) modules() []string {
	ms := make([]string, 0, len(ch.events))
	for m := range ch.events {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}

// wants reports whether the channel watches operation (insert, update,
// delete) on module.
func (ch *watchChannel) wants(module, operation string) bool {
	ops := ch.events[module]
	if ops["all"] {
		return true
	}
	for ev, o := range watchOps {
		if o == operation && ops[ev] {
			return true
		}
	}
	return false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// changes is what one request of the records API wrote, per operation,
// for the channels that watch it.
type changes struct {
	ids [len(changeOps)][]string // by operation (changeOps), in order
	// The fields an update set and their values, by id: made only when a
	// write names them, or a channel asks for them (resolve).
	fields map[string][]string
	values map[string]map[string]any
	// Updates whose fields and values are read from what was sent only
	// when a channel asks for them (resolve): most writes have no channel,
	// and a copy of every record sent would be their garbage.
	pending []sentUpdate
	size    int // how many ids a write expects to add: room for them at once
}

// changeOps are the operations a channel is told of, in the order their
// notifications go out.
var changeOps = [...]string{"insert", "update", "delete"}

func changeOp(op string) int {
	for i, o := range changeOps {
		if o == op {
			return i
		}
	}
	return -1
}

// empty reports whether the request changed nothing a channel is told of.
func (ch *changes) empty() bool {
	for _, ids := range ch.ids {
		if len(ids) > 0 {
			return false
		}
	}
	return true
}

// sentUpdate is an update of record id with the members in.
type sentUpdate struct {
	id string
	in map[string]any
}

// addItem records a write's successful item (insert, update or upsert,
// which says in its action what it did).
func (ch *changes) addItem(op string, in map[string]any, item *writeDone) {
	id := item.recordID()
	if item.upsert {
		op = item.action
	}
	if id == "" {
		return
	}
	ch.add(op, id, nil, nil)
	if op == "update" {
		ch.pending = append(ch.pending, sentUpdate{id, in})
	}
}

// resolve sets the fields and values of the pending updates.
func (ch *changes) resolve() {
	for _, u := range ch.pending {
		var fields []string
		values := map[string]any{}
		for f, v := range u.in {
			if f != "id" {
				fields = append(fields, f)
				values[f] = v
			}
		}
		sort.Strings(fields)
		if fields != nil {
			ch.setFields(u.id, fields, values)
		}
	}
	ch.pending = nil
}

// add records that the request did op to record id, setting fields to
// values when they are given.
func (ch *changes) add(op, id string, fields []string, values map[string]any) {
	i := changeOp(op)
	if i < 0 {
		return // no channel is told of it
	}
	if ch.ids[i] == nil && ch.size > 0 {
		ch.ids[i] = make([]string, 0, ch.size)
	}
	ch.ids[i] = append(ch.ids[i], id)
	if fields != nil {
		ch.setFields(id, fields, values)
	}
}

// setFields records the fields an update of id set, and their values.
func (ch *changes) setFields(id string, fields []string, values map[string]any) {
	if ch.fields == nil {
		ch.fields, ch.values = map[string][]string{}, map[string]map[string]any{}
	}
	ch.fields[id], ch.values[id] = fields, values
}

// publish queues Zoho's callback body for every live channel that
// watches what a request changed in module, one per operation, and makes
// sure a goroutine is POSTing them. It does not block.
func (s *Server) publish(module string, ch *changes) {
	if ch.empty() {
		return
	}
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	now := s.cfg.now()
	ids := make([]string, 0, len(s.watch.channels))
	for id := range s.watch.channels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for opi, op := range changeOps {
		changed := ch.ids[opi]
		if len(changed) == 0 {
			continue
		}
		for _, cid := range ids {
			c := s.watch.channels[cid]
			if !now.Before(c.expiry) || !c.wants(module, op) {
				continue
			}
			ch.resolve()
			affected := []any{}
			var values []any
			for _, id := range changed {
				if f, ok := ch.fields[id]; ok {
					affected = append(affected, map[string]any{id: f})
					if c.values {
						values = append(values, map[string]any{"record_id": id, "values": ch.values[id]})
					}
				}
			}
			body := map[string]any{"server_time": now.UnixMilli(), "query_params": map[string]any{}, "module": module,
				"resource_uri": s.base + "/crm/v8/" + module, "ids": slices.Clone(changed), "affected_fields": affected,
				"operation": op, "channel_id": cid, "token": c.token}
			if values != nil {
				body["affected_values"] = values
			}
			data, err := json.Marshal(body)
			if err != nil {
				continue // the values came from decoded JSON: cannot happen
			}
			if len(s.watch.queue) >= watchQueue {
				s.watch.dropped++
				continue
			}
			s.watch.queue = append(s.watch.queue, watchDelivery{url: c.url, body: data})
		}
	}
	if len(s.watch.queue) > 0 && !s.watch.posting {
		s.watch.posting = true
		if s.watch.client == nil {
			s.watch.client = &http.Client{Timeout: 5 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		go s.postCallbacks(s.watch.client)
	}
}

// postCallbacks POSTs the queued callbacks in order, one at a time, and
// returns when the queue is empty. Failures are not retried.
func (s *Server) postCallbacks(hc *http.Client) {
	for {
		s.watch.mu.Lock()
		if len(s.watch.queue) == 0 {
			s.watch.posting = false
			s.watch.mu.Unlock()
			return
		}
		d := s.watch.queue[0]
		s.watch.queue = s.watch.queue[1:]
		s.watch.mu.Unlock()
		resp, err := hc.Post(d.url, "application/json", bytes.NewReader(d.body))
		if err == nil {
			resp.Body.Close()
		}
	}
}

// WatchChannels returns the ids of the live notification channels.
func (s *Server) WatchChannels() []string {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	s.expireChannelsLocked()
	var ids []string
	for id := range s.watch.channels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ExpireWatchChannels makes every notification channel expire now, as if
// its channel_expiry had passed: Zoho drops it, answers NOT_SUBSCRIBED to
// its renewal, and posts no more callbacks for it.
func (s *Server) ExpireWatchChannels() {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	clear(s.watch.channels)
}
