package main

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/schemas"
)

// hostile is an event name or id that clears the screen, forges a line of
// its own and reverses what follows it.
const hostile = "evil\x1b[2J\nFORGED line\u202eesrever"

// assertEscaped checks that output holds nothing a terminal acts on but
// line breaks and tabs, and no line the input forged.
func assertEscaped(t *testing.T, what, output string) {
	t.Helper()
	for _, r := range output {
		if r != '\n' && r != '\t' {
			assert.False(t, unicode.IsControl(r) || unicode.Is(unicode.Cf, r), "%s prints %U raw:\n%s", what, r, output)
		}
	}
	for _, line := range strings.Split(output, "\n") {
		assert.False(t, strings.HasPrefix(strings.TrimSpace(line), "FORGED"), "%s prints a forged line: %q", what, line)
	}
	assert.Contains(t, output, `evil\x1b[2J\nFORGED line\u202eesrever`, "%s prints the name, escaped", what)
}

// Every command prints what came from input by one rule (package
// safetext): learn's event names, import's webhook names, init's events,
// send's event and delivery id from -file.
func TestCommandsEscapeWhatTheyPrint(t *testing.T) {
	dir := t.TempDir()
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	doc["type"] = hostile
	payload, err := json.Marshal(doc)
	require.NoError(t, err)
	learnInput := writeFile(t, dir, "learn.json", string(payload))
	stdout, stderr, code := payhooks(t, "", nil, "schemas", "learn", learnInput)
	require.Equal(t, exitOK, code, stderr)
	assertEscaped(t, "schemas learn", stdout+stderr)

	name, err := json.Marshal(hostile)
	require.NoError(t, err)
	document := writeFile(t, dir, "hooks.json", `{
  "openapi": "3.1.0", "info": {"title": "Hooks", "version": "1"},
  "webhooks": {`+string(name)+`: {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}, "example": {"id": "1", "type": `+string(name)+`}}}}, "responses": {"200": {"description": "OK"}}}}},
  "components": {"schemas": {"E": {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": [`+string(name)+`]}}}}}
}`)
	stdout, stderr, code = payhooks(t, "", nil, "schemas", "import", "-provider", "hooks", "-signature", "ivy", "-out", filepath.Join(dir, "schemas"), document)
	require.Equal(t, exitOK, code, stderr)
	assertEscaped(t, "schemas import", stdout+stderr)

	sample := writeFile(t, dir, "sample.json", `{"id": "evt_1", "type": `+string(name)+`, "amount": 1}`)
	stdout, stderr, code = payhooks(t, "", nil, "schemas", "init", "-provider", "acme", "-signature", "ivy", "-out", filepath.Join(dir, "schemas"), sample)
	require.Equal(t, exitOK, code, stderr)
	assertEscaped(t, "schemas init", stdout+stderr)

	receiver := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer receiver.Close()
	delivery := writeFile(t, dir, "delivery.json", `{"event_name": `+string(name)+`, "webhook_notification_id": `+string(name)+`}`)
	stdout, stderr, code = payhooks(t, "", []string{"PAYHOOKS_FINMO_TOKEN=t"}, "send", "-provider", "finmo", "-file", delivery, receiver.URL)
	require.Equal(t, exitOK, code, stderr)
	assertEscaped(t, "send -file", stdout+stderr)
}
