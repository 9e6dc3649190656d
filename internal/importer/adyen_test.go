package importer_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/internal/importer"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// Adyen's three published webhook documents, unchanged, import as
// providers: every example validates clean exactly when Python's
// jsonschema finds it valid against the unchanged document, the imported
// provider generates, and what import writes today is, byte for byte, the
// provider bundled in schemas/ (re-import to update it: schemas/README.md).
func TestAdyenDocumentsImport(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil || exec.Command(python, "-c", "import jsonschema").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with jsonschema is missing in CI: apt-get install python3-jsonschema")
		}
		t.Skip("python3 with jsonschema is not installed; CI installs it and runs this test")
	}
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

			out, err := exec.Command(python, filepath.Join("testdata", "adyen", "check.py"), file).Output()
			require.NoError(t, err)
			var valid map[string]bool
			require.NoError(t, json.Unmarshal(out, &valid))
			// The importer writes a webhook's examples in their keys' order:
			// <webhook>.json, <webhook>.2.json, …
			byHook := map[string][]string{}
			for key := range valid {
				hook, _, _ := strings.Cut(key, " ")
				byHook[hook] = append(byHook[hook], key)
			}
			for hook, keys := range byHook {
				slices.Sort(keys)
				for i, key := range keys {
					name := path.Join(bundled.name, "examples", hook+".json")
					if i > 0 {
						name = path.Join(bundled.name, "examples", fmt.Sprintf("%s.%d.json", hook, i+1))
					}
					content, ok := r.Files[name]
					require.True(t, ok, "%s: %s", key, name)
					res := v.Check(validate.Payload{Source: name, Body: content})
					assert.Equal(t, hook, res.Event, name)
					assert.Equal(t, valid[key], len(res.Findings) == 0, "%s: python jsonschema says valid=%v, payhooks %+v", key, valid[key], res.Findings)
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
