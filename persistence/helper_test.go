package persistence_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// helperEnv selects what TestHelperProcess does in a re-executed test binary.
const helperEnv = "ZOHOHUB_PERSISTENCE_HELPER"

// helperCommand re-executes this test binary as a helper process in mode,
// with extra environment variables.
func helperCommand(ctx context.Context, mode string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=" + mode}, env...)...)
	return cmd
}

// runHelpers starts one helper per env set, waits for all and returns their
// standard outputs; any failure fails the test with the helper's stderr.
func runHelpers(t *testing.T, mode string, envs [][]string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmds := make([]*exec.Cmd, len(envs))
	outs := make([]*bytes.Buffer, len(envs))
	errs := make([]*bytes.Buffer, len(envs))
	for i, env := range envs {
		cmds[i] = helperCommand(ctx, mode, env...)
		outs[i], errs[i] = new(bytes.Buffer), new(bytes.Buffer)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], errs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	result := make([]string, len(envs))
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d (%s) failed: %v\nstderr:\n%s\nstdout:\n%s", i, mode, err, errs[i], outs[i])
		}
		result[i] = outs[i].String()
	}
	return result
}

// TestHelperProcess is not a test: it is the body of the processes the
// multi-process tests start. Run directly, it does nothing.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	if err := helperMain(mode); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	// Print the result marker after test output so parents can find it.
	os.Exit(0)
}

func helperMain(mode string) error {
	ctx := context.Background()
	switch mode {
	case "file-saveload":
		return helperFileSaveLoad(ctx)
	case "file-rewrite-forever":
		return helperFileRewriteForever(ctx)
	case "file-counter", "mysql-counter":
		var s persistence.Store
		if mode == "file-counter" {
			f, err := persistence.NewFile(os.Getenv("ZH_FILE"))
			if err != nil {
				return err
			}
			s = f
		} else {
			m, err := persistence.OpenMySQL(ctx, os.Getenv("ZH_DSN"), persistence.WithTable(os.Getenv("ZH_TABLE")))
			if err != nil {
				return err
			}
			defer m.Close()
			s = m
		}
		rounds, _ := strconv.Atoi(os.Getenv("ZH_ROUNDS"))
		for range rounds {
			if err := incrementUnderLock(ctx, s, s.(persistence.Locker), counterKey); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown helper mode %q", mode)
}

var counterKey = persistence.Key{UserName: "counter@example.com", ClientID: "1000.COUNTER"}

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
