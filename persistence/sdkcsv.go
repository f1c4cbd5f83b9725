package persistence

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The official SDKs' token file columns, in order. Python spells column 9
// "redirect_uri"; files written before api_domain existed have 9 columns.
var sdkColumns = [...]string{
	"id", "user_name", "client_id", "client_secret", "refresh_token",
	"access_token", "grant_token", "expiry_time", "redirect_url", "api_domain",
}

const (
	colID = iota
	colUserName
	colClientID
	colClientSecret
	colRefreshToken
	colAccessToken
	colGrantToken
	colExpiryTime
	colRedirectURL
	colAPIDomain
	numColumns
)

// csvLayout records how a token file spells its header, so that rewriting a
// Python SDK file keeps "redirect_uri" for the SDK that reads it back.
type csvLayout struct {
	redirectURI bool
}

// parseTokenCSV reads an SDK token file. path is used only in errors.
func parseTokenCSV(path string, data []byte) ([]*Token, csvLayout, error) {
	var layout csvLayout
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, layout, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, layout, csvError(path, err)
	}
	// index[c] is the position of column c in the file, or -1.
	var index [numColumns]int
	for i := range index {
		index[i] = -1
	}
	for pos, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		col := -1
		for c, want := range sdkColumns {
			if name == want {
				col = c
			}
		}
		if name == "redirect_uri" {
			col = colRedirectURL
			layout.redirectURI = true
		}
		if col < 0 {
			return nil, layout, &FormatError{Path: path, Line: 1, Reason: "unknown header column " + headerName(pos, name)}
		}
		if index[col] >= 0 {
			return nil, layout, &FormatError{Path: path, Line: 1, Reason: "duplicate header column " + strconv.Quote(name)}
		}
		index[col] = pos
	}
	for c := range colAPIDomain { // api_domain alone may be missing (legacy files)
		if index[c] < 0 {
			return nil, layout, &FormatError{Path: path, Line: 1, Column: sdkColumns[c], Reason: "missing header column; expected the official SDK header " + strings.Join(sdkColumns[:], ",")}
		}
	}

	var tokens []*Token
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return tokens, layout, nil
		}
		if err != nil {
			return nil, layout, csvError(path, err)
		}
		line, _ := r.FieldPos(0)
		field := func(c int) string {
			if index[c] < 0 {
				return ""
			}
			return rec[index[c]]
		}
		t := &Token{
			ID:           strings.TrimSpace(field(colID)),
			UserName:     field(colUserName),
			ClientID:     field(colClientID),
			ClientSecret: field(colClientSecret),
			RefreshToken: field(colRefreshToken),
			AccessToken:  field(colAccessToken),
			GrantToken:   field(colGrantToken),
			RedirectURL:  field(colRedirectURL),
			APIDomain:    field(colAPIDomain),
		}
		exp, err := parseExpiryMillis(field(colExpiryTime))
		if err != nil {
			return nil, layout, &FormatError{Path: path, Line: line, Column: "expiry_time", Reason: "not an integer number of epoch milliseconds"}
		}
		t.Expiry = exp
		tokens = append(tokens, t)
	}
}

// headerName names an unknown header column: by its text when that looks
// like a column name (a typo), else by its 1-based position, since a first
// line that is not a header holds a token's values, which are secrets.
func headerName(pos int, name string) string {
	if columnNamePattern.MatchString(name) {
		return strconv.Quote(name)
	}
	return strconv.Itoa(pos + 1)
}

var columnNamePattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,31}$`)

// csvError turns an encoding/csv error into a FormatError. csv.ParseError
// messages carry positions, never field contents.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FormatError{Path: path, Line: pe.Line, Reason: "invalid CSV", Err: pe.Err}
	}
	return &FormatError{Path: path, Reason: "invalid CSV", Err: err}
}

// parseExpiryMillis parses the SDKs' expiry_time: epoch milliseconds, or
// empty (or "null", as a JavaScript SDK may write) for unknown.
func parseExpiryMillis(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" || s == "None" {
		return time.Time{}, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms), nil
}

// formatExpiryMillis is the inverse of parseExpiryMillis.
func formatExpiryMillis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// encodeTokenCSV writes tokens in the official SDKs' 10-column format with
// real CSV quoting.
func encodeTokenCSV(tokens []*Token, layout csvLayout) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := sdkColumns
	if layout.redirectURI {
		header[colRedirectURL] = "redirect_uri"
	}
	if err := w.Write(header[:]); err != nil {
		return nil, err
	}
	for _, t := range tokens {
		rec := [numColumns]string{
			colID:           t.ID,
			colUserName:     t.UserName,
			colClientID:     t.ClientID,
			colClientSecret: t.ClientSecret,
			colRefreshToken: t.RefreshToken,
			colAccessToken:  t.AccessToken,
			colGrantToken:   t.GrantToken,
			colExpiryTime:   formatExpiryMillis(t.Expiry),
			colRedirectURL:  t.RedirectURL,
			colAPIDomain:    t.APIDomain,
		}
		if err := w.Write(rec[:]); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
