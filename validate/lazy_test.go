package validate_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
)

// A validator built Lazily checks and compiles a provider only when a
// payload of it comes: a folder with a broken provider checks the other's
// payloads, and a payload of the broken one gets a SchemaError naming
// what is wrong, once checked. Built eagerly, the same folder is refused.
func TestLazilyCompilesOnlyTheProvidersUsed(t *testing.T) {
	broken := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Bust", "description": "Broken.",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/kind"}, "delivery_id": "/id"},
  "type": "object", "properties": {"id": {"$ref": "#/$defs/missing"}}}`
	fsys := fstest.MapFS{
		"acme/acme.json":        {Data: []byte(provider)},
		"acme/events/paid.json": event(`"type": "object", "properties": {"type": {"const": "paid"}}`),
		"bust/bust.json":        {Data: []byte(broken)},
		"bust/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "bust.paid", "type": "object"}`)},
	}
	_, err := validate.New(fsys)
	require.Error(t, err, "built eagerly, the broken provider is refused at once")

	var checked []string
	v, err := validate.New(fsys, validate.Lazily(func(provider string) error {
		checked = append(checked, provider)
		return nil
	}))
	require.NoError(t, err)
	r := v.Check(validate.Payload{Source: "a.json", Body: []byte(`{"id": "e1", "type": "paid"}`)})
	require.NoError(t, r.Err)
	assert.Equal(t, "acme", r.Provider)
	assert.Equal(t, "paid", r.Event)
	assert.Equal(t, []string{"acme"}, checked, "only the provider used is checked")

	for range 2 {
		r = v.Check(validate.Payload{Source: "b.json", Body: []byte(`{"id": "e2", "kind": "bust.paid"}`)})
		var schemaErr *validate.SchemaError
		require.True(t, errors.As(r.Err, &schemaErr), "%v", r.Err)
		assert.Equal(t, "bust", schemaErr.Provider)
		assert.Equal(t, "bust", r.Provider)
		assert.Contains(t, r.Err.Error(), "bust/bust.json")
	}
	assert.Equal(t, []string{"acme", "bust"}, checked, "each provider is checked once")
	require.Error(t, v.Compile("bust"))
	require.NoError(t, v.Compile("acme"))

	refused := errors.New("kin-openapi says no")
	v, err = validate.New(fsys, validate.Lazily(func(string) error { return refused }))
	require.NoError(t, err)
	r = v.Check(validate.Payload{Source: "a.json", Body: []byte(`{"id": "e1", "type": "paid"}`)})
	assert.ErrorIs(t, r.Err, refused, "what the check refuses is not compiled")
}
