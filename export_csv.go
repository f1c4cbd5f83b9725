package zohohub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
)

// Bounds on a bulk read result: the zip is held in memory while its CSV
// is streamed, so its size is bounded; so is what the CSV expands to.
const (
	maxExportZipBytes = 512 << 20
	maxExportCSVBytes = 8 << 30
)

// exportRows downloads the result of a job and emits its records; cont is
// false when emit asked to stop.
func (q Query[T]) exportRows(ctx context.Context, res *bulkReadResult, emit func(*T) bool) (cont bool, err error) {
	p, err := q.downloadPath(res.DownloadURL)
	if err != nil {
		return false, err
	}
	data, err := q.rs.c.download(ctx, p, maxExportZipBytes)
	if err != nil {
		return false, err
	}
	bad := func(why string) error {
		return badResponse(http.StatusOK, http.MethodGet, p, nil, "bulk read result: "+why)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false, bad("not a zip archive")
	}
	var found *zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if found != nil || !strings.EqualFold(path.Ext(f.Name), ".csv") {
			return false, bad("the archive must hold one CSV file")
		}
		found = f
	}
	if found == nil {
		return false, bad("the archive holds no CSV file")
	}
	if found.UncompressedSize64 > maxExportCSVBytes {
		return false, bad(fmt.Sprintf("the CSV is larger than %d bytes", int64(maxExportCSVBytes)))
	}
	rc, err := found.Open()
	if err != nil {
		return false, bad(err.Error())
	}
	defer rc.Close()
	r := csv.NewReader(io.LimitReader(rc, maxExportCSVBytes))
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return true, nil // no records at all
	}
	if err != nil {
		return false, bad("CSV header: " + err.Error())
	}
	cols, err := q.exportColumns(header)
	if err != nil {
		return false, bad(err.Error())
	}
	for {
		row, err := r.Read()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, bad(err.Error())
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
		rec, err := q.decodeRow(cols, row)
		if err != nil {
			line, _ := r.FieldPos(0)
			return false, fmt.Errorf("zohohub: export of %s: CSV line %d (record %s): %w", q.rs.module(), line, row[0], err)
		}
		if !emit(rec) {
			return false, nil
		}
	}
}

// downloadPath returns the path of a download_url, which must lead to the
// client's API domain: the request carries the access token.
func (q Query[T]) downloadPath(u string) (string, error) {
	c := q.rs.c
	if after, ok := strings.CutPrefix(u, c.env.APIDomain); ok && strings.HasPrefix(after, "/") {
		u = after
	}
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return "", badResponse(http.StatusOK, http.MethodGet, q.bulkPath(), nil, fmt.Sprintf("bulk read download_url %q is not on the API domain", u))
	}
	return u, nil
}

// exportColumn is how one CSV column is read: into a mapped field (f) or
// kept as an unmapped text member.
type exportColumn struct {
	key  []byte // `"Api_Name":`
	f    *fieldInfo
	cell cellFunc
}

// cellFunc appends the JSON of a non-empty CSV cell for the field's codec.
type cellFunc func(b []byte, cell string) ([]byte, error)

func (q Query[T]) exportColumns(header []string) ([]exportColumn, error) {
	if len(header) == 0 || strings.TrimPrefix(header[0], "\ufeff") != "id" {
		return nil, errors.New(`the CSV does not start with the id column`)
	}
	cols := make([]exportColumn, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = "id"
		}
		if seen[h] {
			return nil, fmt.Errorf("the CSV has two %q columns", h)
		}
		seen[h] = true
		col := exportColumn{key: append(appendQuoted(nil, h), ':'), cell: quotedCell}
		if f := q.rs.info.byName[h]; f != nil {
			col.f, col.cell = f, cellFor(f.typ)
		}
		cols[i] = col
	}
	return cols, nil
}

// decodeRow decodes one CSV row into a record, through the JSON object it
// stands for: the record keeps it as its snapshot, so a later Save sends
// only what changed.
func (q Query[T]) decodeRow(cols []exportColumn, row []string) (*T, error) {
	b := make([]byte, 0, 64*len(row))
	b = append(b, '{')
	for i, cell := range row {
		if i > 0 {
			b = append(b, ',')
		}
		col := &cols[i]
		b = append(b, col.key...)
		if cell == "" {
			b = append(b, "null"...)
			continue
		}
		var err error
		if b, err = col.cell(b, cell); err != nil {
			f := col.f
			return nil, &FieldError{APIName: f.apiName, GoName: f.goName, Type: f.typ, Err: err}
		}
	}
	b = append(b, '}')
	return q.rs.decodeOne(b)
}

