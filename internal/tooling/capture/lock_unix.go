//go:build unix

package capture

import (
	"errors"
	"os"
	"syscall"
)

// lockInFlight holds an exclusive lock on a capture being written until the
// file is closed (or its process dies), which tells Clean in any process
// that the file is in flight. A file Clean holds (it took the file for
// abandoned in the instant between its creation and this lock) is
// errTempTaken, and Write starts again.
func lockInFlight(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errTempTaken
	}
	return err
}

// removeAbandoned removes name when no live writer holds its lock.
func removeAbandoned(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil // a writer is at work
		}
		return false, err
	}
	return true, os.Remove(name)
}
