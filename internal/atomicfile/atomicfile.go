// Package atomicfile writes a file so that a reader, or a crash, never sees
// half of it: the content goes to a temporary file in the same folder,
// which is synced, moved to the final name, and the folder synced. Write
// replaces what the final name held; Create never does; ReplaceDir does it
// for a whole folder.
package atomicfile

import (
	"errors"
	"fmt"
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

// ReplaceDir writes files (slash-separated path → contents) into a fresh
// folder beside dir and renames it into place, so a failure leaves dir as
// it was and nothing half written anywhere.
func ReplaceDir(dir string, files map[string][]byte) error {
	for name := range files {
		if !fs.ValidPath(name) || name == "." {
			return fmt.Errorf("%q is not a path inside the folder", name)
		}
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up a failure
	for name, data := range files {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
