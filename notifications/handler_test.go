package notifications_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/notifications"
)

const goodBody = `{"server_time":1718117126473,"query_params":{},"module":"Leads","resource_uri":"https://www.zohoapis.com/crm/v8/Leads",
"ids":["5725767000001000001",5725767000001000002],"affected_fields":[{"5725767000001000001":["Company"]}],"operation":"update","channel_id":1001,"token":"right-token"}`

// post sends body to h and returns the status and the answer.
func post(t *testing.T, h *notifications.Handler, method, body string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, "/notify", strings.NewReader(body)))
	return rec.Code, rec.Body.String()
}

func newTestHandler(delivered *[]notifications.Event, opts ...notifications.HandlerOption) *notifications.Handler {
	h := notifications.NewHandler(func(_ context.Context, ev notifications.Event) { *delivered = append(*delivered, ev) }, opts...)
	h.Register("1001", "right-token")
	return h
}

func TestHandlerDecodesEvent(t *testing.T) {
	var got []notifications.Event
	h := newTestHandler(&got)
	if code, _ := post(t, h, "POST", goodBody); code != http.StatusOK {
		t.Fatalf("status %d, want 200", code)
	}
	if len(got) != 1 {
		t.Fatalf("%d events delivered, want 1", len(got))
	}
	ev := got[0]
	if ev.ChannelID != "1001" || ev.Module != "Leads" || ev.Operation != notifications.Update ||
		!slices.Equal(ev.IDs, []string{"5725767000001000001", "5725767000001000002"}) ||
		!slices.Equal(ev.AffectedFields["5725767000001000001"], []string{"Company"}) || ev.ServerTime.UnixMilli() != 1718117126473 {
		t.Errorf("event %+v", ev)
	}
}

// Forged, malformed and oversized callbacks are refused, nothing is
// delivered, and the answer never echoes the token sent.
func TestHandlerRefuses(t *testing.T) {
	forged := "forged-token-0123456789"
	for _, tc := range []struct {
		name, method, body string
		status             int
	}{
		{"bad token", "POST", strings.Replace(goodBody, "right-token", forged, 1), http.StatusForbidden},
		{"token of another length", "POST", strings.Replace(goodBody, "right-token", "r", 1), http.StatusForbidden},
		{"unknown channel", "POST", strings.Replace(goodBody, `"channel_id":1001`, `"channel_id":"999"`, 1), http.StatusForbidden},
		{"no token", "POST", strings.Replace(goodBody, `,"token":"right-token"`, "", 1), http.StatusUnauthorized},
		{"id not digits", "POST", strings.Replace(goodBody, `"5725767000001000001",`, `"1 OR 1=1",`, 1), http.StatusBadRequest},
		{"no ids", "POST", strings.Replace(goodBody, `"ids":["5725767000001000001",5725767000001000002]`, `"ids":[]`, 1), http.StatusBadRequest},
		{"unknown operation", "POST", strings.Replace(goodBody, `"update"`, `"drop"`, 1), http.StatusBadRequest},
		{"module not a name", "POST", strings.Replace(goodBody, `"Leads"`, `"Leads; DROP"`, 1), http.StatusBadRequest},
		{"not JSON", "POST", "<html>", http.StatusBadRequest},
		{"too large", "POST", `{"ids":["` + strings.Repeat("1", 2000) + `"]}`, http.StatusRequestEntityTooLarge},
		{"GET", "GET", "", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []notifications.Event
			h := newTestHandler(&got, notifications.WithMaxBody(1024))
			code, answer := post(t, h, tc.method, tc.body)
			if code != tc.status {
				t.Errorf("status %d, want %d", code, tc.status)
			}
			if len(got) != 0 {
				t.Errorf("delivered %+v", got)
			}
			if strings.Contains(answer, forged) || strings.Contains(answer, "right-token") {
				t.Errorf("answer echoes a token: %q", answer)
			}
		})
	}
}

// Forget stops a channel's callbacks.
func TestHandlerForget(t *testing.T) {
	var got []notifications.Event
	h := newTestHandler(&got)
	h.Forget("1001")
	if code, _ := post(t, h, "POST", goodBody); code != http.StatusForbidden || len(got) != 0 {
		t.Errorf("status %d, %d events after Forget; want 403 and none", code, len(got))
	}
}
