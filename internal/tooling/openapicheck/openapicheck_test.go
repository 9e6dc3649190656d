package openapicheck

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
)

// The bundled OpenAPI documents pass kin-openapi's validation (examples
// aside, which payhooks judges itself): checked here, so the CLI need not
// check them at every start.
func TestBundledDocumentsPassKinOpenAPI(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	checked := 0
	for _, p := range cat.Providers {
		if p.Kind == catalog.OpenAPI {
			assert.NoError(t, Check(cat.FS, p.Root), p.Name)
			checked++
		}
	}
	assert.GreaterOrEqual(t, checked, 4, "augustus and the three Adyen documents")
}

// A document kin-openapi refuses is refused in one line, naming it; an
// example its own schema refuses is not kin-openapi's to judge.
func TestCheckRefusesAnInvalidDocument(t *testing.T) {
	fsys := fstest.MapFS{"shop/openapi.json": {Data: []byte(`{"openapi": "3.1.0", "info": {"title": "shop", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "string", "pattern": "(("}}}}`)}}
	err := Check(fsys, "shop/openapi.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `validate OpenAPI "shop/openapi.json"`)
	assert.NotContains(t, err.Error(), "\n")
	fsys["shop/openapi.json"].Data = []byte(`{"openapi": "3.1.0", "info": {"title": "shop", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "string", "example": 7}}}}`)
	assert.NoError(t, Check(fsys, "shop/openapi.json"))
}
