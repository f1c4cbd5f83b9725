package zohohub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/zohotest"
)

// withFilesScope returns a client of srv whose token may also use Zoho's
// file store (ZohoCRM.files.ALL), which the default grant does not ask.
func withFilesScope(t *testing.T, srv *zohotest.Server) *zohohub.Client {
	t.Helper()
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	tok, err := cfg.Exchange(context.Background(), srv.NewGrantToken("ZohoCRM.modules.ALL", "ZohoCRM.files.ALL"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(tok.AccessToken)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// randomReader is n pseudo-random bytes, made as they are read: a file
// that is nowhere in memory. It hides its size, as a network stream does.
type randomReader struct {
	rng *rand.ChaCha8
	n   int64
	sum hash.Hash
}

func newRandomReader(seed byte, n int64) *randomReader {
	return &randomReader{rng: rand.NewChaCha8([32]byte{seed}), n: n, sum: sha256.New()}
}

func (r *randomReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n)]
	r.rng.Read(p)
	r.sum.Write(p)
	r.n -= int64(len(p))
	return len(p), nil
}

// heapGrowth runs fn and returns by how much the bytes allocated grew
// (TotalAlloc): an upper bound of how much the heap grew, however the
// collector ran.
func heapGrowth(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestAttachmentStreamsTwentyMegabytes uploads and downloads a 20 MB file
// byte for byte while the process allocates less than 2 MB: the client
// streams both ways (and zohotest keeps files on disk).
func TestAttachmentStreamsTwentyMegabytes(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "Acme"})[0]}}
	const size = 20 << 20
	src := newRandomReader(1, size)
	got := sha256.New()
	var att *zohohub.Attachment
	var n int64
	var upErr, downErr error
	grew := heapGrowth(func() {
		att, upErr = zohohub.Attach(ctx, c, acct, "big.bin", src)
		if upErr == nil {
			n, downErr = zohohub.DownloadAttachment(ctx, c, acct, att.ID, got)
		}
	})
	if upErr != nil || downErr != nil {
		t.Fatal(upErr, downErr)
	}
	if n != size || !bytes.Equal(got.Sum(nil), src.sum.Sum(nil)) {
		t.Fatalf("downloaded %d bytes, not the %d uploaded", n, size)
	}
	t.Logf("allocated %d KB for a %d MB round trip", grew>>10, size>>20)
	if grew > 2<<20 {
		t.Fatalf("allocated %d bytes for a 20 MB round trip: the file is held in memory", grew)
	}
	list, err := zohohub.Attachments(c, acct).Collect(ctx)
	if err != nil || len(list) != 1 || list[0].ID != att.ID || list[0].FileName != "big.bin" || list[0].Size != size {
		t.Fatalf("listed %+v %v", list, err)
	}
}

// TestAttachmentLimits: a file over 20 MB is refused before sending when
// its size is known, and cut off while sending when it is not.
func TestAttachmentLimits(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "Acme"})[0]}}
	sent(srv)
	known := bytes.NewReader(make([]byte, 20<<20+1))
	if _, err := zohohub.Attach(ctx, c, acct, "known.bin", known); !errors.Is(err, zohohub.ErrFileTooLarge) || !strings.Contains(err.Error(), "20 MB") {
		t.Fatalf("known size: %v", err)
	}
	if n := len(sent(srv)); n != 0 {
		t.Fatalf("%d requests for a file known too large", n)
	}
	if _, err := zohohub.Attach(ctx, c, acct, "stream.bin", newRandomReader(2, 20<<20+1)); !errors.Is(err, zohohub.ErrFileTooLarge) {
		t.Fatalf("unknown size: %v", err)
	}
	if list, err := zohohub.Attachments(c, acct).Collect(ctx); err != nil || len(list) != 0 {
		t.Fatalf("a cut-off upload left %v %v", list, err)
	}
	if err := zohohub.UploadPhoto(ctx, c, acct, "p.png", bytes.NewReader(make([]byte, 10<<20+1))); !errors.Is(err, zohohub.ErrFileTooLarge) {
		t.Fatalf("photo: %v", err)
	}
}

