// Package bundle publishes a schema folder for other languages: "payhooks
// schemas export" writes, per provider, one self-contained JSON Schema
// 2020-12 file per event (every $ref inlined under $defs), the envelope any
// delivery follows, and an OpenAPI 3.1 document with a webhooks entry per
// event, plus an index.json listing providers, events and discriminator
// values. Diff compares two bundles and classifies each change with the
// drift severities, for a changelog. Output is deterministic: maps are
// written with sorted keys.
package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// Dialect is the JSON Schema dialect of every exported schema.
const Dialect = "https://json-schema.org/draft/2020-12/schema"

// Extensions are the keywords a bundle's JSON Schema files may carry beyond
// JSON Schema 2020-12: payhooks' own, listed in index.json. Tools in strict
// mode (ajv) must be told of them, with ajv.addVocabulary(index.extensions);
// Options.Strip removes them (and index.json lists none). Other vendors' x-
// keywords and OpenAPI's stay in openapi.json only (claims.go).
var Extensions = []string{
	"x-payhooks-event", "x-payhooks-expected", "x-payhooks-known-values", "x-payhooks-money",
	"x-payhooks-provider", "x-payhooks-signature", "x-payhooks-timestamp",
}

// Options tunes Export.
type Options struct {
	// Version is the bundle's version, written to index.json.
	Version string
	// Strip removes the x-payhooks-… keywords.
	Strip bool
}

// Index is index.json.
type Index struct {
	Version    string          `json:"version"`
	Dialect    string          `json:"dialect"`
	Extensions []string        `json:"extensions"`
	Providers  []IndexProvider `json:"providers"`
}

// IndexProvider lists one provider's files, with paths relative to the
// bundle folder.
type IndexProvider struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	OpenAPI  string `json:"openapi"`
	Envelope string `json:"envelope,omitempty"`
	// StrictEnvelope is the envelope's strict flavour, closed to the known
	// events (see flavour.go).
	StrictEnvelope string                `json:"strict_envelope,omitempty"`
	Discriminator  catalog.Discriminator `json:"discriminator"`
	DeliveryID     string                `json:"delivery_id"`
	Subject        string                `json:"subject,omitempty"`
	Signature      catalog.Signature     `json:"signature"`
	Events         []IndexEvent          `json:"events"`
}

// IndexEvent is one event: its name (the discriminator value) and schema,
// in the default flavour (as tolerant as payhooks validate at -fail-on
// breaking) and the strict one (-fail-on warning).
type IndexEvent struct {
	Name         string `json:"name"`
	Schema       string `json:"schema"`
	StrictSchema string `json:"strict_schema"`
}

// Export builds the bundle of every provider in cat: path → contents.
func Export(cat *catalog.Catalog, opts Options) (map[string][]byte, error) {
	docs, err := loadDocs(cat.FS)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	index := Index{Version: opts.Version, Dialect: Dialect, Extensions: slices.Clone(Extensions), Providers: []IndexProvider{}}
	if opts.Strip {
		index.Extensions = []string{}
	}
	for _, p := range cat.Providers {
		ip := IndexProvider{
			Name: p.Name, Title: p.Title, OpenAPI: p.Name + "/openapi.json",
			Discriminator: catalog.DiscriminatorOf(p.Addressing), DeliveryID: p.Addressing.DeliveryID, Subject: p.Addressing.Subject, Signature: p.Signature, Events: []IndexEvent{},
		}
		var err error
		if p.Kind == catalog.OpenAPI {
			err = exportOpenAPIProvider(docs, p, opts, out, &ip)
		} else {
			err = exportJSONSchemaProvider(docs, p, opts, out, &ip)
		}
		if err != nil {
			return nil, fmt.Errorf("export provider %q: %w", p.Name, err)
		}
		index.Providers = append(index.Providers, ip)
	}
	data, err := encode(index, false)
	if err != nil {
		return nil, err
	}
	out["index.json"] = data
	return out, nil
}

// openAPIKeywords are the keywords OpenAPI adds to a schema, which JSON
// Schema 2020-12 does not know.
var openAPIKeywords = map[string]bool{"discriminator": true, "externalDocs": true, "xml": true}

// docs holds every schema document of the folder by URI.
type docs struct {
	byURI map[string]any
	uris  map[string]string // path → URI
}

