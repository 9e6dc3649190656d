// Package corpus is, for tests, the payloads the bundled schemas come with:
// every provider's examples (clean) and its providers' own doc samples that
// drift (drift/, with what each must give in expected/).
package corpus

import (
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/payhooks/payhooks/schemas"
)

// File is one payload of the corpus.
type File struct {
	// Path is its path in schemas.FS ("rapyd/examples/PAYMENT_COMPLETED.json").
	Path string
	Data []byte
}

// The folders of a provider the corpus is in.
const (
	Examples = "examples"
	Drift    = "drift"
)

// Payloads returns the payloads in the given folders of every bundled
// provider (Examples, Drift), in path order.
func Payloads(t testing.TB, folders ...string) []File {
	t.Helper()
	var out []File
	err := fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains(folders, path.Base(path.Dir(p))) {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		out = append(out, File{Path: p, Data: data})
		return err
	})
	if err != nil {
		t.Fatalf("read the bundled corpus: %v", err)
	}
	return out
}
