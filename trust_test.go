package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// TestNilContextIsAnError: every call that does I/O refuses a nil context
// with an error, without a panic and without a request.
func TestNilContextIsAnError(t *testing.T) {
	srv, c := emulatorClient(t)
	rs := zohohub.Records[hAccount](c)
	ids := seed(t, srv, "Accounts", map[string]any{"Account_Name": "Zylker"})
	rec := existingAccount(rs)
	var nilCtx context.Context
	calls := map[string]func() error{
		"Find":     func() error { _, err := rs.Find(nilCtx, ids[0]); return err },
		"FindMany": func() error { _, err := rs.FindMany(nilCtx, ids[0]); return err },
		"Save":     func() error { return rs.Save(nilCtx, &hAccount{AccountName: "x"}) },
		"Upsert":   func() error { _, err := rs.Upsert(nilCtx, &hAccount{AccountName: "x"}); return err },
		"Delete":   func() error { return rs.Delete(nilCtx, rec) },
		"All":      func() error { _, err := rs.Query().Collect(nilCtx); return err },
		"COQL":     func() error { _, err := rs.Query().OrderBy("Account_Name").Collect(nilCtx); return err },
		"Count":    func() error { _, err := rs.Query().Count(nilCtx); return err },
		"Export":   func() error { return exportAll(nilCtx, rs) },
		"Do":       func() error { _, err := c.Do(nilCtx, &zohohub.Request{Path: "Accounts"}); return err },
		"DoJSON":   func() error { _, err := c.DoJSON(nilCtx, &zohohub.Request{Path: "Accounts"}, &struct{}{}); return err },
		"SaveAll":  func() error { _, err := rs.SaveAll(nilCtx, []*hAccount{{AccountName: "x"}}); return err },
		"UpsertAll": func() error {
			_, err := rs.UpsertAll(nilCtx, []*hAccount{{AccountName: "x"}}, "Account_Name")
			return err
		},
		"DeleteAll": func() error { _, err := rs.DeleteAll(nilCtx, []*hAccount{rec}); return err },
	}
	sent(srv)
	for name, call := range calls {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s(nil context) panicked: %v", name, p)
				}
			}()
			if err := call(); err == nil || !strings.Contains(err.Error(), "nil context") {
				t.Errorf("%s(nil context): %v", name, err)
			}
		}()
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Errorf("%d requests sent with a nil context", len(reqs))
	}
}

// TestIDsAreRefusedBeforeSending: ids that cannot be Zoho's (longer than
// 19 digits, not digits) never reach a request.
func TestIDsAreRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	rs := zohohub.Records[hAccount](c)
	huge := strings.Repeat("7", 10<<20)
	for _, id := range []string{huge, "12345678901234567890", "12a", "1/../2", " 1", "-1", "١٢٣"} {
		if _, err := rs.Find(ctx, id); err == nil || !strings.Contains(err.Error(), "not a record id") {
			t.Errorf("Find(%.30q): %v", id, err)
		} else if len(err.Error()) > 200 {
			t.Errorf("Find of a %d-byte id: error of %d bytes", len(id), len(err.Error()))
		}
		if _, err := rs.FindMany(ctx, id); err == nil {
			t.Errorf("FindMany(%.30q) succeeded", id)
		}
		rec := existingAccount(rs)
		rec.ID = id
		if err := rs.Delete(ctx, rec); err == nil {
			t.Errorf("Delete of id %.30q succeeded", id)
		}
	}
	if reqs := sent(srv); len(reqs) != 0 {
		t.Errorf("%d requests sent for bad ids", len(reqs))
	}
	if _, err := rs.Find(ctx, "9223372036854775807"); !errors.Is(err, zohohub.ErrNotFound) {
		t.Errorf("Find of a 19-digit id: %v, want not found", err)
	}
}

