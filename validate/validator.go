package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/catalog"
)

// DefaultBaseURI is the URI a schema file is known by when it has no $id:
// this prefix and its path in the schema folder. Nothing is fetched from it.
const DefaultBaseURI = "https://payhooks.dev/schemas/"

// Validator holds the compiled schemas of one schema folder. It is safe for
// concurrent use.
type Validator struct {
	catalog   *catalog.Catalog
	providers []*provider
	shapes    shapeCache
}

type provider struct {
	*catalog.Provider
	// envelope validates any delivery of the provider; nil when the provider
	// has no schema shared by all its events (OpenAPI providers).
	envelope *jsonschema.Schema
	events   map[string]*jsonschema.Schema
}

// New compiles every schema in fsys.
func New(fsys fs.FS) (*Validator, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, err
	}
	return NewFromCatalog(cat)
}

// NewFromCatalog compiles the schemas a catalog lists.
func NewFromCatalog(cat *catalog.Catalog) (*Validator, error) {
	c, uris, err := NewCompiler(cat.FS)
	if err != nil {
		return nil, err
	}
	v := &Validator{catalog: cat}
	for _, p := range cat.Providers {
		cp := &provider{Provider: p, events: map[string]*jsonschema.Schema{}}
		if p.Kind == catalog.OpenAPI {
			if err := checkOpenAPI(cat.FS, p.Root); err != nil {
				return nil, fmt.Errorf("load provider %q: %w", p.Name, err)
			}
		} else {
			if cp.envelope, err = c.Compile(uris[p.Root]); err != nil {
				return nil, fmt.Errorf("compile schema %q: %w", p.Root, err)
			}
		}
		for _, ev := range p.Events {
			s, err := c.Compile(uris[ev.Schema] + "#" + ev.Pointer)
			if err != nil {
				return nil, fmt.Errorf("compile event %q of %q (%s#%s): %w", ev.Name, p.Name, ev.Schema, ev.Pointer, err)
			}
			cp.events[ev.Name] = s
		}
		v.providers = append(v.providers, cp)
	}
	return v, nil
}

// Catalog returns the inventory the validator was built from.
func (v *Validator) Catalog() *catalog.Catalog { return v.catalog }

func (v *Validator) provider(name string) *provider {
	for _, p := range v.providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// NewCompiler returns a JSON Schema compiler that knows every .json file
// of fsys that is a schema or an OpenAPI document (examples and drift samples
// are left out), under its $id or DefaultBaseURI plus its path, and that
// refuses to load anything else: a $ref leaving the folder is an error, never
// a fetch. Formats are asserted. The returned map gives each file's URI.
func NewCompiler(fsys fs.FS) (*jsonschema.Compiler, map[string]string, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("$ref to %q leaves the schema folder; payhooks never fetches schemas", u)
	}
	uris := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isSchemaFile(p) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return fmt.Errorf("load schema %q: %w", p, err)
		}
		uri := DefaultBaseURI + p
		if head.ID != "" {
			uri = head.ID
		}
		if prev, dup := reverseLookup(uris, uri); dup {
			return fmt.Errorf("load schema %q: $id %q is already used by %q", p, uri, prev)
		}
		if err := c.AddResource(uri, bytes.NewReader(data)); err != nil {
			return fmt.Errorf("load schema %q: %w", p, err)
		}
		uris[p] = uri
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, uris, nil
}

// isSchemaFile tells schema documents from payload samples by where they sit.
func isSchemaFile(p string) bool {
	dir, _ := splitDir(p)
	return len(p) > 5 && p[len(p)-5:] == ".json" && dir != "examples" && dir != "drift"
}

// splitDir returns the name of the folder holding p.
func splitDir(p string) (string, string) {
	i := len(p) - 1
	for i >= 0 && p[i] != '/' {
		i--
	}
	if i < 0 {
		return "", p
	}
	j := i - 1
	for j >= 0 && p[j] != '/' {
		j--
	}
	return p[j+1 : i], p[i+1:]
}

func reverseLookup(m map[string]string, value string) (string, bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m[k] == value {
			return k, true
		}
	}
	return "", false
}

// checkOpenAPI loads an OpenAPI document with kin-openapi, with external
// references off, and runs its validation.
func checkOpenAPI(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return fmt.Errorf("load OpenAPI %q: %w", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("validate OpenAPI %q: %w", name, err)
	}
	return nil
}
