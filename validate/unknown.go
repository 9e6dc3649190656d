package validate

import (
	"sync"

	"github.com/payhooks/payhooks/internal/jsonscan"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// shapeCache remembers the shape of schemas whose in-place closure holds no
// union, so a walk over a clean payload allocates nothing for them.
type shapeCache struct{ m sync.Map } // *jsonschema.Schema → *compile.Shape

// unknownProperties walks v beside the schemas that apply to it and reports
// every property no schema declares. An object schema that declares no
// properties, or allows additional ones, is free-form and reports nothing.
func (c *shapeCache) unknownProperties(schemas []*jsonschema.Schema, v any, ptr string, out *[]Finding) {
	if len(schemas) == 0 {
		return
	}
	switch node := v.(type) {
	case map[string]any:
		shape := c.shapeOf(schemas, v)
		for name, child := range node {
			switch ps, ok := shape.Properties[name]; {
			case ok:
				if isContainer(child) {
					c.unknownProperties(ps, child, jsonpointer.Append(ptr, name), out)
				}
			case shape.Open:
				if isContainer(child) {
					c.unknownProperties(shape.Extra, child, jsonpointer.Append(ptr, name), out)
				}
			case len(shape.Properties) > 0:
				*out = append(*out, newFinding(jsonpointer.Append(ptr, name), UnknownProperty, "property %q is not in the schema", name))
			}
		}
	case []any:
		shape := c.shapeOf(schemas, v)
		for i, child := range node {
			if !isContainer(child) {
				continue
			}
			items := shape.Items
			if i < len(shape.PrefixItems) {
				items = shape.PrefixItems[i]
			}
			c.unknownProperties(items, child, jsonpointer.AppendIndex(ptr, i), out)
		}
	}
}

// shapeOf merges what schemas declare for v, from the cache when it can.
func (c *shapeCache) shapeOf(schemas []*jsonschema.Schema, v any) *compile.Shape {
	if len(schemas) == 1 {
		if s, ok := c.m.Load(schemas[0]); ok {
			return s.(*compile.Shape)
		}
	}
	applied, static := inPlace(schemas, v)
	shape := compile.Merge(applied)
	if len(schemas) == 1 && static {
		c.m.Store(schemas[0], shape)
	}
	return shape
}

// inPlace expands schemas to every schema that applies to v at the same
// location: compile.InPlace, plus the union variant v belongs to (and what
// applies with it). static is false when a union was involved, so the
// result depends on v.
func inPlace(schemas []*jsonschema.Schema, v any) (out []*jsonschema.Schema, static bool) {
	out, static = compile.InPlace(schemas...), true
	seen := make(map[*jsonschema.Schema]bool, len(out))
	for _, s := range out {
		seen[s] = true
	}
	for i := 0; i < len(out); i++ {
		for _, union := range [][]*jsonschema.Schema{out[i].OneOf, out[i].AnyOf} {
			if len(union) == 0 {
				continue
			}
			static = false
			for _, s := range compile.InPlace(variantFor(union, v)) {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out, static
}

// variantFor picks the union variant v belongs to: the only one whose type
// admits v's JSON kind, else the first that validates it.
func variantFor(union []*jsonschema.Schema, v any) *jsonschema.Schema {
	var byKind []*jsonschema.Schema
	for _, s := range union {
		if admitsKind(s, v) {
			byKind = append(byKind, s)
		}
	}
	if len(byKind) == 1 {
		return byKind[0]
	}
	for _, s := range byKind {
		if s.Validate(v) == nil {
			return s
		}
	}
	return nil
}

func admitsKind(s *jsonschema.Schema, v any) bool {
	if s.Ref != nil && len(s.Types) == 0 {
		return admitsKind(s.Ref, v)
	}
	if len(s.Types) == 0 {
		return true
	}
	kind := jsonscan.ValueKind(v)
	for _, t := range s.Types {
		if t == kind || (t == "number" && kind == "integer") {
			return true
		}
	}
	return false
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}
