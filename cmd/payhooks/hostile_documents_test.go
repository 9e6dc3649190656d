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

// hostileDocument is an OpenAPI webhooks document of one webhook, "paid",
// with extra components; withProvider adds the x-payhooks-provider a
// schema folder's copy carries.
func hostileDocument(t *testing.T, extra map[string]any, withProvider bool) []byte {
	t.Helper()
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Hostile", "version": "1"},
		"webhooks": map[string]any{"paid": map[string]any{"post": map[string]any{
			"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/Paid"}}}},
			"responses": map[string]any{"200": map[string]any{"description": "OK"}}}}},
	}
	schemas := map[string]any{"Paid": map[string]any{"type": "object", "required": []any{"id", "type"},
		"properties": map[string]any{"id": map[string]any{"type": "string"}, "type": map[string]any{"const": "paid"}}}}
	for k, v := range extra {
		schemas[k] = v
	}
	doc["components"] = map[string]any{"schemas": schemas}
	if withProvider {
		doc["x-payhooks-provider"] = map[string]any{"discriminator": map[string]any{"in": "body", "pointer": "/type"},
			"delivery_id": "/id", "signature": map[string]any{"scheme": "ivy"}}
	}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	return data
}

// deepProperties nests an object schema levels deep as raw JSON, as a
// hostile document would (encoding/json refuses to build it that deep).
func deepProperties(levels int) json.RawMessage {
	return json.RawMessage(strings.Repeat(`{"type": "object", "properties": {"p": `, levels) + `{"type": "string"}` + strings.Repeat(`}}`, levels))
}

// Documents that made a library recurse without end or take minutes: a
// $ref cycle inside oneOf (kin-openapi overflowed its stack on the
// component's example), one through properties on which no schema has a
// type, and schemas nested 400 and 3 000 levels deep (12 s; past 120 s and
// 518 MB). schemas import refuses each at once with one line naming the
// place, and every command that reads a schema folder holding one does the
// same: one line, no crash.
func TestHostileDocumentsAreRefusedByEveryCommand(t *testing.T) {
	documents := []struct {
		name  string
		extra map[string]any
		want  string
	}{
		{"a $ref cycle inside oneOf", map[string]any{"D": map[string]any{
			"oneOf": []any{map[string]any{"$ref": "#/components/schemas/D"}, map[string]any{"type": "string"}}, "example": "s"}},
			`#/components/schemas/D/oneOf/0/$ref: a $ref cycle (#/components/schemas/D → #/components/schemas/D/oneOf/0 → #/components/schemas/D) that never enters a member or an item`},
		{"a cycle through properties with no type", map[string]any{"Node": map[string]any{
			"properties": map[string]any{"child": map[string]any{"$ref": "#/components/schemas/Node"}}, "example": map[string]any{}}},
			`#/components/schemas/Node/properties/child/$ref: a $ref cycle`},
		{"400 nested properties", map[string]any{"Deep": deepProperties(400)}, `is nested more than 128 levels deep`},
		{"3 000 nested properties", map[string]any{"Deep": deepProperties(3000)}, `is nested more than 128 levels deep`},
	}
	payload := writeFile(t, t.TempDir(), "paid.json", `{"id": "evt_1", "type": "paid"}`)
	for _, doc := range documents {
		t.Run(doc.name, func(t *testing.T) {
			dir := t.TempDir()
			source := filepath.Join(dir, "hostile.json")
			require.NoError(t, os.WriteFile(source, hostileDocument(t, doc.extra, false), 0o644))
			out := filepath.Join(dir, "schemas")
			_, stderr, code, peak := payhooksMeasured(t, nil, "schemas", "import", "-provider", "hostile", "-signature", "ivy", "-out", out, source)
			assert.Equal(t, exitCantRun, code, stderr)
			assert.Contains(t, stderr, "payhooks schemas import: "+source+": ")
			assert.Contains(t, stderr, doc.want)
			assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %s", stderr)
			assert.NotContains(t, stderr, "goroutine")
			assert.Less(t, peak, int64(64<<20), "refused before any library builds the document")
			assert.NoDirExists(t, filepath.Join(out, "hostile"))

			// The same document in a schema folder, as a user or an older
			// import left it.
			folder := filepath.Join(dir, "folder")
			writeFile(t, folder, "hostile/openapi.json", string(hostileDocument(t, doc.extra, true)))
			for _, args := range [][]string{
				{"validate", "-schemas", folder, payload},
				{"generate", "-schemas", folder, "-out", filepath.Join(dir, "gen")},
				{"schemas", "export", "-schemas", folder, "-out", filepath.Join(dir, "export")},
				{"schemas", "learn", "-schemas", folder, payload},
				{"listen", "-schemas", folder, "-addr", "127.0.0.1:0", "-dir", filepath.Join(dir, "captures")},
				{"send", "-schemas", folder, "-provider", "hostile", "-event", "paid", "-file", payload, "http://127.0.0.1:1"},
			} {
				_, stderr, code, peak := payhooksMeasured(t, nil, args...)
				want := exitCantRun
				if args[0] == "generate" {
					want = exitFailed // as for every schema generate refuses
				}
				assert.Equal(t, want, code, "%v: %s", args, stderr)
				assert.Contains(t, stderr, `load schema "hostile/openapi.json": `, args)
				assert.Contains(t, stderr, doc.want, args)
				assert.NotContains(t, stderr, "goroutine", args)
				assert.Less(t, peak, int64(64<<20), args)
			}
		})
	}
}
