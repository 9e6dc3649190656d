package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// import takes a provider's OpenAPI document as it is: validate finds its
// examples clean, generate writes its package (two webhooks sharing one
// request schema included), and the decisions are written beside it.
func TestSchemasImportTakesAnOpenAPIDocument(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join("..", "..", "internal", "importer", "testdata", "shop31.json")
	out, stderr, code := payhooks(t, "", nil, "schemas", "import", "-provider", "shop", "-signature", "adyen-hmac", "-out", dir, doc)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "discriminator /type")
	// The document's own example with a member its schema closes out is
	// kept as known drift, with the finding it must keep giving.
	assert.Contains(t, out, "known drift: the example order.paid.json contradicts the schema (unknown_property /order/note")
	assert.FileExists(t, filepath.Join(dir, "shop", "expected", "order.paid-example.json"))
	notes, err := os.ReadFile(filepath.Join(dir, "shop", "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(notes), "additionalProperties: false in 2 schemas")

	out, stderr, code = payhooks(t, "", nil, "validate", "-schemas", dir, filepath.Join(dir, "shop", "examples"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "2 payloads: 2 clean")

	gen := filepath.Join(t.TempDir(), "gen")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", dir, "-out", gen)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(gen, "shop", "order_created.go"))
	assert.FileExists(t, filepath.Join(gen, "shop", "order_paid.go"))

	// A document the importer refuses leaves nothing behind.
	bad := writeFile(t, t.TempDir(), "bad.json", `{"openapi": "3.1.0", "webhooks": {"a": {"get": {}}}}`)
	_, stderr, code = payhooks(t, "", nil, "schemas", "import", "-provider", "other", "-signature", "ivy", "-out", dir, bad)
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "#/webhooks/a: no post operation")
	assert.NoDirExists(t, filepath.Join(dir, "other"))
}

// generate -openapi imports and generates in one step, deterministically,
// so -check holds on a second run; the committed copy is not needed.
func TestGenerateFromAnOpenAPIDocument(t *testing.T) {
	doc := filepath.Join("..", "..", "internal", "importer", "testdata", "shop30.yaml")
	out := filepath.Join(t.TempDir(), "gen")
	args := []string{"generate", "-openapi", doc, "-provider", "shop", "-signature", "ivy", "-out", out}
	_, stderr, code := payhooks(t, "", nil, args...)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(out, "shop", "refund_created.go"))
	_, stderr, code = payhooks(t, "", nil, append(args, "-check")...)
	assert.Equal(t, exitOK, code, stderr)

	_, stderr, code = payhooks(t, "", nil, "generate", "-openapi", doc, "-out", out)
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "-openapi: -provider and -signature are required")
	_, stderr, code = payhooks(t, "", nil, "generate", "-openapi", doc, "-provider", "shop", "-signature", "ivy", "-schemas", "x", "-out", out)
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, "leave out -schemas and -providers")
}
