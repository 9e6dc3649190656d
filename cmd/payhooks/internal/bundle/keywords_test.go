package bundle_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
)

// An imported OpenAPI document's schemas carry OpenAPI's "example" and
// "discriminator" and the provider's own x- keywords: the exported JSON
// Schema says "examples" and leaves the others to openapi.json, so that
// index.json lists only payhooks' keywords; a property called "example"
// stays a property.
func TestExportTranslatesOpenAPIKeywords(t *testing.T) {
	fsys := fstest.MapFS{"acme/openapi.json": {Data: []byte(`{
  "openapi": "3.1.0", "info": {"title": "Acme", "version": "1"},
  "x-payhooks-provider": {"name": "acme", "discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "body", "signature": {"scheme": "adyen-hmac"}},
  "webhooks": {"paid": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Paid"}}}}, "responses": {"200": {"description": "ok"}}}}},
  "components": {"schemas": {"Paid": {
    "type": "object", "x-addedInVersion": "2",
    "properties": {
      "type": {"type": "string", "enum": ["paid"]},
      "example": {"type": "string", "example": "a property named example"},
      "card": {"oneOf": [{"$ref": "#/components/schemas/Card"}], "discriminator": {"propertyName": "kind"}}
    }
  }, "Card": {"type": "object", "properties": {"kind": {"type": "string"}}, "example": {"kind": "visa"}}}}
}`)}}
	cat, err := catalog.Load(fsys)
	require.NoError(t, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)

	var index bundle.Index
	require.NoError(t, json.Unmarshal(files["index.json"], &index))
	assert.Equal(t, bundle.Extensions, index.Extensions)

	var event map[string]any
	require.NoError(t, json.Unmarshal(files[index.Providers[0].Events[0].Schema], &event))
	assert.NotContains(t, event, "x-addedInVersion")
	assert.NotContains(t, event["properties"].(map[string]any)["card"], "discriminator")
	assert.Contains(t, string(files["acme/openapi.json"]), `"x-addedInVersion": "2"`, "the OpenAPI document keeps them")
	props := event["properties"].(map[string]any)
	require.Contains(t, props, "example", "a property's name is not a keyword")
	assert.Equal(t, []any{"a property named example"}, props["example"].(map[string]any)["examples"])
	assert.NotContains(t, props["example"], "example")
	card := event["$defs"].(map[string]any)["Card"].(map[string]any)
	assert.Equal(t, []any{map[string]any{"kind": "visa"}}, card["examples"], "a value is copied as it is")
}

// The exported schemas say what payhooks reads beyond JSON Schema: the
// subject required in both flavours, expected members required in the
// strict one only, closed objects open, and a union their closedness told
// apart an anyOf (tests of interop_test.go check the verdicts with ajv and
// Python's jsonschema).
func TestExportSaysWhatPayhooksReads(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)
	read := func(name string) map[string]any {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(files[name], &doc), name)
		return doc
	}
	var requires func(schema any, name string) bool
	requires = func(schema any, name string) bool {
		m, _ := schema.(map[string]any)
		for _, r := range asAny(m["required"]) {
			if r == name {
				return true
			}
		}
		for _, a := range asAny(m["allOf"]) {
			if requires(a, name) {
				return true
			}
		}
		return false
	}
	for _, file := range []string{"rapyd/events/PAYMENT_COMPLETED.json", "rapyd/events/PAYMENT_COMPLETED.strict.json", "rapyd/envelope.json", "finmo/events/CHECKOUT_COMPLETED.json", "tazapay/events/checkout.paid.strict.json"} {
		assert.True(t, requires(read(file), strings.Split(strings.TrimPrefix(cat.Provider(strings.Split(file, "/")[0]).Addressing.Subject, "/"), "/")[0]), "%s requires its subject", file)
	}
	payment := func(file string) any { return read(file)["$defs"].(map[string]any)["payment"] }
	assert.True(t, requires(payment("rapyd/events/PAYMENT_COMPLETED.strict.json"), "amount"), "the strict flavour requires the expected amount")
	assert.False(t, requires(payment("rapyd/events/PAYMENT_COMPLETED.json"), "amount"), "the default flavour does not")
	for _, file := range []string{"adyentransfer/events/balancePlatform.transfer.updated.json", "adyentransfer/events/balancePlatform.transfer.updated.strict.json", "adyentransfer/openapi.json"} {
		assert.False(t, strings.Contains(string(files[file]), `"additionalProperties": false`), "%s: closed objects open", file)
		assert.False(t, strings.Contains(string(files[file]), `"oneOf"`), "%s: unions told apart by closedness are anyOf", file)
	}
}

func asAny(v any) []any {
	l, _ := v.([]any)
	return l
}

// nestedSubject is a provider whose subject is below the top level, as
// Stripe's /data/object.
var nestedSubject = fstest.MapFS{
	"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id", "subject": "/data/object", "signature": {"scheme": "stripe"}},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"},
    "data": {"type": "object", "properties": {"object": {"type": "object"}, "previous_attributes": {"type": "object"}}}}}`)},
	"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid", "$ref": "../acme.json"}`)},
}

// A subject below the top level is required at each level in every
// exported schema, as payhooks reports each absent member on its path
// (missing_required, breaking): a tool that reads the exported schemas
// refuses a delivery without data.object, as payhooks does. Before, only
// data was required.
func TestExportRequiresEachLevelOfANestedSubject(t *testing.T) {
	cat, err := catalog.Load(nestedSubject)
	require.NoError(t, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)
	for _, name := range []string{"acme/events/paid.json", "acme/events/paid.strict.json", "acme/envelope.json", "acme/envelope.strict.json"} {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		url := "https://payhooks.dev/schemas/" + name
		require.NoError(t, c.AddResource(url, bytes.NewReader(files[name])), name)
		schema, err := c.Compile(url)
		require.NoError(t, err, name)
		for body, valid := range map[string]bool{
			`{"id": "1", "type": "paid", "data": {"object": {}}}`:              true,
			`{"id": "1", "type": "paid", "data": {"previous_attributes": {}}}`: false,
			`{"id": "1", "type": "paid"}`:                                      false,
		} {
			var v any
			require.NoError(t, json.Unmarshal([]byte(body), &v))
			if err := schema.Validate(v); valid {
				assert.NoError(t, err, "%s: %s", name, body)
			} else {
				assert.Error(t, err, "%s: %s", name, body)
			}
		}
	}
}
