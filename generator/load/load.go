// Package load reads a schema folder (JSON Schema 2020-12 files and OpenAPI
// 3.1 documents, compiled by santhosh-tekuri/jsonschema/v5 after the OpenAPI
// documents are checked by kin-openapi) into the generator's IR: it resolves
// every $ref, merges $ref/allOf chains into one struct, maps each schema to
// a Go type, names everything, sorts it, and rejects what Go cannot express
// or what would collide, with the schema file and JSON pointer, before
// anything is emitted.
package load

import (
	"fmt"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/generator/ir"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/openapicheck"
	"github.com/payhooks/payhooks/webhook"
)

// Options selects and names what Load produces.
type Options struct {
	// Providers limits loading to these provider folders (all when empty).
	Providers []string
	// Package names the Go package of every provider loaded; it is only
	// allowed with exactly one provider. Empty: the folder name.
	Package string
	// Events limits the one provider loaded to the events these patterns
	// match (all when empty): an event name, or a prefix ending in "*".
	// Only the types those events reach are loaded.
	Events []string
}

// ProvidersError is Load's error for Options.Providers naming a provider
// the schema folder does not have.
type ProvidersError struct{ Err error }

func (e *ProvidersError) Error() string { return e.Err.Error() }
func (e *ProvidersError) Unwrap() error { return e.Err }

