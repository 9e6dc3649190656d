package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
)

// FuzzEnginesAgreeOnRandomSchemas builds a random schema from the fuzzer's
// bytes over every keyword the fast engine decides alone (types, enum and
// const of any JSON type, pattern, format, lengths, properties, required,
// x-payhooks-expected, additionalProperties, items, allOf, anyOf, oneOf,
// $ref and $defs, nested in one another), a value derived from it and mutants of that value, and
// requires both engines to give the same findings: kind, severity and
// pointer, in order. A false "clean" from the fast engine fails here first.
func FuzzEnginesAgreeOnRandomSchemas(f *testing.F) {
	for _, seed := range []string{
		"", "\x00", "\x01\x02\x03\x04\x05\x06\x07\x08", "\x06\x02\x01\x00\x03\x05\x01",
		"\x03\x03\x02\x01\x00\x04\x02\x01\x06\x01\x07\x00", "\x07\x07\x03\x02\x06\x01\x01\x05\x02\x04",
		"\x05\x01\x06\x00\x02\x02\x01\x03\x09\x04\x02\x01\x00\x05",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &schemaGen{data: data}
		schema := g.document()
		doc, err := json.Marshal(schema)
		if err != nil {
			t.Fatal(err)
		}
		v, err := suiteValidator(doc)
		if err != nil {
			return // the generator wrote something the engine refuses (a pattern Go cannot compile)
		}
		value := g.instance(schema, schema, 0)
		bodies := [][]byte{g.encode(value)}
		for range 1 + g.intn(4) {
			bodies = append(bodies, g.encode(g.mutate(value, 0)))
		}
		for _, body := range bodies {
			p := Payload{Provider: "suite", Event: "case", Body: body}
			fast, reference := v.Check(p).Findings, v.referenceOf(p).Findings
			if a, b := findingKeys(fast), findingKeys(reference); fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("the engines disagree on %s\nschema: %s\nfast:      %+v\nreference: %+v", body, doc, fast, reference)
			}
		}
	})
}

// schemaGen turns bytes into choices; past their end every choice is 0.
type schemaGen struct {
	data []byte
	pos  int
	defs []map[string]any
	// refs is how many defs a $ref may name here: those before the def
	// being written, or every one under a member or an item (a schema may
	// contain itself there, never in place).
	refs, inside int
}

