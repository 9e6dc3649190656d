package bundle

import (
	"maps"
	"slices"
	"strings"
)

// A bundle carries each schema in two flavours, so that other languages'
// tools can be exactly as tolerant as payhooks, or exactly as strict:
//
//   - the default flavour (events/<event>.json, envelope.json, openapi.json)
//     accepts every payload whose findings are all warnings or infos, and
//     rejects every payload with a breaking one, as payhooks validate does
//     at its default -fail-on breaking. The keywords whose failure payhooks
//     reports as a warning (enum, const, pattern, format, lengths, ranges,
//     counts) become annotations: an enum's and a const's values are kept
//     as "examples". They stay where a failure is breaking instead: a
//     date-time the generated time.Time cannot hold, in the
//     variants of a union that gives two variants the same JSON type (a
//     value no variant fits is a type mismatch), and on the discriminator
//     property at an event schema's root (it is what picks the schema).
//   - the strict flavour (*.strict.json) keeps every keyword as written and
//     closes the envelope's discriminator to the known events, rejecting
//     everything at warning or above (-fail-on warning), except a
//     duplicate_key, which no JSON Schema can see.

// warningKeywords are the keywords whose failure payhooks reports as a
// constraint_violation or unknown_enum_value: warnings.
var warningKeywords = map[string]bool{
	"enum": true, "const": true, "pattern": true, "format": true,
	"minLength": true, "maxLength": true, "minimum": true, "maximum": true,
	"exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"minItems": true, "maxItems": true, "uniqueItems": true,
	"minProperties": true, "maxProperties": true,
}

// Keywords whose values are subschemas: one, a list, or a map of them.
var (
	schemaKeywords     = []string{"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"}
	schemaListKeywords = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
	schemaMapKeywords  = []string{"properties", "patternProperties", "dependentSchemas", "$defs"}
)

// tolerantSchema returns the default flavour of a self-contained schema,
// whose definitions are under its own $defs. discriminator is the root
// property that names the event ("" for none).
func tolerantSchema(schema map[string]any, discriminator string) map[string]any {
	defs, _ := schema["$defs"].(map[string]any)
	t := newTolerator(defs, "#/$defs/", discriminator)
	t.protect(schema)
	return t.rewrite(schema, false, true).(map[string]any)
}

// tolerantComponents returns the default flavour of an OpenAPI document's
// schemas, which refer to each other under #/components/schemas/.
func tolerantComponents(components map[string]any, discriminator string) map[string]any {
	t := newTolerator(components, "#/components/schemas/", discriminator)
	out := make(map[string]any, len(components))
	for name, c := range components {
		out[name] = t.rewrite(c, t.protected[name], true)
	}
	return out
}

type tolerator struct {
	defs          map[string]any
	defsPrefix    string
	protected     map[string]bool // definitions kept as written
	discriminator string
}

func newTolerator(defs map[string]any, prefix, discriminator string) *tolerator {
	t := &tolerator{defs: defs, defsPrefix: prefix, protected: map[string]bool{}, discriminator: discriminator}
	// Definitions that a union's ambiguous variants refer to keep their
	// keywords too; find them before rewriting anything.
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		t.protect(defs[name])
	}
	return t
}

// protect marks the definitions that variants of ambiguous unions refer to.
func (t *tolerator) protect(node any) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		variants, _ := m[k].([]any)
		if ambiguous(variants) {
			for _, v := range variants {
				t.protectRefs(v)
			}
		}
	}
	eachSubschema(m, func(child any) { t.protect(child) })
}

func (t *tolerator) protectRefs(node any) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		if name, ok := strings.CutPrefix(ref, t.defsPrefix); ok && !t.protected[name] {
			t.protected[name] = true
			t.protectRefs(t.defs[name])
		}
	}
	eachSubschema(m, func(child any) { t.protectRefs(child) })
}

// timeFormat says keyword k of schema m is a date-time format payhooks
// generates a time.Time for: a value that fails it is one the generated
// types cannot hold, breaking drift in validate (its x-payhooks-holds), so
// the default flavour keeps it.
func timeFormat(k string, m map[string]any) bool {
	_, timestamp := m["x-payhooks-timestamp"]
	return k == "format" && m["format"] == "date-time" && !timestamp
}

