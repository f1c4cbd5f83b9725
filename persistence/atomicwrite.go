package persistence

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix is the prefix of the temporary files written next to path.
func tempPrefix(path string) string { return filepath.Base(path) + ".tmp-" }

// writeFileAtomic replaces path with data so that a reader, or a crash at
// any moment, sees either the old or the new content in full: it writes a
// temporary file in the same directory with mode 0600, syncs it, renames it
// over path and syncs the directory.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// removeStaleTemps deletes temporary files left by writers that died
// between creating and renaming them. Call it only while holding the write
// lock: then no live writer owns such a file.
func removeStaleTemps(path string) error {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	prefix := tempPrefix(path)
	var errs []error
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
