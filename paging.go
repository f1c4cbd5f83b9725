package zohohub

import (
	"fmt"
	"hash/fnv"
	"net/http"
)

// maxCursorBytes bounds a next_page_token: Zoho's are a few dozen hex
// digits, and the token goes back in the next request's URL.
const maxCursorBytes = 1024

// pageGuard checks the pages of one listing, search or COQL query as they
// come, so that a server that keeps answering more_records (with the same
// cursor, the same page, pages going backwards, pages fuller than they
// say or than Zoho allows) ends the query with an error rather than
// looping until the context ends. Zoho's paging reaches a bounded number
// of pages (its offsets are bounded), however few records each holds, so
// the guard ends a query past that number, and what it remembers is
// bounded too: at most 500 pages.
type pageGuard struct {
	method, path string
	perPage      int // the most records one page may hold
	maxPages     int // the pages Zoho's paging reaches from the first asked
	tokens       map[string]bool
	pages        map[uint64]int // fingerprint of a page's ids → its number
	number       int            // pages checked
}

func newPageGuard(method, path string, perPage, maxPages int) *pageGuard {
	return &pageGuard{method: method, path: path, perPage: perPage, maxPages: maxPages,
		tokens: map[string]bool{}, pages: map[uint64]int{}}
}

func (g *pageGuard) bad(format string, args ...any) error {
	return badResponse(http.StatusOK, g.method, g.path, nil, fmt.Sprintf(format, args...))
}

// check checks a page of records with the given ids and info; wantPage is
// the page number the request stands for (0: none, as in COQL).
func (g *pageGuard) check(ids []string, info pageInfo, wantPage int) error {
	g.number++
	n := len(ids)
	switch {
	case n > g.perPage:
		return g.bad("page holds %d records; a page holds at most %d", n, g.perPage)
	case info.Count != nil && *info.Count != n:
		return g.bad("info.count says %d records, the page holds %d", *info.Count, n)
	case info.Page != nil && wantPage > 0 && *info.Page != wantPage:
		return g.bad("info.page is %d for page %d (pages must move forward one at a time)", *info.Page, wantPage)
	case info.MoreRecords && n == 0:
		return g.bad("more_records is true on an empty page")
	}
	if n > 0 {
		h := fnv.New64a()
		for _, id := range ids {
			h.Write([]byte(id))
			h.Write([]byte{','})
		}
		sum := h.Sum64()
		if prev, seen := g.pages[sum]; seen {
			return g.bad("page %d repeats the records of page %d", g.number, prev)
		}
		g.pages[sum] = g.number
	}
	return nil
}

// more checks that the query may ask for one more page: the server said
// more_records, and the caller wants more.
func (g *pageGuard) more() error {
	if g.number >= g.maxPages {
		return g.bad("more_records after %d pages, the most Zoho's paging reaches (%d records a page)", g.number, g.perPage)
	}
	return nil
}

// next checks the cursor a page gave for the next one: not empty, short,
// and never seen before.
func (g *pageGuard) next(token string) error {
	switch {
	case len(token) > maxCursorBytes:
		return g.bad("next_page_token of %d bytes (at most %d expected)", len(token), maxCursorBytes)
	case g.tokens[token]:
		return g.bad("next_page_token %s repeats a cursor already followed", quoteShort(token))
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c >= 0x7f {
			return g.bad("next_page_token %s holds characters a cursor has not", quoteShort(token))
		}
	}
	g.tokens[token] = true
	return nil
}
