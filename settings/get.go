package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"github.com/zohohub/zohohub"
)

// pageSize is the most users or custom views Zoho answers in one page.
const pageSize = 200

// get sends GET path (relative to the versioned API root) and returns the
// answer's body, empty for 204 No Content.
func get(ctx context.Context, c *zohohub.Client, path string, q url.Values) ([]byte, error) {
	resp, err := c.Do(ctx, &zohohub.Request{Method: http.MethodGet, Path: path, Query: q})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// list gets a list answer and decodes it; 204 is an empty list.
func list[T any](ctx context.Context, c *zohohub.Client, path string, q url.Values, decode func([]byte) ([]T, error)) ([]T, error) {
	body, err := get(ctx, c, path, q)
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return []T{}, nil
	}
	out, err := decode(body)
	if err != nil {
		return nil, badAnswer(path, err)
	}
	return out, nil
}

// one gets an answer that lists one object (a module, a field, a user)
// and returns that object. An empty answer is zohohub.ErrNotFound.
func one[T any](ctx context.Context, c *zohohub.Client, path string, q url.Values, decode func([]byte) ([]T, error)) (T, error) {
	var zero T
	out, err := list(ctx, c, path, q, decode)
	if err != nil {
		return zero, err
	}
	if len(out) == 0 {
		return zero, fmt.Errorf("settings: GET %s: %w", path, zohohub.ErrNotFound)
	}
	return out[0], nil
}

// pages yields the objects of a paged list answer (users, custom views),
// asking for the next page while Zoho's info says there are more records.
// The first error is yielded once, and ends the sequence.
func pages[T any](ctx context.Context, c *zohohub.Client, path string, q url.Values, decode func([]byte) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page := 1; ; page++ {
			pq := url.Values{}
			maps.Copy(pq, q)
			pq.Set("page", strconv.Itoa(page))
			pq.Set("per_page", strconv.Itoa(pageSize))
			body, err := get(ctx, c, path, pq)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(body) == 0 {
				return
			}
			items, err := decode(body)
			var info struct {
				Info struct {
					MoreRecords bool `json:"more_records"`
				} `json:"info"`
			}
			if err == nil {
				err = json.Unmarshal(body, &info)
			}
			if err != nil {
				yield(zero, badAnswer(path, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			// An empty page ends the list whatever info says: a broken
			// answer must not keep the loop going.
			if !info.Info.MoreRecords || len(items) == 0 {
				return
			}
		}
	}
}

// collect gathers a sequence, stopping at its error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// badAnswer is the error of an answer that is not the JSON a call expects.
func badAnswer(path string, err error) error {
	return fmt.Errorf("settings: GET %s: %w: %w", path, zohohub.ErrBadResponse, err)
}

// moduleQuery is the module parameter of the settings APIs.
func moduleQuery(module string) url.Values { return url.Values{"module": {module}} }