// rewrite copies node, turning warning keywords into annotations unless
// keep (inside an ambiguous union's variant) says otherwise. root says node
// is the schema's root, or one of its allOf parts, where the discriminator
// property stays as written.
func (t *tolerator) rewrite(node any, keep, root bool) any {
	m, ok := node.(map[string]any)
	if !ok {
		return node
	}
	out := make(map[string]any, len(m))
	var examples []any
	for k, v := range m {
		switch {
		case !keep && warningKeywords[k] && !timeFormat(k, m):
			switch k {
			case "enum":
				examples = append(examples, v.([]any)...)
			case "const":
				examples = append(examples, v)
			}
		case k == "$defs":
			defs := map[string]any{}
			for name, d := range v.(map[string]any) {
				defs[name] = t.rewrite(d, keep || t.protected[name], false)
			}
			out[k] = defs
		case slices.Contains(schemaMapKeywords, k):
			children := map[string]any{}
			for name, child := range v.(map[string]any) {
				if root && k == "properties" && name == t.discriminator {
					children[name] = child
					continue
				}
				children[name] = t.rewrite(child, keep, false)
			}
			out[k] = children
		case slices.Contains(schemaListKeywords, k):
			list, _ := v.([]any)
			keepVariants := keep || ((k == "oneOf" || k == "anyOf") && ambiguous(list))
			children := make([]any, len(list))
			for i, child := range list {
				children[i] = t.rewrite(child, keepVariants, root && k == "allOf")
			}
			out[k] = children
		case slices.Contains(schemaKeywords, k):
			out[k] = t.rewrite(v, keep, false)
		default:
			out[k] = v
		}
	}
	if len(examples) > 0 {
		if existing, ok := out["examples"].([]any); ok {
			examples = append(existing, examples...)
		}
		out["examples"] = examples
	}
	return out
}

// ambiguous reports whether two variants of a union can take the same JSON
// type: then a value that fails a variant's constraints may fit none, which
// payhooks reports as a type mismatch.
func ambiguous(variants []any) bool {
	seen := map[string]bool{}
	for _, v := range variants {
		types := typesOf(v)
		for _, ty := range types {
			if seen[ty] {
				return true
			}
		}
		for _, ty := range types {
			seen[ty] = true
		}
	}
	return false
}

// typesOf lists the JSON types a variant admits by its own "type" keyword;
// without one (a $ref, say) it may admit any.
func typesOf(v any) []string {
	m, _ := v.(map[string]any)
	switch ty := m["type"].(type) {
	case string:
		if ty == "integer" {
			return []string{"number"}
		}
		return []string{ty}
	case []any:
		var out []string
		for _, x := range ty {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{"object", "array", "string", "number", "boolean", "null"}
}

func eachSubschema(m map[string]any, fn func(any)) {
	for _, k := range schemaKeywords {
		if v, ok := m[k]; ok {
			fn(v)
		}
	}
	for _, k := range schemaListKeywords {
		list, _ := m[k].([]any)
		for _, v := range list {
			fn(v)
		}
	}
	for _, k := range schemaMapKeywords {
		if k == "$defs" {
			continue // walked by the caller, once
		}
		children, _ := m[k].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(children)) {
			fn(children[name])
		}
	}
}

// strictEnvelope closes an envelope's discriminator property to the known
// events, so that an unknown event (a warning) is rejected.
func strictEnvelope(envelope map[string]any, discriminator string, events []string) map[string]any {
	if discriminator == "" {
		return envelope
	}
	closed := map[string]any{"type": "object", "properties": map[string]any{discriminator: map[string]any{"enum": toAny(events)}}}
	out := make(map[string]any, len(envelope)+1)
	for k, v := range envelope {
		out[k] = v
	}
	allOf, _ := out["allOf"].([]any)
	out["allOf"] = append(slices.Clone(allOf), closed)
	return out
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
