package zohohub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Streamed transfers: file uploads sent as multipart bodies written while
// they are sent, and downloads copied to the caller's writer as they
// arrive, so that a file of any size costs a few buffers, never its size.

// ErrFileTooLarge is the error of an upload larger than Zoho takes (20 MB
// an attachment or file, 10 MB a photo). It is reported before sending
// when the size is known (the reader has Len, Size or Stat), else as soon
// as the limit is passed, and the request is abandoned.
var ErrFileTooLarge = errors.New("zohohub: file too large")

// upload is a file to send as the part file of a multipart/form-data
// body.
type upload struct {
	name    string
	content io.Reader
	limit   int64
	// start is where content began, for a content that can seek back and
	// so be sent again; -1 when it cannot.
	start int64
	// size is the number of bytes content holds, -1 when it does not tell:
	// the body is then sent chunked, without a Content-Length.
	size int64
}

// newUpload checks a file before it is sent: a name, and a size within
// limit when the reader tells its size.
func newUpload(op, name string, content io.Reader, limit int64) (*upload, error) {
	if content == nil {
		return nil, fmt.Errorf("zohohub: %s: nil reader", op)
	}
	if name == "" || strings.ContainsAny(name, "\"\r\n/\\") {
		return nil, fmt.Errorf("zohohub: %s: %q is not a file name", op, name)
	}
	u := &upload{name: name, content: content, limit: limit, start: -1, size: -1}
	if size, ok := knownSize(content); ok {
		if size > limit {
			return nil, tooLarge(op, name, size, limit)
		}
		u.size = size
	}
	if s, ok := content.(io.Seeker); ok {
		if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
			u.start = pos
		}
	}
	return u, nil
}

func tooLarge(op, name string, size, limit int64) error {
	at := fmt.Sprintf("%d bytes", size)
	if size < 0 {
		at = "more"
	}
	return fmt.Errorf("zohohub: %s %q: %s, Zoho takes at most %d bytes (%d MB): %w", op, name, at, limit, limit>>20, ErrFileTooLarge)
}

// knownSize returns the number of bytes left in r when r tells it: a
// bytes.Reader, strings.Reader or bytes.Buffer (Len), or a file (Stat, less
// what was read already).
func knownSize(r io.Reader) (int64, bool) {
	switch x := r.(type) {
	case interface{ Len() int }:
		return int64(x.Len()), true
	case interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	}:
		fi, err := x.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return 0, false
		}
		pos, err := x.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return fi.Size() - pos, true
	}
	return 0, false
}

// transfer is one streamed call: an upload body (nil for none), and where
// a download goes (nil to read a JSON answer).
type transfer struct {
	method, path string
	query        url.Values
	// host is the base URL the request goes to when it is not the API
	// domain: the upload host of a bulk write (Environment.UploadURL).
	host     string
	header   http.Header
	upload   *upload
	download io.Writer
	op       string
}

// url is where t is sent.
func (t *transfer) url(c *Client) string {
	u := c.url(t.path, t.query)
	if t.host != "" {
		u = t.host + strings.TrimPrefix(u, c.env.APIDomain)
	}
	return u
}

// stream sends t and returns Zoho's JSON answer (nil for a download or an
// empty answer) and the bytes downloaded. A request is repeated as Do
// repeats one, as long as its body can be sent again: an upload only from
// a reader that seeks, a download only when nothing was written yet.
func (c *Client) stream(ctx context.Context, t *transfer) (*Response, int64, error) {
	if err := c.check(); err != nil {
		return nil, 0, err
	}
	replayable := t.upload == nil || t.upload.start >= 0
	var resp *Response
	var written int64
	var last error
	attempts := 0
	err := c.retrying(ctx, t.method, t.path, replayable, func() error {
		if attempts++; attempts > 1 {
			if !replayable {
				return fmt.Errorf("zohohub: %s %s: not sent again, the upload's reader cannot be read twice (give an io.ReadSeeker to allow it): %w", t.method, t.path, last)
			}
			if t.upload != nil {
				if _, err := t.upload.content.(io.Seeker).Seek(t.upload.start, io.SeekStart); err != nil {
					return fmt.Errorf("zohohub: %s %s: rewinding the upload: %v (first attempt: %w)", t.method, t.path, err, last)
				}
			}
		}
		resp, written, last = c.streamOnce(ctx, t)
		return last
	})
	return resp, written, err
}

