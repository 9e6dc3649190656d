package compile

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ShapeOf merges along $ref and allOf: properties keep every schema that
// describes them, required names are sorted and unique, and openness is
// told apart from a closed object.
func TestShapeOfMergesAlongRefAndAllOf(t *testing.T) {
	fsys := fstest.MapFS{"p/s.json": {Data: []byte(`{
	  "$schema": "https://json-schema.org/draft/2020-12/schema",
	  "$defs": {
	    "base": {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "string"}, "type": {"type": "string"}}},
	    "open": {"allOf": [{"$ref": "#/$defs/base"}], "required": ["id"], "properties": {"id": {"minLength": 1}, "data": {"type": "object"}}, "additionalProperties": {"type": "string"}},
	    "closed": {"$ref": "#/$defs/base", "additionalProperties": false},
	    "list": {"type": "array", "prefixItems": [{"type": "string"}], "items": {"$ref": "#/$defs/base"}}
	  }
	}`)}}
	c, err := NewCompiler(fsys, Options{})
	require.NoError(t, err)
	at := func(ptr string) *Shape {
		s, err := c.CompileAt("p/s.json", ptr)
		require.NoError(t, err)
		return ShapeOf(s)
	}

	open := at("/$defs/open")
	assert.Len(t, open.Applied, 3, "open, its allOf entry and the $ref'd base")
	assert.Len(t, open.Properties["id"], 2, "declared in open and in base")
	assert.Len(t, open.Properties["data"], 1)
	assert.Equal(t, []string{"id", "type"}, open.Required)
	assert.True(t, open.Open)
	assert.False(t, open.Closed)
	assert.Len(t, open.Extra, 1)

	closed := at("/$defs/closed")
	assert.False(t, closed.Open)
	assert.True(t, closed.Closed)

	list := at("/$defs/list")
	assert.Len(t, list.Items, 1)
	require.Len(t, list.PrefixItems, 1)
	assert.Len(t, list.PrefixItems[0], 1)
}
