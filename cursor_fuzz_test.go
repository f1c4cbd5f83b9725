package zohohub_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// FuzzPageSequences has a server answer a listing, a search or a COQL
// query with pages driven by the input, repeated cyclically so that a
// server can go on for ever: cursors fresh, repeated, empty or odd; page
// numbers right, repeated, backwards or absent; counts right or wrong; ids
// fresh or repeated. Every query ends, with records or an error, within
// the pages Zoho's paging reaches, and never panics.
func FuzzPageSequences(f *testing.F) {
	f.Add(uint8(0), []byte{0x01})                   // list: the same page forever
	f.Add(uint8(0), []byte{0x01, 0x03, 0x05, 0x00}) // list: tokens and pages mixed
	f.Add(uint8(1), []byte{0x41, 0x49})             // search: backwards pages
	f.Add(uint8(2), []byte{0x81, 0xc1})             // COQL: fresh rows forever
	f.Add(uint8(0), []byte{0xc1, 0x21})             // list: counts that lie
	f.Fuzz(func(t *testing.T, kind uint8, script []byte) {
		if len(script) == 0 || len(script) > 64 {
			return
		}
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			i := int(calls.Add(1)) - 1
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(scriptedPage(script, i, r)))
		}))
		defer srv.Close()
		env, _ := auth.Custom(srv.URL, srv.URL, "")
		c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")),
			zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		rs := zohohub.Records[hAccount](c)
		q, maxCalls := rs.Query(), 500 // list: 100,000 records, 200 a page
		switch kind % 3 {
		case 1:
			q, maxCalls = rs.Where(zohohub.TextField("Account_Name").Equals("x")).Limit(2000), 10
		case 2:
			q, maxCalls = rs.Query().OrderBy("Account_Name"), 50
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, err := range q.All(ctx) {
			if err != nil {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("the query ran %d requests and did not end", calls.Load())
		}
		if n := int(calls.Load()); n > maxCalls {
			t.Fatalf("%d requests, more pages than Zoho's paging reaches (%d)", n, maxCalls)
		}
	})
}

// scriptedPage is page i of a server that follows script cyclically; each
// byte is a page: bit 0 more_records; bits 1-2 the cursor (fresh, the
// first again, none, odd); bits 3-4 info.page (right, 1, backwards,
// absent); bit 5 a wrong count; bits 6-7 the number of records, whose ids
// are fresh unless the next byte's bit 0 says to repeat page 0's.
func scriptedPage(script []byte, i int, r *http.Request) string {
	b := script[i%len(script)]
	more := b&1 == 1
	var token string
	switch b >> 1 & 3 {
	case 0:
		token = fmt.Sprintf(`"t%d"`, i)
	case 1:
		token = `"t0"`
	case 2:
		token = `null`
	case 3:
		token = `"` + strings.Repeat("x y", i%5) + `"`
	}
	asked, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if asked == 0 {
		asked = i + 1
	}
	page := ""
	switch b >> 3 & 3 {
	case 0:
		page = fmt.Sprintf(`"page":%d,`, asked)
	case 1:
		page = `"page":1,`
	case 2:
		page = fmt.Sprintf(`"page":%d,`, asked-1)
	}
	n := int(b >> 6)
	base := i * 4
	if script[(i+1)%len(script)]&1 == 1 {
		base = 0
	}
	recs := make([]string, n)
	for j := range recs {
		recs[j] = fmt.Sprintf(`{"id":"%d","Account_Name":"A"}`, 3000000000+base+j)
	}
	count := n
	if b>>5&1 == 1 {
		count++
	}
	return fmt.Sprintf(`{"data":[%s],"info":{%s"count":%d,"more_records":%t,"next_page_token":%s}}`,
		strings.Join(recs, ","), page, count, more, token)
}
