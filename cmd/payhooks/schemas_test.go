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

func TestSchemasExport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bundle")
	stdout, stderr, code := payhooks(t, "", nil, "schemas", "export", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `^payhooks schemas export: 86 files in .* \(version sha256-[0-9a-f]{12}\)\n$`, stdout) // 36 events and 3 envelopes in two flavours, 7 OpenAPI documents, index.json
	var index struct {
		Version   string `json:"version"`
		Providers []struct {
			Name    string `json:"name"`
			OpenAPI string `json:"openapi"`
			Events  []struct{ Name, Schema string }
		} `json:"providers"`
	}
	require.NoError(t, json.Unmarshal(must(os.ReadFile(filepath.Join(out, "index.json"))), &index))
	// The version is the schemas': the same schemas, the same version, and
	// an edited schema another one.
	assert.Regexp(t, `^sha256-[0-9a-f]{12}$`, index.Version)
	assert.Contains(t, stdout, index.Version)
	edited := t.TempDir()
	require.NoError(t, os.CopyFS(edited, os.DirFS("../../schemas")))
	again, _, code := payhooks(t, "", nil, "schemas", "export", "-schemas", edited, "-out", filepath.Join(t.TempDir(), "b"))
	require.Equal(t, 0, code)
	assert.Contains(t, again, "(version "+index.Version+")")
	rapyd := filepath.Join(edited, "rapyd", "rapyd.json")
	require.NoError(t, os.WriteFile(rapyd, append(must(os.ReadFile(rapyd)), '\n'), 0o644))
	again, _, code = payhooks(t, "", nil, "schemas", "export", "-schemas", edited, "-out", filepath.Join(t.TempDir(), "b"))
	require.Equal(t, 0, code)
	assert.NotContains(t, again, index.Version)
	require.Len(t, index.Providers, 7)
	assert.Equal(t, "adyenpayment", index.Providers[0].Name)
	assert.Equal(t, "adyenpayment/openapi.json", index.Providers[0].OpenAPI)
	for _, p := range index.Providers {
		assert.FileExists(t, filepath.Join(out, p.OpenAPI))
		for _, e := range p.Events {
			assert.FileExists(t, filepath.Join(out, e.Schema), "paths are relative to the bundle")
		}
	}

	// A folder that holds files is refused unless -force.
	_, stderr, code = payhooks(t, "", nil, "schemas", "export", "-out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "already holds files; pass -force")
	// -force replaces what an export wrote (what its index.json lists) and
	// nothing else.
	mine := writeFile(t, out, "finmo/notes.txt", "mine")
	gone := writeFile(t, out, "finmo/events/CHECKOUT_GONE.json", "{}")
	indexPath := filepath.Join(out, "index.json")
	listed := strings.Replace(string(must(os.ReadFile(indexPath))), `"finmo/events/CHECKOUT_COMPLETED.json"`, `"finmo/events/CHECKOUT_GONE.json"`, 1)
	require.NoError(t, os.WriteFile(indexPath, []byte(listed), 0o644))
	_, stderr, code = payhooks(t, "", nil, "schemas", "export", "-out", out, "-force", "-strip-extensions", "-version", "2.0.0", "-changelog-from", out)
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, mine, "-force keeps what the export did not write")
	assert.NoFileExists(t, gone, "and removes what an earlier export wrote, which this one does not")
	assert.NotContains(t, string(must(os.ReadFile(filepath.Join(out, "finmo", "openapi.json")))), "x-payhooks-")
	assert.Contains(t, string(must(os.ReadFile(filepath.Join(out, "CHANGELOG.md")))), "# payhooks schemas "+index.Version+" → 2.0.0")
	siblings, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, siblings, 1, "no temporary folder left behind")

	// A failed export writes nothing.
	bad := t.TempDir()
	writeFile(t, bad, "acme/acme.json", `{"x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"}, "$ref": "https://example.com/x.json"}`)
	target := filepath.Join(t.TempDir(), "never")
	_, stderr, code = payhooks(t, "", nil, "schemas", "export", "-schemas", bad, "-out", target)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "leaves the schema folder")
	assert.NoDirExists(t, target)
}

func TestSchemasDiff(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old")
	_, _, code := payhooks(t, "", nil, "schemas", "export", "-out", old)
	require.Equal(t, 0, code)
	newer := t.TempDir()
	require.NoError(t, os.CopyFS(newer, os.DirFS(old)))
	p := filepath.Join(newer, "rapyd", "events", "PAYMENT_COMPLETED.strict.json")
	edited := strings.Replace(string(must(os.ReadFile(p))), `"CRE"`, `"CRE", "PEN"`, 1)
	require.NoError(t, os.WriteFile(p, []byte(edited), 0o644))

	stdout, _, code := payhooks(t, "", nil, "schemas", "diff", old, newer)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "## Warning\n\n- **rapyd PAYMENT_COMPLETED** `/data/status`: new enum value \"PEN\"")
	_, _, code = payhooks(t, "", nil, "schemas", "diff", "-fail-on", "warning", old, newer)
	assert.Equal(t, 1, code)
	_, _, code = payhooks(t, "", nil, "schemas", "diff", "-fail-on", "breaking", old, newer)
	assert.Equal(t, 0, code)
	stdout, _, code = payhooks(t, "", nil, "schemas", "diff", "-format", "json", old, newer)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, `"severity": "warning"`)
	_, _, code = payhooks(t, "", nil, "schemas", "diff", old)
	assert.Equal(t, 2, code)
	_, _, code = payhooks(t, "", nil, "schemas", "frobnicate")
	assert.Equal(t, 2, code)
}
