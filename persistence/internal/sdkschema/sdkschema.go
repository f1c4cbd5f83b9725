// Package sdkschema is the official Zoho SDKs' token row as their file and
// database stores hold it: the column names and order, the expiry_time
// encoding and how a new row's id is chosen. The file store (package
// persistence) and the MySQL store (persistence/mysqlstore) both use it, so
// that the SDKs can read what either writes.
package sdkschema

import (
	"strconv"
	"strings"
	"time"
)

// Column positions in the SDKs' token file, and in Columns.
const (
	ColID = iota
	ColUserName
	ColClientID
	ColClientSecret
	ColRefreshToken
	ColAccessToken
	ColGrantToken
	ColExpiryTime
	ColRedirectURL
	// ColAPIDomain is the column added last: files and tables written by
	// SDKs older than api_domain lack it, and only it.
	ColAPIDomain
	NumColumns
)

// Columns returns the SDKs' column names, in file order. (The Python SDK
// spells ColRedirectURL "redirect_uri" in its files.)
func Columns() [NumColumns]string {
	return [NumColumns]string{
		"id", "user_name", "client_id", "client_secret", "refresh_token",
		"access_token", "grant_token", "expiry_time", "redirect_url", "api_domain",
	}
}

// Token has the fields of persistence.Token, in its order, so that either
// converts to the other: sdkschema cannot name persistence.Token, since
// persistence imports sdkschema.
type Token struct {
	ID, UserName, ClientID, ClientSecret, RefreshToken, AccessToken, GrantToken string
	Expiry                                                                      time.Time
	RedirectURL, APIDomain                                                      string
}

// Row returns the token's fields as the SDKs store them, in column order.
func (t Token) Row() [NumColumns]string {
	return [NumColumns]string{
		ColID:           t.ID,
		ColUserName:     t.UserName,
		ColClientID:     t.ClientID,
		ColClientSecret: t.ClientSecret,
		ColRefreshToken: t.RefreshToken,
		ColAccessToken:  t.AccessToken,
		ColGrantToken:   t.GrantToken,
		ColExpiryTime:   FormatExpiry(t.Expiry),
		ColRedirectURL:  t.RedirectURL,
		ColAPIDomain:    t.APIDomain,
	}
}

// ParseExpiry parses the SDKs' expiry_time: epoch milliseconds, or empty
// (or "null" or "None", as the JavaScript and Python SDKs may write) for
// unknown, which is the zero time.
func ParseExpiry(s string) (time.Time, error) {
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

// FormatExpiry is the inverse of ParseExpiry: the zero time is "".
func FormatExpiry(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// NextID returns the row id the SDKs would give a new row: the largest
// numeric id plus one, as a decimal string. Non-numeric ids are ignored.
func NextID(ids func(yield func(string) bool)) string {
	var maxID uint64
	for id := range ids {
		if n, err := strconv.ParseUint(id, 10, 64); err == nil && n > maxID {
			maxID = n
		}
	}
	return strconv.FormatUint(maxID+1, 10)
}
