package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/s3test"
)

// binary is the payhooks command built once for the tests that run it as a
// user would.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(measureEnv) != "" {
		os.Exit(measureChild())
	}
	dir, err := os.MkdirTemp("", "payhooks-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "payhooks")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build payhooks: " + err.Error())
	}
	code := m.Run()
	s3test.StopShared()
	os.RemoveAll(dir)
	removeReleasedModule()
	os.Exit(code)
}

// payhooks runs the built binary and returns stdout, stderr and the exit
// status.
func payhooks(t *testing.T, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}
