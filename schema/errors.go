package schema

import (
	"fmt"
	"strings"
)

// FileError is an error about one metadata file of a Snapshot.
type FileError struct {
	// Path is the file's path, relative to the snapshot's root unless
	// LoadDir joined it to the directory.
	Path string
	Err  error
}

// Error names the metadata file.
func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the reading or decoding error.
func (e *FileError) Unwrap() error { return e.Err }

// UnknownModuleError reports a module name that the metadata does not
// have.
type UnknownModuleError struct {
	Name string
	// Known are the modules the metadata has, sorted.
	Known []string
}

// Error names the unknown module and the known ones.
func (e *UnknownModuleError) Error() string {
	return fmt.Sprintf("unknown module %q (modules with metadata: %s)", e.Name, strings.Join(e.Known, ", "))
}
