// Package infer writes JSON Schemas from sample values, in the house style
// of the bundled schemas: the type or types every sample took (null making
// a property nullable), a string format when every sample had it (date-time,
// uuid, email, uri), Unix timestamps told by their magnitude, the
// properties every object had as required, objects left open. It is what
// payhooks schemas init scaffolds a provider with.
package infer

import (
	"encoding/json"
	"maps"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Node gathers the values seen at one place of the samples.
type Node struct {
	seen  int
	kinds map[string]int // JSON kind → how many values

	// strings: which formats every string so far had
	dateTime, uuid, email, uri, spaceDateTime bool
	// integers: their range, for telling timestamps
	minInt, maxInt int64

	objects    int
	properties map[string]*Node
	order      []string // property names, sorted within each sample, in the order first seen
	present    map[string]int
	// extra gathers the values of the members of a map: once an object
	// place has shown more than MaxProperties names, the names seen in at
	// most half its objects (keys, not fields: order ids, dates) fold into
	// one node, and so does every name seen after.
	extra *Node
	items *Node
}

// MaxProperties is how many member names an object place keeps apart
// before the rare ones fold into one additionalProperties schema: the
// bound on what a place of a schema holds, whatever the samples.
const MaxProperties = 256

// New returns an empty node.
func New() *Node {
	return &Node{kinds: map[string]int{}, dateTime: true, uuid: true, email: true, uri: true, spaceDateTime: true}
}

// Add records one decoded value (as encoding/json decodes into any, with
// json.Number for numbers).
func (n *Node) Add(v any) {
	n.seen++
	kind := jsonscan.ValueKind(v)
	n.kinds[kind]++
	switch x := v.(type) {
	case string:
		n.dateTime = n.dateTime && isDateTime(x)
		n.uuid = n.uuid && isUUID(x)
		n.email = n.email && isEmail(x)
		n.uri = n.uri && isURI(x)
		n.spaceDateTime = n.spaceDateTime && isSpaceDateTime(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if n.kinds["integer"] == 1 || i < n.minInt {
				n.minInt = i
			}
			if n.kinds["integer"] == 1 || i > n.maxInt {
				n.maxInt = i
			}
		}
	case map[string]any:
		n.objects++
		if n.properties == nil {
			n.properties, n.present = map[string]*Node{}, map[string]int{}
		}
		for _, name := range slices.Sorted(maps.Keys(x)) {
			child, ok := n.properties[name]
			switch {
			case ok:
			case n.extra != nil:
				n.extra.Add(x[name])
				continue
			default:
				child = New()
				n.properties[name] = child
				n.order = append(n.order, name)
			}
			child.Add(x[name])
			n.present[name]++
		}
		n.foldIfWide()
	case []any:
		if n.items == nil {
			n.items = New()
		}
		for _, item := range x {
			n.items.Add(item)
		}
	}
}

// Schema returns the schema of everything added, as an ordered object. A
// place seen with values of several JSON types (null aside) becomes a
// oneOf of one schema per type, which the generator makes a union; null
// makes the type, or the union, nullable.
func (n *Node) Schema() *Object {
	types := n.types()
	nullable := slices.Contains(types, "null")
	kinds := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" })
	switch {
	case len(kinds) == 0 && nullable:
		s := &Object{}
		s.Set("type", "null")
		return s
	case len(kinds) == 0:
		return &Object{}
	case len(kinds) == 1:
		return n.kindSchema(kinds[0], nullable)
	}
	variants := make([]any, 0, len(kinds)+1)
	for _, k := range kinds {
		variants = append(variants, n.kindSchema(k, false))
	}
	if nullable {
		null := &Object{}
		null.Set("type", "null")
		variants = append(variants, null)
	}
	s := &Object{}
	s.Set("oneOf", variants)
	return s
}

// kindSchema is the schema of the values of one JSON type seen here:
// strings with the format every one had, integers with the timestamp unit
// their magnitude shows, objects with their properties (required when in
// every object), arrays with their items.
func (n *Node) kindSchema(kind string, nullable bool) *Object {
	s := &Object{}
	if nullable {
		s.Set("type", []string{kind, "null"})
	} else {
		s.Set("type", kind)
	}
	switch kind {
	case "string":
		switch {
		case n.dateTime:
			s.Set("format", "date-time")
		case n.spaceDateTime:
			s.Set("x-payhooks-timestamp", "2006-01-02 15:04:05")
		case n.uuid:
			s.Set("format", "uuid")
		case n.email:
			s.Set("format", "email")
		case n.uri:
			s.Set("format", "uri")
		}
	case "integer":
		switch {
		case n.minInt >= 1e9 && n.maxInt < 1e10:
			s.Set("x-payhooks-timestamp", "unix-seconds")
		case n.minInt >= 1e12 && n.maxInt < 1e13:
			s.Set("x-payhooks-timestamp", "unix-milliseconds")
		}
	case "object":
		var required []string
		props := &Object{}
		for _, name := range n.order {
			props.Set(name, n.properties[name].Schema())
			if n.present[name] == n.objects {
				required = append(required, name)
			}
		}
		if len(required) > 0 {
			s.Set("required", required)
		}
		if len(n.order) > 0 {
			s.Set("properties", props)
		}
		if n.extra != nil && n.extra.seen > 0 {
			s.Set("additionalProperties", n.extra.Schema())
		}
	case "array":
		if n.items != nil && n.items.seen > 0 {
			s.Set("items", n.items.Schema())
		}
	}
	return s
}

// foldIfWide folds the rare names of an object place that has shown more
// than MaxProperties into extra (see Node.extra).
func (n *Node) foldIfWide() {
	if n.extra != nil || len(n.order) <= MaxProperties {
		return
	}
	rare := func(name string) bool { return n.present[name]*2 <= n.objects }
	if !slices.ContainsFunc(n.order, rare) {
		return // a wide object whose names are fields: a struct
	}
	n.extra = New()
	kept := n.order[:0]
	for _, name := range n.order {
		if !rare(name) {
			kept = append(kept, name)
			continue
		}
		n.extra.Merge(n.properties[name])
		delete(n.properties, name)
		delete(n.present, name)
	}
	n.order = slices.Clip(kept)
}

// Extra is the node of the members folded as a map's (see
// MaxProperties), or nil.
func (n *Node) Extra() *Node { return n.extra }

// Property returns the node of an object property, or nil.
func (n *Node) Property(name string) *Node { return n.properties[name] }

// Properties lists the object properties in the order first seen, and
// whether each was in every object.
func (n *Node) Properties() (names []string, always map[string]bool) {
	always = map[string]bool{}
	for _, name := range n.order {
		always[name] = n.present[name] == n.objects
	}
	return n.order, always
}

// Types lists the JSON types seen, as the schema says them: integer folded
// into number when both were, null last.
func (n *Node) Types() []string { return n.types() }

// Seen is how many values were added.
func (n *Node) Seen() int { return n.seen }

// Merge adds everything o saw, as if its values had been added to n.
func (n *Node) Merge(o *Node) {
	if o == nil || o.seen == 0 {
		return
	}
	if o.kinds["integer"] > 0 {
		if n.kinds["integer"] == 0 || o.minInt < n.minInt {
			n.minInt = o.minInt
		}
		if n.kinds["integer"] == 0 || o.maxInt > n.maxInt {
			n.maxInt = o.maxInt
		}
	}
	n.seen += o.seen
	for k, c := range o.kinds {
		n.kinds[k] += c
	}
	n.dateTime = n.dateTime && o.dateTime
	n.uuid = n.uuid && o.uuid
	n.email = n.email && o.email
	n.uri = n.uri && o.uri
	n.spaceDateTime = n.spaceDateTime && o.spaceDateTime
	if o.properties != nil {
		if n.properties == nil {
			n.properties, n.present = map[string]*Node{}, map[string]int{}
		}
		for _, name := range o.order {
			child, ok := n.properties[name]
			switch {
			case ok:
			case n.extra != nil:
				n.extra.Merge(o.properties[name])
				continue
			default:
				child = New()
				n.properties[name] = child
				n.order = append(n.order, name)
			}
			child.Merge(o.properties[name])
			n.present[name] += o.present[name]
		}
	}
	if o.extra != nil {
		if n.extra == nil {
			n.extra = New()
		}
		n.extra.Merge(o.extra)
	}
	n.objects += o.objects
	n.foldIfWide()
	if o.items != nil {
		if n.items == nil {
			n.items = New()
		}
		n.items.Merge(o.items)
	}
}

// objectsOnly reports whether every value seen was an object.
func (n *Node) objectsOnly() bool { return n.seen > 0 && n.objects == n.seen }

// keys is the object property names seen, sorted, as one string: the
// shape objects share.
func (n *Node) keys() string {
	names := slices.Clone(n.order)
	slices.Sort(names)
	return strings.Join(names, "\x00")
}

// types lists the JSON types seen, integer folded into number when both
// were, null last.
func (n *Node) types() []string {
	var out []string
	for _, k := range []string{"object", "array", "string", "boolean"} {
		if n.kinds[k] > 0 {
			out = append(out, k)
		}
	}
	switch {
	case n.kinds["number"] > 0:
		out = append(out, "number")
	case n.kinds["integer"] > 0:
		out = append(out, "integer")
	}
	if n.kinds["null"] > 0 {
		out = append(out, "null")
	}
	return out
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// The formats are guessed only where the validator's check holds too (a
// schema must accept the samples it was made from), and narrower where
// payhooks wants less than the format allows: an RFC 3339 time Go parses,
// a bare address, an http(s) URL.

func isDateTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && jsonschema.Formats["date-time"](s)
}

func isSpaceDateTime(s string) bool {
	_, err := time.Parse("2006-01-02 15:04:05", s)
	return err == nil
}

func isUUID(s string) bool { return uuidPattern.MatchString(s) && jsonschema.Formats["uuid"](s) }

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && jsonschema.Formats["email"](s)
}

func isURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && jsonschema.Formats["uri"](s)
}