func (g *schemaGen) intn(n int) int {
	if g.pos >= len(g.data) {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return int(b) % n
}

func (g *schemaGen) chance(inN int) bool { return g.intn(inN) == 0 }

var (
	genNames    = []string{"a", "b", "c", "d"}
	genTypes    = []string{"string", "integer", "number", "boolean", "null", "object", "array"}
	genStrings  = []string{"a", "b", "ab", "zz", "", "x y", "é", "2023-12-25T21:59:59Z", "2016-12-31T23:59:60Z", "11fc3c4a-d938-48aa-b8fd-c00b8f180b7f", "USD"}
	genPatterns = []string{"^a", "b$", "^[A-Z]{3}$", "^.{2}$", "é", "^$"}
	genFormats  = []string{"date-time", "uuid", "email", "date", "ipv4"}
)

// scalar picks a JSON value of any kind, for enum, const and mutants.
func (g *schemaGen) scalar() any {
	switch g.intn(8) {
	case 0, 1:
		return genStrings[g.intn(len(genStrings))]
	case 2:
		return []any{0, 1, -1, 7, 1.5, 100}[g.intn(6)]
	case 3:
		return g.chance(2)
	case 4:
		return nil
	case 5:
		return map[string]any{genNames[g.intn(len(genNames))]: genStrings[g.intn(len(genStrings))]}
	case 6:
		return []any{genStrings[g.intn(len(genStrings))]}
	}
	return genStrings[g.intn(len(genStrings))]
}

// document is a schema with $defs that $refs inside it may point at.
func (g *schemaGen) document() map[string]any {
	n := g.intn(3)
	g.defs = make([]map[string]any, n)
	for i := range g.defs {
		g.defs[i] = map[string]any{} // filled below: a def may refer to another, or itself
	}
	g.refs = n
	root := g.schema(0)
	defs := map[string]any{}
	for i := range g.defs {
		g.refs = i
		for k, v := range g.schema(1) {
			g.defs[i][k] = v
		}
		defs["d"+strconv.Itoa(i)] = g.defs[i]
	}
	if len(defs) > 0 {
		if _, ok := root["$defs"]; !ok {
			root["$defs"] = defs
		}
	}
	return root
}

func (g *schemaGen) schema(depth int) map[string]any {
	s := map[string]any{}
	kind := g.intn(10)
	if depth >= 3 {
		kind = g.intn(3)
	}
	switch kind {
	case 0:
		if g.chance(3) {
			first := g.intn(len(genTypes))
			s["type"] = []any{genTypes[first], genTypes[(first+1+g.intn(len(genTypes)-1))%len(genTypes)]}
		} else {
			s["type"] = genTypes[g.intn(len(genTypes))]
		}
	case 1:
		g.stringKeywords(s)
	case 2:
		if g.chance(2) {
			s["const"] = g.scalar()
		} else {
			enum := []any{}
			for range g.intn(4) {
				enum = append(enum, g.scalar())
			}
			s["enum"] = enum
		}
	case 3, 4:
		g.objectKeywords(s, depth)
	case 5:
		s["type"] = "array"
		if !g.chance(4) {
			g.inside++
			s["items"] = g.schema(depth + 1)
			g.inside--
		}
	case 6:
		all := []any{}
		for range 1 + g.intn(2) {
			all = append(all, g.schema(depth+1))
		}
		s["allOf"] = all
	case 7, 8:
		variants := []any{}
		for range 2 + g.intn(2) {
			variants = append(variants, g.schema(depth+1))
		}
		s[[]string{"oneOf", "anyOf"}[g.intn(2)]] = variants
	case 9:
		refs := g.refs
		if g.inside > 0 {
			refs = len(g.defs)
		}
		if refs > 0 {
			s["$ref"] = "#/$defs/d" + strconv.Itoa(g.intn(refs))
		} else {
			s["type"] = "string"
		}
	}
	// Siblings: a type, a string keyword, an enum, beside whatever is there;
	// now and then a keyword the fast engine hands over.
	switch g.intn(7) {
	case 0:
		if _, ok := s["type"]; !ok {
			s["type"] = genTypes[g.intn(len(genTypes))]
		}
	case 1:
		g.stringKeywords(s)
	case 2:
		if _, ok := s["enum"]; !ok {
			s["enum"] = []any{g.scalar(), g.scalar()}
		}
	case 3:
		if g.chance(3) {
			s["minimum"] = 5
		}
	}
	return s
}

func (g *schemaGen) stringKeywords(s map[string]any) {
	switch g.intn(6) {
	case 0:
		s["pattern"] = genPatterns[g.intn(len(genPatterns))]
	case 1:
		s["format"] = genFormats[g.intn(len(genFormats))]
	case 2:
		s["minLength"] = g.intn(3)
	case 3:
		s["maxLength"] = g.intn(3)
	case 4:
		s["const"] = genStrings[g.intn(len(genStrings))]
	case 5:
		s["enum"] = []any{genStrings[g.intn(len(genStrings))], genStrings[g.intn(len(genStrings))]}
	}
	if g.chance(2) {
		s["type"] = "string"
	}
}

func (g *schemaGen) objectKeywords(s map[string]any, depth int) {
	if !g.chance(4) {
		s["type"] = "object"
	}
	g.inside++
	defer func() { g.inside-- }()
	props := map[string]any{}
	for range g.intn(4) {
		p := g.schema(depth + 1)
		if g.chance(3) {
			p["x-payhooks-expected"] = "every sample" // a member every documented sample shows
		}
		props[genNames[g.intn(len(genNames))]] = p
	}
	if len(props) > 0 {
		s["properties"] = props
	}
	if g.chance(2) {
		required := []any{}
		for range 1 + g.intn(2) {
			name := genNames[g.intn(len(genNames))]
			if !containsAny(required, name) {
				required = append(required, name)
			}
		}
		s["required"] = required
	}
	switch g.intn(5) {
	case 0:
		s["additionalProperties"] = false
	case 1:
		s["additionalProperties"] = true
	case 2:
		s["additionalProperties"] = g.schema(depth + 1)
	}
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// instance derives a value the schema means to take (not always one it
// takes: a choice may contradict another).
func (g *schemaGen) instance(root, s map[string]any, depth int) any {
	if depth > 6 {
		return nil
	}
	if ref, ok := s["$ref"].(string); ok {
		var i int
		fmt.Sscanf(ref, "#/$defs/d%d", &i)
		if i < len(g.defs) {
			return g.instance(root, g.defs[i], depth+1)
		}
	}
	if c, ok := s["const"]; ok {
		return c
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[g.intn(len(enum))]
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if variants, ok := s[k].([]any); ok {
			return g.instance(root, variants[g.intn(len(variants))].(map[string]any), depth+1)
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		var merged any
		for _, a := range all {
			v := g.instance(root, a.(map[string]any), depth+1)
			if m, ok := merged.(map[string]any); ok {
				if vm, ok := v.(map[string]any); ok {
					for k, x := range vm {
						m[k] = x
					}
					continue
				}
			}
			if merged == nil {
				merged = v
			}
		}
		if merged != nil {
			return merged
		}
	}
	typ, _ := s["type"].(string)
	if types, ok := s["type"].([]any); ok {
		typ = types[g.intn(len(types))].(string)
	}
	if typ == "" {
		switch {
		case s["properties"] != nil || s["required"] != nil:
			typ = "object"
		case s["items"] != nil:
			typ = "array"
		default:
			typ = "string"
		}
	}
	switch typ {
	case "string":
		if p, ok := s["pattern"].(string); ok && p == "^[A-Z]{3}$" {
			return "USD"
		}
		return genStrings[g.intn(len(genStrings))]
	case "integer":
		return []any{0, 1, 7}[g.intn(3)]
	case "number":
		return []any{1.5, 2, -3.25}[g.intn(3)]
	case "boolean":
		return g.chance(2)
	case "null":
		return nil
	case "array":
		items, _ := s["items"].(map[string]any)
		out := []any{}
		for range g.intn(3) {
			if items != nil {
				out = append(out, g.instance(root, items, depth+1))
			} else {
				out = append(out, g.scalar())
			}
		}
		return out
	}
	obj := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	for name, ps := range props {
		if !g.chance(3) {
			obj[name] = g.instance(root, ps.(map[string]any), depth+1)
		}
	}
	if required, ok := s["required"].([]any); ok {
		for _, r := range required {
			if _, ok := obj[r.(string)]; !ok {
				if ps, ok := props[r.(string)].(map[string]any); ok {
					obj[r.(string)] = g.instance(root, ps, depth+1)
				} else {
					obj[r.(string)] = g.scalar()
				}
			}
		}
	}
	return obj
}

// mutate changes the value somewhere: a value of another kind, a member
// dropped or added, an item added.
func (g *schemaGen) mutate(v any, depth int) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x)+1)
		for k, c := range x {
			out[k] = c
		}
		if len(x) > 0 && g.chance(2) && depth < 6 {
			names := make([]string, 0, len(x))
			for _, n := range genNames {
				if _, ok := x[n]; ok {
					names = append(names, n)
				}
			}
			if len(names) > 0 {
				name := names[g.intn(len(names))]
				switch g.intn(3) {
				case 0:
					delete(out, name)
				default:
					out[name] = g.mutate(x[name], depth+1)
				}
				return out
			}
		}
		if g.chance(2) {
			out[genNames[g.intn(len(genNames))]] = g.scalar()
			return out
		}
		if g.chance(2) {
			out["zz"] = g.scalar()
			return out
		}
	case []any:
		if len(x) > 0 && g.chance(2) && depth < 6 {
			out := append([]any(nil), x...)
			i := g.intn(len(x))
			out[i] = g.mutate(x[i], depth+1)
			return out
		}
		if g.chance(2) {
			return append(append([]any(nil), x...), g.scalar())
		}
	}
	return g.scalar()
}

// encode writes v as JSON, sometimes spelling a letter of a string or a
// name as a \u escape, which the fast engine hands over rather than read.
func (g *schemaGen) encode(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	if g.chance(4) {
		if i := bytes.Index(data, []byte(`"a`)); i >= 0 {
			data = append(data[:i+1:i+1], append([]byte(`\u0061`), data[i+2:]...)...)
		}
	}
	return data
}
