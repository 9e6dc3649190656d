package load

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/generator/ir"
	"github.com/payhooks/payhooks/internal/compile"
)

// unionRef maps oneOf/anyOf to a union type: one field per variant, decided
// at decode time by the value's JSON kind, by a discriminator property whose
// const differs per variant, or by shape (required properties, then trying
// each variant in order). A {"type": "null"} variant makes the union
// nullable instead; a union with one other variant is just that variant.
func (l *loader) unionRef(s *jsonschema.Schema, hint string, nullable bool) (*ir.TypeRef, bool, error) {
	if len(s.OneOf) > 0 && len(s.AnyOf) > 0 {
		return nil, false, fmt.Errorf("%s: unsupported: oneOf and anyOf together", l.where(s))
	}
	branches := s.OneOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	var kept []*jsonschema.Schema
	for _, b := range branches {
		r := resolve(b)
		if len(r.Types) == 1 && r.Types[0] == "null" {
			nullable = true
			continue
		}
		kept = append(kept, b)
	}
	if len(kept) == 0 {
		return &ir.TypeRef{Kind: ir.Raw}, true, nil
	}
	if len(kept) == 1 {
		ref, n, err := l.typeRef(kept[0], hint)
		return ref, n || nullable, err
	}
	if t, ok := l.types[s.Location]; ok {
		return &ir.TypeRef{Kind: ir.Named, Name: t.Name}, nullable, nil
	}
	t := l.newType(s, l.typeName(s, hint), ir.Union)
	if err := l.register(s, t); err != nil {
		return nil, false, err
	}
	seen := map[string]bool{}
	for i, b := range kept {
		r := resolve(b)
		ref, n, err := l.typeRef(b, t.Name+variantHint(r, i))
		if err != nil {
			return nil, false, err
		}
		if n {
			nullable = true
		}
		v := &ir.Variant{Type: ref, Kinds: kindsOf(l, ref), Doc: docOf(r)}
		switch {
		case r.Title != "" && !isDef(r):
			v.GoName = GoName(r.Title)
		case ref.Kind == ir.Named:
			v.GoName = ref.Name
		default:
			v.GoName = kindName(ref)
		}
		if seen[v.GoName] {
			v.GoName += strconv.Itoa(i + 1)
		}
		seen[v.GoName] = true
		if ref.Kind == ir.Named {
			if st := l.typeNamed(ref.Name); st != nil && st.Kind == ir.Struct {
				for _, f := range st.Fields {
					if f.Required {
						v.Required = append(v.Required, f.JSONName)
					}
					v.Members = append(v.Members, f.JSONName)
				}
			}
		}
		t.Variants = append(t.Variants, v)
	}
	t.Discriminator = l.discriminator(kept, t.Variants)
	return &ir.TypeRef{Kind: ir.Named, Name: t.Name}, nullable, nil
}

func isDef(s *jsonschema.Schema) bool {
	_, ok := defName(s)
	return ok
}

func variantHint(r *jsonschema.Schema, i int) string {
	if r.Title != "" {
		return GoName(r.Title)
	}
	return "Variant" + strconv.Itoa(i+1)
}

// discriminator finds a property every variant requires with a distinct
// string const, and records each variant's value.
func (l *loader) discriminator(branches []*jsonschema.Schema, variants []*ir.Variant) string {
	var candidates map[string]bool
	consts := make([]map[string]string, len(branches))
	for i, b := range branches {
		consts[i] = map[string]string{}
		for _, cs := range compile.InPlace(resolve(b)) {
			for name, ps := range cs.Properties {
				p := resolve(ps)
				if len(p.Constant) == 1 {
					if str, ok := p.Constant[0].(string); ok {
						consts[i][name] = str
					}
				} else if len(p.Enum) == 1 {
					if str, ok := p.Enum[0].(string); ok {
						consts[i][name] = str
					}
				}
			}
		}
		next := map[string]bool{}
		for name := range consts[i] {
			if i == 0 || candidates[name] {
				next[name] = true
			}
		}
		candidates = next
	}
	for _, name := range slices.Sorted(maps.Keys(candidates)) {
		distinct := map[string]bool{}
		for i := range branches {
			distinct[consts[i][name]] = true
		}
		if len(distinct) == len(branches) {
			for i, v := range variants {
				v.Const = consts[i][name]
			}
			return name
		}
	}
	return ""
}

func (l *loader) typeNamed(name string) *ir.Type {
	for _, t := range l.types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// kindsOf lists the JSON kinds (as webhookimpl.KindOf reports them) a type
// decodes from.
func kindsOf(l *loader, ref *ir.TypeRef) []string {
	switch ref.Kind {
	case ir.Named:
		if t := l.typeNamed(ref.Name); t != nil {
			switch t.Kind {
			case ir.Enum:
				return []string{"string"}
			case ir.Union:
				// A union of unions (Stripe's default_source: an id, or
				// a payment_source of four objects) takes each kind once.
				var out []string
				for _, v := range t.Variants {
					for _, k := range v.Kinds {
						if !slices.Contains(out, k) {
							out = append(out, k)
						}
					}
				}
				return out
			}
		}
		return []string{"object"}
	case ir.String, ir.Time, ir.DateTime:
		return []string{"string"}
	case ir.Bool:
		return []string{"boolean"}
	case ir.Int64, ir.Decimal, ir.UnixSeconds, ir.UnixMillis:
		return []string{"number"}
	case ir.Slice:
		return []string{"array"}
	case ir.Map:
		return []string{"object"}
	}
	return []string{"object", "array", "string", "number", "boolean", "null"}
}

// kindName names a variant after its Go type when nothing better names it.
func kindName(ref *ir.TypeRef) string {
	switch ref.Kind {
	case ir.String:
		return "String"
	case ir.Bool:
		return "Bool"
	case ir.Int64:
		return "Integer"
	case ir.Decimal:
		return "Number"
	case ir.Time:
		return "Time"
	case ir.DateTime:
		return "DateTime"
	case ir.UnixSeconds:
		return "UnixSeconds"
	case ir.UnixMillis:
		return "UnixMillis"
	case ir.Slice:
		return "List"
	case ir.Map:
		return "Map"
	}
	return "Value"
}
