package persistence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/zohohub/zohohub/persistence/internal/lockwait"
	"github.com/zohohub/zohohub/persistence/internal/sdkschema"
	"github.com/zohohub/zohohub/persistence/internal/storeopt"
)

// File is a [Store] and [Locker] that keeps tokens in a CSV file in the
// official Zoho SDKs' format, so a token file written by the Java, Python,
// Node or Ruby SDK can be used as-is, and the SDKs can read ours.
//
// Several processes may share one file:
//   - every change is a read-modify-write under an exclusive flock(2) on
//     path+".lock";
//   - the file is replaced atomically (temporary file, fsync, rename, fsync
//     of the directory), so readers need no lock and a crash leaves either
//     the old or the new content, never a torn file;
//   - the file has mode 0600.
//
// Lock takes a per-key lock file path+".lock."+hash; those small files are
// left in place (removing a lock file others may be waiting on is unsafe).
type File struct {
	path     string
	lockPath string
	cfg      fileConfig
	writeMu  lockwait.KeyMutex // excludes this process's writers before the flock
	keyMu    lockwait.KeyMutex // per-key, for Lock
}

var (
	_ Store  = (*File)(nil)
	_ Locker = (*File)(nil)
)

// NewFile returns a store backed by the token file at path. The file need
// not exist yet; it is created at the first Save. The directory is created
// with mode 0700 if missing. An existing file is parsed at once, so a
// malformed file is reported here, and its mode is set to 0600.
func NewFile(path string, opts ...FileOption) (*File, error) {
	if path == "" {
		return nil, errors.New("persistence: NewFile: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("persistence: token file %s: %w", path, err)
	}
	cfg := fileConfig{Settings: storeopt.Defaults()}
	for _, o := range opts {
		o.applyFile(&cfg)
	}
	f := &File{path: abs, lockPath: abs + ".lock", cfg: cfg}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("persistence: token file %s: %w", abs, err)
	}
	switch fi, err := os.Stat(abs); {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("persistence: token file %s: %w", abs, err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("persistence: token file %s: not a regular file", abs)
	case fi.Mode().Perm() != 0o600:
		// Tokens are secrets: tighten a file an SDK created world-readable,
		// once it is known to be a token file.
		if _, _, err := f.read(); err != nil {
			return nil, err
		}
		if err := os.Chmod(abs, 0o600); err != nil {
			return nil, fmt.Errorf("persistence: token file %s: set mode 0600: %w", abs, err)
		}
		return f, nil
	}
	if _, _, err := f.read(); err != nil {
		return nil, err
	}
	return f, nil
}

// Path returns the absolute path of the token file.
func (f *File) Path() string { return f.path }

// read parses the current file; a missing file holds no tokens.
func (f *File) read() ([]*Token, csvLayout, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, csvLayout{}, nil
	}
	if err != nil {
		return nil, csvLayout{}, fmt.Errorf("persistence: read token file: %w", err)
	}
	return parseTokenCSV(f.path, data)
}

// update runs change on the current rows under the write lock and, when it
// reports a change, replaces the file with the rows it returns.
func (f *File) update(ctx context.Context, change func([]*Token) ([]*Token, bool, error)) error {
	unlockLocal, err := f.writeMu.Lock(ctx, "")
	if err != nil {
		return err
	}
	defer unlockLocal()
	unlockFile, err := lockFile(ctx, f.lockPath, f.cfg.LockPoll)
	if err != nil {
		return err
	}
	defer unlockFile()

	rows, layout, err := f.read()
	if err != nil {
		return err
	}
	rows, changed, err := change(rows)
	if err != nil || !changed {
		return err
	}
	data, err := encodeTokenCSV(rows, layout)
	if err != nil {
		return fmt.Errorf("persistence: encode token file %s: %w", f.path, err)
	}
	if err := removeStaleTemps(f.path); err != nil {
		f.cfg.Logger.Warn("persistence: cannot remove stale temporary token files", "path", f.path, "err", err)
	}
	if err := writeFileAtomic(f.path, data); err != nil {
		return fmt.Errorf("persistence: write token file: %w", err)
	}
	f.cfg.Logger.Debug("persistence: token file written", "path", f.path, "rows", len(rows))
	return nil
}

// Get returns the first row stored under key.
func (f *File) Get(ctx context.Context, key Key) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, _, err := f.read()
	if err != nil {
		return nil, err
	}
	for _, t := range rows {
		if t.Key() == key {
			return t, nil
		}
	}
	return nil, notFound(key)
}

// Save replaces the row stored under tok.Key(), or appends one with the
// next numeric id (max + 1, as the SDKs do), and sets tok.ID.
func (f *File) Save(ctx context.Context, tok *Token) error {
	if tok == nil {
		return errNilToken
	}
	row := tok.Clone()
	key := row.Key()
	err := f.update(ctx, func(rows []*Token) ([]*Token, bool, error) {
		at := -1
		for i, t := range rows {
			if t.Key() == key {
				at = i
				break
			}
		}
		if row.ID == "" && at >= 0 {
			row.ID = rows[at].ID
		}
		if row.ID == "" {
			row.ID = sdkschema.NextID(func(yield func(string) bool) {
				for _, t := range rows {
					if !yield(t.ID) {
						return
					}
				}
			})
		}
		for i, t := range rows {
			if i != at && t.ID == row.ID && t.Key() != key {
				return nil, false, ErrIDInUse
			}
		}
		if at >= 0 {
			rows[at] = row
		} else {
			rows = append(rows, row)
		}
		return rows, true, nil
	})
	if err != nil {
		return err
	}
	tok.ID = row.ID
	return nil
}

// Delete removes every row stored under key.
func (f *File) Delete(ctx context.Context, key Key) error {
	return f.update(ctx, func(rows []*Token) ([]*Token, bool, error) {
		kept := rows[:0]
		for _, t := range rows {
			if t.Key() != key {
				kept = append(kept, t)
			}
		}
		return kept, len(kept) != len(rows), nil
	})
}

// List returns every row, in file order.
func (f *File) List(ctx context.Context) ([]*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, _, err := f.read()
	if err != nil {
		return nil, err
	}
	if rows == nil {
		rows = []*Token{}
	}
	return rows, nil
}

// DeleteAll leaves the file with its header and no rows.
func (f *File) DeleteAll(ctx context.Context) error {
	return f.update(ctx, func(rows []*Token) ([]*Token, bool, error) {
		return nil, len(rows) > 0, nil
	})
}

// Lock takes an exclusive lock on key that holds across processes sharing
// this file (and across goroutines and File values in this process), or
// returns ctx.Err(). It does not block Get, Save or Delete, so the holder
// can refresh and save the token while holding it.
func (f *File) Lock(ctx context.Context, key Key) (unlock func(), err error) {
	h := keyHash(key)
	unlockLocal, err := f.keyMu.Lock(ctx, h)
	if err != nil {
		return nil, err
	}
	unlockFile, err := lockFile(ctx, f.lockPath+"."+h, f.cfg.LockPoll)
	if err != nil {
		unlockLocal()
		return nil, err
	}
	f.cfg.Logger.Debug("persistence: token lock taken", "path", f.path, "key", key.String())
	return sync.OnceFunc(func() {
		unlockFile()
		unlockLocal()
	}), nil
}

// keyHash names a key in lock names without revealing it or depending on
// which characters it holds.
func keyHash(key Key) string {
	sum := sha256.Sum256([]byte(key.UserName + "\x00" + key.ClientID))
	return hex.EncodeToString(sum[:8])
}
