// Package atomicfile writes a file so that a reader, or a crash, never sees
// half of it: the content goes to a temporary file in the same folder,
// which is synced, moved to the final name, and the folder synced. Write
// replaces what the final name held; Create never does.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes name with write, replacing any file of that name. tempPrefix
// names the temporary file (a folder's readers can skip or clean files with
// it).
func Write(name, tempPrefix string, write func(io.Writer) error) error {
	return publish(name, tempPrefix, nil, write, os.Rename)
}

// Create writes name with write only if no file of that name exists. When
// one does (also when another process creates it meanwhile), it returns an
// error for which errors.Is(err, fs.ErrExist) holds and leaves that file
// alone: the temporary file is hard-linked to the final name, and a link
// never replaces, so the folder must be on a file system with hard links.
// onTemp, when not nil, sees the temporary file before anything is written
// to it (to lock it, say); its error abandons the write.
func Create(name, tempPrefix string, onTemp func(*os.File) error, write func(io.Writer) error) error {
	return publish(name, tempPrefix, onTemp, write, func(tmp, final string) error {
		err := os.Link(tmp, final)
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	})
}

func publish(name, tempPrefix string, onTemp func(*os.File) error, write func(io.Writer) error, move func(tmp, final string) error) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	// Deferred in this order, the file is closed (and any lock on it
	// released) before its temporary name goes: gone already after a
	// rename, still there after a link or a failure.
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
	if err := move(tmp.Name(), name); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
