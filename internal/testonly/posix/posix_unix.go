//go:build unix

// Package posix does, for a test, what only a POSIX system can: set the
// file mode mask, make a named pipe, read a child's peak memory and this
// process's CPU time, end a child with its own children. Elsewhere the
// test that asks is skipped, with the reason, or gets the nearest thing.
package posix

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// OwnGroup has cmd start in a process group of its own, which KillGroup
// ends whole.
func OwnGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// KillGroup ends the process group of cmd (started with OwnGroup) at once,
// with SIGKILL, as a crash would.
func KillGroup(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

// CPUTime is the CPU time of this whole process so far, user and system,
// every thread: the garbage collector's work included.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
	return int64(usage.Maxrss) << 10, true // kB on Linux (an int32 on 32-bit systems)
}
