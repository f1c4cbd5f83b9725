package persistence_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
)

func newTestFile(t *testing.T) persistence.Store {
	t.Helper()
	f, err := persistence.NewFile(filepath.Join(t.TempDir(), "tokens.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFile(t *testing.T) {
	storetest.Store(t, newTestFile)
}

func TestFileLocker(t *testing.T) {
	storetest.Locker(t, newTestFile)
}

// Two File values on one path in one process exclude each other too.
func TestFileLockerTwoValuesOnePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.csv")
	a, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "u", ClientID: "c"}
	unlock, err := a.Lock(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(ctx, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second File on the same path took a held lock: %v", err)
	}
}

func TestFileMultiProcessSaveLoad(t *testing.T) {
	const procs = 8
	path := filepath.Join(t.TempDir(), "tokens.csv")
	envs := make([][]string, procs)
	for i := range procs {
		envs[i] = []string{"ZH_FILE=" + path, fmt.Sprintf("ZH_ID=%d", i), "ZH_DURATION=1500ms"}
	}
	outs := storetest.RunHelpers(t, "file-saveload", envs)

	s, err := persistence.NewFile(path)
	if err != nil {
		t.Fatalf("file left by %d processes does not parse: %v", procs, err)
	}
	all, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != procs {
		t.Fatalf("file has %d tokens, want %d", len(all), procs)
	}
	total := 0
	for i, out := range outs {
		var last int
		if _, err := fmt.Sscanf(out[strings.Index(out, "LAST "):], "LAST %d", &last); err != nil {
			t.Fatalf("helper %d output %q: %v", i, out, err)
		}
		total += last + 1
		got, err := s.Get(context.Background(), persistence.Key{UserName: fmt.Sprintf("proc%d@example.com", i), ClientID: "1000.SHARED"})
		if err != nil {
			t.Fatalf("token of process %d missing: %v", i, err)
		}
		if want := fmt.Sprintf("at-%d-%d", i, last); got.AccessToken != want {
			t.Fatalf("process %d: stored access token %q, want its last save %q", i, got.AccessToken, want)
		}
	}
	t.Logf("%d processes made %d saves (each followed by a checked load) in one file", procs, total)
	assertMode0600(t, path)
}

func TestFileKilledWriterNeverTearsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.csv")
	seen := map[int]bool{} // generations observed, to show kills land at different points
	for round := range 8 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := storetest.HelperCommand(ctx, "file-rewrite-forever", "ZH_FILE="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == "READY" {
					ready <- true
				}
			}
			close(ready)
		}()
		if !<-ready {
			cmd.Wait()
			cancel()
			t.Fatalf("writer did not start: %s", stderr.String())
		}
		time.Sleep(time.Duration(10+round*23) * time.Millisecond) // vary where the kill lands
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("writer was not killed by SIGKILL: %v\n%s", err, stderr.String())
		}

		s, err := persistence.NewFile(path)
		if err != nil {
			t.Fatalf("round %d: file after SIGKILL does not parse: %v", round, err)
		}
		all, err := s.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != rewriteRows {
			t.Fatalf("round %d: %d rows after SIGKILL, want %d", round, len(all), rewriteRows)
		}
		maxGen := 0
		for _, tok := range all {
			var gen int
			if len(tok.AccessToken) != rewritePayload || !strings.HasSuffix(tok.AccessToken, "xxxx") {
				t.Fatalf("round %d: row %s has a torn value (%d bytes)", round, tok.ID, len(tok.AccessToken))
			}
			if _, err := fmt.Sscanf(tok.AccessToken, "gen-%09d-", &gen); err != nil {
				t.Fatalf("round %d: row %s: %v", round, tok.ID, err)
			}
			maxGen = max(maxGen, gen)
		}
		seen[maxGen] = true
		assertMode0600(t, path)
	}
	t.Logf("8 kills, at %d distinct generations", len(seen))

	// A temporary file a killed writer left behind is cleaned by the next save.
	leftover := filepath.Join(filepath.Dir(path), "tokens.csv.tmp-123456")
	if err := os.WriteFile(leftover, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), storetest.SampleToken("after@x", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("stale temporary file still there after a save: %v", err)
	}
}

func TestFileMultiProcessLock(t *testing.T) {
	const procs, rounds = 4, 25
	path := filepath.Join(t.TempDir(), "tokens.csv")
	envs := make([][]string, procs)
	for i := range envs {
		envs[i] = []string{"ZH_FILE=" + path, fmt.Sprintf("ZH_ROUNDS=%d", rounds)}
	}
	storetest.RunHelpers(t, "file-counter", envs)
	s, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.AssertCounter(t, s, storetest.CounterKey(), procs*rounds)
}

func assertMode0600(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Fatalf("%s has mode %#o, want 0600", path, m)
	}
}

