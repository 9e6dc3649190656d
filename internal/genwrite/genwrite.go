// Package genwrite compares what the generator produced with an output
// folder and applies the difference: the plan payhooks generate -check
// prints as unified diffs and payhooks generate writes. It removes only what
// it can prove payhooks wrote: a .go file with the generated-code header, or
// a schema copy the package's own schemas.go lists.
package genwrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
	path     string
	old, new []byte
	remove   bool
}

// Plan compares the generated files with what out holds: new and changed
// files, and files payhooks generated earlier in the same package folders
// that it no longer produces.
func Plan(out string, files map[string][]byte) ([]Change, error) {
	var changes []Change
	dirs := map[string]bool{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
		dirs[filepath.Dir(filepath.Join(out, name))] = true
	}
	slices.Sort(names)
	for _, name := range names {
		p := filepath.Join(out, name)
		old, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !bytes.Equal(old, files[name]) {
			changes = append(changes, Change{path: p, old: old, new: files[name]})
		}
	}
	// In each package's schema folder, payhooks removes only what it can
	// prove it wrote: the files the package's current schemas.go embeds.
	for name := range files {
		pkgDir := filepath.Join(out, strings.SplitN(name, "/", 2)[0])
		if dirs[pkgDir+"/"] {
			continue
		}
		dirs[pkgDir+"/"] = true
		written, err := embeddedSchemas(filepath.Join(pkgDir, "schemas.go"))
		if err != nil {
			return nil, err
		}
		for _, p := range written {
			rel, _ := filepath.Rel(out, filepath.Join(pkgDir, filepath.FromSlash(p)))
			if _, ours := files[filepath.ToSlash(rel)]; ours {
				continue
			}
			full := filepath.Join(pkgDir, filepath.FromSlash(p))
			if old, err := os.ReadFile(full); err == nil {
				changes = append(changes, Change{path: full, old: old, remove: true})
			}
		}
	}
	sortedDirs := make([]string, 0, len(dirs))
	for d := range dirs {
		sortedDirs = append(sortedDirs, d)
	}
	slices.Sort(sortedDirs)
	for _, dir := range sortedDirs {
		if strings.HasSuffix(dir, "/") {
			continue // a package's schema folder, handled above
		}
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			rel, _ := filepath.Rel(out, p)
			if _, ours := files[filepath.ToSlash(rel)]; ours || e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			old, err := os.ReadFile(p)
			if err == nil && bytes.HasPrefix(old, []byte(emit.GeneratedMarker)) {
				changes = append(changes, Change{path: p, old: old, remove: true})
			}
		}
	}
	return changes, nil
}

// embeddedSchemas reads the schema files a generated schemas.go embeds, as
// paths relative to its folder: the files payhooks wrote there. A missing
// file, or one payhooks did not generate, records none.
func embeddedSchemas(schemasGo string) ([]string, error) {
	data, err := os.ReadFile(schemasGo)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(emit.GeneratedMarker)) {
		return nil, nil
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
	return paths, nil
}

func (c Change) Apply() error {
	if c.remove {
		return os.Remove(c.path)
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(c.path, "."+filepath.Base(c.path)+".tmp", func(w io.Writer) error {
		_, err := w.Write(c.new)
		return err
	})
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
