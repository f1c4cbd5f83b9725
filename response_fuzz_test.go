package zohohub_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
)

// FuzzResponses answers the client's calls with arbitrary statuses, content
// types and bodies, as a broken proxy or a changed API might: every call
// returns records or an error, never panics, never hangs, and what it
// reports as done is true: a saved record has the id Zoho gave, a found
// record is the one asked for, a count is not negative, a listed record
// has an id.
func FuzzResponses(f *testing.F) {
	f.Add(200, "application/json", `{"data":[{"id":"1","Account_Name":"Zylker","Employees":"12"}],"info":{"more_records":true,"next_page_token":"x"}}`)
	f.Add(207, "application/json", `{"data":[{"code":"SUCCESS","details":{"id":"1"},"status":"success"},{"code":"INVALID_DATA","details":{"api_name":"Email"},"status":"error"}]}`)
	f.Add(201, "application/json", `{"data":[{"code":"SUCCESS","details":{"id":null},"status":"success"}]}`)
	f.Add(200, "application/json", `{"data":[{"code":"SUCCESS","details":{"id":1},"status":"success"}]}`)
	f.Add(200, "application/json", `{"count":-1}`)
	f.Add(200, "application/json", `{"count":12,"data":[{"id":"2"}]}`)
	f.Add(401, "application/json", `{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`)
	f.Add(200, "text/html", `<html><body>Maintenance</body></html>`)
	f.Add(200, "application/json", `{"data":[{"id":`)
	f.Add(204, "", ``)
	f.Add(307, "", ``)
	f.Add(500, "application/json", `{"data":[null,{"code":1}]}`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 200 || status > 599 {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			if status >= 300 && status < 400 {
				w.Header().Set("Location", "http://other.invalid/x")
			}
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		defer srv.Close()
		env, _ := auth.Custom(srv.URL, srv.URL, "")
		c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")),
			zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}),
			zohohub.WithResponseBudget(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		accounts := zohohub.Records[modules.Account](c)
		if rec, err := accounts.Find(ctx, "1"); err == nil && rec.ID != "1" {
			t.Fatalf("Find(1) returned record %q", rec.ID)
		}
		saved := &modules.Account{AccountName: "Zylker"}
		if err := accounts.Save(ctx, saved); err == nil && !isRecordID(saved.ID) {
			t.Fatalf("Save succeeded with id %q", saved.ID)
		}
		_, _ = accounts.SaveAll(ctx, []*modules.Account{{AccountName: "A"}, {AccountName: "B"}})
		hs := zohohub.Records[hAccount](c)
		existing := existingAccount(hs)
		existing.AccountName = "Changed"
		if err := hs.Save(ctx, existing); err == nil && existing.ID != hostileID {
			t.Fatalf("update of %s left id %q", hostileID, existing.ID)
		}
		_ = hs.Delete(ctx, existingAccount(hs))
		if n, err := hs.Query().Count(ctx); err == nil && n < 0 {
			t.Fatalf("Count = %d", n)
		}
		n := 0
		for rec, err := range hs.Query().Limit(500).All(ctx) {
			if err != nil {
				break
			}
			if !isRecordID(rec.ID) {
				t.Fatalf("All yielded id %q", rec.ID)
			}
			if n++; n > 1000 {
				t.Fatal("paging never ends")
			}
		}
		if ctx.Err() != nil {
			t.Fatal("a call hung")
		}
	})
}

// isRecordID reports whether id looks like a Zoho record id.
func isRecordID(id string) bool {
	if id == "" || len(id) > 19 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
