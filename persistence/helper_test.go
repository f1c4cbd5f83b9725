package persistence_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
)

// TestHelperProcess is not a test: it is the body of the processes the
// multi-process tests start. Run directly, it does nothing.
func TestHelperProcess(t *testing.T) {
	storetest.ServeHelper(map[string]func(context.Context) error{
		"file-saveload":        helperFileSaveLoad,
		"file-rewrite-forever": helperFileRewriteForever,
		"file-counter": storetest.CountUnderLock(func(context.Context) (persistence.Store, error) {
			return persistence.NewFile(os.Getenv("ZH_FILE"))
		}),
	})
}

// helperFileSaveLoad saves and reloads its own token in a shared file for
// ZH_DURATION, checking every load, and prints the last round it saved.
func helperFileSaveLoad(ctx context.Context) error {
	s, err := persistence.NewFile(os.Getenv("ZH_FILE"))
	if err != nil {
		return err
	}
	id := os.Getenv("ZH_ID")
	d, err := time.ParseDuration(os.Getenv("ZH_DURATION"))
	if err != nil {
		return err
	}
	key := persistence.Key{UserName: "proc" + id + "@example.com", ClientID: "1000.SHARED"}
	deadline := time.Now().Add(d)
	last := -1
	for i := 0; i == 0 || time.Now().Before(deadline); i++ {
		tok := &persistence.Token{
			UserName: key.UserName, ClientID: key.ClientID,
			RefreshToken: "rt-" + id, AccessToken: fmt.Sprintf("at-%s-%d", id, i),
			Expiry: time.UnixMilli(1795341180470 + int64(i)), APIDomain: "https://www.zohoapis.com",
		}
		if err := s.Save(ctx, tok); err != nil {
			return fmt.Errorf("round %d: save: %w", i, err)
		}
		last = i
		got, err := s.Get(ctx, key)
		if err != nil {
			return fmt.Errorf("round %d: get: %w", i, err)
		}
		if got.AccessToken != tok.AccessToken || got.ID != tok.ID {
			return fmt.Errorf("round %d: read back access token %q id %q, want %q id %q", i, got.AccessToken, got.ID, tok.AccessToken, tok.ID)
		}
		all, err := s.List(ctx)
		if err != nil {
			return fmt.Errorf("round %d: list: %w", i, err)
		}
		for _, t := range all {
			if !strings.HasPrefix(t.AccessToken, "at-") {
				return fmt.Errorf("round %d: foreign row %q", i, t.ID)
			}
		}
	}
	fmt.Printf("LAST %d\n", last)
	return nil
}

// rewriteRows and rewritePayload size the file the killed writer rewrites:
// big enough that a kill often lands in the middle of a write.
const (
	rewriteRows    = 10
	rewritePayload = 10000
)

// helperFileRewriteForever rewrites rows of ZH_FILE until it is killed.
// Each save writes a payload of a fixed length, so any torn write shows.
func helperFileRewriteForever(ctx context.Context) error {
	s, err := persistence.NewFile(os.Getenv("ZH_FILE"))
	if err != nil {
		return err
	}
	all, err := s.List(ctx)
	if err != nil {
		return err
	}
	ready := len(all) == rewriteRows // rows were written by an earlier writer
	for gen := 0; ; gen++ {
		row := gen % rewriteRows
		tok := &persistence.Token{
			UserName:    fmt.Sprintf("user%03d@example.com", row),
			ClientID:    "1000.KILL",
			AccessToken: rewriteAccessToken(gen),
		}
		if err := s.Save(ctx, tok); err != nil {
			return err
		}
		if !ready && gen == rewriteRows-1 || ready && gen == 0 {
			fmt.Fprintln(os.Stdout, "READY")
			os.Stdout.Sync()
		}
	}
}

func rewriteAccessToken(gen int) string {
	p := fmt.Sprintf("gen-%09d-", gen)
	return p + strings.Repeat("x", rewritePayload-len(p))
}
