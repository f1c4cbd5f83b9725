// Package credits holds what Zoho charges a call in API credits and how it
// reports the credits left (docs/wire.md §9), for the client, which
// estimates what it spends, and for zohotest, which charges it.
package credits

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// RemainingHeader is the response header carrying the org's credits left
// in the rolling 24 hours. Zoho's pages do not name it; clients in the
// field read it, and report that Zoho sends it once half the credits are
// spent (docs/wire.md §9).
const RemainingHeader = "X-API-CREDITS-REMAINING"

// Remaining reads RemainingHeader: the credits left, and false when the
// header is absent or not a number.
func Remaining(h http.Header) (int, bool) {
	v := strings.TrimSpace(h.Get(RemainingHeader))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// Charged reports whether Zoho charges a call answered with status: not
// one refused before it ran (a rejected token, no such URL, a limit
// exceeded) nor one that failed on Zoho's side.
func Charged(status int) bool {
	switch {
	case status == http.StatusUnauthorized, status == http.StatusNotFound, status == http.StatusTooManyRequests:
		return false
	}
	return status >= 200 && status < 500
}

// Cost is what Zoho charges a call of method on the URL path (the whole
// path, /crm/v8/Leads or /crm/bulk/v8/read) with its query and body:
// a Bulk Read job 50, a Bulk Write job 500, deleted records 2, a list by
// custom view 3, lead conversion 5, COQL 1 to 3 by its LIMIT, writes 1 per
// 10 records, tags 1 per 50 records, anything else 1. A path outside the
// CRM API (the accounts server) costs nothing.
func Cost(method, path string, query url.Values, body []byte) int {
	rest, ok := strings.CutPrefix(path, "/crm/")
	if !ok {
		return 0
	}
	rest, bulk := strings.CutPrefix(rest, "bulk/")
	_, rest, _ = strings.Cut(rest, "/") // the version
	rest = strings.Trim(rest, "/")
	parts := strings.Split(rest, "/")
	last := parts[len(parts)-1]
	switch {
	case bulk && method == http.MethodPost && rest == "read":
		return 50
	case bulk && method == http.MethodPost && rest == "write":
		return 500
	case bulk:
		return 1
	case method == http.MethodPost && rest == "coql":
		return coqlCost(body)
	case last == "add_tags" || last == "remove_tags":
		return perRecords(max(countIDs(query, body), 1), 50, 0)
	case last == "convert" && len(parts) == 4 && parts[2] == "actions":
		return 5
	case method == http.MethodGet && len(parts) == 2 && parts[1] == "deleted":
		return 2
	case method == http.MethodGet && len(parts) == 1 && query.Get("cvid") != "":
		return 3
	case (method == http.MethodPost || method == http.MethodPut) && len(parts) == 1,
		method == http.MethodPost && len(parts) == 2 && parts[1] == "upsert":
		return perRecords(max(countData(body), 1), 10, 10)
	}
	return 1
}

// perRecords is 1 per every per records (the last partly), at most most
// (0: no bound).
func perRecords(n, per, most int) int {
	c := (n + per - 1) / per
	if most > 0 {
		c = min(c, most)
	}
	return c
}

// countData is the number of records in a write's data array.
func countData(body []byte) int {
	var b struct {
		Data []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 0
	}
	return len(b.Data)
}

// countIDs is the number of record ids a tags call names, in its ids
// parameter or its body's ids.
func countIDs(query url.Values, body []byte) int {
	if ids := query.Get("ids"); ids != "" {
		return strings.Count(ids, ",") + 1
	}
	var b struct {
		IDs []json.RawMessage `json:"ids"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 0
	}
	return len(b.IDs)
}

// coqlLimit finds a statement's trailing LIMIT: "limit n", "limit
// offset, n" or "limit n offset m".
var coqlLimit = regexp.MustCompile(`(?i)\blimit\s+(\d+)(?:\s*,\s*(\d+))?(?:\s+offset\s+\d+)?\s*;?\s*$`)

// coqlCost is COQL's charge by the rows its LIMIT asks for (Zoho's default
// 200): up to 200 rows 1, up to 1,000 2, more 3.
func coqlCost(body []byte) int {
	var b struct {
		Query string `json:"select_query"`
	}
	json.Unmarshal(bytes.TrimSpace(body), &b) // a bad body costs the least
	rows := 200
	if m := coqlLimit.FindStringSubmatch(b.Query); m != nil {
		n := m[1]
		if m[2] != "" {
			n = m[2]
		}
		rows, _ = strconv.Atoi(n)
	}
	switch {
	case rows <= 200:
		return 1
	case rows <= 1000:
		return 2
	}
	return 3
}
