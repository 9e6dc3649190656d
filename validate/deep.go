package validate

import (
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/webhook/drift"
)

// ReferenceMaxDepth is how deeply the reference engine follows a payload
// through a recursive schema (a tree of arrays that $refs itself, say). The
// schema engine builds each level's locations from the level above, so
// following a schema d levels down costs time and memory with the square of
// d: 1.6 s at 800 levels, past ten minutes at 10 000. A schema that does
// not recur is followed only as deep as it is written (at most
// compile.MaxSchemaDepth). Past the limit the payload gets a
// payload_too_large finding where the limit is crossed.
const ReferenceMaxDepth = 128

// recursion records which compiled schemas reach themselves through their
// subschemas, so the reference engine could follow a payload down them
// without end.
type recursion map[*jsonschema.Schema]bool

// recurs reports whether s reaches itself, or a schema that does, through
// its subschemas, remembering the answer for every schema it meets.
func (r recursion) recurs(s *jsonschema.Schema) bool {
	onPath := map[*jsonschema.Schema]bool{}
	var visit func(s *jsonschema.Schema) bool
	visit = func(s *jsonschema.Schema) bool {
		if onPath[s] {
			return true
		}
		if known, ok := r[s]; ok {
			return known
		}
		onPath[s] = true
		found := false
		eachSubschema(s, func(sub *jsonschema.Schema) {
			if visit(sub) {
				found = true
			}
		})
		delete(onPath, s)
		r[s] = found
		return found
	}
	return visit(s)
}

// eachSubschema calls fn with every schema s applies, in place or to a
// part of the value.
func eachSubschema(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	one := func(subs ...*jsonschema.Schema) {
		for _, sub := range subs {
			if sub != nil {
				fn(sub)
			}
		}
	}
	maybe := func(v any) {
		switch x := v.(type) {
		case *jsonschema.Schema:
			one(x)
		case []*jsonschema.Schema:
			one(x...)
		}
	}
	one(s.Ref, s.RecursiveRef, s.DynamicRef, s.Not, s.If, s.Then, s.Else, s.PropertyNames, s.UnevaluatedProperties,
		s.Items2020, s.Contains, s.UnevaluatedItems, s.ContentSchema)
	one(s.AllOf...)
	one(s.AnyOf...)
	one(s.OneOf...)
	one(s.PrefixItems...)
	for _, sub := range s.Properties {
		one(sub)
	}
	for _, sub := range s.PatternProperties {
		one(sub)
	}
	for _, sub := range s.DependentSchemas {
		one(sub)
	}
	for _, dep := range s.Dependencies {
		maybe(dep)
	}
	maybe(s.AdditionalProperties)
	maybe(s.Items)
	maybe(s.AdditionalItems)
}

// deeperThan finds the first array or object of doc nested more than limit
// levels deep and returns its pointer, built on the way back so the walk
// allocates nothing per level.
func deeperThan(doc any, limit int) (string, bool) {
	var tokens []string // innermost first
	var walk func(v any, depth int) bool
	walk = func(v any, depth int) bool {
		switch x := v.(type) {
		case map[string]any:
			if depth > limit {
				return true
			}
			for k, child := range x {
				if walk(child, depth+1) {
					tokens = append(tokens, jsonpointer.Escape(k))
					return true
				}
			}
		case []any:
			if depth > limit {
				return true
			}
			for i, child := range x {
				if walk(child, depth+1) {
					tokens = append(tokens, strconv.Itoa(i))
					return true
				}
			}
		}
		return false
	}
	if !walk(doc, 1) {
		return "", false
	}
	return pointerOf(tokens), true
}

// pointerOf is the JSON pointer of escaped tokens given innermost first, as
// a walk that builds nothing on its way down collects them on its way back.
func pointerOf(innermostFirst []string) string {
	var b strings.Builder
	for i := len(innermostFirst) - 1; i >= 0; i-- {
		b.WriteString("/" + innermostFirst[i])
	}
	return b.String()
}

// tooDeep is the finding for a payload deeper than ReferenceMaxDepth where
// schema s recurs, or nil.
func (v *Validator) tooDeep(s *jsonschema.Schema, doc any) *drift.Finding {
	v.mu.RLock()
	recurs := v.recursive[s]
	v.mu.RUnlock()
	if !recurs {
		return nil
	}
	ptr, deep := deeperThan(doc, ReferenceMaxDepth)
	if !deep {
		return nil
	}
	f := newFinding(ptr, drift.PayloadTooLarge, "nested more than %d levels deep where the schema recurs: the reference engine's work grows with the square of the depth, so it classifies %d levels at most", ReferenceMaxDepth, ReferenceMaxDepth)
	return &f
}
