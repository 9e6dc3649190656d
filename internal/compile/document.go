package compile

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// MaxDocumentBytes is the largest schema file or OpenAPI document payhooks
// reads (Adyen's largest webhooks document is 160 KB).
const MaxDocumentBytes = 16 << 20

// trustedFolder holds the folder Trust names.
var trustedFolder atomic.Value

// Trust says that every document of fsys passed CheckDocument in
// payhooks' own tests, so ReadDocument need not check them again: the CLI
// trusts the bundled schemas (TestBundledDocumentsPassCheckDocument), whose
// check took half of validate's start-up.
func Trust(fsys fs.FS) { trustedFolder.Store(fsys) }

// ReadDocument reads a schema file or OpenAPI document of fsys and checks
// it with CheckDocument before anything parses it: what the catalog, the
// schema engine and kin-openapi read goes through here. Errors name the
// file.
func ReadDocument(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load schema %q: %w", name, err)
	}
	if trusted, _ := trustedFolder.Load().(fs.FS); trusted != nil && fsys == trusted {
		return data, nil
	}
	if err := CheckDocument(data); err != nil {
		return nil, fmt.Errorf("load schema %q: %w", name, err)
	}
	return data, nil
}

// CheckDocument refuses, reading the raw bytes before any library parses
// them, a document that would make one hang or crash: one larger than
// MaxDocumentBytes, one nested deeper than MaxSchemaDepth (kin-openapi took
// 12 s over 400 nested properties, and minutes and half a gigabyte over
// 3 000), and one with a $ref cycle a library recurses through without end
// (a oneOf that $refs its own schema overflowed kin-openapi's stack). The
// error is one line naming the line or the JSON pointer.
func CheckDocument(data []byte) error {
	if len(data) > MaxDocumentBytes {
		return fmt.Errorf("larger than %d MiB; payhooks reads schema documents of at most %d MiB", MaxDocumentBytes>>20, MaxDocumentBytes>>20)
	}
	if depth, line := nesting(data); depth > MaxSchemaDepth {
		return fmt.Errorf("line %d is nested more than %d levels deep; payhooks reads schema files at most %d levels deep (the schema engine's work grows with the cube of the depth)", line, MaxSchemaDepth, MaxSchemaDepth)
	}
	if !strings.Contains(string(data), `"$ref"`) {
		return nil // no reference, no cycle: the common case, without parsing
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil // not JSON: the parser that reads it next says where
	}
	top, _ := doc.(map[string]any)
	_, openAPI := top["openapi"]
	return newRefGraph(doc).cycle(openAPI)
}

// A refGraph is every object of a document taken as a schema, with an edge
// for each subschema it applies: through its keywords, and through $ref to
// the object a local reference names. Two kinds of cycle are refused:
//
//   - one that never enters a member or an item (a oneOf, allOf, not, … or
//     $ref that leads back to the same schema): checking a value against it
//     never ends, in any validator;
//   - one on which no schema says anything of its own (no type, enum,
//     const or required), only subschemas: kin-openapi asks of such a
//     schema whether it is empty by asking its subschemas, forever.
type refGraph struct {
	nodes []refNode
	ids   map[uintptr]int // an object's map, by identity → its node
	doc   any
}

type refNode struct {
	obj    map[string]any
	parent int    // the node whose subtree holds it, -1 for none
	path   string // the pointer from the parent's object to this one
	edges  []refEdge
	// asserts says the schema has a keyword of its own (see cycle).
	asserts bool
}

type refEdge struct {
	to      int
	inPlace bool   // the subschema applies to the same value
	via     string // the escaped pointer, from the schema, of the keyword
}

