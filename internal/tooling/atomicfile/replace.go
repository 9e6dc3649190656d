package atomicfile

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// entry is one thing a folder being rebuilt holds.
type entry struct {
	kind fs.FileMode // 0 a regular file, fs.ModeDir or fs.ModeSymlink
	mode fs.FileMode // permissions
	link string      // a link's target, as written
	// write says data is the file's new contents; a file kept as it was
	// is hard-linked (or copied) from the old folder.
	write bool
	data  []byte
}

// ReplaceFolder writes files (slash paths inside the folder name, itself a
// slash path inside d) and replaces the folder with the result in one step:
// it builds the new folder beside the old one and renames it into place, so
// no reader sees a folder half written (two renames; between them, for an
// instant, the folder is missing). Everything else the old folder held is
// kept as it was: the user's files, empty folders, symbolic links (as
// links), modes; kept files are hard links to the old ones, so nothing is
// copied. stale, when not nil, names the old regular files that payhooks
// wrote earlier and that go when files does not hold them. A file to write
// whose path is a link writes the link's target: inside the folder, as part
// of the new folder; elsewhere inside d, on its own before the swap; a link
// out of d is refused. A folder left empty is removed. It reports whether
// anything changed; nothing is touched when nothing would.
func (d *Dir) ReplaceFolder(name string, files map[string][]byte, stale func(rel string) bool) (bool, error) {
	if name == "." || !fs.ValidPath(name) {
		return false, fmt.Errorf("%q is not a folder inside %s", name, d.path)
	}
	for rel := range files {
		if rel == "." || !fs.ValidPath(rel) {
			return false, fmt.Errorf("%q is not a path inside the folder", rel)
		}
	}
	real, err := d.resolve(name, false)
	if err != nil {
		return false, err
	}
	if real == "." {
		return false, fmt.Errorf("%s leads to %s itself", d.show(name), d.path)
	}
	entries := map[string]*entry{}
	existed := false
	if info, err := d.root.Lstat(real); err == nil {
		if !info.IsDir() {
			return false, fmt.Errorf("%s is not a folder", d.show(real))
		}
		existed = true
		entries["."] = &entry{kind: fs.ModeDir, mode: info.Mode().Perm()}
		if err := d.listOld(real, entries); err != nil {
			return false, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	} else {
		entries["."] = &entry{kind: fs.ModeDir, mode: 0o755}
	}
	changed := false
	for rel, e := range entries {
		if e.kind == 0 && stale != nil && stale(rel) {
			if _, ours := files[rel]; !ours {
				delete(entries, rel)
				changed = true
			}
		}
	}
	elsewhere := map[string][]byte{} // links' targets outside the folder
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		data := files[rel]
		target, err := d.resolve(path.Join(real, rel), false)
		if err != nil {
			return false, err
		}
		old, err := d.root.ReadFile(target)
		changed = changed || err != nil || !bytes.Equal(old, data)
		in, ok := strings.CutPrefix(target, real+"/")
		if !ok {
			elsewhere[target] = data
			continue
		}
		if err := place(entries, in, data); err != nil {
			return false, fmt.Errorf("%s: %w", d.show(target), err)
		}
	}
	if !changed {
		return false, nil
	}
	for _, target := range slices.Sorted(maps.Keys(elsewhere)) {
		if err := d.writeAt(target, bytesWriter(elsewhere[target])); err != nil {
			return false, err
		}
	}
	return true, d.swap(real, existed, entries)
}

// show names a path inside d for a message.
func (d *Dir) show(p string) string { return filepath.Join(d.path, filepath.FromSlash(p)) }

// listOld records what the folder at real holds, without following links.
func (d *Dir) listOld(real string, entries map[string]*entry) error {
	return fs.WalkDir(d.root.FS(), real, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == real {
			return nil
		}
		rel := strings.TrimPrefix(p, real+"/")
		info, err := de.Info()
		if err != nil {
			return err
		}
		switch t := info.Mode().Type(); t {
		case fs.ModeDir, 0:
			entries[rel] = &entry{kind: t, mode: info.Mode().Perm()}
		case fs.ModeSymlink:
			target, err := d.root.Readlink(p)
			if err != nil {
				return err
			}
			entries[rel] = &entry{kind: fs.ModeSymlink, link: target}
		default:
			return fmt.Errorf("%s is neither a file, a folder nor a link: payhooks does not copy it; move it out of the folder", d.show(p))
		}
		return nil
	})
}