// Load reads the providers of fsys into IR, sorted by name.
func Load(fsys fs.FS, opts Options) ([]*ir.Provider, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, err
	}
	selected := cat.Providers
	if len(opts.Providers) > 0 {
		selected = nil
		for _, name := range opts.Providers {
			p, err := cat.Find(name)
			if err != nil {
				return nil, &ProvidersError{err}
			}
			selected = append(selected, p)
		}
	}
	if opts.Package != "" {
		if err := CheckPackageName(opts.Package); err != nil {
			return nil, err
		}
	}
	if opts.Package != "" && len(selected) != 1 {
		return nil, fmt.Errorf("a package name can only be given for one provider, not %d", len(selected))
	}
	var selection *ir.Selection
	if len(opts.Events) > 0 {
		if len(selected) != 1 {
			names := make([]string, len(selected))
			for i, p := range selected {
				names[i] = p.Name
			}
			return nil, &EventsError{fmt.Errorf("events are chosen for one provider at a time, not %d (%s)", len(selected), strings.Join(names, ", "))}
		}
		selection = &ir.Selection{Patterns: opts.Events, Of: len(selected[0].Events)}
		p, err := selectEvents(selected[0], opts.Events)
		if err != nil {
			return nil, err
		}
		selected = []*catalog.Provider{p}
	}
	c, err := compile.NewCompiler(fsys, compile.Options{Annotations: true})
	if err != nil {
		return nil, err
	}
	var out []*ir.Provider
	for _, p := range selected {
		pkg := opts.Package
		if pkg == "" {
			pkg = packageName(p.Name)
		}
		ip, err := loadProvider(fsys, c, p, pkg)
		if err != nil {
			return nil, fmt.Errorf("generate provider %q: %w", p.Name, err)
		}
		ip.Selection = selection
		out = append(out, ip)
	}
	slices.SortFunc(out, func(a, b *ir.Provider) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// packageName makes a Go package name of a folder name.
func packageName(folder string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(folder) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || !unicode.IsLetter([]rune(name)[0]) {
		name = "p" + name
	}
	if token.IsKeyword(name) || name == "main" {
		name += "hooks" // a folder called "type", "func" or "main"
	}
	return name
}

// CheckPackageName fails unless name can be a Go package's name, which is
// also its folder's: an identifier, not a keyword, not the blank
// identifier, not main (a program, which nothing imports), and a name every
// file system takes for a folder (not con or nul, which Windows reserves).
func CheckPackageName(name string) error {
	switch {
	case token.IsKeyword(name):
		return fmt.Errorf("package name %q is a Go keyword", name)
	case !token.IsIdentifier(name):
		return fmt.Errorf("package name %q is not a Go identifier", name)
	case name == "_":
		return fmt.Errorf("package name %q is the blank identifier", name)
	case name == "main":
		return fmt.Errorf("package name %q names a program, which no package can import", name)
	}
	if err := catalog.PortableName(name); err != nil {
		return fmt.Errorf("package name %q cannot name a folder everywhere: %w", name, err)
	}
	return nil
}

// loader builds one provider's IR.
type loader struct {
	c     *compile.Compiler
	prov  *ir.Provider
	types map[string]*ir.Type // by schema location
	// building guards against a type that contains itself through a chain
	// of inline schemas before it has a name.
	building map[string]bool
	// keyed are the names that $defs and components/schemas keys and event
	// types claim: a type named after its place (parent type + field) or
	// its title yields them, whichever is met first, and takes a number.
	keyed map[string]bool
	// claimed are the package-level names the types registered so far
	// take: their own and their enum constants'.
	claimed map[string]bool
}

func loadProvider(fsys fs.FS, c *compile.Compiler, p *catalog.Provider, pkg string) (*ir.Provider, error) {
	// A scheme the runtime does not have would only fail when a handler is
	// built: fail here, where the schema is.
	if ptr, err := p.SignatureProblem(); err != nil {
		return nil, fmt.Errorf("%s#%s: %w", p.Root, ptr, err)
	}
	l := &loader{c: c, types: map[string]*ir.Type{}, building: map[string]bool{}, claimed: map[string]bool{}}
	var err error
	if l.keyed, err = keyedNames(fsys, p); err != nil {
		return nil, err
	}
	l.prov = &ir.Provider{
		Name:       p.Name,
		Package:    pkg,
		Title:      p.Title,
		Doc:        p.Description,
		Root:       p.Root,
		Addressing: p.Addressing,
		Signature:  signature(p),
	}
	if p.Kind == catalog.OpenAPI {
		if err := openapicheck.Check(fsys, p.Root); err != nil {
			return nil, err
		}
	} else {
		root, err := c.CompileAt(p.Root, "")
		if err != nil {
			return nil, fmt.Errorf("compile schema %q: %w", p.Root, err)
		}
		ref, _, err := l.typeRef(root, "Envelope")
		if err != nil {
			return nil, err
		}
		if ref.Kind == ir.Named {
			l.prov.Envelope = ref.Name
		}
	}
	// Events whose bodies are one schema (an OpenAPI document's webhooks
	// sharing a request body) name the types inside it after that schema,
	// not after whichever event comes first.
	compiled := make([]*jsonschema.Schema, len(p.Events))
	bodies := make([]*jsonschema.Schema, len(p.Events))
	sharing := map[string]int{}
	for i, e := range p.Events {
		s, err := c.CompileAt(e.Schema, e.Pointer)
		if err != nil {
			return nil, fmt.Errorf("compile event %q (%s#%s): %w", e.Name, e.Schema, e.Pointer, err)
		}
		compiled[i], bodies[i] = s, bodyOf(s)
		sharing[bodies[i].Location]++
	}
	for i, e := range p.Events {
		s, body := compiled[i], bodies[i]
		goName := GoName(e.Name)
		typeName := goName + "Event"
		var t *ir.Type
		var err error
		if sharing[body.Location] > 1 {
			t, err = l.structType(body, nameFor(body, typeName), false)
		} else {
			t, err = l.structType(s, typeName, true)
		}
		if err != nil {
			return nil, fmt.Errorf("generate event %q: %w", e.Name, err)
		}
		for _, f := range t.Fields {
			if f.GoName == "Name" {
				return nil, fmt.Errorf("generate event %q: %s#/properties/%s: property %q would become the field Name, which the Event interface's Name method uses", e.Name, e.Schema, jsonpointer.Escape(f.JSONName), f.JSONName)
			}
		}
		if t.Name != typeName {
			// Two events with one schema (an OpenAPI document's webhooks
			// sharing a request body): each gets a type of its own, with
			// the same fields, since an event type names its event.
			shared := *t
			shared.Name = typeName
			t = &shared
			l.types["event "+e.Name] = t
		}
		t.From, t.File = e.Schema, goFile(e.Name)
		l.prov.Events = append(l.prov.Events, &ir.Event{Name: e.Name, GoName: goName, Type: typeName, Summary: e.Title, Doc: e.Description, Source: e.Schema})
	}
	for _, t := range l.types {
		l.prov.Types = append(l.prov.Types, t)
	}
	slices.SortFunc(l.prov.Types, func(a, b *ir.Type) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(l.prov.Events, func(a, b *ir.Event) int { return strings.Compare(a.Name, b.Name) })
	if err := checkCollisions(l.prov); err != nil {
		return nil, err
	}
	return l.prov, nil
}

// bodyOf is the schema an event's body is: through a bare $ref, the
// schema it names.
func bodyOf(s *jsonschema.Schema) *jsonschema.Schema {
	for s.Ref != nil && !hasOwnShape(s) {
		s = s.Ref
	}
	return s
}

// signature is the provider's signing scheme in the IR's terms.
func signature(p *catalog.Provider) ir.Signature {
	sig := ir.Signature{Scheme: p.Signature.Name, Header: p.Signature.Header, Env: webhook.EnvNames(p.Name, p.Signature)}
	if h := p.Signature.HMAC; h != nil {
		sig.HMAC = &ir.HMAC{Digest: h.Digest, Encoding: h.Encoding, Prefix: h.Prefix, Key: h.Key, Message: h.Message}
	}
	return sig
}

// where names a schema for messages: "finmo/finmo.json#/$defs/checkout".
func (l *loader) where(s *jsonschema.Schema) string { return l.c.PathOf(s.Location) }

// fileOf is the schema path a location lives in.
func (l *loader) fileOf(s *jsonschema.Schema) string {
	file, _, _ := strings.Cut(l.where(s), "#")
	return file
}

// defName returns the key of a schema declared under $defs or
// components/schemas, which names its Go type.
func defName(s *jsonschema.Schema) (string, bool) {
	_, frag, _ := strings.Cut(s.Location, "#")
	parts := strings.Split(frag, "/")
	n := len(parts)
	if n >= 2 && (parts[n-2] == "$defs" || parts[n-2] == "definitions") {
		return parts[n-1], true
	}
	if n >= 3 && parts[n-3] == "components" && parts[n-2] == "schemas" {
		return parts[n-1], true
	}
	return "", false
}

// nameFor picks the Go name of a schema that becomes a type: its $defs key,
// else its title, else the hint its use suggests (parent type + field).
func nameFor(s *jsonschema.Schema, hint string) string {
	if key, ok := defName(s); ok {
		return GoName(key)
	}
	if s.Title != "" {
		return GoName(s.Title)
	}
	return hint
}

// typeName is nameFor, made free when it does not come from a key: a
// title or a place may repeat a key's name or another title (Stripe's
// balance_transaction.source beside balance_transaction_source), and the
// one not keyed gives way with a number.
// An enum's constants (the name followed by each of consts) must be free
// too.
func (l *loader) typeName(s *jsonschema.Schema, hint string, consts ...string) string {
	name := nameFor(s, hint)
	if _, keyed := defName(s); keyed {
		return name
	}
	taken := func(n string) bool {
		if l.keyed[n] || l.claimed[n] {
			return true
		}
		for _, c := range consts {
			if l.keyed[n+c] || l.claimed[n+c] {
				return true
			}
		}
		return false
	}
	free := name
	for i := 2; taken(free); i++ {
		free = name + strconv.Itoa(i)
	}
	return free
}

// docOf joins a schema's title and description into a doc paragraph.
func docOf(s *jsonschema.Schema) string {
	switch {
	case s.Description != "":
		return s.Description
	case s.Title != "":
		return s.Title + "."
	}
	return ""
}

// unsupported reports keywords that shape a value in ways a Go type cannot
// carry.
func (l *loader) unsupported(s *jsonschema.Schema) error {
	var kw string
	switch {
	case s.Not != nil:
		kw = "not"
	case s.If != nil:
		kw = "if"
	case len(s.PatternProperties) > 0:
		kw = "patternProperties"
	case len(s.DependentSchemas) > 0:
		kw = "dependentSchemas"
	case s.UnevaluatedProperties != nil:
		kw = "unevaluatedProperties"
	case s.UnevaluatedItems != nil:
		kw = "unevaluatedItems"
	case len(s.PrefixItems) > 0:
		kw = "prefixItems"
	case s.DynamicRef != nil || s.RecursiveRef != nil:
		kw = "$dynamicRef"
	default:
		if _, tuple := s.Items.([]*jsonschema.Schema); tuple {
			kw = "items (tuple form)"
		}
	}
	if kw != "" {
		return fmt.Errorf("%s: unsupported keyword %q: payhooks cannot express it as a Go type", l.where(s), kw)
	}
	return nil
}

// hasOwnShape reports whether a schema declares properties of its own or
// through allOf, so that it must become a merged struct rather than just
// follow its $ref.
func hasOwnShape(s *jsonschema.Schema) bool {
	return len(s.Properties) > 0 || len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0
}

// typeRef maps a schema to a Go type, and says whether it admits null.
func (l *loader) typeRef(s *jsonschema.Schema, hint string) (*ir.TypeRef, bool, error) {
	if err := l.unsupported(s); err != nil {
		return nil, false, err
	}
	// A bare $ref (siblings only annotate) is the referenced type.
	if s.Ref != nil && !hasOwnShape(s) && len(s.Types) == 0 && len(s.Enum) == 0 {
		return l.typeRef(s.Ref, hint)
	}
	nullable := false
	var types []string
	for _, t := range s.Types {
		if t == "null" {
			nullable = true
			continue
		}
		types = append(types, t)
	}
	ext := compile.Extensions(s)
	switch {
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0:
		return l.unionRef(s, hint, nullable)
	case len(s.Enum) > 0:
		return l.enumRef(s, hint, nullable)
	case len(s.Constant) > 0:
		switch s.Constant[0].(type) {
		case string:
			return &ir.TypeRef{Kind: ir.String}, nullable, nil
		case bool:
			return &ir.TypeRef{Kind: ir.Bool}, nullable, nil
		case nil:
			return &ir.TypeRef{Kind: ir.Raw}, true, nil
		}
		return &ir.TypeRef{Kind: ir.Decimal}, nullable, nil
	case ext["known-values"] != nil:
		return l.enumRef(s, hint, nullable)
	case len(s.Properties) > 0 || len(s.AllOf) > 0 || s.Ref != nil:
		t, err := l.structType(s, hint, false)
		if err != nil {
			return nil, false, err
		}
		return &ir.TypeRef{Kind: ir.Named, Name: t.Name}, nullable, nil
	}
	if len(types) > 1 {
		return nil, false, fmt.Errorf("%s: type %v has several non-null types: write a oneOf so each becomes a union variant", l.where(s), s.Types)
	}
	if len(types) == 0 {
		// No type at all: the schema leaves the value open ({} or only
		// annotations); keep it as raw JSON.
		return &ir.TypeRef{Kind: ir.Raw}, true, nil
	}
	timestamp, _ := ext["timestamp"].(string)
	if ext["timestamp"] != nil && timestamp == "" {
		return nil, false, fmt.Errorf("%s: x-payhooks-timestamp must be a string", l.where(s))
	}
	switch types[0] {
	case "string":
		switch {
		case timestamp == webhookDateTimeLayout:
			return &ir.TypeRef{Kind: ir.DateTime}, nullable, nil
		case timestamp != "":
			return nil, false, fmt.Errorf("%s: unsupported x-payhooks-timestamp %q for a string (supported: %q, or format date-time)", l.where(s), timestamp, webhookDateTimeLayout)
		case s.Format == "date-time":
			return &ir.TypeRef{Kind: ir.Time}, nullable, nil
		}
		return &ir.TypeRef{Kind: ir.String}, nullable, nil
	case "integer", "number":
		switch timestamp {
		case "unix-seconds":
			return &ir.TypeRef{Kind: ir.UnixSeconds}, nullable, nil
		case "unix-milliseconds":
			return &ir.TypeRef{Kind: ir.UnixMillis}, nullable, nil
		case "":
		default:
			return nil, false, fmt.Errorf("%s: unsupported x-payhooks-timestamp %q for a number (supported: unix-seconds, unix-milliseconds)", l.where(s), timestamp)
		}
		if types[0] == "integer" {
			return &ir.TypeRef{Kind: ir.Int64}, nullable, nil
		}
		return &ir.TypeRef{Kind: ir.Decimal}, nullable, nil
	case "boolean":
		return &ir.TypeRef{Kind: ir.Bool}, nullable, nil
	case "array":
		item := s.Items2020
		if it, ok := s.Items.(*jsonschema.Schema); ok && item == nil {
			item = it
		}
		if item == nil {
			return &ir.TypeRef{Kind: ir.Slice, Elem: &ir.TypeRef{Kind: ir.Raw}}, nullable, nil
		}
		elem, _, err := l.typeRef(item, hint+"Item")
		if err != nil {
			return nil, false, err
		}
		return &ir.TypeRef{Kind: ir.Slice, Elem: elem}, nullable, nil
	case "object":
		if ap, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
			elem, _, err := l.typeRef(ap, hint+"Value")
			if err != nil {
				return nil, false, err
			}
			return &ir.TypeRef{Kind: ir.Map, Elem: elem}, nullable, nil
		}
		// A free-form object (metadata): its values are whatever JSON came.
		return &ir.TypeRef{Kind: ir.Map, Elem: &ir.TypeRef{Kind: ir.Raw}}, nullable, nil
	}
	return nil, false, fmt.Errorf("%s: unsupported type %q", l.where(s), types[0])
}

// webhookDateTimeLayout is the one Go time layout webhook.DateTime reads.
const webhookDateTimeLayout = "2006-01-02 15:04:05"

// register adds a named type under a schema location, or fails when the
// name is taken by another schema.
func (l *loader) register(s *jsonschema.Schema, t *ir.Type) error {
	for _, other := range l.types {
		if other.Name == t.Name {
			return fmt.Errorf("name collision: %s and %s both become the Go type %q; give one a distinct title or $defs key", other.Source, t.Source, t.Name)
		}
	}
	l.types[s.Location] = t
	l.claimed[t.Name] = true
	for _, v := range t.Values {
		l.claimed[t.Name+v.GoName] = true
	}
	return nil
}

// newType starts a named type, placed in the generated file of the schema
// it comes from.
func (l *loader) newType(s *jsonschema.Schema, name string, kind ir.TypeKind) *ir.Type {
	from := l.fileOf(s)
	return &ir.Type{Name: name, Kind: kind, Doc: docOf(s), Source: l.where(s), From: from, File: outName(from)}
}

func (l *loader) enumRef(s *jsonschema.Schema, hint string, nullable bool) (*ir.TypeRef, bool, error) {
	var values []string
	open := false
	if len(s.Enum) > 0 {
		if kind, ok := plainEnum(s); ok {
			return &ir.TypeRef{Kind: kind}, nullable || slices.Contains(s.Enum, nil), nil
		}
		for _, v := range s.Enum {
			switch str := v.(type) {
			case string:
				values = append(values, str)
			case nil:
				nullable = true
			default:
				return nil, false, fmt.Errorf("%s: unsupported enum value %v: only string enums become Go constants", l.where(s), v)
			}
		}
	} else {
		open = true
		list, ok := compile.Extensions(s)["known-values"].([]any)
		if !ok {
			return nil, false, fmt.Errorf("%s: x-payhooks-known-values must be an array of strings", l.where(s))
		}
		for _, v := range list {
			str, ok := v.(string)
			if !ok {
				return nil, false, fmt.Errorf("%s: x-payhooks-known-values must be an array of strings", l.where(s))
			}
			values = append(values, str)
		}
	}
	if len(values) == 1 && !open {
		// A one-value enum is a constant (Augustus's type: [event name]).
		return &ir.TypeRef{Kind: ir.String}, nullable, nil
	}
	if t, ok := l.types[s.Location]; ok {
		return &ir.TypeRef{Kind: ir.Named, Name: t.Name}, nullable, nil
	}
	seen := map[string]string{}
	var consts []ir.EnumValue
	var goNames []string
	for _, v := range values {
		goName := GoName(v)
		if prev, dup := seen[goName]; dup {
			return nil, false, fmt.Errorf("%s: name collision: enum values %q and %q both become the constant %s%s", l.where(s), prev, v, nameFor(s, hint), goName)
		}
		seen[goName] = v
		consts = append(consts, ir.EnumValue{GoName: goName, Value: v})
		goNames = append(goNames, goName)
	}
	t := l.newType(s, l.typeName(s, hint, goNames...), ir.Enum)
	t.Open = open
	t.Values = consts
	if err := l.register(s, t); err != nil {
		return nil, false, err
	}
	return &ir.TypeRef{Kind: ir.Named, Name: t.Name}, nullable, nil
}

// plainEnum reads an enum of booleans only (Stripe's deleted: {enum:
// [true]}) as the plain bool it restricts: Go has no constants of a bool
// type worth naming, and the drift check still holds the value to the list.
func plainEnum(s *jsonschema.Schema) (ir.RefKind, bool) {
	seen := false
	for _, v := range s.Enum {
		switch v.(type) {
		case bool:
			seen = true
		case nil:
		default:
			return 0, false
		}
	}
	return ir.Bool, seen
}

// structType builds (once) the struct for an object schema, merging every
// schema that applies in place. With force, hint is the name whatever the
// schema suggests (event types are named after their event).
func (l *loader) structType(s *jsonschema.Schema, hint string, force bool) (*ir.Type, error) {
	if t, ok := l.types[s.Location]; ok {
		return t, nil
	}
	// A bare $ref is the referenced struct.
	if body := bodyOf(s); body != s {
		return l.structType(body, hint, force)
	}
	if l.building[s.Location] {
		return nil, fmt.Errorf("%s: the schema contains itself without a named type in between; move it under $defs", l.where(s))
	}
	l.building[s.Location] = true
	defer delete(l.building, s.Location)

	name := hint
	if !force {
		name = l.typeName(s, hint)
	}
	t := l.newType(s, name, ir.Struct)
	shape := compile.ShapeOf(s)
	for _, cs := range shape.Applied {
		if err := l.unsupported(cs); err != nil {
			return nil, err
		}
		if len(cs.OneOf) > 0 || len(cs.AnyOf) > 0 {
			return nil, fmt.Errorf("%s: unsupported: oneOf/anyOf beside properties; make the union a property of its own", l.where(cs))
		}
		if t.Doc == "" {
			t.Doc = docOf(cs)
		}
	}
	props := shape.Properties
	// Register before building fields so self-references resolve to it.
	if err := l.register(s, t); err != nil {
		return nil, err
	}
	byGoName := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		chosen := richest(props[name])
		goName := GoName(name)
		if prev, dup := byGoName[goName]; dup {
			return nil, fmt.Errorf("%s: name collision: properties %q and %q both become the field %s.%s", l.where(s), prev, name, t.Name, goName)
		}
		if why, reserved := reservedFields[goName]; reserved {
			return nil, fmt.Errorf("%s/properties/%s: property %q would become the field %s, which %s", l.where(s), jsonpointer.Escape(name), name, goName, why)
		}
		byGoName[goName] = name
		ref, nullable, err := l.typeRef(chosen, t.Name+goName)
		if err != nil {
			return nil, err
		}
		doc := ""
		for _, ps := range props[name] {
			if doc = docOf(ps); doc != "" {
				break
			}
		}
		if doc == "" {
			doc = docOf(resolve(chosen))
		}
		t.Fields = append(t.Fields, &ir.Field{GoName: goName, JSONName: name, Doc: doc, Type: ref, Required: slices.Contains(shape.Required, name), Nullable: nullable})
	}
	// Every field has a getter, Get<Field>: another field must not be
	// called that.
	for _, f := range t.Fields {
		if other, clash := byGoName["Get"+f.GoName]; clash {
			return nil, fmt.Errorf("%s/properties/%s: property %q would become the field %s.Get%s, the name of property %q's getter", l.where(s), jsonpointer.Escape(other), other, t.Name, f.GoName, f.JSONName)
		}
	}
	return t, nil
}

