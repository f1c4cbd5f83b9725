package zohotest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path"
	"strings"
)

// This file holds the file formats of the bulk APIs: a ZIP archive holding
// CSV files, in both directions.

// maxUnzipped bounds what one uploaded archive may expand to, so that a
// small zip bomb cannot exhaust memory.
const maxUnzipped = 64 << 20

var (
	errNotZip   = errors.New("not a zip archive")
	errZipFiles = errors.New("the archive must hold exactly one CSV file")
)

// csvFile is one CSV file of a ZIP archive.
type csvFile struct {
	name string
	rows [][]string
}

// zipCSV returns a ZIP archive holding the CSV files.
func zipCSV(files ...csvFile) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, cf := range files {
		f, err := zw.Create(cf.name)
		if err != nil {
			return nil, err
		}
		cw := csv.NewWriter(f)
		if err := cw.WriteAll(cf.rows); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// spooledFile is a temporary file that Close removes.
type spooledFile struct{ *os.File }

func (f *spooledFile) Close() error {
	err := f.File.Close()
	os.Remove(f.Name())
	return err
}

// unzipCSV returns the name and contents of the one CSV file in a ZIP
// archive of size bytes. Directories and macOS resource forks are ignored.
func unzipCSV(data io.ReaderAt, size int64) (name string, content []byte, err error) {
	zr, err := zip.NewReader(data, size)
	if err != nil {
		return "", nil, errNotZip
	}
	var found *zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if found != nil || !strings.EqualFold(path.Ext(f.Name), ".csv") {
			return "", nil, errZipFiles
		}
		found = f
	}
	if found == nil {
		return "", nil, errZipFiles
	}
	rc, err := found.Open()
	if err != nil {
		return "", nil, errNotZip
	}
	defer rc.Close()
	content, err = io.ReadAll(io.LimitReader(rc, maxUnzipped+1))
	if err != nil || len(content) > maxUnzipped {
		return "", nil, errNotZip
	}
	return path.Base(found.Name), content, nil
}

// readCSV parses an uploaded CSV. Like Zoho it accepts a comma, semicolon,
// pipe or colon as the delimiter, detected from the header line, and a
// UTF-8 byte order mark.
func readCSV(content []byte) ([][]string, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	header, _, _ := bytes.Cut(content, []byte("\n"))
	delim, most := ',', 0
	for _, d := range []rune{',', ';', '|', ':'} {
		if n := bytes.Count(header, []byte(string(d))); n > most {
			delim, most = d, n
		}
	}
	r := csv.NewReader(bytes.NewReader(content))
	r.Comma = delim
	r.FieldsPerRecord = -1 // short rows are read as empty trailing cells
	return r.ReadAll()
}
