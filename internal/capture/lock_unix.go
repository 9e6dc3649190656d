//go:build unix

package capture

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockInFlight holds an exclusive lock on a capture being written until the
// file is closed (or its process dies), which tells Clean in any process
// that the file is in flight.
func lockInFlight(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// removeAbandoned removes name when no live writer holds its lock and
// nobody has written it for abandonedAfter: a writer locks its file just
// after creating it, and a fresh file may be in that instant.
func removeAbandoned(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || time.Since(info.ModTime()) < abandonedAfter {
		return false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil // a writer is at work
		}
		return false, err
	}
	return true, os.Remove(name)
}
