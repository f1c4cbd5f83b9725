package zohohub

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// spooled is a downloaded file kept on disk rather than in memory: a bulk
// read result may be hundreds of MB, more than the response budget, and
// is read with random access (it is a zip). Close removes it.
type spooled struct {
	*os.File
	size int64
}

// Close closes and removes the file.
func (s *spooled) Close() error {
	err := s.File.Close()
	if rmErr := os.Remove(s.Name()); err == nil {
		err = rmErr
	}
	return err
}

// download GETs a file (a bulk read result, a zip) from the API domain,
// with the pipeline of Do: the concurrency bound, the access token (one
// refresh when Zoho rejects it) and the retry policy. The file is written
// to a temporary file of at most limit bytes; an answer that is not a zip
// is read like any answer, within the response budget, and is an
// *APIError.
func (c *Client) download(ctx context.Context, p string, limit int64) (*spooled, error) {
	return c.downloadFrom(ctx, c.url(p, nil), p, limit)
}

// downloadFrom is download from the URL u, which the caller checked is
// Zoho's (the request carries the access token); p names it in errors and
// logs.
func (c *Client) downloadFrom(ctx context.Context, u, p string, limit int64) (*spooled, error) {
	var file *spooled
	err := c.retrying(ctx, http.MethodGet, p, true, func() (err error) {
		file, err = c.downloadOnce(ctx, u, p, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return file, nil
}

func (c *Client) downloadOnce(ctx context.Context, u, p string, limit int64) (*spooled, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("zohohub: GET %s: %w", p, err)
	}
	var (
		file    *spooled
		data    []byte
		release = func() {}
	)
	defer func() { release() }()
	hresp, token, err := c.roundTrip(ctx, hreq, p, func(hresp *http.Response) (int, error) {
		br := bufio.NewReader(hresp.Body)
		if magic, _ := br.Peek(2); hresp.StatusCode/100 == 2 && string(magic) == "PK" {
			file, err = spool(br, limit, p)
			if file != nil {
				return int(file.size), err
			}
			return 0, err
		}
		hresp.Body = struct {
			io.Reader
			io.Closer
		}{br, hresp.Body}
		data, release, err = c.readBody(ctx, hresp, maxResponseBytes, http.MethodGet, p)
		return len(data), err
	})
	switch {
	case err != nil:
		return nil, err
	case file != nil:
		return file, nil
	case hresp.StatusCode/100 != 2:
		return nil, c.failure(hresp, http.MethodGet, p, data, token)
	case json.Valid(data): // Zoho answers some errors with 200 and a JSON body
		return nil, decodeError(hresp.StatusCode, http.MethodGet, p, data)
	}
	return nil, badResponse(hresp.StatusCode, http.MethodGet, p, data, "")
}

// spool copies at most limit bytes of r to a new temporary file.
func spool(r io.Reader, limit int64, p string) (*spooled, error) {
	f, err := os.CreateTemp("", "zohohub-bulkread-*.zip")
	if err != nil {
		return nil, fmt.Errorf("zohohub: GET %s: keeping the download: %w", p, err)
	}
	file := &spooled{File: f}
	file.size, err = io.Copy(f, io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		err = fmt.Errorf("zohohub: GET %s: reading response: %w", p, err)
	case file.size > limit:
		e := badResponse(http.StatusOK, http.MethodGet, p, nil, fmt.Sprintf("download larger than %d bytes", limit))
		e.tooLarge = true
		err = e
	}
	if err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}
