//go:build !unix

package posix

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

// OwnGroup does nothing here: there are no process groups to start in.
func OwnGroup(*exec.Cmd) {}

// KillGroup ends cmd's process at once.
func KillGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

// CPUTime is 0 here: the rounds' CPU figures are POSIX systems' only.
func CPUTime() time.Duration { return 0 }

// SetUmask skips the test: there is no umask to set here.
func SetUmask(t testing.TB, mask int) {
	t.Helper()
	t.Skipf("no umask here to set to %#o", mask)
}

// Mkfifo skips the test: there are no named pipes here.
func Mkfifo(t testing.TB, path string) error {
	t.Helper()
	t.Skipf("no named pipe here to make at %s", path)
	return errors.ErrUnsupported
}

// PeakRSS says nothing here.
func PeakRSS(*os.ProcessState) (int64, bool) { return 0, false }
