//go:build unix

package main

import (
	"os"
	"syscall"
	"testing"
)

// lockForTest holds the lock a capture writer holds on its temporary file
// (package capture's lock_unix.go).
func lockForTest(t *testing.T, f *os.File) error {
	t.Helper()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
