package zohohub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// fakeCRM is a small in-memory Zoho CRM records API for the model tests:
// it keeps records as JSON members, answers with Zoho's shapes (201/207/400
// with per-record results, 204 for nothing) and records every request.
// The full emulator lives in zohotest; this one keeps these tests
// independent of it.
type fakeCRM struct {
	srv *httptest.Server

	mu       sync.Mutex
	records  map[string]map[string]map[string]json.RawMessage // module → id → members
	nextID   int64
	requests []fakeRequest
	// invalid, when set, rejects a record to be written with a field error.
	invalid func(module string, rec map[string]json.RawMessage) (apiName string, bad bool)
}

type fakeRequest struct {
	Method, Path string
	Query        string
	Body         []byte
}

type staticTokens string

func (s staticTokens) AccessToken(context.Context) (string, error) { return string(s), nil }
func (staticTokens) Invalidate(string)                             {}

func newFakeCRM(t *testing.T) *fakeCRM {
	f := startFakeCRM()
	t.Cleanup(f.srv.Close)
	return f
}

// startFakeCRM starts a fake the caller must Close.
func startFakeCRM() *fakeCRM {
	f := &fakeCRM{records: map[string]map[string]map[string]json.RawMessage{}, nextID: 5725767000000524000}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *fakeCRM) Close() { f.srv.Close() }

func (f *fakeCRM) newClient(opts ...zohohub.Option) (*zohohub.Client, error) {
	env, err := auth.Custom(f.srv.URL, f.srv.URL, f.srv.URL)
	if err != nil {
		return nil, err
	}
	opts = append([]zohohub.Option{zohohub.WithEnvironment(env), zohohub.WithTokenSource(staticTokens("tok")),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1})}, opts...)
	return zohohub.New(opts...)
}

func (f *fakeCRM) client(t *testing.T, opts ...zohohub.Option) *zohohub.Client {
	t.Helper()
	c, err := f.newClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Requests returns the requests received so far and forgets them.
func (f *fakeCRM) takeRequests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// put stores a record as Zoho would return it.
func (f *fakeCRM) put(module, id string, members map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rec := map[string]json.RawMessage{"id": mustJSON(id)}
	for k, v := range members {
		rec[k] = mustJSON(v)
	}
	if f.records[module] == nil {
		f.records[module] = map[string]map[string]json.RawMessage{}
	}
	f.records[module][id] = rec
}

func (f *fakeCRM) get(module, id string) map[string]json.RawMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.records[module][id]
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func zohoError(code, msg string, details map[string]any) map[string]any {
	if details == nil {
		details = map[string]any{}
	}
	return map[string]any{"code": code, "details": details, "message": msg, "status": "error"}
}

var fakeUser = map[string]any{"name": "Patricia Boyle", "id": "5725767000000411001", "email": "p.boyle@example.com"}

func (f *fakeCRM) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, fakeRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body})
	if r.Header.Get("Authorization") != "Zoho-oauthtoken tok" {
		writeJSON(w, 401, zohoError("INVALID_TOKEN", "invalid oauth token", nil))
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/crm/v8/"), "/")
	module := parts[0]
	if f.records[module] == nil {
		f.records[module] = map[string]map[string]json.RawMessage{}
	}
	store := f.records[module]
	now := time.Date(2024, 5, 10, 1, 10, 47, 0, time.FixedZone("", -7*3600)).Format(time.RFC3339)
	switch {
	case r.Method == http.MethodGet && len(parts) == 2:
		rec, ok := store[parts[1]]
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, 200, map[string]any{"data": []any{rec}})
	case r.Method == http.MethodGet:
		var out []any
		fields := strings.Split(r.URL.Query().Get("fields"), ",")
		for _, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
			if rec, ok := store[id]; ok {
				sub := map[string]json.RawMessage{"id": rec["id"]}
				for _, fl := range fields {
					if v, ok := rec[fl]; ok {
						sub[fl] = v
					}
				}
				out = append(out, sub)
			}
		}
		if len(out) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, 200, map[string]any{"data": out, "info": map[string]any{"count": len(out), "more_records": false}})
	case r.Method == http.MethodPost || r.Method == http.MethodPut:
		var req struct {
			Data []map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSON(w, 400, zohoError("INVALID_DATA", "body is not JSON", nil))
			return
		}
		if len(req.Data) > 100 {
			writeJSON(w, 400, zohoError("LIMIT_EXCEEDED", "too many records", nil))
			return
		}
		upsert := len(parts) == 2 && parts[1] == "upsert"
		var results []any
		ok, failed := 0, 0
		for i, in := range req.Data {
			if f.invalid != nil {
				if name, bad := f.invalid(module, in); bad {
					results = append(results, zohoError("INVALID_DATA", "invalid data",
						map[string]any{"api_name": name, "json_path": fmt.Sprintf("$.data[%d].%s", i, name)}))
					failed++
					continue
				}
			}
			var id string
			action := "insert"
			switch {
			case r.Method == http.MethodPut:
				_ = json.Unmarshal(in["id"], &id)
				if _, exists := store[id]; !exists {
					results = append(results, zohoError("INVALID_DATA", "the id given seems to be invalid",
						map[string]any{"api_name": "id", "json_path": fmt.Sprintf("$.data[%d].id", i)}))
					failed++
					continue
				}
				action = "update"
			case upsert:
				for eid, rec := range store {
					if string(rec["Email"]) == string(in["Email"]) && in["Email"] != nil {
						id, action = eid, "update"
					}
				}
			}
			if id == "" {
				f.nextID++
				id = fmt.Sprint(f.nextID)
				store[id] = map[string]json.RawMessage{"id": mustJSON(id), "Created_Time": mustJSON(now),
					"Created_By": mustJSON(fakeUser), "Owner": mustJSON(fakeUser)}
			}
			rec := store[id]
			for k, v := range in {
				if k != "id" {
					rec[k] = v
				}
			}
			rec["Modified_Time"], rec["Modified_By"] = mustJSON(now), mustJSON(fakeUser)
			details := map[string]any{"id": id, "Modified_Time": now, "Modified_By": fakeUser, "Created_Time": now, "Created_By": fakeUser}
			res := map[string]any{"code": "SUCCESS", "details": details, "message": "record added", "status": "success"}
			if upsert {
				res["action"] = action
			}
			results = append(results, res)
			ok++
		}
		status := 201
		if r.Method == http.MethodPut || upsert {
			status = 200
		}
		switch {
		case failed > 0 && ok > 0:
			status = 207
		case failed > 0:
			status = 400
		}
		writeJSON(w, status, map[string]any{"data": results})
	case r.Method == http.MethodDelete:
		var results []any
		failed := 0
		for i, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
			if _, ok := store[id]; !ok {
				results = append(results, zohoError("INVALID_DATA", "record not deleted",
					map[string]any{"id": id, "json_path": fmt.Sprintf("$.data[%d]", i)}))
				failed++
				continue
			}
			delete(store, id)
			results = append(results, map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "record deleted", "status": "success"})
		}
		status := 200
		if failed == len(results) {
			status = 400
		} else if failed > 0 {
			status = 207
		}
		writeJSON(w, status, map[string]any{"data": results})
	default:
		writeJSON(w, 400, zohoError("INVALID_REQUEST_METHOD", "bad method", nil))
	}
}
