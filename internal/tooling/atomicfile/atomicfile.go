// Package atomicfile writes files so that a reader, or a crash, never sees
// half of one: the content goes to a temporary file in the same folder,
// which is synced, moved or linked to the final name, and the folder
// synced. Create makes a file and never replaces one (captures); Dir writes
// a command's output into a folder of the user's, replacing files, or a
// whole folder at once, and touching nothing else.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Create writes name with write only if no file of that name exists. When
// one does (also when another process creates it meanwhile), it returns an
// error for which errors.Is(err, fs.ErrExist) holds and leaves that file
// alone: the temporary file is hard-linked to the final name, and a link
// never replaces, so the folder must be on a file system with hard links.
// onTemp, when not nil, sees the temporary file before anything is written
// to it (to lock it, say); its error abandons the write.
func Create(name, tempPrefix string, onTemp func(*os.File) error, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	// Deferred in this order, the file is closed (and any lock on it
	// released) before its temporary name goes.
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if onTemp != nil {
		if err := onTemp(tmp); err != nil {
			return err
		}
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), name); errors.Is(err, fs.ErrExist) {
		return fs.ErrExist
	} else if err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
