package zohotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A receiver that is slow to answer holds up neither the write that
// notified it nor the next calls: callbacks are posted off the store lock.
func TestWatchSlowReceiverBlocksNothing(t *testing.T) {
	_, c := newClient(t)
	got := make(chan map[string]any, 10)
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		got <- body
		<-release // answer only when the test is done
	}))
	defer hs.Close()
	defer close(release)
	if code, m := c.do("POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"42","events":["Leads.create","Leads.delete"],"notify_url":"`+hs.URL+`","token":"tok"}]}`); code != 201 {
		t.Fatalf("enable: %d %v", code, m)
	}
	start := time.Now()
	code, m := c.do("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Roe","Company":"Acme"}]}`)
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := details(m, 0)["id"].(string)
	var cb map[string]any
	select {
	case cb = <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("no callback within 2 s")
	}
	// The receiver has not answered yet; the API still does.
	if code, _ := c.do("GET", "/crm/v8/Leads/"+id, ""); code != 200 {
		t.Errorf("get while a callback is pending: %d", code)
	}
	if code, _ := c.do("PUT", "/crm/v8/Leads/"+id, `{"data":[{"Company":"Globex"}]}`); code != 200 {
		t.Errorf("update while a callback is pending: %d", code)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the API waited %v on a slow receiver", d)
	}
	want := map[string]any{"module": "Leads", "operation": "insert", "channel_id": "42", "token": "tok"}
	for k, v := range want {
		if cb[k] != v {
			t.Errorf("callback %s = %v, want %v", k, cb[k], v)
		}
	}
	if ids, _ := cb["ids"].([]any); len(ids) != 1 || ids[0] != id {
		t.Errorf("callback ids %v, want [%s]", cb["ids"], id)
	}
	for _, k := range []string{"server_time", "query_params", "resource_uri", "affected_fields"} {
		if _, ok := cb[k]; !ok {
			t.Errorf("callback lacks %s: %v", k, cb)
		}
	}
	// The update is not watched (Leads.create and Leads.delete only).
	select {
	case cb := <-got:
		t.Errorf("unwatched update notified: %v", cb)
	case <-time.After(100 * time.Millisecond):
	}
}

// A channel is refused a notify_url that is not http(s), a token over 50
// characters and an expiry beyond a week.
func TestWatchValidatesChannels(t *testing.T) {
	_, c := newClient(t)
	for name, ch := range map[string]string{
		"url":    `{"channel_id":"1","events":["Leads.all"],"notify_url":"file:///etc/passwd"}`,
		"token":  `{"channel_id":"1","events":["Leads.all"],"notify_url":"https://x.example","token":"` + strings.Repeat("t", 51) + `"}`,
		"expiry": `{"channel_id":"1","events":["Leads.all"],"notify_url":"https://x.example","channel_expiry":"` + time.Now().Add(8*24*time.Hour).Format(time.RFC3339) + `"}`,
		"id":     `{"channel_id":"abc","events":["Leads.all"],"notify_url":"https://x.example"}`,
		"event":  `{"channel_id":"1","events":["Leads.update"],"notify_url":"https://x.example"}`,
	} {
		code, m := c.do("POST", "/crm/v8/actions/watch", `{"watch":[`+ch+`]}`)
		items, _ := m["watch"].([]any)
		if code != 202 || len(items) != 1 || items[0].(map[string]any)["code"] != "INVALID_DATA" {
			t.Errorf("%s: %d %v, want 202 with INVALID_DATA", name, code, m)
		}
	}
	if code, _ := c.do("GET", "/crm/v8/actions/watch", ""); code != 204 {
		t.Errorf("list after refusals: %d, want 204", code)
	}
}
