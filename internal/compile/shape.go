package compile

import (
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Shape is what a set of schemas applying to one value declare together
// for its members: the one place the generator (which merges them into a
// struct), the fast engine (which merges them into one node) and the
// unknown-property walk (which asks what is declared) learn it.
type Shape struct {
	// Applied is every schema the shape was merged from, each once, in the
	// order met.
	Applied []*jsonschema.Schema
	// Properties maps each declared property to every schema describing it,
	// in the order of Applied.
	Properties map[string][]*jsonschema.Schema
	// Required is the required names of all of them, sorted, each once.
	Required []string
	// Expected maps each property a schema marks x-payhooks-expected (every
	// documented sample shows it; no document requires it) to the source
	// the annotation gives. Only when compiled with Annotations.
	Expected map[string]string
	// Open says other properties are allowed by every schema that speaks of
	// them (additionalProperties or unevaluatedProperties true or a schema,
	// or patternProperties);
	// Closed that one says additionalProperties: false.
	Open, Closed bool
	// Extra is the schemas other properties must follow, when given.
	Extra []*jsonschema.Schema
	// Items is the schemas of an array's items, PrefixItems those of its
	// leading positions.
	Items       []*jsonschema.Schema
	PrefixItems [][]*jsonschema.Schema
}

// ShapeOf merges what schemas, and every schema applying at the same place
// through $ref and allOf (InPlace), declare.
func ShapeOf(schemas ...*jsonschema.Schema) *Shape { return Merge(InPlace(schemas...)) }

// Merge merges what the applied schemas declare, taking them as the whole
// set (a caller that adds a union's chosen variant passes it in).
func Merge(applied []*jsonschema.Schema) *Shape {
	shape := &Shape{Applied: applied, Properties: map[string][]*jsonschema.Schema{}}
	for _, s := range applied {
		for name, ps := range s.Properties {
			shape.Properties[name] = append(shape.Properties[name], ps)
			if source, ok := Extensions(ps)["expected"].(string); ok {
				if shape.Expected == nil {
					shape.Expected = map[string]string{}
				}
				shape.Expected[name] = source
			}
		}
		shape.Required = append(shape.Required, s.Required...)
		switch ap := s.AdditionalProperties.(type) {
		case bool:
			shape.Open = shape.Open || ap
			shape.Closed = shape.Closed || !ap
		case *jsonschema.Schema:
			shape.Open = true
			shape.Extra = append(shape.Extra, ap)
		}
		if len(s.PatternProperties) > 0 || s.UnevaluatedProperties != nil && (s.UnevaluatedProperties.Always == nil || *s.UnevaluatedProperties.Always) {
			shape.Open = true
		}
		if s.Items2020 != nil {
			shape.Items = append(shape.Items, s.Items2020)
		} else if it, ok := s.Items.(*jsonschema.Schema); ok {
			shape.Items = append(shape.Items, it)
		}
		for i, p := range s.PrefixItems {
			for len(shape.PrefixItems) <= i {
				shape.PrefixItems = append(shape.PrefixItems, nil)
			}
			shape.PrefixItems[i] = append(shape.PrefixItems[i], p)
		}
	}
	slices.Sort(shape.Required)
	shape.Required = slices.Compact(shape.Required)
	return shape
}

// MemberSchemas is every schema a member called name must follow: the
// schemas that declare it, and the additionalProperties schema of each
// applied schema that does not (additionalProperties looks only at its own
// schema's properties, so a member another schema declares, or one only
// "required" names, still meets it).
func (shape *Shape) MemberSchemas(name string) []*jsonschema.Schema {
	out := shape.Properties[name]
	for _, s := range shape.Applied {
		if ap, ok := s.AdditionalProperties.(*jsonschema.Schema); ok && !declares(s, name) {
			out = append(slices.Clip(out), ap)
		}
	}
	return out
}

// ClosedOut reports whether an applied schema says additionalProperties:
// false and does not declare name: the document refuses such a member,
// payhooks reads it and reports it as an unknown property.
func (shape *Shape) ClosedOut(name string) bool {
	for _, s := range shape.Applied {
		if ap, ok := s.AdditionalProperties.(bool); ok && !ap && !declares(s, name) {
			return true
		}
	}
	return false
}

// declares reports whether s itself names a property (patternProperties
// included).
func declares(s *jsonschema.Schema, name string) bool {
	if _, ok := s.Properties[name]; ok {
		return true
	}
	for re := range s.PatternProperties {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}
