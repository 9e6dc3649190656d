package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/payhooks/payhooks/internal/compile"
)

// Version names the schemas in fsys by their content: "sha256-" and
// the first 12 hex digits of a digest of every schema file's path and
// bytes. Examples and drift samples are not part of it.
func Version(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compile.IsSchemaFile(p) {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return err
	})
	return "sha256-" + hex.EncodeToString(h.Sum(nil))[:12], err
}