// TestNotFoundSaysItOnce: the not-found error names the record and says
// "zohohub:" once, while matching ErrNotFound and wrapping Zoho's error.
func TestNotFoundSaysItOnce(t *testing.T) {
	ctx := context.Background()
	_, c := emulatorClient(t)
	rs := zohohub.Records[hAccount](c)
	_, err := rs.Find(ctx, "5725767000001999999")
	if !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("Find of a missing record: %v", err)
	}
	if msg := err.Error(); strings.Count(msg, "zohohub:") != 1 || !strings.Contains(msg, "Accounts record 5725767000001999999 not found") {
		t.Errorf("message %q", msg)
	}
	rec := existingAccount(rs)
	rec.ID = "5725767000001999999"
	err = rs.Delete(ctx, rec)
	var apiErr *zohohub.APIError
	if !errors.Is(err, zohohub.ErrNotFound) || !errors.As(err, &apiErr) || strings.Count(err.Error(), "zohohub:") != 1 {
		t.Errorf("Delete of a missing record: %v", err)
	}
}

// TestRedirectNamesHostAndSendsNothingThere: a redirect of an API request
// is refused, naming the host, whatever HTTP client the caller gave.
func TestRedirectNamesHostAndSendsNothingThere(t *testing.T) {
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached the other host, Authorization %q", r.Header.Get("Authorization"))
	}))
	defer thief.Close()
	srv := httptest.NewServer(http.RedirectHandler(thief.URL+"/crm/v8/Accounts", http.StatusTemporaryRedirect))
	defer srv.Close()
	env, _ := auth.Custom(srv.URL, srv.URL, "")
	following := &http.Client{} // follows redirects, as Go's default does
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("tok")), zohohub.WithHTTPClient(following))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), &zohohub.Request{Path: "Accounts"})
	if !errors.Is(err, zohohub.ErrBadResponse) || !strings.Contains(err.Error(), strings.TrimPrefix(thief.URL, "http://")) {
		t.Errorf("redirect: %v", err)
	}
	if following.CheckRedirect != nil {
		t.Error("the caller's client was changed")
	}
}

// TestFindManyRefusesRecordsNotAskedFor: an answer holding a record the
// request did not name is not the answer to it.
func TestFindManyRefusesRecordsNotAskedFor(t *testing.T) {
	h := newHostileServer(t, epList, fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
		writeJSONBody(w, `{"data":[{"id":"`+hostileID+`"},{"id":"2222222222"}],"info":{"count":2,"more_records":false}}`)
	})())
	_, err := h.accounts.FindMany(context.Background(), hostileID)
	if !errors.Is(err, zohohub.ErrBadResponse) || !strings.Contains(err.Error(), "2222222222") {
		t.Errorf("FindMany: %v", err)
	}
}

// TestExportLeavesNoTemporaryFile: the Bulk Read result is kept in a
// temporary file while it is read, and removed after, also after an error.
func TestExportLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	h := newHostileServer(t, "", nil)
	n := 0
	for rec, err := range h.accounts.Query().Export(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID != hostileID || rec.AccountName != "Zylker" {
			t.Errorf("exported %+v", rec)
		}
		n++
	}
	if n != 1 {
		t.Errorf("exported %d records", n)
	}
	broken := newHostileServer(t, epBulkDownload, fixed(func(w http.ResponseWriter, r *http.Request, h *hostileServer) {
		writeBody(w, http.StatusOK, "application/zip", "PK\x03\x04 and then garbage")
	})())
	if err := exportAll(context.Background(), broken.accounts); err == nil {
		t.Error("a broken zip was read")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}
}

// TestPagingEndsAtTheLimitWithoutError: a query whose Limit is met on the
// last page Zoho's paging reaches ends there, whatever more_records says.
func TestPagingEndsAtTheLimitWithoutError(t *testing.T) {
	h := newHostileServer(t, epSearch, pager(func(call int, r *http.Request) string {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		return listPage(idRange(page*200, 200), fmt.Sprintf(`"count":200,"page":%d,"more_records":true`, page))
	})())
	recs, err := h.accounts.Where(zohohub.TextField("Account_Name").Equals("x")).Offset(1800).Limit(200).Collect(context.Background())
	if err != nil || len(recs) != 200 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
}
