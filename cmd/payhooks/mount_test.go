package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// mountTmpfs mounts a tmpfs of the given size (with extra mount options)
// for a test, as root. Where that is impossible the test is skipped on a
// developer's machine and fails in CI, which runs as root.
func mountTmpfs(t *testing.T, size string, options ...string) string {
	t.Helper()
	dir := t.TempDir()
	opts := "size=" + size
	for _, o := range options {
		opts += "," + o
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount tmpfs (CI runs as root and must be able to): %v: %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here (%v: %s); CI runs this test as root", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// readOnlyDir is a folder no one can write into, root included.
func readOnlyDir(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		dir := t.TempDir()
		require.NoError(t, os.Chmod(dir, 0o555))
		return dir
	}
	return mountTmpfs(t, "64k", "ro")
}
