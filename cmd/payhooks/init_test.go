package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// init scaffolds, from sample payloads alone, a provider that the other
// commands take as it is: validate finds every sample clean, generate
// writes a package that compiles and decodes them, export publishes it,
// and listen accepts a delivery signed with its scheme.
func TestSchemasInitScaffoldsAWorkingProvider(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := payhooks(t, "", nil, "schemas", "init", "-provider", "acme", "-signature", "ivy", "-out", dir, "testdata/init/acme")
	require.Equal(t, exitOK, code, stderr)
	for _, said := range []string{
		"discriminator /type: a string in every sample, whose 3 values split the 4 samples into events",
		"delivery id /id",
		`shared: data of "payment.failed", "payment.paid"`,
	} {
		assert.Contains(t, out, said)
	}
	for _, f := range []string{"acme.json", "events/payment.paid.json", "events/refund.created.json", "examples/payment.paid.json", "examples/payment.paid.2.json"} {
		assert.FileExists(t, filepath.Join(dir, "acme", f))
	}
	root, err := os.ReadFile(filepath.Join(dir, "acme", "acme.json"))
	require.NoError(t, err)
	assert.Contains(t, string(root), `"x-payhooks-timestamp": "unix-seconds"`)

	out, stderr, code = payhooks(t, "", nil, "validate", "-schemas", dir, filepath.Join(dir, "acme", "examples"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "4 payloads: 4 clean")

	gen := filepath.Join(t.TempDir(), "gen")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", dir, "-out", gen)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(gen, "acme", "payment_paid.go"))

	bundleDir := filepath.Join(t.TempDir(), "bundle")
	_, stderr, code = payhooks(t, "", nil, "schemas", "export", "-schemas", dir, "-out", bundleDir)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(bundleDir, "acme", "events", "payment.paid.json"))

	captured := t.TempDir()
	t.Setenv("PAYHOOKS_ACME_SECRET", "acme-secret")
	l := startListen(t, "-schemas", dir, "-dir", captured)
	stdout, stderr, code := send(t, nil, "-schemas", dir, "-provider", "acme", "-event", "refund.created", l.url)
	require.Equal(t, exitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "2xx 1")
	assert.Len(t, captures(t, captured), 1)
	// Captures are samples too: init reads them as validate does.
	out, stderr, code = payhooks(t, "", nil, "schemas", "init", "-provider", "acme2", "-signature", "ivy", "-out", t.TempDir(), captured)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, `events: "refund.created"`)

	// Again into the same folder: refused, unless -force.
	_, stderr, code = payhooks(t, "", nil, "schemas", "init", "-provider", "acme", "-signature", "ivy", "-out", dir, "testdata/init/acme")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "already holds files; pass -force")
}

func TestSchemasInitRefusals(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", `{"id": "1", "type": `)
	list := writeFile(t, dir, "list.json", `[1, 2]`)
	noid := writeFile(t, dir, "noid.json", `{"type": "a", "amount": 1}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-provider", "acme", "-signature", "hmac-md5", bad}, `-signature: unknown signature scheme "hmac-md5"`},
		{[]string{"-provider", "Acme Pay", "-signature", "ivy", bad}, "-provider:"},
		{[]string{"-provider", "acme", "-signature", "ivy", bad}, "bad.json: not a JSON object"},
		{[]string{"-provider", "acme", "-signature", "ivy", list}, "list.json: not a JSON object"},
		{[]string{"-provider", "acme", "-signature", "ivy", noid}, "pass -delivery-id"},
		{[]string{"-provider", "acme", "-signature", "ivy", "-discriminator", "type", noid}, `-discriminator "type": give a top-level member as a pointer`},
		{[]string{"-provider", "acme", "-signature", "ivy", "-delivery-id", "/amount", noid}, "-delivery-id /amount is not a string there"},
		{[]string{"-provider", "acme", "-signature", "ivy", filepath.Join(dir, "missing.json")}, "no such file"},
	} {
		_, stderr, code := payhooks(t, "", nil, append([]string{"schemas", "init", "-out", filepath.Join(dir, "out")}, tc.args...)...)
		assert.Equal(t, exitCantRun, code, strings.Join(tc.args, " "))
		assert.Contains(t, stderr, tc.want, strings.Join(tc.args, " "))
		assert.NoDirExists(t, filepath.Join(dir, "out", "acme"), "nothing written")
	}
}
