package validate

import (
	"fmt"
	"io/fs"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// Validator holds the compiled schemas of one schema folder. It is safe for
// concurrent use.
type Validator struct {
	providers []*provider
	shapes    shapeCache
	engine    Engine
	// recursive says which compiled schemas recur (see ReferenceMaxDepth);
	// written while the validator is built, only read afterwards.
	recursive recursion
}

type provider struct {
	*catalog.Provider
	// envelope validates any delivery of the provider; nil when the provider
	// has no schema shared by all its events (OpenAPI providers).
	envelope *jsonschema.Schema
	events   map[string]*jsonschema.Schema
	fast     map[string]*fastEvent
}

// New compiles every schema of the schema folder fsys (one folder per
// provider, as package schemas embeds them). A folder payhooks' own tools
// have read already is not read again: fsys may be the catalog they read
// (a *catalog.Catalog is the fs.FS it was read from).
func New(fsys fs.FS, opts ...Option) (*Validator, error) {
	cat, read := fsys.(*catalog.Catalog)
	if !read {
		var err error
		if cat, err = catalog.Load(fsys); err != nil {
			return nil, err
		}
	}
	// Annotations: the x-payhooks keywords say which members are expected.
	c, err := compile.NewCompiler(cat.FS, compile.Options{Annotations: true})
	if err != nil {
		return nil, err
	}
	registerHolds(c.Compiler)
	v := &Validator{recursive: recursion{}}
	for _, opt := range opts {
		opt(v)
	}
	fc := newFastCompiler()
	for _, p := range cat.Providers {
		cp := &provider{Provider: p, events: map[string]*jsonschema.Schema{}, fast: map[string]*fastEvent{}}
		// An OpenAPI document is checked as a whole (package openapicheck)
		// by generate and the CLI; here its schemas compile like any other.
		if p.Kind != catalog.OpenAPI {
			if cp.envelope, err = c.CompileAt(p.Root, ""); err != nil {
				return nil, fmt.Errorf("compile schema %q: %w", p.Root, err)
			}
			v.recursive.recurs(cp.envelope)
		}
		for _, ev := range p.Events {
			s, err := c.CompileAt(ev.Schema, ev.Pointer)
			if err != nil {
				return nil, fmt.Errorf("compile event %q of %q (%s#%s): %w", ev.Name, p.Name, ev.Schema, ev.Pointer, err)
			}
			cp.events[ev.Name] = s
			v.recursive.recurs(s)
			node := fc.compile([]*jsonschema.Schema{s})
			if name, ok := jsonpointer.TopLevel(p.Addressing.Subject); ok {
				node = node.withRequired(name)
			}
			cp.fast[ev.Name] = &fastEvent{name: ev.Name, node: node}
		}
		v.providers = append(v.providers, cp)
	}
	return v, nil
}

func (v *Validator) provider(name string) *provider {
	for _, p := range v.providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}
