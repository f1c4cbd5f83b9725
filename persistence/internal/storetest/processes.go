package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// helperEnv names the mode a re-executed test binary runs in.
const helperEnv = "ZOHOHUB_PERSISTENCE_HELPER"

// HelperCommand re-executes the running test binary as a helper process
// in mode, with extra environment variables. The package's
// TestHelperProcess must call [ServeHelper].
func HelperCommand(ctx context.Context, mode string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=" + mode}, env...)...)
	return cmd
}

// RunHelpers starts one helper per env set, waits for all and returns their
// standard outputs; any failure fails the test with the helper's stderr.
func RunHelpers(t *testing.T, mode string, envs [][]string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmds := make([]*exec.Cmd, len(envs))
	outs := make([]*bytes.Buffer, len(envs))
	errs := make([]*bytes.Buffer, len(envs))
	for i, env := range envs {
		cmds[i] = HelperCommand(ctx, mode, env...)
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

// ServeHelper is the body of a package's TestHelperProcess, which is not a
// test: in a process started by [RunHelpers] or [HelperCommand] it runs
// modes[mode] and exits, 1 on error; in a normal test run it returns.
func ServeHelper(modes map[string]func(context.Context) error) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		return
	}
	run, ok := modes[mode]
	if !ok {
		fmt.Fprintf(os.Stderr, "helper: unknown mode %q\n", mode)
		os.Exit(1)
	}
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// CounterKey is the key of the counter that helper processes increment.
func CounterKey() persistence.Key {
	return persistence.Key{UserName: "counter@example.com", ClientID: "1000.COUNTER"}
}

// CountUnderLock is the helper mode of a multi-process lock test: it opens
// the store with open, increments the counter under CounterKey ZH_ROUNDS
// times with IncrementUnderLock, and closes the store if it is an
// io.Closer.
func CountUnderLock(open func(context.Context) (persistence.Store, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		s, err := open(ctx)
		if err != nil {
			return err
		}
		if c, ok := s.(io.Closer); ok {
			defer c.Close()
		}
		return countUnderLock(ctx, s)
	}
}

func countUnderLock(ctx context.Context, s persistence.Store) error {
	l, ok := s.(persistence.Locker)
	if !ok {
		return errors.New("store is not a persistence.Locker")
	}
	var rounds int
	if _, err := fmt.Sscan(os.Getenv("ZH_ROUNDS"), &rounds); err != nil {
		return fmt.Errorf("ZH_ROUNDS: %w", err)
	}
	for range rounds {
		if err := IncrementUnderLock(ctx, s, l, CounterKey()); err != nil {
			return err
		}
	}
	return nil
}

// IncrementUnderLock does a read-modify-write of a counter kept in the
// token's AccessToken, under the key lock: lost updates mean the lock
// failed to exclude.
func IncrementUnderLock(ctx context.Context, s persistence.Store, l persistence.Locker, key persistence.Key) error {
	unlock, err := l.Lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	n := 0
	tok, err := s.Get(ctx, key)
	switch {
	case errors.Is(err, persistence.ErrNotFound):
		tok = &persistence.Token{UserName: key.UserName, ClientID: key.ClientID}
	case err != nil:
		return err
	default:
		if _, err := fmt.Sscan(tok.AccessToken, &n); err != nil {
			return fmt.Errorf("counter: %w", err)
		}
	}
	time.Sleep(time.Millisecond) // widen the window a broken lock would lose updates in
	tok.AccessToken = fmt.Sprint(n + 1)
	return s.Save(ctx, tok)
}

// AssertCounter fails t unless the counter IncrementUnderLock keeps under
// key reads want.
func AssertCounter(t *testing.T, s persistence.Store, key persistence.Key, want int) {
	t.Helper()
	tok, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != fmt.Sprint(want) {
		t.Fatalf("counter = %s, want %d: increments were lost, the lock did not exclude", tok.AccessToken, want)
	}
}
