package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/payhooks/payhooks/internal/tooling/atomicfile"
)

// isTerminal reports whether w is a terminal (golang.org/x/term asks the
// operating system; a character device such as /dev/null is not one).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor decides -color: "always", "never", or "auto", which colours
// only a terminal, and never when NO_COLOR is set (no-color.org) or the
// terminal is TERM=dumb.
func useColor(mode string, w any) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return isTerminal(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb", nil
	}
	return false, fmt.Errorf("want auto, always or never, got %q", mode)
}

// writeFileAtomic writes a file the user named so a reader never sees half
// of it, with the mode of the file it replaces, and through a link to where
// it leads (package atomicfile).
func writeFileAtomic(name string, write func(io.Writer) error) error {
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	d, err := atomicfile.OpenDir(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Write(filepath.Base(name), write)
}

// writeProvider writes a provider folder (files by slash path inside it)
// as dir/name, replaced in one step; what the folder held besides stays,
// except the files stale says an earlier run wrote (package atomicfile).
func writeProvider(dir, name string, files map[string][]byte, stale func(rel string) bool) error {
	d, err := atomicfile.CreateDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.ReplaceFolder(name, files, stale)
	return err
}

// jsonIn reports whether rel is a .json file directly in one of folders.
func jsonIn(rel string, folders ...string) bool {
	dir, file := path.Split(rel)
	return strings.HasSuffix(file, ".json") && slices.Contains(folders, strings.TrimSuffix(dir, "/"))
}
