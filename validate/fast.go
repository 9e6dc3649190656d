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
// without notice: unknown and closed-out properties (info), unknown enum
// values and absent expected members (warning), missing required
// properties and scalars of a refused type or a refused null (breaking),
// consts, patterns and formats refused on plain strings (warning), with the
// reference engine's pointers and messages (fastdrift.go). A union is
// decided by trying its variants, each trial telling a variant that does
// not fit from one it cannot judge (fastscan.go's failure). Anything else,
// and anything the fast engine does not model (an escaped string where a
// constraint must read it, a number with an exponent, a container of the
// wrong kind, a variant it cannot judge, a keyword outside the subset
// below), is handed to the reference engine, which classifies it. The
// JSON-Schema-Test-Suite, the differential tests and the fuzz targets
// (FuzzEnginesAgreeOnRandomSchemas over random schemas) check that both
// engines give the same result.

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
	// schema whose type refuses the value says nothing else). readChecks
	// sums them up.
	checks                         []scalarCheck
	constrainsStrings, namesValues bool
	// applied is, per schema merged here (in compile.InPlace's order),
	// what decides whether the schema engine looks at it at all: it skips
	// a schema's $ref and allOf when the schema's own type refuses the
	// value, so a check reached only through such a schema says nothing.
	applied []appliedSchema

	props       map[string]prop
	required    []string
	anyDeclared bool
	open        bool   // additional properties allowed
	closed      bool   // a schema says additionalProperties: false
	extra       *cnode // their schema, when one is given
	items       *cnode

	// expected are the members every documented sample shows that no
	// document requires (compile.Shape.Expected), sorted, with their source.
	expected, expectedSource []string

	variants []*cnode // a oneOf or anyOf
	oneOf    bool
	// tag, for a union of objects, is the property whose value says which
	// variant an object is (Adyen's categoryData: a "type" enum of one
	// value per variant), and tagged the variant for each value.
	tag    string
	tagged map[string]*cnode
}

// appliedSchema is one schema of a node: the JSON kinds its type admits
// (0: any), and the schemas whose $ref or allOf lead to it; root when it
// applies on its own.
type appliedSchema struct {
	bits    uint8
	parents []int
	root    bool
}

// evaluated returns, as a bit per applied schema, the schemas the schema
// engine evaluates for a value of kind: the roots, and every schema a $ref
// or allOf leads to from an evaluated schema whose type admits the value.
func (n *cnode) evaluated(kind uint8) uint64 {
	var ev uint64
	for i, a := range n.applied {
		if a.root {
			ev |= 1 << i
		}
	}
	for changed := true; changed; {
		changed = false
		for i, a := range n.applied {
			if ev&(1<<i) != 0 {
				continue
			}
			for _, p := range a.parents {
				if bits := n.applied[p].bits; ev&(1<<p) != 0 && (bits == 0 || bits&kind != 0) {
					ev |= 1 << i
					changed = true
					break
				}
			}
		}
	}
	return ev
}

// prop is a declared property, or one only "required" names: its node, its
// bit among the required properties (-1 when optional), and whether a
// member of that name is an unknown property: undeclared where the object
// is not open to others, or closed out (compile.Shape.ClosedOut).
type prop struct {
	node       *cnode
	bit        int
	expected   int // its bit among the expected members, or -1
	undeclared bool
	closedOut  bool
}

// readChecks sets what the node's checks ask of a value, once, for the
// walk to read: whether a string's value matters, and whether a schema here
// lists the values it takes (an enum or a const), which a value of another
// kind than string meets only where every enum lists it (listsValue).
func (n *cnode) readChecks() {
	for k := range n.checks {
		c := &n.checks[k]
		n.constrainsStrings = n.constrainsStrings || c.constrainsStrings()
		n.namesValues = n.namesValues || c.enum != nil || c.constant != nil
	}
}

