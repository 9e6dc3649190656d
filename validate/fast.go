package validate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/compile"
)

// The fast engine checks a payload in one pass over the raw bytes, building
// no tree and allocating nothing when the payload is clean: valid JSON, no
// duplicate name, a known event, and nothing the reference engine would
// report. It also classifies, in the same pass, the drift providers make
// without notice: unknown properties (info), unknown enum values (warning),
// missing required properties and scalars of a refused type or a refused
// null (breaking), consts, patterns and formats refused on plain strings
// (warning), with the reference engine's pointers and messages (fastdrift.go).
// Anything else, and anything the fast engine does not model (an escaped
// string where a constraint must read it, a number with an exponent, a
// container of the wrong kind, a union no JSON kind decides, a keyword
// outside the subset below), is handed to the reference engine, which
// classifies it. The differential tests and fuzz target check that both
// engines give the same result on every payload.

// kind bits of a JSON value, and the schema types that admit them.
const (
	kindNull uint8 = 1 << iota
	kindBool
	kindInteger
	kindNumber // a number that is not an integer
	kindString
	kindArray
	kindObject
)

// cnode is every schema applying at one place, merged: all of them must
// accept the value, and their properties together are the declared ones.
type cnode struct {
	types       uint8 // 0: any kind
	unsupported bool  // a keyword the fast engine does not model: hand over

	// checks is each schema's own scalar keywords (enum, const, format,
	// pattern), kept per schema: a value must pass all of them, and one that
	// fails is worded as the reference engine words it, per schema (a
	// schema whose type refuses the value says nothing else).
	checks []scalarCheck

	props       map[string]prop
	required    []string
	anyDeclared bool
	open        bool   // additional properties allowed
	extra       *cnode // their schema, when one is given
	items       *cnode

	variants []*cnode // a oneOf or anyOf
	oneOf    bool
	// tag, for a union of objects, is the property whose value says which
	// variant an object is (Adyen's categoryData: a "type" enum of one
	// value per variant), and tagged the variant for each value.
	tag    string
	tagged map[string]*cnode
}

// prop is a declared property: its node, and its bit among the required
// properties (-1 when optional).
type prop struct {
	node *cnode
	bit  int
}

// constrainsStrings reports whether reading a string's value matters.
func (n *cnode) constrainsStrings() bool {
	for k := range n.checks {
		if n.checks[k].constrainsStrings() {
			return true
		}
	}
	return false
}

// namesValues reports whether a schema here lists the values it takes (an
// enum or a const of strings, an enum perhaps of null and booleans too)
// and not raw, a value of kind (a boolean, null or number).
func (n *cnode) namesValues(kind uint8, raw []byte) bool {
	for _, c := range n.checks {
		switch {
		case c.constant != nil:
			return true
		case c.enum == nil:
		case kind == kindNull && c.enumNull:
		case kind == kindBool && c.enumBools&boolBit(string(raw) == "true") != 0:
		default:
			return true
		}
	}
	return false
}

func notString(v any) bool {
	_, ok := v.(string)
	return !ok
}

// notModelled: an enum of strings may list null and booleans as well.
func notModelled(v any) bool {
	switch v.(type) {
	case string, bool, nil:
		return false
	}
	return true
}

// fastCompiler merges schemas into cnodes, once per set.
type fastCompiler struct {
	memo map[string]*cnode
}

func newFastCompiler() *fastCompiler { return &fastCompiler{memo: map[string]*cnode{}} }

// compile merges the schemas that apply at one place (following $ref and
// allOf) into one node.
func (c *fastCompiler) compile(schemas []*jsonschema.Schema) *cnode {
	shape := compile.ShapeOf(schemas...)
	key := setKey(shape.Applied)
	if n, ok := c.memo[key]; ok {
		return n
	}
	n := &cnode{}
	c.memo[key] = n // before the children: a schema may contain itself
	var union *jsonschema.Schema
	for _, s := range shape.Applied {
		if unsupportedKeywords(s) {
			n.unsupported = true
		}
		if len(s.Types) > 0 {
			t := typeBits(s.Types)
			if n.types == 0 {
				n.types = t
			} else {
				n.types &= t
				if n.types == 0 {
					n.unsupported = true // no kind fits every schema; let the reference say so
				}
			}
		}
		if slices.ContainsFunc(s.Enum, notModelled) || len(s.Constant) > 0 && notString(s.Constant[0]) {
			n.unsupported = true // only enums of strings, booleans and null, and string consts, are modelled
		}
		if c, ok := scalarCheckOf(s); ok {
			n.checks = append(n.checks, c)
		}
		if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
			if union != nil {
				n.unsupported = true
			}
			union = s
		}
	}
	n.anyDeclared = len(shape.Properties) > 0
	n.required = shape.Required
	n.open = shape.Open
	if shape.Closed || len(n.required) > maxRequired {
		n.unsupported = true
	}
	if len(shape.Properties) > 0 || len(n.required) > 0 {
		n.props = make(map[string]prop, len(shape.Properties))
		for name, list := range shape.Properties {
			n.props[name] = prop{node: c.compile(list), bit: -1}
		}
		for i, name := range n.required {
			p := n.props[name]
			p.bit = i
			n.props[name] = p
		}
	}
	if len(shape.Extra) > 0 {
		n.extra = c.compile(shape.Extra)
	}
	if len(shape.Items) > 0 {
		n.items = c.compile(shape.Items)
	}
	if union != nil {
		if n.anyDeclared || len(n.required) > 0 || n.items != nil || n.open {
			n.unsupported = true // a union merged with object keywords
		}
		branches := union.OneOf
		n.oneOf = len(branches) > 0
		if !n.oneOf {
			branches = union.AnyOf
		}
		for _, b := range branches {
			n.variants = append(n.variants, c.compile([]*jsonschema.Schema{b}))
		}
		n.tag, n.tagged = unionTag(n.variants)
	}
	return n
}

