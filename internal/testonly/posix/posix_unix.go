//go:build unix

// Package posix does, for a test, what only a POSIX system can: set the
// file mode mask, make a named pipe, read a child's peak memory. Elsewhere
// the test that asks is skipped, with the reason.
package posix

import (
	"os"
	"syscall"
	"testing"
)

// SetUmask sets the umask to mask until the test ends.
func SetUmask(t testing.TB, mask int) {
	t.Helper()
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// Mkfifo makes a named pipe at path.
func Mkfifo(t testing.TB, path string) error {
	t.Helper()
	return syscall.Mkfifo(path, 0o644)
}

// PeakRSS is the peak resident memory of a process that has ended, in
// bytes (false where the system does not say).
func PeakRSS(state *os.ProcessState) (int64, bool) {
	usage, ok := state.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return usage.Maxrss << 10, true // kB on Linux
}