// reservedFields are the names every generated struct uses itself.
var reservedFields = map[string]string{
	"Extra":         "holds unknown properties",
	"MarshalJSON":   "is the type's JSON encoding method",
	"UnmarshalJSON": "is the type's JSON decoding method",
}

// resolve follows bare $refs to the schema that carries the structure.
func resolve(s *jsonschema.Schema) *jsonschema.Schema {
	for s.Ref != nil && !hasOwnShape(s) && len(s.Types) == 0 && len(s.Enum) == 0 {
		s = s.Ref
	}
	return s
}

// richest picks, among the schemas that declare one property along a
// $ref/allOf chain, the one that says most about its shape: a struct, union
// or enum over a plain type, a plain type over a lone const.
func richest(list []*jsonschema.Schema) *jsonschema.Schema {
	best, bestScore := list[0], -1
	for _, s := range list {
		r := resolve(s)
		score := 0
		switch {
		case hasOwnShape(r) || s.Ref != nil:
			score = 4
		case len(r.Enum) > 1 || compile.Extensions(r)["known-values"] != nil:
			score = 3
		case len(r.Types) > 0 || r.Items2020 != nil || r.AdditionalProperties != nil:
			score = 2
		case len(r.Constant) > 0 || len(r.Enum) == 1:
			score = 1
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

// checkCollisions rejects two package-level identifiers with one name.
func checkCollisions(p *ir.Provider) error {
	seen := map[string]string{}
	claim := func(name, what string) error {
		if prev, dup := seen[name]; dup {
			return fmt.Errorf("name collision: %s and %s both become %q", prev, what, name)
		}
		seen[name] = what
		return nil
	}
	for _, fixed := range ir.Reserved {
		if err := claim(fixed, "the generated "+fixed); err != nil {
			return err
		}
	}
	for _, t := range p.Types {
		if err := claim(t.Name, "the type of "+t.Source); err != nil {
			return err
		}
		for _, v := range t.Values {
			if err := claim(t.Name+v.GoName, fmt.Sprintf("the constant for %q of %s", v.Value, t.Source)); err != nil {
				return err
			}
		}
	}
	for _, e := range p.Events {
		if err := claim("Event"+e.GoName, fmt.Sprintf("the constant for event %q", e.Name)); err != nil {
			return err
		}
	}
	return nil
}

// outName is the generated file a schema path's types go to.
func outName(schemaPath string) string {
	return goFile(strings.TrimSuffix(path.Base(schemaPath), ".json"))
}

// SnakeName turns a wire name into a lower-case file name part:
// CHECKOUT_COMPLETED and checkout.paid → checkout_completed, checkout_paid.
func SnakeName(s string) string {
	var parts []string
	for _, w := range words(s) {
		parts = append(parts, strings.ToLower(w))
	}
	return strings.Join(parts, "_")
}
