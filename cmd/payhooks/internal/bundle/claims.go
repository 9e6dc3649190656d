package bundle

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// What payhooks reads from a schema beyond what JSON Schema says, written
// out so that other languages' tools accept and refuse what payhooks does:
//
//   - the event's subject (x-payhooks-provider.subject) is structural:
//     required in every flavour, whether or not a document requires it;
//   - a member marked x-payhooks-expected is a warning when absent: the
//     strict flavour (-fail-on warning) requires it, the default one keeps
//     the annotation only;
//   - additionalProperties: false (kept from a provider's document) closes
//     out members payhooks reports as info, never refuses: every flavour
//     drops it, and a oneOf whose variants are told apart by it becomes an
//     anyOf, since once they are open several may fit where the document
//     picks one (the flavour then takes a little more than payhooks, never
//     less);
//   - other vendors' x- keywords and OpenAPI's own (discriminator, xml,
//     externalDocs) are not JSON Schema: strict validators (ajv) refuse
//     them, so the JSON Schema files leave them out (openapi.json keeps
//     them); -strip-extensions removes every x- keyword, payhooks' too.

// requireSubject adds the provider's subject to the required members of an
// event's (or the envelope's) root schema: a top-level subject beside its
// type and its declaration, or else in an allOf entry of its own that says
// both, as strict tools (ajv) want a type and a declaration beside
// "required"; a subject below the top level (/data/object) in an allOf
// entry that requires each member on its path, as payhooks does (each
// absent one is missing_required).
func requireSubject(schema map[string]any, p *catalog.Provider) {
	names, ok := jsonpointer.Tokens(p.Addressing.Subject)
	if !ok || len(names) == 0 {
		return
	}
	all, _ := schema["allOf"].([]any)
	if len(names) == 1 {
		props, _ := schema["properties"].(map[string]any)
		if _, declared := props[names[0]]; declared && schema["type"] != nil {
			require(schema, names[0])
			return
		}
		for _, a := range all {
			if m, ok := a.(map[string]any); ok && slices.Contains(asList(m["required"]), any(names[0])) {
				return
			}
		}
	}
	path := requiredPath(names)
	for _, a := range all {
		if reflect.DeepEqual(a, path) {
			return
		}
	}
	schema["allOf"] = append(slices.Clone(all), path)
}

// requiredPath is the schema of an object that has each of names, nested
// one in the previous: {"data": {"object": …}} for data, object.
func requiredPath(names []string) map[string]any {
	var inner any = map[string]any{}
	for i := len(names) - 1; i >= 0; i-- {
		inner = map[string]any{"type": "object", "properties": map[string]any{names[i]: inner}, "required": []any{names[i]}}
	}
	return inner.(map[string]any)
}

func require(schema map[string]any, name string) {
	required, _ := schema["required"].([]any)
	if !slices.Contains(required, any(name)) {
		schema["required"] = append(slices.Clone(required), name)
	}
}

// requireExpected returns node with every member its properties mark
// x-payhooks-expected added to the required members beside them: the strict
// flavour.
func requireExpected(node any) any {
	return mapSchemas(node, func(m map[string]any) {
		props, _ := m["properties"].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if p, ok := props[name].(map[string]any); ok && p["x-payhooks-expected"] != nil {
				require(m, name)
			}
		}
	})
}

// openClosed returns node with additionalProperties: false dropped, and
// each oneOf with a variant that reaches a closed object (through the
// definitions under prefix, in defs) turned into an anyOf.
func openClosed(node any, defs map[string]any, prefix string) any {
	closed := closedDefinitions(defs, prefix)
	return mapSchemas(node, func(m map[string]any) {
		if ap, ok := m["additionalProperties"].(bool); ok && !ap {
			delete(m, "additionalProperties")
		}
		variants, _ := m["oneOf"].([]any)
		if slices.ContainsFunc(variants, func(v any) bool { return reachesClosed(v, closed, prefix) }) {
			delete(m, "oneOf")
			m["anyOf"] = variants
		}
	})
}

// closedDefinitions are the definitions that reach additionalProperties:
// false, themselves or through others.
func closedDefinitions(defs map[string]any, prefix string) map[string]bool {
	closed := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for name, d := range defs {
			if !closed[name] && reachesClosed(d, closed, prefix) {
				closed[name], changed = true, true
			}
		}
	}
	return closed
}

// reachesClosed reports whether a schema says additionalProperties: false
// anywhere within it, or refers to a definition that does.
func reachesClosed(node any, closed map[string]bool, prefix string) bool {
	found := false
	eachSchema(node, func(m map[string]any) {
		if ap, ok := m["additionalProperties"].(bool); ok && !ap {
			found = true
		}
		if ref, ok := m["$ref"].(string); ok && closed[strings.TrimPrefix(ref, prefix)] && strings.HasPrefix(ref, prefix) {
			found = true
		}
	})
	return found
}

// onlyJSONSchema returns node without what is not JSON Schema: other
// vendors' x- keywords (payhooks' own stay, listed in index.json) and
// OpenAPI's discriminator, xml and externalDocs.
func onlyJSONSchema(node any) any {
	return mapSchemas(node, func(m map[string]any) {
		for k := range m {
			if strings.HasPrefix(k, "x-") && !strings.HasPrefix(k, "x-payhooks-") || openAPIKeywords[k] {
				delete(m, k)
			}
		}
	})
}

// mapSchemas calls fn on every schema object of a copy of node (eachSchema)
// and returns the copy.
func mapSchemas(node any, fn func(map[string]any)) any {
	node = copyJSON(node)
	eachSchema(node, fn)
	return node
}

// eachSchema calls fn on every object of node where keywords are (values
// under const, enum, default and examples are data, and the names under
// properties and the like are names), parents first.
func eachSchema(node any, fn func(map[string]any)) {
	switch x := node.(type) {
	case map[string]any:
		fn(x)
		for k, child := range x {
			switch {
			case dataKeywords[k]:
			case namedSchemas[k]:
				named, _ := child.(map[string]any)
				for _, s := range named {
					eachSchema(s, fn)
				}
			default:
				eachSchema(child, fn)
			}
		}
	case []any:
		for _, child := range x {
			eachSchema(child, fn)
		}
	}
}

// copyJSON copies a decoded JSON value deeply.
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, c := range x {
			out[k] = copyJSON(c)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = copyJSON(c)
		}
		return out
	}
	return v
}
