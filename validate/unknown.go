package validate

import (
	"encoding/json"
	"sort"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// unknownProperties walks v beside the schemas that apply to it and reports
// every property no schema declares. An object schema that declares no
// properties, or allows additional ones, is free-form and reports nothing.
func unknownProperties(schemas []*jsonschema.Schema, v any, ptr string, out *[]Finding) {
	switch node := v.(type) {
	case map[string]any:
		applied := inPlace(schemas, v)
		declared := map[string][]*jsonschema.Schema{}
		var extra []*jsonschema.Schema
		open, anyDeclared := false, false
		for _, s := range applied {
			for name, ps := range s.Properties {
				declared[name] = append(declared[name], ps)
				anyDeclared = true
			}
			switch ap := s.AdditionalProperties.(type) {
			case bool:
				open = open || ap
			case *jsonschema.Schema:
				open = true
				extra = append(extra, ap)
			}
			if len(s.PatternProperties) > 0 {
				open = true
			}
		}
		for _, name := range sortedNames(node) {
			child := node[name]
			at := jsonpointer.Append(ptr, name)
			switch ps, ok := declared[name]; {
			case ok:
				unknownProperties(ps, child, at, out)
			case open:
				unknownProperties(extra, child, at, out)
			case anyDeclared:
				*out = append(*out, newFinding(at, UnknownProperty, "property %q is not in the schema", name))
			}
		}
	case []any:
		applied := inPlace(schemas, v)
		for i, child := range node {
			if !isContainer(child) {
				continue
			}
			var items []*jsonschema.Schema
			for _, s := range applied {
				switch {
				case i < len(s.PrefixItems):
					items = append(items, s.PrefixItems[i])
				case s.Items2020 != nil:
					items = append(items, s.Items2020)
				default:
					if it, ok := s.Items.(*jsonschema.Schema); ok {
						items = append(items, it)
					}
				}
			}
			unknownProperties(items, child, jsonpointer.AppendIndex(ptr, i), out)
		}
	}
}

// inPlace expands schemas to every schema that applies to v at the same
// location: $ref targets, allOf, and the union variant v belongs to.
func inPlace(schemas []*jsonschema.Schema, v any) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	seen := map[*jsonschema.Schema]bool{}
	var add func(s *jsonschema.Schema)
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
		for _, union := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf} {
			if len(union) > 0 {
				add(variantFor(union, v))
			}
		}
	}
	for _, s := range schemas {
		add(s)
	}
	return out
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
	kind := jsonKind(v)
	for _, t := range s.Types {
		if t == kind || (t == "number" && kind == "integer") {
			return true
		}
	}
	return false
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	}
	return "number"
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