// unionTag finds the property that tells a union's object variants apart:
// every variant that can be an object declares it with one enum or const,
// and no value names two variants. "" when there is none. An object whose
// tag holds a variant's value is refused by every other variant, so
// checking it against that variant alone decides the union.
func unionTag(variants []*cnode) (string, map[string]*cnode) {
	var objects []*cnode
	for _, v := range variants {
		if v.types == 0 || v.types&kindObject != 0 {
			objects = append(objects, v)
		}
	}
	if len(objects) < 2 {
		return "", nil
	}
	for _, name := range slices.Sorted(maps.Keys(objects[0].props)) {
		tagged := map[string]*cnode{}
		for _, v := range objects {
			values, ok := v.props[name].node.values()
			if !ok {
				tagged = nil
				break
			}
			for _, value := range values {
				if _, twice := tagged[value]; twice {
					return "", nil
				}
				tagged[value] = v
			}
		}
		if tagged != nil {
			return name, tagged
		}
	}
	return "", nil
}

// values lists the strings a node takes, when exactly one of its schemas
// names them (an enum or a const).
func (n *cnode) values() ([]string, bool) {
	if n == nil || n.unsupported || len(n.variants) > 0 {
		return nil, false
	}
	var values []string
	named := 0
	for _, c := range n.checks {
		switch {
		case c.constant != nil:
			values, named = []string{*c.constant}, named+1
		case c.enum != nil:
			values, named = c.enum, named+1
		}
	}
	return values, named == 1
}

// enumText words an enum as the schema engine's error does (without its
// "value must be "), so both engines write the same message.
func enumText[T any](vals []T) string {
	if len(vals) == 1 {
		return fmt.Sprintf("%#v", vals[0])
	}
	quoted := make([]string, len(vals))
	for i, v := range vals {
		quoted[i] = fmt.Sprintf("%#v", v)
	}
	return "one of " + strings.Join(quoted, ", ")
}

func setKey(schemas []*jsonschema.Schema) string {
	keys := make([]string, len(schemas))
	for i, s := range schemas {
		keys[i] = fmt.Sprintf("%p", s)
	}
	slices.Sort(keys)
	return strings.Join(keys, ",")
}

func typeBits(types []string) uint8 {
	var t uint8
	for _, name := range types {
		switch name {
		case "null":
			t |= kindNull
		case "boolean":
			t |= kindBool
		case "integer":
			t |= kindInteger
		case "number":
			t |= kindInteger | kindNumber
		case "string":
			t |= kindString
		case "array":
			t |= kindArray
		case "object":
			t |= kindObject
		}
	}
	return t
}

// unsupportedKeywords reports keywords outside the fast engine's subset.
func unsupportedKeywords(s *jsonschema.Schema) bool {
	return s.Not != nil || s.If != nil || len(s.PatternProperties) > 0 || len(s.DependentSchemas) > 0 ||
		len(s.DependentRequired) > 0 || len(s.Dependencies) > 0 || s.PropertyNames != nil ||
		s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil || len(s.PrefixItems) > 0 ||
		s.Contains != nil || s.AdditionalItems != nil || s.MinItems >= 0 || s.MaxItems >= 0 || s.UniqueItems ||
		s.MinProperties >= 0 || s.MaxProperties >= 0 ||
		s.Minimum != nil || s.Maximum != nil || s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil ||
		s.DynamicRef != nil || s.RecursiveRef != nil || (s.Always != nil && !*s.Always) ||
		s.ContentEncoding != "" || s.ContentMediaType != "" || s.ContentSchema != nil || len(s.Extensions) > 0 && !onlyAnnotations(s) ||
		tupleItems(s)
}

func tupleItems(s *jsonschema.Schema) bool {
	_, ok := s.Items.([]*jsonschema.Schema)
	return ok
}

// onlyAnnotations: payhooks' own x- keywords never constrain a value.
func onlyAnnotations(s *jsonschema.Schema) bool {
	for name := range s.Extensions {
		if name != "payhooks" && name != holdsKeyword { // the latter: see scalarCheck.dateTime
			return false
		}
	}
	return true
}
