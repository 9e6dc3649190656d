// Package atomicfile writes a file so that a reader, or a crash, never sees
// half of it: the content goes to a temporary file in the same folder,
// which is synced, renamed over the final name, and the folder synced.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Write writes name with write. tempPrefix names the temporary file (a
// folder's readers can skip or clean files with it).
func Write(name, tempPrefix string, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up a failure
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