func loadDocs(fsys fs.FS) (*docs, error) {
	d := &docs{byURI: map[string]any{}, uris: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !compile.IsSchemaFile(p) {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		v, err := decode(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		uri := compile.DefaultBaseURI + p
		if m, ok := v.(map[string]any); ok {
			if id, ok := m["$id"].(string); ok && id != "" {
				uri = id
			}
		}
		d.byURI[uri], d.uris[p] = v, uri
		return nil
	})
	return d, err
}

func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// encode writes indented JSON with sorted keys, optionally without the
// payhooks keywords.
func encode(v any, strip bool) ([]byte, error) {
	if strip {
		v = stripExtensions(v)
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// stripExtensions removes every x- keyword (-strip-extensions): payhooks'
// own and any other vendor's.
func stripExtensions(v any) any {
	return mapSchemas(v, func(m map[string]any) {
		for k := range m {
			if strings.HasPrefix(k, "x-") {
				delete(m, k)
			}
		}
	})
}

// inliner copies schemas out of their documents into one set of local
// definitions, rewriting every $ref to point at them, so the result
// resolves on its own.
type inliner struct {
	docs   *docs
	prefix string // "#/$defs/" or "#/components/schemas/"
	defs   map[string]any
	names  map[string]string // absolute URI#pointer → local name
	root   string            // the URI whose "#" stays "#"
}

func newInliner(d *docs, prefix, root string) *inliner {
	return &inliner{docs: d, prefix: prefix, defs: map[string]any{}, names: map[string]string{}, root: root}
}

// copy returns node (found in the document at base) with its $refs
// rewritten; a document root loses its $id, $schema and $defs, which the
// bundle replaces.
func (in *inliner) copy(node any, base string, docRoot bool) (any, error) {
	switch x := node.(type) {
	case map[string]any:
		if split, ok := refBesideKeywords(x); ok {
			x = split
		}
		out := make(map[string]any, len(x))
		for k, child := range x {
			if docRoot && (k == "$id" || k == "$schema" || k == "$defs" || k == "definitions") {
				continue
			}
			if k == "$ref" {
				ref, ok := child.(string)
				if !ok {
					return nil, fmt.Errorf("%s: $ref is not a string", base)
				}
				local, err := in.ref(base, ref)
				if err != nil {
					return nil, err
				}
				out[k] = local
				continue
			}
			switch {
			case dataKeywords[k]:
				out[k] = child // a value, not a schema: nothing in it is a keyword
				continue
			case namedSchemas[k]:
				named, ok := child.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s: %s is not an object", base, k)
				}
				c := make(map[string]any, len(named))
				for name, schema := range named {
					var err error
					if c[name], err = in.copy(schema, base, false); err != nil {
						return nil, err
					}
				}
				out[k] = c
				continue
			}
			c, err := in.copy(child, base, false)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		if example, ok := out["example"]; ok {
			// OpenAPI's "example" is "examples" in JSON Schema 2020-12, which
			// strict validators (Ajv) require.
			delete(out, "example")
			if _, has := out["examples"]; !has {
				out["examples"] = []any{example}
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, child := range x {
			c, err := in.copy(child, base, false)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return node, nil
}

// dataKeywords hold JSON values, copied as they are; namedSchemas hold
// schemas by name, whose names are not keywords.
var (
	dataKeywords = map[string]bool{"const": true, "default": true, "enum": true, "example": true, "examples": true}
	namedSchemas = map[string]bool{"properties": true, "patternProperties": true, "$defs": true, "definitions": true, "dependentSchemas": true}
)

// annotations are keywords that do not constrain a value.
var annotations = map[string]bool{"title": true, "description": true, "$comment": true, "examples": true, "deprecated": true, "$id": true, "$schema": true, "$defs": true, "definitions": true}

// refBesideKeywords rewrites {"$ref": r, …constraints} as
// {"allOf": [{"$ref": r}, {…constraints}]}: the same meaning in 2020-12,
// and the form code generators for other languages understand (they turn
// allOf into an intersection instead of dropping the $ref's siblings).
func refBesideKeywords(m map[string]any) (map[string]any, bool) {
	ref, ok := m["$ref"]
	if !ok {
		return nil, false
	}
	rest := map[string]any{}
	out := map[string]any{}
	for k, v := range m {
		switch {
		case k == "$ref":
		case annotations[k] || strings.HasPrefix(k, "x-"):
			out[k] = v
		default:
			rest[k] = v
		}
	}
	if len(rest) == 0 {
		return nil, false
	}
	allOf := []any{map[string]any{"$ref": ref}, rest}
	if existing, ok := m["allOf"].([]any); ok {
		allOf = append(allOf[:1], existing...)
		delete(rest, "allOf")
		if len(rest) > 0 {
			allOf = append(allOf, rest)
		}
	}
	out["allOf"] = allOf
	return out, true
}

// ref resolves ref against base, inlines its target once, and returns the
// local reference to it.
func (in *inliner) ref(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u, err := b.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%s: $ref %q: %w", base, ref, err)
	}
	frag := u.Fragment
	u.Fragment = ""
	uri := u.String()
	if uri == in.root && frag == "" {
		return "#", nil
	}
	abs := uri + "#" + frag
	if name, ok := in.names[abs]; ok {
		return in.prefix + name, nil
	}
	doc, ok := in.docs.byURI[uri]
	if !ok {
		return "", fmt.Errorf("%s: $ref %q leaves the schema folder", base, ref)
	}
	target, ok := jsonpointer.Get(doc, frag)
	if !ok {
		return "", fmt.Errorf("%s: $ref %q: no value at #%s", base, ref, frag)
	}
	name := in.nameFor(uri, frag)
	in.names[abs] = name
	in.defs[name] = nil // reserved while copying, for cycles
	copied, err := in.copy(target, uri, frag == "")
	if err != nil {
		return "", err
	}
	in.defs[name] = copied
	return in.prefix + name, nil
}

// nameFor names a definition after its last pointer token, or its file,
// adding the file's name when two sources would share a name.
func (in *inliner) nameFor(uri, frag string) string {
	stem := strings.TrimSuffix(uri[strings.LastIndexByte(uri, '/')+1:], ".json")
	name := stem
	if frag != "" {
		name = jsonpointer.Unescape(frag[strings.LastIndexByte(frag, '/')+1:])
	}
	name = sanitize(name)
	if _, taken := in.defs[name]; taken {
		name = sanitize(stem + "_" + name)
	}
	for i := 2; ; i++ {
		if _, taken := in.defs[name]; !taken {
			return name
		}
		name = fmt.Sprintf("%s_%d", strings.TrimRight(name, "_0123456789"), i)
	}
}

// sanitize keeps names valid as OpenAPI component keys.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