func TestFileMode(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()

	fresh := filepath.Join(dir, "new", "tokens.csv") // directory created too
	s, err := persistence.NewFile(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("NewFile created the file before any save: %v", err)
	}
	if err := s.Save(ctx, storetest.SampleToken("a@x", 1)); err != nil {
		t.Fatal(err)
	}
	assertMode0600(t, fresh)
	assertMode0600(t, fresh+".lock")

	// A file an SDK created world-readable is tightened when opened.
	loose := filepath.Join(dir, "sdk.csv")
	copyFixture(t, "sdk_tokens.csv", loose)
	if err := os.Chmod(loose, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := persistence.NewFile(loose); err != nil {
		t.Fatal(err)
	}
	assertMode0600(t, loose)
}

func copyFixture(t *testing.T, name, dst string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFileReadsSDKFiles(t *testing.T) {
	ctx := context.Background()
	const header10 = "id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain"
	for _, tc := range []struct {
		fixture    string
		apiDomain  string // the legacy file has none
		wantHeader string // header after our rewrite
	}{
		{"sdk_tokens.csv", "https://www.zohoapis.com", header10},
		{"sdk_tokens_legacy9.csv", "", header10},
		{"sdk_tokens_java_quoted.csv", "https://www.zohoapis.com", header10}, // OpenCSV quotes every field
		{"sdk_tokens_python.csv", "https://www.zohoapis.com", strings.Replace(header10, "redirect_url", "redirect_uri", 1)},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tokens.csv")
			copyFixture(t, tc.fixture, path)
			s, err := persistence.NewFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := storetest.SDKExampleToken()
			want.APIDomain = tc.apiDomain
			got, err := s.Get(ctx, persistence.Key{UserName: "jane@example.com:333", ClientID: "cid"})
			if err != nil {
				t.Fatal(err)
			}
			storetest.EqualToken(t, got, want)

			// Import into any store.
			mem := persistence.NewMemory()
			if n, err := persistence.ImportSDKFile(ctx, path, mem); err != nil || n != 1 {
				t.Fatalf("ImportSDKFile = %d, %v", n, err)
			}
			imported, err := mem.Get(ctx, want.Key())
			if err != nil {
				t.Fatal(err)
			}
			storetest.EqualToken(t, imported, want)

			// Writing keeps the SDK row and appends ours with the SDK's next id.
			added := storetest.SampleToken("new@example.com", 5)
			if err := s.Save(ctx, added); err != nil {
				t.Fatal(err)
			}
			if added.ID != "2" {
				t.Fatalf("new row got id %q, want 2", added.ID)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitN(string(raw), "\n", 3)
			if lines[0] != tc.wantHeader {
				t.Fatalf("header after rewrite = %q, want %q", lines[0], tc.wantHeader)
			}
			wantRow := "1,jane@example.com:333,cid,csec,RT-1,AT-2,GT-1,1795341180470,http://localhost/cb," + tc.apiDomain
			if lines[1] != wantRow {
				t.Fatalf("SDK row after rewrite = %q, want %q", lines[1], wantRow)
			}
			if !strings.HasPrefix(lines[2], `2,new@example.com,1000.CLIENT,"sec,ret""5",`) {
				t.Fatalf("our row is not quoted CSV: %q", lines[2])
			}
		})
	}
}

func TestFileMalformed(t *testing.T) {
	const header = "id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain\n"
	const good = "1,u,cid,SECRET-CS,SECRET-RT,SECRET-AT,SECRET-GT,1795341180470,http://localhost/cb,https://www.zohoapis.com\n"
	for _, tc := range []struct {
		name, content, want string
	}{
		{"WrongFieldCount", header + good + "2,u2,cid,SECRET-CS,SECRET-RT\n", "line 3"},
		{"BadExpiry", header + strings.Replace(good, "1795341180470", "SECRET-EXP", 1), "line 2: column expiry_time"},
		{"UnknownColumn", strings.Replace(header, "api_domain", "api_domian", 1) + good, `line 1: unknown header column "api_domian"`},
		{"ValueInHeader", strings.Replace(header, "client_secret", "SECRET-CS", 1) + good, "line 1: unknown header column 4"},
		{"MissingColumn", strings.Replace(header, "access_token,", "", 1) + strings.Replace(good, "SECRET-AT,", "", 1), "line 1: column access_token: missing header column"},
		{"BareQuote", header + good + `2,u"2,cid,SECRET-CS,SECRET-RT,SECRET-AT,SECRET-GT,1,a,b` + "\n", "line 3"},
		{"NotCSVAtAll", "\x00\x01 binary garbage, \"SECRET-AT\n", "line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "broken.csv")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := persistence.NewFile(path)
			checkMalformed(t, err, path, tc.want)
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
				t.Fatal("NewFile changed the mode of a file that is not a token file")
			}

			mem := persistence.NewMemory()
			_, err = persistence.ImportSDKFile(context.Background(), path, mem)
			checkMalformed(t, err, path, tc.want)
		})
	}

	// A file that breaks after opening: reads fail, and a save does not
	// replace what it cannot parse.
	path := filepath.Join(t.TempDir(), "tokens.csv")
	s, err := persistence.NewFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, storetest.SampleToken("a@x", 1)); err != nil {
		t.Fatal(err)
	}
	broken := header + good + "2,oops\n"
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(ctx, persistence.Key{UserName: "a@x", ClientID: "1000.CLIENT"})
	checkMalformed(t, err, path, "line 3")
	checkMalformed(t, s.Save(ctx, storetest.SampleToken("b@x", 2)), path, "line 3")
	if data, _ := os.ReadFile(path); string(data) != broken {
		t.Fatal("Save rewrote a file it could not parse")
	}
}

func checkMalformed(t *testing.T, err error, path, want string) {
	t.Helper()
	var fe *persistence.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *FormatError", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || !strings.Contains(msg, want) {
		t.Fatalf("error %q does not name the file %s and %q", msg, path, want)
	}
	if strings.Contains(msg, "SECRET") {
		t.Fatalf("error %q contains a value from the file", msg)
	}
}
