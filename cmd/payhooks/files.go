package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/payhooks/payhooks/internal/atomicfile"
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

// writeFileAtomic writes a file so a reader never sees half of it.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	return atomicfile.Write(name, "."+filepath.Base(name)+".tmp", write)
}
