//go:build !unix

package capture

import (
	"os"
	"time"
)

// lockInFlight does nothing where flock is not available.
func lockInFlight(*os.File) error { return nil }

// removeAbandoned, without locks to ask, removes only temporary files no
// writer has touched for an hour, far longer than any write takes.
func removeAbandoned(name string) (bool, error) {
	info, err := os.Stat(name)
	if err != nil || time.Since(info.ModTime()) < time.Hour {
		return false, err
	}
	return true, os.Remove(name)
}
