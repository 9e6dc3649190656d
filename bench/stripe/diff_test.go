package stripebench

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A real provider change: the document stripe-mock v0.162.0 embeds (API
// version 2022-11-15, no event tags: its events come from v0.203.0's with
// -events-from, those whose resources it describes) against v0.203.0's,
// imported, exported and compared with the commands a user runs (schemas
// import, export and diff: their libraries are the CLI's own). The counts
// by class are the README's; the changelog is written to
// .docs/stripe-changelog.md.
func TestChangelogFromV0162(t *testing.T) {
	bin, err := payhooksBin()
	require.NoError(t, err)
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).Output()
		var exit *exec.ExitError
		errors.As(err, &exit)
		require.NoError(t, err, "payhooks %v: %s", args, exitStderr(exit))
		return string(out)
	}
	_, err = os.Stat(olderFile)
	require.NoError(t, err, "make stripe-import writes it")
	tmp := t.TempDir()
	older := filepath.Join(tmp, "older")
	notes := run("schemas", "import", "-provider", "stripe", "-signature", "stripe", "-events-from", specFile, "-out", older, olderFile)
	assert.Contains(t, notes, "events: taken from the other document (this one tags none): 254 of 303, those whose resources this document describes")
	oldBundle, newBundle := filepath.Join(tmp, "old-bundle"), filepath.Join(tmp, "new-bundle")
	run("schemas", "export", "-schemas", older, "-out", oldBundle)
	run("schemas", "export", "-schemas", schemaDir, "-out", newBundle)
	var diff struct {
		Changes []struct{ Severity, Provider, Event, Pointer, Message string }
	}
	require.NoError(t, json.Unmarshal([]byte(run("schemas", "diff", "-format", "json", oldBundle, newBundle)), &diff))
	bySeverity, added := map[string]int{}, 0
	for _, c := range diff.Changes {
		bySeverity[c.Severity]++
		if c.Message == "event added" {
			added++
		}
	}
	t.Logf("%d changes: %v; %d events added", len(diff.Changes), bySeverity, added)
	assert.Equal(t, map[string]int{"breaking": 86062, "warning": 84182, "info": 77744}, bySeverity, "the counts the README gives")
	assert.Equal(t, 49, added)
	assert.Contains(t, diff.Changes, struct{ Severity, Provider, Event, Pointer, Message string }{"breaking", "stripe", "payment_intent.succeeded", "/data/object/customer/discount/coupon", "property removed"})
	require.NoError(t, os.WriteFile(".docs/stripe-changelog.md", []byte(run("schemas", "diff", oldBundle, newBundle)), 0o644))
}

// exitStderr is what a failed command printed on stderr.
func exitStderr(err *exec.ExitError) string {
	if err == nil {
		return ""
	}
	return string(err.Stderr)
}
