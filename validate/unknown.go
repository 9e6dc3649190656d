package validate

import (
	"errors"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook/drift"
)

// shapeCache remembers the shape of schemas whose in-place closure holds no
// union, so a walk over a clean payload allocates nothing for them.
type shapeCache struct{ m sync.Map } // *jsonschema.Schema → *compile.Shape

// unknownProperties walks v beside the schemas that apply to it and reports
// every property no schema declares (an object schema that declares no
// properties, or allows additional ones, is free-form and reports nothing),
// every one a closed object closes out, and every expected one absent.
func (c *shapeCache) unknownProperties(schemas []*jsonschema.Schema, v any, ptr string, out *[]drift.Finding) {
	if len(schemas) == 0 {
		return
	}
	switch node := v.(type) {
	case map[string]any:
		shape := c.shapeOf(schemas, v)
		// What a $dynamicRef reaches depends on the path that led here, so
		// an object one applies to is read as open.
		open := shape.Open || slices.ContainsFunc(shape.Applied, func(s *jsonschema.Schema) bool { return s.DynamicRef != nil || s.RecursiveRef != nil })
		for name, source := range shape.Expected {
			if _, present := node[name]; !present && !slices.Contains(shape.Required, name) {
				*out = append(*out, missingExpected(jsonpointer.Append(ptr, name), name, source))
			}
		}
		for name, child := range node {
			_, declared := shape.Properties[name]
			switch closed := shape.ClosedOut(name); {
			case closed, !declared && !open && len(shape.Properties) > 0:
				*out = append(*out, unknownProperty(jsonpointer.Append(ptr, name), name, closed))
			}
			if isContainer(child) {
				c.unknownProperties(shape.MemberSchemas(name), child, jsonpointer.Append(ptr, name), out)
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
// location: compile.InPlace, plus what applies to this value in particular
// (the oneOf variant v belongs to, every anyOf variant it fits, then or
// else), and what declares members without applying (if, and every
// dependentSchemas entry), each with what applies with it. static is false
// when the result depends on v.
func inPlace(schemas []*jsonschema.Schema, v any) (out []*jsonschema.Schema, static bool) {
	out, static = compile.InPlace(schemas...), true
	seen := make(map[*jsonschema.Schema]bool, len(out))
	for _, s := range out {
		seen[s] = true
	}
	add := func(s *jsonschema.Schema) {
		for _, s := range compile.InPlace(s) {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	for i := 0; i < len(out); i++ {
		s := out[i]
		if len(s.OneOf) > 0 {
			static = false
			add(variantFor(s.OneOf, v))
		}
		if len(s.AnyOf) > 0 {
			static = false
			fits := false
			for _, b := range s.AnyOf {
				if b.Validate(v) == nil {
					add(b)
					fits = true
				}
			}
			if !fits {
				add(variantFor(s.AnyOf, v))
			}
		}
		for _, d := range s.DependentSchemas {
			add(d) // what it names is declared, whether or not it applies
		}
		if s.If != nil {
			static = false
			add(s.If) // what it names is declared, whether or not it holds
			if s.If.Validate(v) == nil {
				add(s.Then)
			} else {
				add(s.Else)
			}
		}
	}
	return out, static
}

// variantFor picks the union variant v belongs to, as classify does: the
// only one whose type admits v's JSON kind, else the first that validates
// it, else the first it fits with fewest members closed out.
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
	var open *jsonschema.Schema
	least := -1
	for _, s := range byKind {
		err := s.Validate(v)
		if err == nil {
			return s
		}
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			continue
		}
		if n, ok := closedOutCost(ve); ok && (least < 0 || n < least) {
			open, least = s, n
		}
	}
	return open
}

// missingExpected is the finding of an absent member that every documented
// sample shows (x-payhooks-expected, whose value names the source).
func missingExpected(pointer, name, source string) drift.Finding {
	return newFinding(pointer, drift.MissingExpected, "property %q is missing, which every documented sample shows (%s)", name, source)
}

// unknownProperty is the finding of a member no schema declares, or one
// that additionalProperties: false closes out (the document refuses that
// one, payhooks reads it; the message says which).
func unknownProperty(pointer, name string, closedOut bool) drift.Finding {
	if closedOut {
		return newFinding(pointer, drift.UnknownProperty, "property %q is not in the schema, which closes the object to other members", name)
	}
	return newFinding(pointer, drift.UnknownProperty, "property %q is not in the schema", name)
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
