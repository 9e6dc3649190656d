package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemas learn from the bundled drift samples: the review, the patch and
// the JSON, then the edited folder written, checked, learned from again
// in place with nothing left to change.
func TestSchemasLearn(t *testing.T) {
	drift := filepath.Join("..", "..", "schemas", "tazapay", "drift")
	stdout, stderr, code := payhooks(t, "", nil, "schemas", "learn", drift)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "8 payloads, 3 proposals: 1 would apply (with -out), 0 below -min-count 1, 2 for review by hand\n", "nothing is applied without -out")
	assert.Contains(t, stdout, "[review] tazapay checkout.paid /data/amount  type_mismatch", "a quoted amount the types read losslessly is for review")
	assert.Contains(t, stdout, "[review] tazapay checkout.paid /data/invoice_currency  constraint_violation")
	assert.Contains(t, stdout, "[apply] tazapay payment_attempt.requires_action /type  unknown_event")
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "providers.md"))
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.ReplaceAll(stdout, filepath.ToSlash(drift), "schemas/tazapay/drift"), "\n")
	if !strings.Contains(string(doc), strings.Join(lines[:12], "")) {
		t.Errorf("docs/providers.md's example is not this run's; replace it with:\n%s", strings.Join(lines[:12], ""))
	}

	stdout, stderr, code = payhooks(t, "", nil, "schemas", "learn", "-format", "patch", "-relax", drift)
	require.Equal(t, exitOK, code, stderr)
	var patches map[string][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &patches))
	assert.Contains(t, patches, "tazapay/tazapay.json")
	assert.Contains(t, patches, "tazapay/events/payment_attempt.requires_action.json")

	stdout, stderr, code = payhooks(t, "", nil, "schemas", "learn", "-format", "json", "-min-count", "2", drift)
	require.Equal(t, exitOK, code, stderr)
	var report struct {
		Payloads int `json:"payloads"`
		Summary  struct {
			Applied, BelowMinCount int
		} `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	assert.Equal(t, 8, report.Payloads)

	out := filepath.Join(t.TempDir(), "learned")
	_, stderr, code = payhooks(t, "", nil, "schemas", "learn", "-out", out, drift)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "1 file changed in "+out)
	assert.FileExists(t, filepath.Join(out, "tazapay", "events", "payment_attempt.requires_action.json"))
	assert.FileExists(t, filepath.Join(out, "finmo", "finmo.json"), "the whole folder")
	stdout, _, code = payhooks(t, "", nil, "validate", "-schemas", out, drift)
	assert.Equal(t, exitFailed, code, "the quoted amount (left for review) remains:\n%s", stdout)
	assert.Contains(t, stdout, "constraint_violation")
	assert.Contains(t, stdout, "type_mismatch")
	assert.NotContains(t, stdout, "unknown_event")

	// In place, again: learning twice changes nothing.
	var before []byte
	before, err = os.ReadFile(filepath.Join(out, "tazapay", "tazapay.json"))
	require.NoError(t, err)
	stdout, stderr, code = payhooks(t, "", nil, "schemas", "learn", "-schemas", out, "-out", out, drift)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "0 files changed")
	assert.Contains(t, stdout, "0 applied")
	after, err := os.ReadFile(filepath.Join(out, "tazapay", "tazapay.json"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))

	// From stdin, as validate reads it.
	body, err := os.ReadFile(filepath.Join(drift, "checkout.paid-old-shape.json"))
	require.NoError(t, err)
	stdout, stderr, code = payhooks(t, string(body), nil, "schemas", "learn", "-")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "1 payload, 2 proposals")
}

// Bad flags and unreadable input are refused, and -out is not touched.
func TestSchemasLearnRefusals(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"type": "checkout.paid",`)
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"schemas", "learn"}, "Usage: payhooks schemas learn"},
		{[]string{"schemas", "learn", "-format", "yaml", bad}, `-format: "yaml" is not text, json or patch`},
		{[]string{"schemas", "learn", "-min-count", "0", bad}, "-min-count: out of range; want 1 to"},
		{[]string{"schemas", "learn", "-schemas", filepath.Join(dir, "none"), bad}, "-schemas:"},
		{[]string{"schemas", "learn", "-out", out, filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"schemas", "learn", "-provider", "paypal", "-out", out, bad}, `-provider: unknown provider "paypal" (known: adyenpayment, `},
	} {
		_, stderr, code := payhooks(t, "", nil, tc.args...)
		assert.Equal(t, exitCantRun, code, "%v", tc.args)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
	}
	assert.NoDirExists(t, out)

	// A payload that is not JSON is named, and learned from no further.
	stdout, stderr, code := payhooks(t, "", nil, "schemas", "learn", bad)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "1 payload not learned from (not JSON, or too large), first "+bad)
}
