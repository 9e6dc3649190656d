//go:build !unix

package capture

import (
	"os"
	"time"
)

// lockInFlight does nothing where flock is not available.
func lockInFlight(*os.File) error { return nil }

// removeAbandoned, without locks to ask, removes only temporary files no
// writer has touched for abandonedAfter.
func removeAbandoned(name string) (bool, error) {
	info, err := os.Stat(name)
	if err != nil || time.Since(info.ModTime()) < abandonedAfter {
		return false, err
	}
	return true, os.Remove(name)
}
