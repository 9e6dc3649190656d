package compile

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/schemas"
)

// CheckDocument refuses the $ref cycles a validator or kin-openapi recurses
// through without end, naming the $ref that closes them, and takes every
// recursion that descends into the value.
func TestCheckDocumentCycles(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"a oneOf that refers to itself": {
			`{"components": {"schemas": {"D": {"oneOf": [{"$ref": "#/components/schemas/D"}, {"type": "string"}]}}}}`,
			`#/components/schemas/D/oneOf/0/$ref: a $ref cycle (#/components/schemas/D → #/components/schemas/D/oneOf/0 → #/components/schemas/D) that never enters a member or an item`},
		"a $ref to itself": {
			`{"$defs": {"a": {"$ref": "#/$defs/a"}}}`,
			`#/$defs/a/$ref: a $ref cycle (#/$defs/a → #/$defs/a) that never enters`},
		"allOf through two schemas, typed": {
			`{"$defs": {"a": {"type": "object", "allOf": [{"$ref": "#/$defs/b"}]}, "b": {"type": "object", "allOf": [{"$ref": "#/$defs/a"}]}}}`,
			`/$ref: a $ref cycle (`},
		"not, to the document": {
			`{"type": "object", "properties": {"x": {"type": "string"}}, "not": {"$ref": "#"}}`,
			`#/not/$ref: a $ref cycle (# → #/not → #) that never enters`},
		"a percent-encoded reference": {
			`{"$defs": {"a b": {"anyOf": [{"$ref": "#/$defs/a%20b"}]}}}`,
			`#/$defs/a b/anyOf/0/$ref: a $ref cycle`},
		"properties, no schema with a type, in OpenAPI": {
			`{"openapi": "3.1.0", "$defs": {"node": {"properties": {"child": {"$ref": "#/$defs/node"}}}}}`,
			`#/$defs/node/properties/child/$ref: a $ref cycle (#/$defs/node → #/$defs/node/properties/child → #/$defs/node) that has no schema with a type, enum, const or required of its own`},
		"items, no schema with a type, in OpenAPI": {
			`{"openapi": "3.0.0", "components": {"schemas": {"A": {"items": {"$ref": "#/components/schemas/A"}}}}}`,
			`#/components/schemas/A/items/$ref: a $ref cycle`},
		"a root array that never enters an item": {
			`[{"anyOf": [{"$ref": "#/0"}]}]`,
			`#/0/anyOf/0/$ref: a $ref cycle`},
		// Only kin-openapi recurses through a typeless cycle: a JSON Schema
		// file may (the JSON-Schema-Test-Suite's "root pointer ref").
		"a JSON Schema file, no schema with a type": {`{"properties": {"foo": {"$ref": "#"}}, "additionalProperties": false}`, ""},
		"a tree with types":                         {`{"$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}`, ""},
		"a tree held by required":                   {`{"$defs": {"node": {"required": ["id"], "properties": {"child": {"$ref": "#/$defs/node"}}}}}`, ""},
		"the document, below a property":            {`{"type": "object", "properties": {"parent": {"$ref": "#"}}}`, ""},
		"a reference nowhere":                       {`{"$defs": {"a": {"oneOf": [{"$ref": "#/$defs/missing"}]}}}`, ""},
		"a reference to another file":               {`{"$defs": {"a": {"oneOf": [{"$ref": "other.json#/$defs/a"}]}}}`, ""},
		"an example that looks like a cycle":        {`{"$defs": {"a": {"type": "string", "examples": [{"oneOf": [{"$ref": "#/$defs/a/examples/0"}]}]}}}`, ""},
		"a property named like a keyword":           {`{"type": "object", "properties": {"not": {"type": "string"}, "oneOf": {"type": "string"}}}`, ""},
		"references in a chain, no cycle":           {`{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/c"}, "c": {"type": "string"}}}`, ""},
		"not JSON: the next parser says where":      {`{"$ref": `, ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckDocument([]byte(tc.doc))
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// Depth and size are read from the raw bytes, before anything parses them.
func TestCheckDocumentDepthAndSize(t *testing.T) {
	deep := "{\n\"x\": " + strings.Repeat(`{"a": `, 200) + "1" + strings.Repeat("}", 200) + "\n}"
	assert.EqualError(t, CheckDocument([]byte(deep)), "line 2 is nested more than 128 levels deep; payhooks reads schema files at most 128 levels deep (the schema engine's work grows with the cube of the depth)")
	big := []byte(`{"description": "` + strings.Repeat("x", MaxDocumentBytes) + `"}`)
	assert.EqualError(t, CheckDocument(big), "larger than 16 MiB; payhooks reads schema documents of at most 16 MiB")
	_, err := ReadDocument(fstest.MapFS{"p/big.json": {Data: big}}, "p/big.json")
	assert.EqualError(t, err, `load schema "p/big.json": larger than 16 MiB; payhooks reads schema documents of at most 16 MiB`)
}

// Every bundled schema file and OpenAPI document passes CheckDocument, so
// ReadDocument does not check them again at every start.
func TestBundledDocumentsPassCheckDocument(t *testing.T) {
	checked := 0
	err := fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !IsSchemaFile(p) {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		require.NoError(t, err)
		assert.NoError(t, CheckDocument(data), p)
		checked++
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 20)
}
