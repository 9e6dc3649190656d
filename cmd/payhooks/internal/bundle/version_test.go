package bundle_test

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
)

// The version names the schema files' paths and bytes, nothing else.
func TestVersionNamesTheSchemasByTheirContent(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/acme.json":           {Data: []byte(`{"type": "object"}`)},
		"acme/examples/paid.json":  {Data: []byte(`{"id": "1"}`)},
		"acme/drift/paid-old.json": {Data: []byte(`{"id": 1}`)},
	}
	v, err := bundle.Version(fsys)
	require.NoError(t, err)
	assert.Regexp(t, `^sha256-[0-9a-f]{12}$`, v)

	fsys["acme/examples/paid.json"] = &fstest.MapFile{Data: []byte(`{"id": "2"}`)}
	same, err := bundle.Version(fsys)
	require.NoError(t, err)
	assert.Equal(t, v, same, "examples are not part of it")

	fsys["acme/acme.json"] = &fstest.MapFile{Data: []byte(`{"type": "object", "required": ["id"]}`)}
	changed, err := bundle.Version(fsys)
	require.NoError(t, err)
	assert.NotEqual(t, v, changed)
}
