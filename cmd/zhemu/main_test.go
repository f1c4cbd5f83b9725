package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestZhemuServesIndependentClients runs zhemu on a free port and talks to
// it with plain net/http, as a client in another language would.
func TestZhemuServesIndependentClients(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-client-id", "ID", "-client-secret", "S", "-grant-token", "G", "-user-email", "e@example.com"}, &out)
	}()
	base := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(base + "/crm/v8/org"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatal("zhemu did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.PostForm(base+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {"ID"}, "client_secret": {"S"}, "code": {"G"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	access, _ := tok["access_token"].(string)
	if access == "" || tok["refresh_token"] == nil {
		t.Fatalf("token answer %v", tok)
	}
	call := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, m := call("POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Doe","Company":"Acme"}]}`)
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := m["data"].([]any)[0].(map[string]any)["details"].(map[string]any)["id"].(string)
	if code, m := call("GET", "/crm/v8/Leads/"+id, ""); code != 200 || m["data"].([]any)[0].(map[string]any)["Last_Name"] != "Doe" {
		t.Fatalf("get: %d %v", code, m)
	}
	if code, m := call("GET", "/crm/v8/Nope", ""); code != 400 || m["code"] != "INVALID_MODULE" || m["status"] != "error" {
		t.Fatalf("bad module: %d %v", code, m)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "API base URL "+base+"/crm/v8") || !strings.Contains(out.String(), "/oauth/v2/token") {
		t.Fatalf("start-up lines: %q", out.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
