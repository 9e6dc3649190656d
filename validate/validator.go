package validate

import (
	"fmt"
	"io/fs"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// Validator holds the compiled schemas of one schema folder. It is safe for
// concurrent use.
type Validator struct {
	catalog   *catalog.Catalog
	providers []*provider
	shapes    shapeCache
	engine    Engine
	// lazy compiles each provider when a payload first needs it, after
	// checkProvider (Lazily).
	lazy          bool
	checkProvider func(provider string) error
	// mu guards the compilers and recursive, which providers compiled
	// lazily write while payloads of others are checked.
	mu       sync.RWMutex
	compiler *compile.Compiler
	fast     *fastCompiler
	// recursive says which compiled schemas recur (see ReferenceMaxDepth).
	recursive recursion
}

type provider struct {
	*catalog.Provider
	// known holds the names of the provider's events, which detection
	// reads before anything is compiled.
	known map[string]bool
	// once compiles what follows (err: why it could not be).
	once sync.Once
	err  error
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
	v := &Validator{catalog: cat, recursive: recursion{}}
	for _, opt := range opts {
		opt(v)
	}
	for _, p := range cat.Providers {
		cp := &provider{Provider: p, known: map[string]bool{}}
		for _, ev := range p.Events {
			cp.known[ev.Name] = true
		}
		v.providers = append(v.providers, cp)
	}
	if !v.lazy {
		if _, err := v.compilerOnce(); err != nil {
			return nil, err
		}
		for _, p := range v.providers {
			if err := v.compiled(p); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// Lazily has a validator compile a provider's schemas only when a payload
// first needs them, after check (which may be nil) has accepted the
// provider, given by name: what a command that checks a few payloads of one provider
// wants, since compiling every provider takes longer than checking
// thousands of payloads. A provider that does not compile makes Check
// return a result whose Err is a *SchemaError.
func Lazily(check func(provider string) error) Option {
	return func(v *Validator) { v.lazy, v.checkProvider = true, check }
}

// SchemaError says that a provider's schemas, compiled on first use
// (Lazily), could not be.
type SchemaError struct {
	Provider string
	Err      error
}

func (e *SchemaError) Error() string { return e.Err.Error() }
func (e *SchemaError) Unwrap() error { return e.Err }

// compiled compiles p once, and says why it could not.
func (v *Validator) compiled(p *provider) error {
	p.once.Do(func() {
		if p.err = v.compileProvider(p); p.err != nil && v.lazy {
			p.err = &SchemaError{Provider: p.Name, Err: p.err}
		}
	})
	return p.err
}

// Compile compiles the schemas of the provider named name now, for a
// validator built Lazily whose caller knows which providers it will use
// (listen, its served ones) and wants their errors at once.
func (v *Validator) Compile(name string) error {
	p := v.provider(name)
	if p == nil {
		return fmt.Errorf("unknown provider %q", name)
	}
	return v.compiled(p)
}

// compilerOnce returns the schema compiler, made on first use; the caller
// holds v.mu or is alone.
func (v *Validator) compilerOnce() (*compile.Compiler, error) {
	if v.compiler == nil {
		// Annotations: the x-payhooks keywords say which members are expected.
		c, err := compile.NewCompiler(v.catalog.FS, compile.Options{Annotations: true})
		if err != nil {
			return nil, err
		}
		registerHolds(c.Compiler)
		v.compiler, v.fast = c, newFastCompiler()
	}
	return v.compiler, nil
}

func (v *Validator) compileProvider(p *provider) error {
	if v.checkProvider != nil {
		if err := v.checkProvider(p.Name); err != nil {
			return err
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	c, err := v.compilerOnce()
	if err != nil {
		return err
	}
	events, fast := map[string]*jsonschema.Schema{}, map[string]*fastEvent{}
	// An OpenAPI document is checked as a whole (package openapicheck)
	// by generate and the CLI; here its schemas compile like any other.
	if p.Kind != catalog.OpenAPI {
		if p.envelope, err = c.CompileAt(p.Root, ""); err != nil {
			return fmt.Errorf("compile schema %q: %w", p.Root, err)
		}
		v.recursive.recurs(p.envelope)
	}
	for _, ev := range p.Events {
		s, err := c.CompileAt(ev.Schema, ev.Pointer)
		if err != nil {
			return fmt.Errorf("compile event %q of %q (%s#%s): %w", ev.Name, p.Name, ev.Schema, ev.Pointer, err)
		}
		events[ev.Name] = s
		v.recursive.recurs(s)
		node := v.fast.compile([]*jsonschema.Schema{s})
		if names, ok := jsonpointer.Tokens(p.Addressing.Subject); ok {
			node = node.withRequiredAt(names)
		}
		fast[ev.Name] = &fastEvent{name: ev.Name, node: node}
	}
	p.events, p.fast = events, fast
	return nil
}

func (v *Validator) provider(name string) *provider {
	for _, p := range v.providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}
