package importer

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
)

var update = flag.Bool("update", false, "rewrite the generator's golden input from the importer")

// goldenDir is the generator's golden case for imported documents: its
// schemas/ is what the importer writes, its want/ what generate makes of
// that (TestGolden in ./generator compares, vets and compiles it).
const goldenDir = "../../../../generator/testdata/golden/imported/schemas"

// The three small documents (3.1 with two webhooks sharing one request
// schema, additionalProperties: false and a discriminator not marked
// required; 3.0 YAML with x-webhooks and nullable; 3.0 with events as
// tagged components, testdata/README.md) are the generator's golden input,
// as the importer writes them today. go test
// ./cmd/payhooks/internal/importer -update rewrites them; then go test ./generator
// -update regenerates want/.
func TestImportedGoldenInputIsCurrent(t *testing.T) {
	got := map[string][]byte{}
	for doc, opts := range map[string]Options{
		"shop31.json":     {Name: "shop31", Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}},
		"shop30.yaml":     {Name: "shop30", Signature: webhook.Scheme{Name: webhook.SchemeIvy}},
		"components.json": {Name: "acme", Signature: webhook.Scheme{Name: webhook.SchemeStripe}, Fixtures: read(t, "components-fixtures.json")},
	} {
		r, err := Import(read(t, doc), opts)
		require.NoError(t, err)
		for name, data := range r.Files {
			got[name] = data
		}
	}
	if *update {
		require.NoError(t, os.RemoveAll(goldenDir))
		for name, data := range got {
			p := filepath.Join(goldenDir, name)
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, data, 0o644))
		}
	}
	onDisk := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(goldenDir, p)
		onDisk[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	}))
	assert.Equal(t, len(got), len(onDisk), "the golden input's files")
	for name, data := range got {
		assert.Equal(t, string(data), string(onDisk[name]), "%s: the golden input is stale (go test ./cmd/payhooks/internal/importer -update, then go test ./generator -update)", name)
	}
}