// TestAttachmentsLinksPhotosAndFiles round-trips a link attachment, a
// photo and a stored file, deletes attachments, and shows that deleting
// the record removes its attachments, photo, notes and relations.
func TestAttachmentsLinksPhotosAndFiles(t *testing.T) {
	ctx := context.Background()
	srv, c := emulatorClient(t)
	acct := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "Acme"})[0]}}
	link, err := zohohub.AttachLink(ctx, c, acct, "https://example.com/spec.pdf", "Spec")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := zohohub.Attach(ctx, c, acct, "notes.txt", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	list, err := zohohub.Attachments(c, acct).Collect(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("%v %v", list, err)
	}
	byID := map[string]*zohohub.Attachment{list[0].ID: list[0], list[1].ID: list[1]}
	if l := byID[link.ID]; l == nil || l.LinkURL != "https://example.com/spec.pdf" || l.FileName != "Spec" || l.ParentID.ID != acct.ID || l.ParentModule != "Accounts" {
		t.Fatalf("link listed as %+v", l)
	}
	var buf bytes.Buffer
	if _, err := zohohub.DownloadAttachment(ctx, c, acct, doc.ID, &buf); err != nil || buf.String() != "hello" {
		t.Fatalf("download: %q %v", buf.String(), err)
	}
	if _, err := zohohub.DownloadAttachment(ctx, c, acct, "123", &buf); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("missing attachment: %v", err)
	}

	// Photo.
	png := []byte("\x89PNG\r\n\x1a\nfake")
	if err := zohohub.UploadPhoto(ctx, c, acct, "logo.png", bytes.NewReader(png)); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := zohohub.DownloadPhoto(ctx, c, acct, &buf); err != nil || !bytes.Equal(buf.Bytes(), png) {
		t.Fatalf("photo: %q %v", buf.Bytes(), err)
	}
	if err := zohohub.UploadPhoto(ctx, c, &modules.Deal{Model: zohohub.Model{ID: "1"}}, "x.png", bytes.NewReader(png)); err == nil || !strings.Contains(err.Error(), "no photo") {
		t.Fatalf("photo of a deal: %v", err)
	}

	// The file store: ids a file upload field takes.
	if _, err := zohohub.UploadFile(ctx, c, "contract.pdf", strings.NewReader("%PDF-1.7")); err == nil || !strings.Contains(err.Error(), "OAUTH_SCOPE_MISMATCH") {
		t.Fatalf("upload without ZohoCRM.files: %v", err)
	}
	fc := withFilesScope(t, srv)
	fid, err := zohohub.UploadFile(ctx, fc, "contract.pdf", strings.NewReader("%PDF-1.7"))
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := zohohub.DownloadFile(ctx, fc, fid, &buf); err != nil || buf.String() != "%PDF-1.7" {
		t.Fatalf("file: %q %v", buf.String(), err)
	}

	// Deleting attachments, then the record and what hangs on it.
	if res, err := zohohub.DeleteAttachments(ctx, c, acct, link.ID); err != nil || res.Count(zohohub.ActionDeleted) != 1 {
		t.Fatalf("DeleteAttachments: %v", err)
	}
	if _, err := zohohub.AddNotes(ctx, c, acct, &modules.Note{NoteContent: "n"}); err != nil {
		t.Fatal(err)
	}
	prod := seed(t, srv, "Products", map[string]any{"Product_Name": "P"})[0]
	if _, err := zohohub.Link(ctx, c, acct, modules.AccountProducts, zohohub.Relation{ID: prod}); err != nil {
		t.Fatal(err)
	}
	if err := zohohub.Records[modules.Account](c).Delete(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Records("Notes")); n != 0 {
		t.Fatalf("%d notes left", n)
	}
	again := &modules.Account{Model: zohohub.Model{ID: seed(t, srv, "Accounts", map[string]any{"Account_Name": "Other"})[0]}}
	product := &modules.Product{Model: zohohub.Model{ID: prod}}
	if accts, err := zohohub.Related(c, product, modules.ProductAccounts).Collect(ctx); err != nil || len(accts) != 0 {
		t.Fatalf("relation left: %v %v", accts, err)
	}
	if _, err := zohohub.DownloadAttachment(ctx, c, again, doc.ID, &buf); !errors.Is(err, zohohub.ErrNotFound) {
		t.Fatalf("attachment of a deleted record: %v", err)
	}
}

// TestUploadLengthAndRefusals: a file whose size is known is sent with a
// Content-Length (some servers refuse chunked uploads), one whose size is
// not is sent chunked; a server that refuses before reading the body
// ends the upload at once, with its error.
func TestUploadLengthAndRefusals(t *testing.T) {
	ctx := context.Background()
	type seen struct {
		length int64
		chunk  bool
		body   int
	}
	got := make(chan seen, 1)
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if refuse.Load() {
			w.WriteHeader(400)
			io.WriteString(w, `{"code":"INVALID_DATA","details":{},"message":"no","status":"error"}`)
			return
		}
		n, _ := io.Copy(io.Discard, r.Body)
		got <- seen{r.ContentLength, len(r.TransferEncoding) > 0, int(n)}
		io.WriteString(w, `{"data":[{"code":"SUCCESS","details":{"id":"5725767000001000001"},"message":"attachment uploaded successfully","status":"success"}]}`)
	}))
	defer srv.Close()
	env, err := auth.Custom(srv.URL, srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")), zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	acct := &modules.Account{Model: zohohub.Model{ID: "5725767000001000000"}}
	if _, err := zohohub.Attach(ctx, c, acct, "a.txt", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s.length <= 5 || s.chunk || int64(s.body) != s.length {
		t.Fatalf("known size sent as %+v", s)
	}
	if _, err := zohohub.Attach(ctx, c, acct, "b.bin", newRandomReader(3, 1000)); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s.length != -1 || !s.chunk || s.body < 1000 {
		t.Fatalf("unknown size sent as %+v", s)
	}
	refuse.Store(true)
	_, err = zohohub.Attach(ctx, c, acct, "c.bin", newRandomReader(4, 19<<20))
	var ae *zohohub.APIError
	if !errors.As(err, &ae) || ae.Code != "INVALID_DATA" {
		t.Fatalf("refused upload: %v", err)
	}
}
