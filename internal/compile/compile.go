// Package compile sets up the one JSON Schema engine payhooks uses
// (santhosh-tekuri/jsonschema/v5) over a folder of schemas: every schema file
// and OpenAPI document registered under its $id (or a URI made from its path),
// draft 2020-12, formats asserted, and a loader that refuses anything outside
// the folder, so a $ref can never reach the network. The validator compiles
// through it for validation; the generator compiles with Annotations on to
// read titles, descriptions and payhooks' x- keywords.
package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// DefaultBaseURI is the URI a schema file is known by when it has no $id:
// this prefix and its path in the schema folder. Nothing is fetched from it.
const DefaultBaseURI = "https://payhooks.dev/schemas/"

// Options tunes NewCompiler.
type Options struct {
	// Annotations keeps titles, descriptions and every "x-payhooks-…"
	// keyword in the compiled schemas (read them with Extensions).
	Annotations bool
}

// Compiler compiles the schemas of one folder.
type Compiler struct {
	*jsonschema.Compiler
	// URIs maps each registered file's path in the folder to its URI.
	URIs  map[string]string
	paths map[string]string // URI → path
}

// NewCompiler registers every .json file of fsys that is a schema or an
// OpenAPI document (files under examples/ and drift/ are payloads, not
// schemas) under its URI. A file is read, checked (ReadDocument) and parsed
// only when a schema compiled needs it, so compiling one provider's events
// costs nothing for the others' files.
func NewCompiler(fsys fs.FS, opts Options) (*Compiler, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.RegisterExtension("payhooks-empty-enum", nil, emptyEnumCompiler{})
	if opts.Annotations {
		c.ExtractAnnotations = true
		c.RegisterExtension("payhooks", jsonschema.MustCompileString("payhooks-extension-meta.json", "{}"), annotationCompiler{})
	}
	uris := map[string]string{}
	byURI := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !IsSchemaFile(p) {
			return nil
		}
		uri, err := uriOf(fsys, p)
		if err != nil {
			return err
		}
		if prev, dup := byURI[uri]; dup {
			return fmt.Errorf("load schema %q: $id %q is already used by %q", p, uri, prev)
		}
		uris[p], byURI[uri] = uri, p
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		p, ok := byURI[u]
		if !ok {
			return nil, fmt.Errorf("$ref to %q leaves the schema folder; payhooks never fetches schemas", u)
		}
		data, err := ReadDocument(fsys, p)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	return &Compiler{Compiler: c, URIs: uris, paths: byURI}, nil
}

// uriOf is the URI a schema file is known by: its top-level $id, or one
// made from its path. The $id is found without parsing the file, which
// may be large and is checked (ReadDocument) only when it is used.
func uriOf(fsys fs.FS, p string) (string, error) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return "", err
	}
	start, end, ok := jsonscan.First(data, "$id")
	if !ok {
		return DefaultBaseURI + p, nil
	}
	var id string
	if err := json.Unmarshal(data[start:end], &id); err != nil {
		return "", fmt.Errorf("load schema %q: $id: %w", p, err)
	}
	if id == "" {
		return DefaultBaseURI + p, nil
	}
	return id, nil
}

// MaxSchemaDepth is how deeply a schema file's JSON may nest. The schema
// engine checks every file against the draft's meta-schema in time that
// grows with the cube of its depth (seconds at a few hundred levels), so a
// deeper file is refused at once; real schemas nest a dozen levels, and a
// deep structure can always be split into $defs joined by $ref.
const MaxSchemaDepth = 128

// nesting returns how deeply data's arrays and objects nest, up to one past
// MaxSchemaDepth, and the line on which that depth is first reached. A
// malformed document is measured up to where it breaks; parsing it says
// why.
func nesting(data []byte) (depth, line int) {
	line = 1
	current, seen, at := 0, 0, 1
	_ = jsonscan.Walk(data, func(t jsonscan.Token) bool {
		switch t.Kind {
		case jsonscan.Open:
			if current++; current > depth {
				at += bytes.Count(data[seen:t.Start], []byte{'\n'})
				seen = t.Start
				depth, line = current, at
			}
		case jsonscan.Close:
			current--
		}
		return depth <= MaxSchemaDepth
	})
	return depth, line
}

// CompileAt compiles the schema at pointer inside the file at path.
func (c *Compiler) CompileAt(path, pointer string) (*jsonschema.Schema, error) {
	uri, ok := c.URIs[path]
	if !ok {
		return nil, fmt.Errorf("%q is not a schema file of the folder", path)
	}
	return c.Compile(uri + "#" + pointer)
}

// PathOf turns a compiled schema's location back into "file#pointer" with the
// file's path in the folder, for messages.
func (c *Compiler) PathOf(location string) string {
	uri, frag, _ := strings.Cut(location, "#")
	if p, ok := c.paths[uri]; ok {
		return p + "#" + frag
	}
	return location
}

// InPlace lists schemas and every schema applying at the same place through
// $ref and allOf, each once, in the order met: what a validator applies to
// one value, and what the generator merges into one struct.
func InPlace(schemas ...*jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	seen := map[*jsonschema.Schema]bool{}
	var add func(*jsonschema.Schema)
	add = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
		add(s.Ref)
		for _, a := range s.AllOf {
			add(a)
		}
	}
	for _, s := range schemas {
		add(s)
	}
	return out
}

// IsSchemaFile tells schema documents from payload samples by where they sit.
func IsSchemaFile(p string) bool {
	if !strings.HasSuffix(p, ".json") {
		return false
	}
	for _, dir := range strings.Split(p, "/") {
		if dir == "examples" || dir == "drift" || dir == "expected" {
			return false
		}
	}
	return true
}

// annotationCompiler keeps a schema's "x-payhooks-…" keywords as they are.
type annotationCompiler struct{}

// Annotations holds the x-payhooks keywords of one schema, keyed without
// the prefix ("money", "timestamp", "known-values", …).
type Annotations map[string]any

func (annotationCompiler) Compile(_ jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	var a Annotations
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, "x-payhooks-"); ok {
			if a == nil {
				a = Annotations{}
			}
			a[name] = v
		}
	}
	if a == nil {
		return nil, nil
	}
	return a, nil
}

// Validate makes Annotations an extension schema; annotations never fail.
func (Annotations) Validate(jsonschema.ValidationContext, any) error { return nil }

// Extensions returns the x-payhooks keywords of s (nil when it has none or
// the compiler ran without Annotations).
func Extensions(s *jsonschema.Schema) Annotations {
	if a, ok := s.Extensions["payhooks"].(Annotations); ok {
		return a
	}
	return nil
}

// emptyEnumCompiler makes {"enum": []} match nothing, as the standard says:
// the schema engine skips an empty enum, which would accept every value.
type emptyEnumCompiler struct{}

func (emptyEnumCompiler) Compile(_ jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	if enum, ok := m["enum"].([]any); ok && len(enum) == 0 {
		return emptyEnum{}, nil
	}
	return nil, nil
}

type emptyEnum struct{}

// emptyEnumMessage is the engine's error for a value an empty enum refuses.
const emptyEnumMessage = "value must be none: the enum is empty"

func (emptyEnum) Validate(ctx jsonschema.ValidationContext, _ any) error {
	return ctx.Error("enum", "%s", emptyEnumMessage)
}
