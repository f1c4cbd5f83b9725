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
// returns records or an error, never panics, and never hangs.
func FuzzResponses(f *testing.F) {
	f.Add(200, "application/json", `{"data":[{"id":"1","Account_Name":"Zylker","Employees":"12"}],"info":{"more_records":true,"next_page_token":"x"}}`)
	f.Add(207, "application/json", `{"data":[{"code":"SUCCESS","details":{"id":"1"},"status":"success"},{"code":"INVALID_DATA","details":{"api_name":"Email"},"status":"error"}]}`)
	f.Add(401, "application/json", `{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`)
	f.Add(200, "text/html", `<html><body>Maintenance</body></html>`)
	f.Add(200, "application/json", `{"data":[{"id":`)
	f.Add(204, "", ``)
	f.Add(500, "application/json", `{"data":[null,{"code":1}]}`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 200 || status > 599 {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		defer srv.Close()
		env, _ := auth.Custom(srv.URL, srv.URL, "")
		c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")),
			zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		accounts := zohohub.Records[modules.Account](c)
		_, _ = accounts.Find(ctx, "1")
		_ = accounts.Save(ctx, &modules.Account{AccountName: "Zylker"})
		_, _ = accounts.SaveAll(ctx, []*modules.Account{{AccountName: "A"}, {AccountName: "B"}})
		n := 0
		for _, err := range accounts.Query().Limit(500).All(ctx) {
			if err != nil {
				break
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
