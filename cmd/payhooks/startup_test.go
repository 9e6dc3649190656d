package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// validate checks and compiles only the providers its payloads come from:
// a -schemas folder with a broken provider validates the other's payloads,
// and a payload of the broken one stops the run (exit 2) with one line
// saying what is wrong, however many such payloads there are.
func TestValidateCompilesOnlyTheProvidersUsed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "acme/acme.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Acme", "description": "Acme.",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id", "signature": {"scheme": "ivy"}},
  "type": "object", "required": ["id", "type"], "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`)
	writeFile(t, dir, "acme/events/paid.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid", "type": "object"}`)
	writeFile(t, dir, "bust/bust.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Bust", "description": "Broken.",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/kind"}, "delivery_id": "/id", "signature": {"scheme": "ivy"}},
  "type": "object", "properties": {"id": {"$ref": "#/$defs/missing"}}}`)
	writeFile(t, dir, "bust/events/paid.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "bust.paid", "type": "object"}`)
	schemas := filepath.Join(dir)
	acme := writeFile(t, dir, "in/acme.json", `{"id": "e1", "type": "paid"}`)
	_, stderr, code := payhooks(t, "", nil, "validate", "-schemas", schemas, acme)
	assert.Equal(t, exitOK, code, stderr)

	bust := writeFile(t, dir, "in/bust.ndjson", `{"id": "e2", "kind": "bust.paid"}`+"\n"+`{"id": "e3", "kind": "bust.paid"}`+"\n")
	_, stderr, code = payhooks(t, "", nil, "validate", "-schemas", schemas, acme, bust)
	assert.Equal(t, exitCantRun, code, stderr)
	assert.Equal(t, 1, strings.Count(stderr, "payhooks validate: compile"), "said once: %s", stderr)
	assert.Contains(t, stderr, `payhooks validate: compile schema "bust/bust.json"`)
}
