// Package generator turns webhook schemas into Go: typed events, one package
// per provider, for go generate in a consumer repository.
//
// The pipeline shows in its folders: load reads JSON Schema and OpenAPI into
// the provider-neutral ir, sorted and collision-checked, and emit renders the
// ir with jennifer. Generate returns file contents keyed by path and writes
// nothing; the payhooks CLI writes them (or, with -check, compares them), so
// a failed generation never touches the output folder.
package generator

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/payhooks/payhooks/generator/emit"
	"github.com/payhooks/payhooks/generator/load"
)

// Options selects what Generate produces.
type Options = load.Options

// Generate reads the providers in fsys and returns their generated files,
// keyed by "<package>/<file>.go".
func Generate(fsys fs.FS, opts Options) (map[string][]byte, error) {
	providers, err := load.Load(fsys, opts)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range providers {
		files, err := emit.Provider(p)
		if err != nil {
			return nil, fmt.Errorf("generate provider %q: %w", p.Name, err)
		}
		for name, data := range files {
			out[path.Join(p.Package, name)] = data
		}
	}
	return out, nil
}