// Keywords whose subschemas apply to the same value, and those that apply
// to a member, an item or a name. ($defs and definitions apply nothing.)
var (
	inPlaceOne    = []string{"not", "if", "then", "else"}
	inPlaceMany   = []string{"allOf", "anyOf", "oneOf"}
	inPlaceByName = []string{"dependentSchemas"}
	belowOne      = []string{"additionalProperties", "items", "additionalItems", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
	belowMany     = []string{"items", "prefixItems"}
	belowByName   = []string{"properties", "patternProperties"}
	// dataKeywords hold values, not schemas: nothing in them is a node.
	dataKeywords = map[string]bool{"example": true, "examples": true, "enum": true, "const": true, "default": true}
)

func newRefGraph(doc any) *refGraph {
	g := &refGraph{ids: map[uintptr]int{}, doc: doc}
	g.walk(doc, -1, "")
	for i := range g.nodes {
		g.link(i)
	}
	return g
}

// walk gives every object under v a node, parents first.
func (g *refGraph) walk(v any, parent int, path string) {
	switch x := v.(type) {
	case map[string]any:
		id := len(g.nodes)
		g.nodes = append(g.nodes, refNode{obj: x, parent: parent, path: path})
		g.ids[reflect.ValueOf(x).Pointer()] = id
		for k, child := range x {
			if !dataKeywords[k] {
				g.walk(child, id, "/"+jsonpointer.Escape(k))
			}
		}
	case []any:
		for i, child := range x {
			g.walk(child, parent, path+"/"+strconv.Itoa(i))
		}
	}
}

// link adds node i's edges and notes whether it asserts anything itself.
func (g *refGraph) link(i int) {
	n := &g.nodes[i]
	obj := n.obj
	add := func(v any, inPlace bool, via string) {
		if m, ok := v.(map[string]any); ok {
			if to, ok := g.ids[reflect.ValueOf(m).Pointer()]; ok {
				n.edges = append(n.edges, refEdge{to: to, inPlace: inPlace, via: via})
			}
		}
	}
	each := func(keys []string, visit func(k string, v any)) {
		for _, k := range keys {
			if v, ok := obj[k]; ok {
				visit(k, v)
			}
		}
	}
	one := func(inPlace bool) func(k string, v any) {
		return func(k string, v any) { add(v, inPlace, jsonpointer.Escape(k)) }
	}
	many := func(inPlace bool) func(k string, v any) {
		return func(k string, v any) {
			items, _ := v.([]any)
			for j, item := range items {
				add(item, inPlace, jsonpointer.Escape(k)+"/"+strconv.Itoa(j))
			}
		}
	}
	byName := func(inPlace bool) func(k string, v any) {
		return func(k string, v any) {
			named, _ := v.(map[string]any)
			for name, s := range named {
				add(s, inPlace, jsonpointer.Escape(k)+"/"+jsonpointer.Escape(name))
			}
		}
	}
	each(inPlaceOne, one(true))
	each(inPlaceMany, many(true))
	each(inPlaceByName, byName(true))
	each(belowOne, one(false))
	each(belowMany, many(false))
	each(belowByName, byName(false))
	if ref, ok := obj["$ref"].(string); ok {
		if target, ok := g.resolve(ref); ok {
			add(target, true, "$ref")
		}
	}
	n.asserts = asserts(obj)
}

// resolve follows a reference within the document ("#/…" or "#").
func (g *refGraph) resolve(ref string) (any, bool) {
	frag, local := strings.CutPrefix(ref, "#")
	if !local {
		return nil, false
	}
	if unescaped, err := url.PathUnescape(frag); err == nil {
		frag = unescaped
	}
	return jsonpointer.Get(g.doc, frag)
}

// asserts reports whether a schema says something of its own: a type, an
// enum, a const or required names.
func asserts(obj map[string]any) bool {
	switch t := obj["type"].(type) {
	case string:
		if t != "" {
			return true
		}
	case []any:
		if len(t) > 0 {
			return true
		}
	}
	if e, ok := obj["enum"].([]any); ok && len(e) > 0 {
		return true
	}
	if r, ok := obj["required"].([]any); ok && len(r) > 0 {
		return true
	}
	return obj["const"] != nil
}

// pointer is node i's JSON pointer, as a URI fragment.
func (g *refGraph) pointer(i int) string {
	var parts []string
	for ; i >= 0; i = g.nodes[i].parent {
		parts = append(parts, g.nodes[i].path)
	}
	var b strings.Builder
	b.WriteString("#")
	for j := len(parts) - 1; j >= 0; j-- {
		b.WriteString(parts[j])
	}
	return b.String()
}

// cycle finds a cycle and describes it: one that never enters a member or
// an item in any document, and one on which no schema asserts anything in
// an OpenAPI document, which kin-openapi reads (a JSON Schema file such as
// {"properties": {"foo": {"$ref": "#"}}} is a fine recursive schema, and
// only the schema engine reads it).
func (g *refGraph) cycle(openAPI bool) error {
	if path := g.find(func(e refEdge) bool { return e.inPlace }, func(int) bool { return true }); path != nil {
		return g.describe(path, "never enters a member or an item, so checking a value against it never ends")
	}
	if !openAPI {
		return nil
	}
	if path := g.find(func(refEdge) bool { return true }, func(i int) bool { return !g.nodes[i].asserts }); path != nil {
		return g.describe(path, "has no schema with a type, enum, const or required of its own, so OpenAPI tools recurse through it forever; give one a type")
	}
	return nil
}

// find returns the edges of a cycle through the nodes keep admits along
// the edges use admits, or nil; an iterative depth-first search, as a
// document may hold many thousands of schemas.
func (g *refGraph) find(use func(refEdge) bool, keep func(int) bool) []step {
	const (
		unseen = iota
		open
		done
	)
	state := make([]uint8, len(g.nodes))
	type frame struct{ node, next int }
	for root := range g.nodes {
		if state[root] != unseen || !keep(root) {
			continue
		}
		stack := []frame{{root, 0}}
		var path []step // the edges taken to reach the top of stack
		state[root] = open
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			edges := g.nodes[top.node].edges
			if top.next == len(edges) {
				state[top.node] = done
				stack = stack[:len(stack)-1]
				if len(path) > 0 {
					path = path[:len(path)-1]
				}
				continue
			}
			e := edges[top.next]
			top.next++
			if !use(e) || !keep(e.to) {
				continue
			}
			switch state[e.to] {
			case open:
				// The cycle runs from e.to's place on the stack to here.
				start := 0
				for j, f := range stack {
					if f.node == e.to {
						start = j
						break
					}
				}
				return append(append([]step(nil), path[start:]...), step{from: top.node, edge: e})
			case unseen:
				state[e.to] = open
				path = append(path, step{from: top.node, edge: e})
				stack = append(stack, frame{e.to, 0})
			}
		}
	}
	return nil
}

// step is one edge of a cycle, from a node.
type step struct {
	from int
	edge refEdge
}

// describe words a cycle in one line, at its first $ref.
func (g *refGraph) describe(path []step, why string) error {
	at := path[0]
	for _, s := range path {
		if s.edge.via == "$ref" {
			at = s
			break
		}
	}
	var through []string
	for _, s := range path {
		through = append(through, g.pointer(s.from))
	}
	if len(through) > 4 {
		through = append(through[:3], "…")
	}
	through = append(through, g.pointer(path[0].from))
	return fmt.Errorf("%s/%s: a $ref cycle (%s) that %s", g.pointer(at.from), at.edge.via, strings.Join(through, " → "), why)
}
