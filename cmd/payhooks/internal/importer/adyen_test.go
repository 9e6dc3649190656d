package importer_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// Adyen's three published webhook documents, unchanged, import as
// providers: every example validates clean (as Python's jsonschema finds
// it against the unchanged document: differential_test.go), the imported
// provider generates, and what import writes today is, byte for byte, the
// provider bundled in schemas/ (re-import to update it: schemas/README.md).
func TestAdyenDocumentsImport(t *testing.T) {
	for doc, bundled := range map[string]struct{ name, id string }{
		"TokenizationNotification-v1.json":            {"adyentokenization", ""},
		"BalancePlatformPaymentNotification-v1.json":  {"adyenpayment", webhook.BodyDeliveryID},
		"BalancePlatformTransferNotification-v4.json": {"adyentransfer", webhook.BodyDeliveryID},
	} {
		t.Run(doc, func(t *testing.T) {
			file := filepath.Join("testdata", "adyen", doc)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			r, err := importer.Import(data, importer.Options{Name: bundled.name, Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}, DeliveryID: bundled.id})
			require.NoError(t, err)
			for name, content := range r.Files {
				inBundle, err := fs.ReadFile(schemas.FS, name)
				require.NoError(t, err, "schemas/%s", name)
				assert.Equal(t, string(content), string(inBundle), "schemas/%s is what import writes", name)
			}
			inBundle, err := fs.Glob(schemas.FS, bundled.name+"/*/*")
			require.NoError(t, err)
			for _, name := range inBundle {
				assert.Contains(t, r.Files, name, "schemas/%s comes from the document", name)
			}
			fsys := fstest.MapFS{}
			for p, content := range r.Files {
				fsys[p] = &fstest.MapFile{Data: content}
			}
			v, err := validate.New(fsys)
			require.NoError(t, err)
			for name, content := range r.Files {
				if strings.Contains(name, "/examples/") {
					res := v.Check(validate.Payload{Source: name, Body: content})
					assert.Empty(t, res.Findings, "%s: every example of the three documents is clean (TestVerdictsMatchPythonOnTheOriginalDocuments holds them to Python jsonschema)", name)
				}
			}

			files, err := generator.Generate(fsys, generator.Options{})
			require.NoError(t, err)
			n := 0
			for name := range files {
				if strings.HasSuffix(name, "Event.go") || strings.Contains(name, "/events.go") {
					n++
				}
			}
			assert.Positive(t, n, "an events file")
		})
	}
}
