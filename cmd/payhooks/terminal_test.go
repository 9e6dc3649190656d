package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onTerminal runs payhooks on a pseudo-terminal (util-linux script) and
// returns what the terminal showed.
func onTerminal(t *testing.T, env []string, args ...string) string {
	t.Helper()
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("script (util-linux) is missing in CI")
		}
		t.Skip("script (util-linux) is not installed")
	}
	cmd := exec.Command(scriptBin, "-qec", binary+" "+strings.Join(args, " "), "/dev/null")
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// Colour on a terminal, never with NO_COLOR, never into a pipe (see
// TestValidateColour).
func TestValidateColourOnATerminal(t *testing.T) {
	out := onTerminal(t, []string{"NO_COLOR="}, "validate", examples+"/tazapay/drift")
	require.Contains(t, out, "type_mismatch")
	assert.Contains(t, out, "\x1b[31mbreaking", "breaking findings in red on a terminal")
	out = onTerminal(t, []string{"NO_COLOR=1"}, "validate", examples+"/tazapay/drift")
	require.Contains(t, out, "type_mismatch")
	assert.NotContains(t, out, "\x1b[31m", "NO_COLOR turns colour off")
	out = onTerminal(t, []string{"NO_COLOR=", "TERM=dumb"}, "validate", examples+"/tazapay/drift")
	require.Contains(t, out, "type_mismatch")
	assert.NotContains(t, out, "\x1b[31m", "a dumb terminal gets no colour")
	out = onTerminal(t, []string{"NO_COLOR="}, "validate", "-color", "never", examples+"/tazapay/drift")
	assert.NotContains(t, out, "\x1b[31m", "-color never")
}

// A long run shows a progress line on stderr when it is a terminal.
func TestValidateProgressOnATerminal(t *testing.T) {
	body := compact(t, readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")) + "\n"
	big := writeFile(t, t.TempDir(), "many.ndjson", strings.Repeat(body, 8000))
	out := onTerminal(t, nil, "validate", "-engine", "reference", "-workers", "1", big)
	assert.Contains(t, out, "8000 payloads: 8000 clean")
	assert.Regexp(t, `validated \d+ payloads \(\d+/s\)`, out)
}
