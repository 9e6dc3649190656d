package bundle_test

import (
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
)

// An imported OpenAPI document's schemas carry OpenAPI's "example" and
// "discriminator" and the provider's own x- keywords: the exported JSON
// Schema says "examples", and index.json lists every keyword a strict tool
// must be told of; a property called "example" stays a property.
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
	assert.Subset(t, index.Extensions, []string{"discriminator", "x-addedInVersion", "x-payhooks-event"})
	assert.NotContains(t, index.Extensions, "example", "translated, not listed")

	var event map[string]any
	require.NoError(t, json.Unmarshal(files[index.Providers[0].Events[0].Schema], &event))
	props := event["properties"].(map[string]any)
	require.Contains(t, props, "example", "a property's name is not a keyword")
	assert.Equal(t, []any{"a property named example"}, props["example"].(map[string]any)["examples"])
	assert.NotContains(t, props["example"], "example")
	card := event["$defs"].(map[string]any)["Card"].(map[string]any)
	assert.Equal(t, []any{map[string]any{"kind": "visa"}}, card["examples"], "a value is copied as it is")
}
