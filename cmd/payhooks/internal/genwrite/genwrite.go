// Package genwrite compares what the generator produced with an output
// folder and applies the difference: the plan payhooks generate -check
// prints as unified diffs and payhooks generate writes. It removes only what
// it can prove payhooks wrote: a .go file with the generated-code header, or
// a schema copy the package's own schemas.go lists; it writes through
// package atomicfile (whole files, modes kept, no link out of the folder
// followed).
package genwrite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/payhooks/payhooks/generator/emit"
	"github.com/payhooks/payhooks/internal/atomicfile"
)

// Change is one file to write or remove.
type Change struct {
	rel      string // slash path inside the output folder
	path     string // the same, joined to the output folder, for messages
	old, new []byte
	remove   bool
}

// Plan compares the generated files with what out holds: new and changed
// files, and files payhooks generated earlier in the same package folders
// that it no longer produces. It reads out through package atomicfile, so a
// symbolic link that leads out of it is refused here, before anything is
// written.
func Plan(out string, files map[string][]byte) ([]Change, error) {
	d, err := atomicfile.OpenDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		d = nil // nothing there yet: every file is new
	} else if err != nil {
		return nil, err
	} else {
		defer d.Close()
	}
	read := func(rel string) ([]byte, error) {
		if d == nil {
			return nil, nil
		}
		data, err := d.ReadFile(rel)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return data, err
	}
	change := func(rel string, old, new []byte, remove bool) Change {
		return Change{rel: rel, path: filepath.Join(out, filepath.FromSlash(rel)), old: old, new: new, remove: remove}
	}
	var changes []Change
	dirs := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		dirs[path.Dir(name)] = true
		old, err := read(name)
		if err != nil {
			return nil, err
		}
		if old == nil || !bytes.Equal(old, files[name]) {
			changes = append(changes, change(name, old, files[name], false))
		}
	}
	if d == nil {
		return changes, nil
	}
	// In each package's schema folder, payhooks removes only what it can
	// prove it wrote: the files the package's current schemas.go embeds.
	pkgs := map[string]bool{}
	for name := range files {
		pkgs[strings.SplitN(name, "/", 2)[0]] = true
	}
	for _, pkg := range slices.Sorted(maps.Keys(pkgs)) {
		schemasGo, err := read(path.Join(pkg, "schemas.go"))
		if err != nil {
			return nil, err
		}
		for _, p := range embeddedSchemas(schemasGo) {
			rel := path.Join(pkg, p)
			if _, ours := files[rel]; ours {
				continue
			}
			if old, err := read(rel); err != nil {
				return nil, err
			} else if old != nil {
				changes = append(changes, change(rel, old, nil, true))
			}
		}
	}
	// Beside the files it writes, a .go file with the generated-code header
	// is one payhooks wrote.
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		entries, err := d.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			rel := path.Join(dir, e.Name())
			if _, ours := files[rel]; ours || !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			old, err := read(rel)
			if err != nil {
				return nil, err
			}
			if bytes.HasPrefix(old, []byte(emit.GeneratedMarker)) {
				changes = append(changes, change(rel, old, nil, true))
			}
		}
	}
	return changes, nil
}

// embeddedSchemas reads the schema files a generated schemas.go embeds, as
// paths relative to its folder: the files payhooks wrote there. A missing
// file, or one payhooks did not generate, records none.
func embeddedSchemas(data []byte) []string {
	if !bytes.HasPrefix(data, []byte(emit.GeneratedMarker)) {
		return nil
	}
	var paths []string
	for _, line := range strings.Split(string(data), "\n") {
		quoted, ok := strings.CutPrefix(line, emit.EmbedDirective)
		if !ok {
			continue
		}
		p, err := strconv.Unquote(quoted)
		// Only a plain path inside the schema folder: a hand-edited line
		// must not send generate elsewhere.
		if err != nil || !strings.HasPrefix(p, emit.SchemaDir+"/") || !fs.ValidPath(p) {
			continue
		}
		paths = append(paths, p)
	}
	return paths
}

// Apply writes and removes what Plan found, into out (created if
// missing), each file whole and with the mode of the file it replaces.
func Apply(out string, changes []Change) error {
	d, err := atomicfile.CreateDir(out)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, c := range changes {
		if c.remove {
			err = d.Remove(c.rel)
		} else {
			err = d.WriteFile(c.rel, c.new)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Diff shows what would change as a unified diff (pmezard/go-difflib,
// the diff testify prints), the removed file against nothing.
func (c Change) Diff() string {
	newText := string(c.new)
	if c.remove {
		newText = ""
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: lines(string(c.old)), B: lines(newText),
		FromFile: c.path, ToFile: c.path + " (generated)", Context: 3,
	})
	if err != nil {
		return fmt.Sprintf("--- %s\n+++ %s (generated)\n(no diff: %v)\n", c.path, c.path, err)
	}
	return d
}

// lines splits text into lines that keep their newline, as difflib wants
// them; difflib.SplitLines would add an empty last line to every file that
// ends with a newline, and show it in the diff.
func lines(text string) []string {
	if text == "" {
		return nil
	}
	out := strings.SplitAfter(text, "\n")
	if out[len(out)-1] == "" {
		return out[:len(out)-1]
	}
	out[len(out)-1] += "\n" // no newline at the end: shown as if there were
	return out
}
