package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/deliveries"
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
	assert.Len(t, deliveries.Captures(t, captured), 1)
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

// The scaffolding command schemas/README.md gives, run as printed in a
// folder holding samples/: the generic hmac scheme takes its parameters
// from the command line, and what it writes is received signed that way.
func TestSchemasReadmeScaffoldsAnHMACProvider(t *testing.T) {
	readme := string(must(os.ReadFile("../../schemas/README.md")))
	_, section, ok := strings.Cut(readme, "## Add a provider")
	require.True(t, ok)
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(section)
	require.NotNil(t, block)
	line := strings.TrimSpace(block[1])
	require.True(t, strings.HasPrefix(line, "payhooks schemas init ") && strings.Contains(line, "-signature hmac"), line)

	dir := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(dir, "samples"), os.DirFS("testdata/init/acme")))
	out, stderr, code := payhooksIn(t, dir, nil, strings.Fields(line)[1:]...)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "payhooks schemas init: ")
	root := string(must(os.ReadFile(filepath.Join(dir, "schemas", "acme", "acme.json"))))
	var doc struct {
		Provider struct {
			Signature json.RawMessage `json:"signature"`
		} `json:"x-payhooks-provider"`
	}
	require.NoError(t, json.Unmarshal([]byte(root), &doc))
	assert.JSONEq(t, `{"scheme": "hmac", "header": "X-Signature", "hmac": {"prefix": "sha256="}}`, string(doc.Provider.Signature))
	assert.NotContains(t, root, `"$id"`, "a user's schemas claim no domain")

	schemasDir := filepath.Join(dir, "schemas")
	_, stderr, code = payhooks(t, "", nil, "validate", "-schemas", schemasDir, filepath.Join(dir, "samples"))
	require.Equal(t, exitOK, code, stderr)
	// An event learned later is named as the folder names its files: no $id.
	disputed := writeFile(t, dir, "disputed.json", `{"id": "evt_9", "type": "refund.disputed", "created": 1700000400, "livemode": false}`)
	learned := filepath.Join(dir, "learned")
	_, stderr, code = payhooks(t, "", nil, "schemas", "learn", "-schemas", schemasDir, "-out", learned, disputed)
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, string(must(os.ReadFile(filepath.Join(learned, "acme", "events", "refund.disputed.json")))), `"$id"`)
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", schemasDir, "-out", filepath.Join(dir, "gen"))
	require.Equal(t, exitOK, code, stderr)

	t.Setenv("PAYHOOKS_ACME_SECRET", "acme-secret")
	l := startListen(t, "-schemas", schemasDir, "-provider", "acme", "-dir", filepath.Join(dir, "captures"))
	stdout, stderr, code := send(t, nil, "-schemas", schemasDir, "-provider", "acme", "-event", "payment.paid", l.url)
	require.Equal(t, exitOK, code, stdout+stderr)
	// The signature is the one the scheme declares: a hex HMAC-SHA256 of the
	// body after "sha256=", which a receiver told otherwise refuses.
	stdout, _, code = send(t, nil, "-schemas", schemasDir, "-provider", "acme", "-event", "payment.paid", "-hmac-encoding", "base64", l.url)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stdout, `401 acme payment.paid`)
	assert.Contains(t, stdout, `header "X-Signature" does not match the body`)
}

// The signature flags are checked as the scheme would be.
func TestSignatureFlags(t *testing.T) {
	samples := "testdata/init/acme"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"schemas", "init", "-provider", "acme", "-signature", "hmac", samples}, "-signature hmac needs -header"},
		{[]string{"schemas", "init", "-provider", "acme", "-signature", "hmac", "-header", "X-Sig", "-hmac-digest", "md5", samples}, `hmac digest "md5": use sha256 or sha512`},
		{[]string{"schemas", "init", "-provider", "acme", "-signature", "hmac", "-header", "X-Sig", "-hmac-message", "{nope}", samples}, "unknown field {nope}"},
		{[]string{"schemas", "init", "-provider", "acme", "-signature", "ivy", "-hmac-key", "hex", samples}, `the -hmac-… flags declare the generic hmac scheme; "ivy" has parameters of its own`},
		{[]string{"schemas", "import", "-provider", "acme", "-signature", "hmac", "x.yaml"}, "-signature hmac needs -header"},
		{[]string{"send", "-event", "checkout.paid", "-hmac-prefix", "v1=", "http://127.0.0.1:1"}, "-provider is required"},
		{[]string{"send", "-provider", "tazapay", "-event", "checkout.paid", "-hmac-prefix", "v1=", "http://127.0.0.1:1"}, `"tazapay" has parameters of its own`},
		{[]string{"listen", "-dir", t.TempDir(), "-signature", "hmac", "-header", "X-Sig"}, "-signature and its flags replace one provider's scheme: name it with -provider"},
	} {
		if tc.args[0] == "schemas" {
			tc.args = append(tc.args, "-out", t.TempDir())
		}
		_, stderr, code := payhooks(t, "", nil, tc.args...)
		assert.Equal(t, exitCantRun, code, strings.Join(tc.args, " "))
		assert.Contains(t, stderr, tc.want, strings.Join(tc.args, " "))
	}
}

// payhooksIn runs the built binary in dir.
func payhooksIn(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

// A provider of one's own beside the bundled ones: -schemas bundled
// -schemas DIR serves, validates and generates both, and a provider given
// twice is refused.
func TestOwnProvidersBesideTheBundledOnes(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := payhooks(t, "", nil, "schemas", "init", "-provider", "acme", "-signature", "ivy", "-out", dir, "testdata/init/acme")
	require.Equal(t, exitOK, code, stderr)

	stdout, stderr, code := payhooks(t, "", nil, "validate", "-schemas", "bundled", "-schemas", dir, "testdata/init/acme", "../../schemas/rapyd/examples")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "12 payloads: 12 clean")

	gen := filepath.Join(t.TempDir(), "gen")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", "bundled", "-schemas", dir, "-out", gen, "-providers", "acme,rapyd")
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(gen, "acme", "events.go"))
	assert.FileExists(t, filepath.Join(gen, "rapyd", "events.go"))

	t.Setenv("PAYHOOKS_ACME_SECRET", "acme-secret")
	l := startListen(t, "-schemas", "bundled", "-schemas", dir, "-dir", t.TempDir())
	assert.Contains(t, l.logs(), "acme /acme")
	assert.Contains(t, l.logs(), "rapyd /rapyd")
	for _, args := range [][]string{{"-provider", "acme", "-event", "payment.paid"}, {"-provider", "rapyd", "-event", "PAYMENT_COMPLETED"}} {
		stdout, stderr, code := send(t, nil, append([]string{"-schemas", "bundled", "-schemas", dir}, append(args, l.url)...)...)
		assert.Equal(t, exitOK, code, stdout+stderr)
	}

	_, stderr, code = payhooks(t, "", nil, "validate", "-schemas", "bundled", "-schemas", "../../schemas", "testdata/init/acme")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, `provider "adyenpayment" is in both bundled and ../../schemas; give it once`)
}