func quotedCell(b []byte, cell string) ([]byte, error) { return appendQuoted(b, cell), nil }

// jsonOrQuotedCell keeps a cell that is a JSON object or array (how Bulk
// Read writes values with no text form) and quotes anything else.
func jsonOrQuotedCell(b []byte, cell string) ([]byte, error) {
	if (cell[0] == '{' || cell[0] == '[') && json.Valid([]byte(cell)) {
		return append(b, cell...), nil
	}
	return appendQuoted(b, cell), nil
}

func idObjectCell(b []byte, cell string) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendQuoted(b, cell)
	return append(b, '}'), nil
}

// cellFor returns how a CSV cell becomes the JSON the codec of type t
// decodes. Text, dates and datetimes are quoted (the codec checks them
// when decodeOne reads the row); numbers and booleans are checked here,
// with the codec's parsers, and written as JSON numbers and booleans.
func cellFor(t reflect.Type) cellFunc {
	if t.Kind() == reflect.Pointer {
		return cellFor(t.Elem()) // an empty cell is null: nil
	}
	switch t {
	case timeType, dateType:
		return quotedCell
	case rawMessageType:
		return jsonOrQuotedCell
	case lookupType, userType:
		return idObjectCell
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return jsonOrQuotedCell
	}
	switch t.Kind() {
	case reflect.String:
		return quotedCell
	case reflect.Bool:
		return func(b []byte, cell string) ([]byte, error) {
			switch cell {
			case "true", "false":
				return append(b, cell...), nil
			}
			return b, fmt.Errorf("%q is not true or false", cell)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, cell string) ([]byte, error) {
			n, err := parseIntText(cell)
			if err != nil {
				return b, err
			}
			return strconv.AppendInt(b, n, 10), nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(b []byte, cell string) ([]byte, error) {
			n, err := parseUintText(cell)
			if err != nil {
				return b, err
			}
			return strconv.AppendUint(b, n, 10), nil
		}
	case reflect.Float32, reflect.Float64:
		return func(b []byte, cell string) ([]byte, error) {
			f, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return b, fmt.Errorf("%q is not a number", cell)
			}
			return appendFloat(b, f, 64)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return func(b []byte, cell string) ([]byte, error) { // a multi-select picklist: a;b;c
				b = append(b, '[')
				for i, part := range strings.Split(cell, ";") {
					if i > 0 {
						b = append(b, ',')
					}
					b = appendQuoted(b, part)
				}
				return append(b, ']'), nil
			}
		}
		return func(b []byte, cell string) ([]byte, error) {
			if !json.Valid([]byte(cell)) {
				return b, fmt.Errorf("%q is not the JSON of a list", cell)
			}
			return append(b, cell...), nil
		}
	}
	return jsonOrQuotedCell
}

// download GETs a file (a bulk read result, not JSON) from the API domain,
// with the pipeline of Do: the concurrency bound, the access token (one
// refresh when Zoho rejects it) and the retry policy. An error answer is an
// *APIError.
func (c *Client) download(ctx context.Context, p string, limit int64) ([]byte, error) {
	u := c.url(p, nil)
	var data []byte
	err := c.retrying(ctx, http.MethodGet, p, true, func() (err error) {
		data, err = c.downloadOnce(ctx, u, p, limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}

func (c *Client) downloadOnce(ctx context.Context, u, p string, limit int64) ([]byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("zohohub: GET %s: %w", p, err)
	}
	hresp, data, token, err := c.roundTrip(ctx, hreq, p, limit)
	if err != nil {
		return nil, err
	}
	if code := hresp.StatusCode; code >= 200 && code < 300 {
		if bytes.HasPrefix(data, []byte("PK")) {
			return data, nil
		}
		if json.Valid(data) { // Zoho answers some errors with 200 and a JSON body
			return nil, decodeError(code, http.MethodGet, p, data)
		}
		return nil, badResponse(code, http.MethodGet, p, data, "")
	}
	return nil, c.failure(hresp, http.MethodGet, p, data, token)
}
