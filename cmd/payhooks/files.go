package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/payhooks/payhooks/internal/atomicfile"
)

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// writeFileAtomic writes a file so a reader never sees half of it.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	return atomicfile.Write(name, "."+filepath.Base(name)+".tmp", write)
}
