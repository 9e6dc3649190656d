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
	"maps"
	"path"
	"slices"

	"github.com/payhooks/payhooks/generator/emit"
	"github.com/payhooks/payhooks/generator/ir"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
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
		// The schema files go beside the code, for its go:embed and drift
		// check, and the emitter lists each one it embeds.
		p.SchemaFiles, err = copySchemas(fsys, p, path.Join(p.Package, emit.SchemaDir), out)
		if err != nil {
			return nil, fmt.Errorf("generate provider %q: %w", p.Name, err)
		}
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

// copySchemas adds the provider's schema files (not its examples or drift
// samples) to out under dir, byte for byte, or cut down to the chosen
// events when only some are generated, and returns their paths below dir,
// sorted.
func copySchemas(fsys fs.FS, p *ir.Provider, dir string, out map[string][]byte) ([]string, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, p.Name, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compile.IsSchemaFile(name) {
			return err
		}
		if err := catalog.PortablePath(name); err != nil {
			return fmt.Errorf("schema file %q: the generated package embeds it, but %v: rename it", name, err)
		}
		files[name], err = fs.ReadFile(fsys, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.Selection != nil {
		if err := keepChosen(p, files); err != nil {
			return nil, err
		}
	}
	copied := slices.Sorted(maps.Keys(files))
	for _, name := range copied {
		out[path.Join(dir, name)] = files[name]
	}
	return copied, nil
}
