package atomicfile

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Dir is a folder a command writes its output into, which also holds the
// user's own files: a repository with its .git, hand-written code beside
// generated code, a schema folder with links and scripts. Through it a
// command changes only what it is told to write, never removes what it was
// not told was its own, writes each file whole, keeps the mode of a file it
// rewrites, writes through a symbolic link rather than replacing it, and
// refuses a link that leads out of the folder (every access goes through
// an os.Root, which refuses one too). A new file is created with the mode
// umask leaves of 0666, as go and gofmt do.
type Dir struct {
	path string // as the user gave it, for messages
	real string // absolute, links resolved: where absolute links are judged
	root *os.Root
}

// OpenDir opens a folder that exists.
func OpenDir(dir string) (*Dir, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	if real, err = filepath.Abs(real); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Dir{path: dir, real: real, root: root}, nil
}

// CreateDir opens a folder, creating it and its parents when missing.
func CreateDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return OpenDir(dir)
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// Path is the folder as it was given.
func (d *Dir) Path() string { return d.path }

// LeavesError is a symbolic link whose target is outside the folder.
type LeavesError struct {
	Link, Target, Dir string
}

func (e *LeavesError) Error() string {
	return fmt.Sprintf("%s is a symbolic link to %s, outside %s: payhooks does not write through it", e.Link, e.Target, e.Dir)
}

// maxLinks bounds the links followed for one path, as the kernel does.
const maxLinks = 40

// resolve follows the symbolic links along name (a slash path inside d) as
// the file system would and returns the path inside d it leads to, with no
// link left in it; a missing element ends the walk, the rest taken as it
// stands. A link that leads out of d is a *LeavesError. With keepLast the
// last element is not followed (the link itself is meant).
func (d *Dir) resolve(name string, keepLast bool) (string, error) {
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("%q is not a path inside %s", name, d.path)
	}
	pending := splitPath(name)
	var done []string
	for hops := 0; len(pending) > 0; {
		elem := pending[0]
		pending = pending[1:]
		cur := path.Join(append(done, elem)...)
		if keepLast && len(pending) == 0 {
			done = append(done, elem)
			break
		}
		info, err := d.root.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			done = append(done, elem)
			done = append(done, pending...)
			break
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, elem)
			continue
		}
		if hops++; hops > maxLinks {
			return "", fmt.Errorf("%s: too many levels of symbolic links", filepath.Join(d.path, cur))
		}
		target, err := d.root.Readlink(cur)
		if err != nil {
			return "", err
		}
		next, ok := d.inside(path.Dir(cur), target)
		if !ok {
			return "", &LeavesError{Link: filepath.Join(d.path, filepath.FromSlash(cur)), Target: target, Dir: d.path}
		}
		pending = append(splitPath(next), pending...)
		done = done[:0]
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// inside turns a link's target, read in folder from (inside d), into a
// path inside d, or reports that it leads out.
func (d *Dir) inside(from, target string) (string, bool) {
	if filepath.IsAbs(target) {
		rel, err := filepath.Rel(d.real, target)
		if err != nil {
			return "", false
		}
		target, from = rel, "."
	}
	p := path.Join(from, filepath.ToSlash(target))
	return p, p != ".." && !strings.HasPrefix(p, "../")
}

func splitPath(p string) []string {
	if p == "." || p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// WriteFile writes name (a slash path inside d) whole; see Write.
func (d *Dir) WriteFile(name string, data []byte) error {
	return d.Write(name, bytesWriter(data))
}

func bytesWriter(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// Write writes name (a slash path inside d) with write: to a temporary file
// beside it, synced, then renamed over it, so a reader never sees half of
// it. It creates the folders on the way, keeps the mode of the file it
// replaces, and writes through a symbolic link to the file it names inside
// d, keeping the link.
func (d *Dir) Write(name string, write func(io.Writer) error) error {
	real, err := d.resolve(name, false)
	if err != nil {
		return err
	}
	return d.writeAt(real, write)
}

// writeAt is Write at a path with no link in it.
func (d *Dir) writeAt(real string, write func(io.Writer) error) error {
	dir := path.Dir(real)
	if err := d.root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mode, replacing := fs.FileMode(0o666), false
	if info, err := d.root.Lstat(real); err == nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", filepath.Join(d.path, filepath.FromSlash(real)))
		}
		mode, replacing = info.Mode().Perm(), true
	}
	tmp := path.Join(dir, "."+path.Base(real)+".payhooks-"+rand.Text()[:12])
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			f.Close()
			d.root.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if replacing { // the mode as it was, umask aside
		if err := f.Chmod(mode); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := d.root.Rename(tmp, real); err != nil {
		return err
	}
	renamed = true
	return d.syncDir(dir)
}

// syncDir makes a rename in dir durable.
func (d *Dir) syncDir(dir string) error {
	f, err := d.root.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ReadFile reads name (a slash path inside d), through links inside d.
func (d *Dir) ReadFile(name string) ([]byte, error) {
	real, err := d.resolve(name, false)
	if err != nil {
		return nil, err
	}
	return d.root.ReadFile(real)
}

// ReadDir lists the folder name (a slash path inside d); a missing folder
// lists nothing.
func (d *Dir) ReadDir(name string) ([]fs.DirEntry, error) {
	real, err := d.resolve(name, false)
	if err != nil {
		return nil, err
	}
	f, err := d.root.Open(real)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// Remove removes the file name (a slash path inside d); a link is removed
// itself, never its target.
func (d *Dir) Remove(name string) error {
	real, err := d.resolve(name, true)
	if err != nil {
		return err
	}
	return d.root.Remove(real)
}