// place records a file's new contents at rel (no link in its path),
// with the folders on the way.
func place(entries map[string]*entry, rel string, data []byte) error {
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		switch e := entries[dir]; {
		case e == nil:
			entries[dir] = &entry{kind: fs.ModeDir, mode: 0o755}
		case e.kind != fs.ModeDir:
			return fmt.Errorf("%s is in the way: not a folder", dir)
		}
	}
	e := entries[rel]
	switch {
	case e == nil:
		entries[rel] = &entry{mode: 0o666, write: true, data: data}
	case e.kind != 0:
		return errors.New("not a regular file")
	default:
		e.write, e.data = true, data
	}
	return nil
}

// swap builds the new folder beside the one at real and renames it into
// place; a folder with nothing in it is removed instead.
func (d *Dir) swap(real string, existed bool, entries map[string]*entry) error {
	parent, base := path.Dir(real), path.Base(real)
	suffix := rand.Text()[:12]
	if len(entries) == 1 { // only the folder itself
		if !existed {
			return nil
		}
		old := path.Join(parent, "."+base+".payhooks-old-"+suffix)
		if err := d.root.Rename(real, old); err != nil {
			return err
		}
		return d.root.RemoveAll(old)
	}
	if err := d.root.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp := path.Join(parent, "."+base+".payhooks-new-"+suffix)
	if err := d.root.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	built := false
	defer func() {
		if !built {
			d.root.RemoveAll(tmp)
		}
	}()
	rels := slices.Sorted(maps.Keys(entries))
	for _, rel := range rels {
		if err := d.build(real, tmp, rel, entries[rel]); err != nil {
			return err
		}
	}
	// Folders get their modes last, deepest first: one without write
	// permission is filled before it loses it.
	for _, rel := range slices.Backward(rels) {
		if e := entries[rel]; e.kind == fs.ModeDir {
			if err := d.root.Chmod(path.Join(tmp, rel), e.mode); err != nil {
				return err
			}
		}
	}
	if err := d.syncDir(tmp); err != nil {
		return err
	}
	if !existed {
		if err := d.root.Rename(tmp, real); err != nil {
			return err
		}
		built = true
		return d.syncDir(parent)
	}
	old := path.Join(parent, "."+base+".payhooks-old-"+suffix)
	if err := d.root.Rename(real, old); err != nil {
		return err
	}
	if err := d.root.Rename(tmp, real); err != nil {
		d.root.Rename(old, real)
		return err
	}
	built = true
	if err := d.syncDir(parent); err != nil {
		return err
	}
	return d.root.RemoveAll(old)
}

// build makes one entry of the new folder tmp, taking a kept file from
// the old folder real.
func (d *Dir) build(real, tmp, rel string, e *entry) error {
	at := path.Join(tmp, rel)
	switch {
	case rel == ".":
		return nil // made 0700: nobody reads a folder half built
	case e.kind == fs.ModeDir:
		return d.root.Mkdir(at, 0o700)
	case e.kind == fs.ModeSymlink:
		return d.root.Symlink(e.link, at)
	case e.write:
		return d.newFile(at, e.mode, e.data)
	}
	old := path.Join(real, rel)
	if err := d.root.Link(old, at); err == nil {
		return nil
	}
	// A file system without hard links: a copy, with the old mode.
	data, err := d.root.ReadFile(old)
	if err != nil {
		return err
	}
	return d.newFile(at, e.mode, data)
}

// newFile writes a file of the new folder, synced before the folder is
// renamed into place. A mode of 0666 is a new file's: what umask leaves of it.
func (d *Dir) newFile(at string, mode fs.FileMode, data []byte) error {
	f, err := d.root.OpenFile(at, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if mode != 0o666 {
		if err := f.Chmod(mode); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}