// streamOnce makes one attempt of a stream.
func (c *Client) streamOnce(ctx context.Context, t *transfer) (*Response, int64, error) {
	var body io.Reader
	var contentType, boundary string
	var pr *io.PipeReader
	wrote := make(chan error, 1)
	if t.upload != nil {
		var pw *io.PipeWriter
		pr, pw = io.Pipe()
		mw := multipart.NewWriter(pw)
		contentType, boundary = mw.FormDataContentType(), mw.Boundary()
		body = pr
		go func() { wrote <- t.upload.writeTo(mw, pw, t.op) }()
	} else {
		wrote <- nil
	}
	hreq, err := http.NewRequestWithContext(ctx, t.method, t.url(c), body)
	if err != nil {
		if pr != nil {
			pr.Close()
			<-wrote
		}
		return nil, 0, fmt.Errorf("zohohub: %s %s: %w", t.method, t.path, err)
	}
	for k, v := range t.header {
		hreq.Header[k] = v
	}
	if t.upload != nil && t.upload.size >= 0 {
		hreq.ContentLength = t.upload.bodySize(boundary)
	}
	if contentType != "" {
		hreq.Header.Set("Content-Type", contentType)
	}
	if t.download == nil {
		hreq.Header.Set("Accept", "application/json")
	}
	token, release, err := c.slot(ctx, t.method, t.path)
	if err != nil {
		if pr != nil {
			pr.Close()
			<-wrote
		}
		return nil, 0, err
	}
	defer release()
	hreq.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	start := time.Now()
	hresp, err := c.http.Do(hreq)
	if pr != nil {
		// The server may answer before it read the whole body (an error,
		// or a refusal of its size): stop the writer either way.
		pr.Close()
	}
	if werr := <-wrote; werr != nil {
		if hresp != nil {
			hresp.Body.Close()
		}
		return nil, 0, werr // the file's own failure says more than the transport's
	}
	if err != nil {
		return nil, 0, fmt.Errorf("zohohub: %s %s: %w", t.method, t.path, err)
	}
	defer hresp.Body.Close()
	c.noteCredits(hresp.Header)
	c.log.DebugContext(ctx, "zohohub: request", "method", t.method, "path", t.path, "status", hresp.StatusCode, "duration", time.Since(start))
	code := hresp.StatusCode
	isJSON := strings.HasPrefix(mediaType(hresp.Header.Get("Content-Type")), "application/json")
	switch {
	case code == http.StatusNoContent:
		return &Response{StatusCode: code, Header: hresp.Header}, 0, nil
	case code >= 200 && code < 300 && t.download != nil && !isJSON:
		n, err := io.Copy(t.download, hresp.Body)
		if err != nil {
			// Not repeated: part of the file may be in the writer already.
			return nil, n, badResponse(code, t.method, t.path, nil, fmt.Sprintf("download stopped after %d bytes: %v", n, err))
		}
		return &Response{StatusCode: code, Header: hresp.Header}, n, nil
	}
	data, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("zohohub: %s %s: reading response: %w", t.method, t.path, err)
	}
	if len(data) > maxResponseBytes {
		return nil, 0, badResponse(code, t.method, t.path, nil, fmt.Sprintf("response larger than %d bytes", maxResponseBytes))
	}
	if code >= 200 && code < 300 {
		if t.download != nil || !validJSON(data) {
			why := "not JSON"
			if t.download != nil {
				why = "a JSON answer where a file was expected"
			}
			return nil, 0, badResponse(code, t.method, t.path, data, why)
		}
		return &Response{StatusCode: code, Header: hresp.Header, Body: data}, 0, nil
	}
	return nil, 0, c.failure(hresp, t.method, t.path, data, token)
}

// writeTo writes the multipart body: the file as part "file", cut off
// with ErrFileTooLarge past the limit. It returns the error that ends the
// upload on the client's side, the file's size or a failure to read it;
// nil when the file was written whole or the request ended first (the
// transport closed the pipe).
func (u *upload) writeTo(mw *multipart.Writer, pw *io.PipeWriter, op string) error {
	src := &readErrors{r: io.LimitReader(u.content, u.limit+1)}
	part, err := mw.CreateFormFile("file", u.name)
	var n int64
	if err == nil {
		n, err = io.Copy(part, src)
	}
	switch {
	case src.err != nil:
		err = fmt.Errorf("zohohub: %s: reading %q: %w", op, u.name, src.err)
	case n > u.limit:
		err = tooLarge(op, u.name, -1, u.limit)
	case err == nil:
		err = mw.Close()
	}
	pw.CloseWithError(err) // nil: a clean end of the body
	if src.err != nil || n > u.limit {
		return err
	}
	return nil
}

// bodySize is the length of the multipart body of a file of known size
// with that boundary: what the envelope of the part takes, plus the file,
// so that the request carries a Content-Length (some servers refuse a
// chunked upload).
func (u *upload) bodySize(boundary string) int64 {
	var n countingWriter
	mw := multipart.NewWriter(&n)
	mw.SetBoundary(boundary)
	mw.CreateFormFile("file", u.name)
	mw.Close()
	return int64(n) + u.size
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (n *countingWriter) Write(p []byte) (int, error) {
	*n += countingWriter(len(p))
	return len(p), nil
}

// readErrors remembers the error a reader returned, other than io.EOF.
type readErrors struct {
	r   io.Reader
	err error
}

func (re *readErrors) Read(p []byte) (int, error) {
	n, err := re.r.Read(p)
	if err != nil && err != io.EOF {
		re.err = err
	}
	return n, err
}

// mediaType returns the media type of a Content-Type header, lower case.
func mediaType(v string) string {
	t, _, err := mime.ParseMediaType(v)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(v))
	}
	return t
}