// listsValue reports whether every enum here lists the value of kind (a
// null, or the boolean isTrue says) and no const stands here: OpenAPI 3.0's
// nullable enums, translated, list null, and Stripe's deleted: [true] a
// boolean. The walk asks only where namesValues holds.
func (n *cnode) listsValue(kind uint8, isTrue bool) bool {
	for _, c := range n.checks {
		switch {
		case c.constant != nil:
			return false
		case c.enum != nil && !c.lists(kind, isTrue):
			return false
		}
	}
	return true
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
	if len(shape.Applied) > 64 {
		n.unsupported = true // evaluated keeps a bit per schema
		return n
	}
	index := make(map[*jsonschema.Schema]int, len(shape.Applied))
	for i, s := range shape.Applied {
		index[s] = i
	}
	n.applied = make([]appliedSchema, len(shape.Applied))
	for _, s := range schemas {
		if i, ok := index[s]; ok {
			n.applied[i].root = true
		}
	}
	var union *jsonschema.Schema
	for i, s := range shape.Applied {
		if unsupportedKeywords(s) {
			n.unsupported = true
		}
		n.applied[i].bits = typeBits(s.Types)
		for _, child := range append([]*jsonschema.Schema{s.Ref}, s.AllOf...) {
			if j, ok := index[child]; ok && child != nil {
				n.applied[j].parents = append(n.applied[j].parents, i)
			}
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
			c.schema = i
			n.checks = append(n.checks, c)
		}
		if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
			if union != nil {
				n.unsupported = true
			}
			union = s
		}
	}
	n.readChecks()
	n.anyDeclared = len(shape.Properties) > 0
	n.required = shape.Required
	n.open = shape.Open
	n.closed = shape.Closed
	for _, name := range slices.Sorted(maps.Keys(shape.Expected)) {
		if !slices.Contains(n.required, name) {
			n.expected = append(n.expected, name)
			n.expectedSource = append(n.expectedSource, shape.Expected[name])
		}
	}
	if len(n.required) > maxRequired || len(n.expected) > maxRequired {
		n.unsupported = true
	}
	if len(shape.Properties) > 0 || len(n.required) > 0 {
		n.props = make(map[string]prop, len(shape.Properties)+len(n.required))
		for _, name := range slices.Concat(slices.Collect(maps.Keys(shape.Properties)), n.required) {
			_, declared := shape.Properties[name]
			n.props[name] = prop{node: c.compile(shape.MemberSchemas(name)), bit: -1, expected: slices.Index(n.expected, name), undeclared: !declared, closedOut: shape.ClosedOut(name)}
		}
		n.numberRequired()
	}
	if len(shape.Extra) > 0 {
		n.extra = c.compile(shape.Extra)
	}
	if len(shape.Items) > 0 {
		n.items = c.compile(shape.Items)
	}
	if union != nil {
		if n.anyDeclared || len(n.required) > 0 || n.items != nil || n.open || n.closed {
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

// withRequired returns the node with name required as well: the event's
// subject, structural whether or not a document marks it required. The
// node itself is left as it is (another place may share it).
func (n *cnode) withRequired(name string) *cnode {
	if slices.Contains(n.required, name) {
		return n
	}
	cp := *n
	cp.required = append(slices.Clone(n.required), name)
	slices.Sort(cp.required)
	if len(cp.required) > maxRequired || len(n.variants) > 0 {
		cp.unsupported = true
	}
	if i := slices.Index(n.expected, name); i >= 0 {
		// Required now: missing_required says it, not missing_expected.
		cp.expected = slices.Delete(slices.Clone(n.expected), i, i+1)
		cp.expectedSource = slices.Delete(slices.Clone(n.expectedSource), i, i+1)
	}
	cp.props = make(map[string]prop, len(n.props)+1)
	for k, p := range n.props {
		cp.props[k] = p
	}
	if _, ok := cp.props[name]; !ok {
		cp.props[name] = prop{node: n.extra, undeclared: true, closedOut: n.closed}
	}
	cp.numberRequired()
	return &cp
}

// withRequiredAt returns n with the member at a path of names required at
// each level (the subject /data/object: data in n, object in data's node),
// sharing nothing it changes with n. A member whose value any schema
// takes (no node) is required, and nothing below it.
func (n *cnode) withRequiredAt(names []string) *cnode {
	if len(names) == 0 {
		return n
	}
	cp := n.withRequired(names[0])
	p := cp.props[names[0]]
	if len(names) == 1 || p.node == nil {
		return cp
	}
	below := p.node.withRequiredAt(names[1:])
	if below == p.node {
		return cp
	}
	if cp == n {
		own := *n
		own.props = maps.Clone(n.props)
		cp = &own
	}
	p.node = below
	cp.props[names[0]] = p
	return cp
}

// numberRequired gives each property its bits among the node's required
// and expected members (-1 for neither).
func (n *cnode) numberRequired() {
	for name, p := range n.props {
		p.bit, p.expected = slices.Index(n.required, name), slices.Index(n.expected, name)
		n.props[name] = p
	}
}

// unknown reports whether a member is an unknown property of the object,
// and whether it is closed out: p is its prop, declared whether it has one.
func (n *cnode) unknown(p prop, declared bool) (unknown, closedOut bool) {
	if declared {
		return p.closedOut || p.undeclared && !n.open && n.anyDeclared, p.closedOut
	}
	return n.closed || !n.open && n.anyDeclared, n.closed
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
