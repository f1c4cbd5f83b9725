package zohohub

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
)

// Bounds on a bulk read result: the zip, kept in a temporary file while
// its CSV is streamed, and what the CSV expands to.
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
	file, err := q.rs.c.download(ctx, p, maxExportZipBytes)
	if err != nil {
		return false, err
	}
	defer file.Close()
	bad := func(why string) error {
		return badResponse(http.StatusOK, http.MethodGet, p, nil, "bulk read result: "+why)
	}
	r, rc, err := zippedCSV(file, bad)
	if err != nil {
		return false, err
	}
	defer rc.Close()
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

// zippedCSV opens the one CSV file of a downloaded bulk job result (a zip;
// directories and macOS resource forks aside), read up to
// maxExportCSVBytes, one reused record at a time. bad makes the error of
// an archive that is not such a result.
func zippedCSV(file *spooled, bad func(why string) error) (*csv.Reader, io.Closer, error) {
	zr, err := zip.NewReader(file, file.size)
	if err != nil {
		return nil, nil, bad("not a zip archive")
	}
	var found *zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if found != nil || !strings.EqualFold(path.Ext(f.Name), ".csv") {
			return nil, nil, bad("the archive must hold one CSV file")
		}
		found = f
	}
	if found == nil {
		return nil, nil, bad("the archive holds no CSV file")
	}
	if found.UncompressedSize64 > maxExportCSVBytes {
		return nil, nil, bad(fmt.Sprintf("the CSV is larger than %d bytes", int64(maxExportCSVBytes)))
	}
	rc, err := found.Open()
	if err != nil {
		return nil, nil, bad(err.Error())
	}
	r := csv.NewReader(io.LimitReader(rc, maxExportCSVBytes))
	r.ReuseRecord = true
	return r, rc, nil
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
			col.f, col.cell = f, f.codec.cell
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
			return nil, col.f.errorf(err)
		}
	}
	b = append(b, '}')
	return q.rs.decodeOne(b)
}
