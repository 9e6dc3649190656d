package learn

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// place is one schema in the folder: its file and its JSON pointer there.
type place struct{ file, ptr string }

func (p place) String() string { return p.file + "#" + p.ptr }

func (p place) at(tokens ...string) place {
	ptr := p.ptr
	for _, t := range tokens {
		ptr = jsonpointer.Append(ptr, t)
	}
	return place{p.file, ptr}
}

// errUnion says a place is inside a oneOf or anyOf: which variant
// describes a payload is for a person to decide.
var errUnion = errors.New("inside a union (oneOf/anyOf): which variant to change is for a person to decide")

// schemaSet is the schema folder's JSON files, as bytes (edits are
// spliced into them) and decoded (to find where a payload's place is
// described).
type schemaSet struct {
	fsys fs.FS
	raw  map[string][]byte
	doc  map[string]any
	// goTypes names the generated Go type of each schema that has one
	// ("file#pointer" → name), to say what an edit changes in Go.
	goTypes map[string]string
	// taken holds the file names of each events/ folder, lower-cased, with
	// those of the event files proposed so far.
	taken map[string]map[string]bool
}

// newEventFile names the schema file of an event learnt for a JSON Schema
// provider: events/<catalog.FileBase>.json, hashed when a file of that
// name in any case is there (or proposed) already, so no case-insensitive
// file system takes two events for one.
func (s *schemaSet) newEventFile(prov *catalog.Provider, event string) string {
	dir := path.Join(prov.Name, "events")
	if s.taken == nil {
		s.taken = map[string]map[string]bool{}
	}
	if s.taken[dir] == nil {
		s.taken[dir] = map[string]bool{}
		entries, _ := fs.ReadDir(s.fsys, dir)
		for _, e := range entries {
			s.taken[dir][strings.ToLower(e.Name())] = true
		}
	}
	name := catalog.FileBase(event) + ".json"
	if s.taken[dir][strings.ToLower(name)] {
		name = catalog.HashedBase(event) + ".json"
	}
	s.taken[dir][strings.ToLower(name)] = true
	return path.Join(dir, name)
}

func newSchemaSet(fsys fs.FS) *schemaSet {
	return &schemaSet{fsys: fsys, raw: map[string][]byte{}, doc: map[string]any{}}
}

// load reads and decodes a file once.
func (s *schemaSet) load(file string) (any, error) {
	if d, ok := s.doc[file]; ok {
		return d, nil
	}
	data, err := fs.ReadFile(s.fsys, file)
	if err != nil {
		return nil, err
	}
	d, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("read schema %q: %w", file, err)
	}
	s.raw[file], s.doc[file] = data, d
	return d, nil
}

// node returns the schema object at p.
func (s *schemaSet) node(p place) (map[string]any, error) {
	d, err := s.load(p.file)
	if err != nil {
		return nil, err
	}
	v, ok := jsonpointer.Get(d, p.ptr)
	if !ok {
		return nil, fmt.Errorf("%s: no such schema", p)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a schema object", p)
	}
	return m, nil
}

// expand lists the schemas that apply at p, p first, then along $ref and
// allOf, depth first: the places where a keyword of this location may be.
func (s *schemaSet) expand(p place) ([]place, error) {
	var out []place
	seen := map[place]bool{}
	var walk func(place) error
	walk = func(p place) error {
		if seen[p] {
			return nil
		}
		seen[p] = true
		n, err := s.node(p)
		if err != nil {
			return err
		}
		if n["oneOf"] != nil || n["anyOf"] != nil {
			return fmt.Errorf("%s: %w", p, errUnion)
		}
		out = append(out, p)
		if ref, ok := n["$ref"].(string); ok {
			target, err := resolveRef(p.file, ref)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if err := walk(target); err != nil {
				return err
			}
		}
		if all, ok := n["allOf"].([]any); ok {
			for i := range all {
				if err := walk(p.at("allOf", fmt.Sprint(i))); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return out, walk(p)
}

// describe lists the schemas that describe the payload location tokens
// (object members, "*" for any array item), starting from an event's
// schema.
func (s *schemaSet) describe(event place, tokens []string) ([]place, error) {
	set, err := s.expand(event)
	if err != nil {
		return nil, err
	}
	for depth, tok := range tokens {
		var next []place
		for _, p := range set {
			n, _ := s.node(p)
			var child place
			switch props, _ := n["properties"].(map[string]any); {
			case props[tok] != nil:
				child = p.at("properties", tok)
			case tok == "*" && n["items"] != nil:
				child = p.at("items")
			case isObject(n["additionalProperties"]):
				child = p.at("additionalProperties")
			default:
				continue
			}
			more, err := s.expand(child)
			if err != nil {
				return nil, err
			}
			next = append(next, more...)
		}
		if len(next) == 0 {
			return nil, review("no schema describes %s", "/"+strings.Join(tokens[:depth+1], "/"))
		}
		set = next
	}
	return set, nil
}

func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// goTypes runs the generator's loader over the providers named and maps
// each schema that becomes a named Go type to its name; empty when they do
// not load (the proposals then speak of fields without their type).
func goTypes(fsys fs.FS, providers []string) map[string]string {
	out := map[string]string{}
	if len(providers) == 0 {
		return out
	}
	slices.Sort(providers)
	loaded, err := load.Load(fsys, load.Options{Providers: providers})
	if err != nil {
		return out
	}
	for _, p := range loaded {
		for _, t := range p.Types {
			out[t.Source] = t.Name
		}
	}
	return out
}

// goType is the Go type generated from the first of places that has one,
// or "".
func (s *schemaSet) goType(places []place) string {
	for _, p := range places {
		if name, ok := s.goTypes[p.String()]; ok {
			return name
		}
	}
	return ""
}

// resolveRef finds the schema a $ref names: in the same file, a file
// beside it, or a bundled $id. Nothing is fetched.
func resolveRef(file, ref string) (place, error) {
	target, frag, _ := strings.Cut(ref, "#")
	ptr, err := url.PathUnescape(frag)
	if err != nil || ptr != "" && !strings.HasPrefix(ptr, "/") {
		return place{}, fmt.Errorf("$ref %q: only JSON pointer fragments are followed", ref)
	}
	switch {
	case target == "":
		return place{file, ptr}, nil
	case strings.HasPrefix(target, compile.DefaultBaseURI):
		return place{strings.TrimPrefix(target, compile.DefaultBaseURI), ptr}, nil
	case strings.Contains(target, "://"):
		return place{}, fmt.Errorf("$ref %q leaves the schema folder", ref)
	}
	return place{path.Join(path.Dir(file), target), ptr}, nil
}
