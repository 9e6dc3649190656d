package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// import takes a provider's OpenAPI document as it is: validate finds its
// examples clean, generate writes its package (two webhooks sharing one
// request schema included), and the decisions are written beside it.
func TestSchemasImportTakesAnOpenAPIDocument(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join("internal", "importer", "testdata", "shop31.json")
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

// Adyen's Balance Platform Accounting v3 document contradicts itself: both
// its examples lack the counterparty its schema requires. Import takes it,
// keeps both examples as known drift with their findings and says how many;
// kin-openapi's check of examples, which aborted it with a 366-line dump,
// is payhooks' own job. A refusal is one or two lines, never the document.
func TestSchemasImportKeepsTheDocumentsContradictionsAsDrift(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join("internal", "importer", "testdata", "adyen", "BalancePlatformAccountingNotification-v3.json")
	out, stderr, code := payhooks(t, "", nil, "schemas", "import", "-provider", "adyenaccounting", "-signature", "adyen-hmac", "-delivery-id", "body", "-out", dir, doc)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "known drift: the example balancePlatform.transfer.created.json contradicts the schema (missing_required /data/counterparty")
	assert.Contains(t, out, "2 examples of 2 contradict the document's own schemas: kept in adyenaccounting/drift")
	for _, event := range []string{"created", "updated"} {
		expect, err := os.ReadFile(filepath.Join(dir, "adyenaccounting", "expected", "balancePlatform.transfer."+event+"-example.json"))
		require.NoError(t, err)
		assert.Contains(t, string(expect), `"pointer": "/data/counterparty",
      "kind": "missing_required"`)
	}
	out, stderr, code = payhooks(t, "", nil, "validate", "-schemas", dir, filepath.Join(dir, "adyenaccounting", "drift"))
	assert.Equal(t, exitFailed, code, stderr)
	assert.Contains(t, out, "2 payloads: 0 clean, 2 with findings")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", dir, "-out", filepath.Join(t.TempDir(), "gen"))
	require.Equal(t, exitOK, code, stderr)

	for name, bad := range map[string]string{
		"no info":         `{"openapi": "3.1.0", "webhooks": {"a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}, "components": {"schemas": {"A": {"type": "object", "properties": {"type": {"const": "a"}, "id": {"type": "string"}}}}}}`,
		"a broken schema": `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {"a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}, "responses": {"200": {"description": "ok"}}}}}, "components": {"schemas": {"A": {"type": "object", "properties": {"type": {"const": "a"}, "id": {"type": "string"}, "n": {"minimum": "one"}}}}}}`,
	} {
		file := writeFile(t, t.TempDir(), "bad.json", bad)
		_, stderr, code := payhooks(t, "", nil, "schemas", "import", "-provider", "acme", "-signature", "adyen-hmac", "-delivery-id", "body", "-out", dir, file)
		assert.Equal(t, exitCantRun, code, name)
		assert.LessOrEqual(t, strings.Count(strings.TrimSpace(stderr), "\n"), 1, "%s: %s", name, stderr)
		assert.NoDirExists(t, filepath.Join(dir, "acme"), name)
	}
}

// generate -openapi imports and generates in one step, deterministically,
// so -check holds on a second run; the committed copy is not needed.
func TestGenerateFromAnOpenAPIDocument(t *testing.T) {
	doc := filepath.Join("internal", "importer", "testdata", "shop30.yaml")
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
