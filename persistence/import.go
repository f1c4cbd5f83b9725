package persistence

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ImportSDKFile copies the tokens of an official SDK token file (the
// 10-column CSV, the legacy 9-column one, or Python's "redirect_uri"
// spelling) into dst and returns how many it saved. Row ids are not carried
// over: dst keeps or assigns its own. When the file holds several rows for
// one key, the first wins, as in the SDKs' lookup.
func ImportSDKFile(ctx context.Context, path string, dst Store) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("persistence: import token file: %w", err)
	}
	rows, _, err := parseTokenCSV(path, data)
	if err != nil {
		return 0, err
	}
	return saveAll(ctx, dst, rows)
}

// Copy saves every token of src into dst, for migrating between stores, and
// returns how many it saved. Row ids are not carried over.
func Copy(ctx context.Context, dst, src Store) (int, error) {
	rows, err := src.List(ctx)
	if err != nil {
		return 0, err
	}
	return saveAll(ctx, dst, rows)
}

func saveAll(ctx context.Context, dst Store, rows []*Token) (int, error) {
	if dst == nil {
		return 0, errors.New("persistence: nil destination store")
	}
	seen := make(map[Key]bool, len(rows))
	n := 0
	for _, t := range rows {
		if seen[t.Key()] {
			continue
		}
		seen[t.Key()] = true
		c := t.Clone()
		c.ID = ""
		if err := dst.Save(ctx, c); err != nil {
			return n, fmt.Errorf("persistence: save token for %s: %w", t.Key(), err)
		}
		n++
	}
	return n, nil
}
