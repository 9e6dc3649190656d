package bundle

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Change is one difference between two bundles, classified like drift:
// breaking when a payload valid before may now fail (a removed property, a
// new required one, a removed type or enum value), warning when a check
// changes in ways receivers should look at (a new enum value, a changed
// format or pattern, a member now expected), info when payloads only gain
// room (an added optional property, a new event, a member no longer
// expected).
type Change struct {
	Severity drift.Severity `json:"severity"`
	Provider string         `json:"provider"`
	Event    string         `json:"event"`
	// Pointer is where in a payload the change applies; "*" stands for any
	// array index.
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// Class is one kind of change between two schemas: the severity it
// carries and its wording (fmt verbs for the details). The classes below
// are the table Diff classifies by; payhooks schemas learn words the effect
// of a proposal on consumers with the same classes.
type Class struct {
	Severity drift.Severity
	Format   string
}

// Message words a change of class c.
func (c Class) Message(a ...any) string { return fmt.Sprintf(c.Format, a...) }

// The classes of change, by severity: breaking when a payload valid before
// may now fail, warning when a check changes in ways receivers should look
// at, info when payloads only gain room.
var (
	ProviderRemoved       = Class{drift.Breaking, "provider removed"}
	EventRemoved          = Class{drift.Breaking, "event removed"}
	TypeRemoved           = Class{drift.Breaking, "no longer accepts %s"}
	EnumValueRemoved      = Class{drift.Breaking, "enum value %s removed"}
	EnumAdded             = Class{drift.Breaking, "now restricted to the values %s"}
	PropertyRemoved       = Class{drift.Breaking, "property removed"}
	NowRequired           = Class{drift.Breaking, "property is now required"}
	RequiredPropertyAdded = Class{drift.Breaking, "required property added"}
	VariantRemoved        = Class{drift.Breaking, "union variant %d removed"}

	EnumValueAdded        = Class{drift.Warning, "new enum value %s"}
	FormatChanged         = Class{drift.Warning, "format changed from %q to %q"}
	PatternChanged        = Class{drift.Warning, "pattern changed from %q to %q"}
	FormatDropped         = Class{drift.Warning, "format %q dropped"}
	PatternDropped        = Class{drift.Warning, "pattern %q dropped"}
	NowExpected           = Class{drift.Warning, "property is now expected (every documented sample shows it)"}
	ExpectedPropertyAdded = Class{drift.Warning, "expected property added"}

	ProviderAdded         = Class{drift.Info, "provider added"}
	EventAdded            = Class{drift.Info, "event added"}
	TypeAdded             = Class{drift.Info, "now also accepts %s"}
	EnumRemoved           = Class{drift.Info, "no longer restricted to an enum"}
	NoLongerRequired      = Class{drift.Info, "property is no longer required"}
	NoLongerExpected      = Class{drift.Info, "property is no longer expected"}
	OptionalPropertyAdded = Class{drift.Info, "optional property added"}
	VariantAdded          = Class{drift.Info, "union variant %d added"}

	// Not compared by Diff: payhooks schemas learn words its proposals
	// that change these with them.
	MembersDeclared = Class{drift.Info, "other members declared (schemas diff does not compare additionalProperties)"}
	LengthDropped   = Class{drift.Info, "%s removed: payloads gain room (schemas diff does not compare lengths)"}
)

// Diff compares the bundles in old and new (folders written by Export).
func Diff(old, new fs.FS) ([]Change, Index, Index, error) {
	oi, err := readIndex(old)
	if err != nil {
		return nil, oi, Index{}, fmt.Errorf("old bundle: %w", err)
	}
	ni, err := readIndex(new)
	if err != nil {
		return nil, oi, ni, fmt.Errorf("new bundle: %w", err)
	}
	d := &differ{}
	oldProviders := map[string]IndexProvider{}
	for _, p := range oi.Providers {
		oldProviders[p.Name] = p
	}
	newProviders := map[string]IndexProvider{}
	for _, p := range ni.Providers {
		newProviders[p.Name] = p
	}
	for _, name := range slices.Sorted(maps.Keys(oldProviders)) {
		if _, ok := newProviders[name]; !ok {
			d.add(ProviderRemoved, name, "", "")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(newProviders)) {
		np := newProviders[name]
		op, ok := oldProviders[name]
		if !ok {
			d.add(ProviderAdded, name, "", "")
			continue
		}
		oldEvents, newEvents := eventFiles(op), eventFiles(np)
		for _, e := range slices.Sorted(maps.Keys(oldEvents)) {
			if _, ok := newEvents[e]; !ok {
				d.add(EventRemoved, name, e, "")
			}
		}
		for _, e := range slices.Sorted(maps.Keys(newEvents)) {
			if _, ok := oldEvents[e]; !ok {
				d.add(EventAdded, name, e, "")
				continue
			}
			os, err := readSchema(old, oldEvents[e])
			if err != nil {
				return nil, oi, ni, fmt.Errorf("old bundle: %w", err)
			}
			ns, err := readSchema(new, newEvents[e])
			if err != nil {
				return nil, oi, ni, fmt.Errorf("new bundle: %w", err)
			}
			d.provider, d.event = name, e
			d.compareEvent(side{os, []any{os}}, side{ns, []any{ns}})
		}
	}
	slices.SortStableFunc(d.changes, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()), // most severe first
			strings.Compare(a.Provider, b.Provider), strings.Compare(a.Event, b.Event), strings.Compare(a.Pointer, b.Pointer))
	})
	return d.changes, oi, ni, nil
}

// Listed is every file an index.json lists: what payhooks schemas export
// wrote into a bundle folder (nothing when data is not an index).
func Listed(data []byte) map[string]bool {
	var idx Index
	listed := map[string]bool{}
	if json.Unmarshal(data, &idx) != nil {
		return listed
	}
	for _, p := range idx.Providers {
		for _, f := range []string{p.OpenAPI, p.Envelope, p.StrictEnvelope} {
			listed[f] = f != ""
		}
		for _, e := range p.Events {
			listed[e.Schema], listed[e.StrictSchema] = e.Schema != "", e.StrictSchema != ""
		}
	}
	return listed
}

func readIndex(fsys fs.FS) (Index, error) {
	var idx Index
	data, err := fs.ReadFile(fsys, "index.json")
	if err != nil {
		return idx, err
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		return idx, fmt.Errorf("index.json: %w", err)
	}
	return idx, nil
}

func readSchema(fsys fs.FS, name string) (map[string]any, error) {
	data, err := compile.ReadDocument(fsys, name)
	if err != nil {
		return nil, err
	}
	v, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a schema object", name)
	}
	return m, nil
}

// eventFiles maps each event to the schema a diff reads: the strict
// flavour, which keeps every claim (the default one turns enums into
// examples), or the only one a bundle from before the flavours has.
func eventFiles(p IndexProvider) map[string]string {
	out := map[string]string{}
	for _, e := range p.Events {
		out[e.Name] = e.Schema
		if e.StrictSchema != "" {
			out[e.Name] = e.StrictSchema
		}
	}
	return out
}

type differ struct {
	provider, event string
	changes         []Change
}

func (d *differ) add(c Class, provider, event, ptr string, a ...any) {
	d.changes = append(d.changes, Change{Severity: c.Severity, Provider: provider, Event: event, Pointer: ptr, Message: c.Message(a...)})
}

func (d *differ) note(c Class, ptr string, a ...any) {
	d.add(c, d.provider, d.event, ptr, a...)
}

// keyword notes a change of a string keyword's values (format, pattern)
// at ptr: dropped when the new schemas have none, changed otherwise.
func (d *differ) keyword(changed, dropped Class, ptr string, old, new []string) {
	was, is := strings.Join(old, ","), strings.Join(new, ",")
	switch {
	case was == is:
	case len(new) == 0:
		d.note(dropped, ptr, was)
	default:
		d.note(changed, ptr, was, is)
	}
}

// side is the schemas applying at one place of one bundle's event, with
// the self-contained document their local $refs resolve in.
type side struct {
	doc     map[string]any
	schemas []any
}

// view is what the schemas at one place say, merged through $ref and allOf.
type view struct {
	types    map[string]bool
	props    map[string][]any
	required map[string]bool
	// expected are the members marked x-payhooks-expected, which the
	// strict flavour a diff reads also requires: a warning, not a claim.
	expected map[string]bool
	enum     []string
	hasEnum  bool
	format   []string
	pattern  []string
	items    []any
	variants [][]any
}

func (s side) view() view {
	v := view{types: map[string]bool{}, props: map[string][]any{}, required: map[string]bool{}, expected: map[string]bool{}}
	seen := map[string]bool{}
	var walk func(node any, depth int)
	walk = func(node any, depth int) {
		m, ok := node.(map[string]any)
		if !ok || depth > 64 {
			return
		}
		if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") && !seen[ref] {
			seen[ref] = true
			if target, ok := jsonpointer.Get(s.doc, strings.TrimPrefix(ref, "#")); ok {
				walk(target, depth+1)
			}
		}
		for _, a := range asList(m["allOf"]) {
			walk(a, depth+1)
		}
		switch t := m["type"].(type) {
		case string:
			v.types[t] = true
		case []any:
			for _, x := range t {
				if s, ok := x.(string); ok {
					v.types[s] = true
				}
			}
		}
		if props, ok := m["properties"].(map[string]any); ok {
			for name, p := range props {
				v.props[name] = append(v.props[name], p)
				if pm, ok := p.(map[string]any); ok && pm["x-payhooks-expected"] != nil {
					v.expected[name] = true
				}
			}
		}
		for _, r := range asList(m["required"]) {
			if name, ok := r.(string); ok {
				v.required[name] = true
			}
		}
		if e, ok := m["enum"].([]any); ok {
			v.hasEnum = true
			for _, x := range e {
				v.enum = append(v.enum, fmt.Sprint(x))
			}
		}
		if f, ok := m["format"].(string); ok {
			v.format = append(v.format, f)
		}
		if p, ok := m["pattern"].(string); ok {
			v.pattern = append(v.pattern, p)
		}
		if it, ok := m["items"]; ok {
			v.items = append(v.items, it)
		}
		for _, key := range []string{"oneOf", "anyOf"} {
			for _, variant := range asList(m[key]) {
				v.variants = append(v.variants, []any{variant})
			}
		}
	}
	for _, sc := range s.schemas {
		walk(sc, 0)
	}
	return v
}

// claimsRequired reports whether a document requires the member (the
// strict flavour's required list names expected members too).
func (v view) claimsRequired(name string) bool { return v.required[name] && !v.expected[name] }

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// pair is one place to compare: what the old and new bundle declare
// there.
type pair struct {
	old, new side
	ptr      string
}

// compareEvent compares an event's schemas place by place, breadth first,
// so that each change is reported at the shortest payload path it shows
// at. Definitions reached through $ref are compared once per event: a
// resource one event reaches by a thousand paths (Stripe's customer,
// through every expandable field) changes once, at the first of them;
// without that, the paths of a large document grow exponentially with
// their depth.
func (d *differ) compareEvent(old, new side) {
	queue := []pair{{old, new, ""}}
	seen := map[string]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if key, shared := refKey(p.old, p.new); shared {
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		queue = d.compare(p.old, p.new, p.ptr, queue)
	}
}

// refKey names a pair of places by the definitions their schemas refer
// to; shared is false when a side holds a schema written in place, which
// only its one place reaches.
func refKey(old, new side) (string, bool) {
	var b strings.Builder
	for _, s := range [2]side{old, new} {
		for _, sc := range s.schemas {
			m, _ := sc.(map[string]any)
			ref, ok := m["$ref"].(string)
			if !ok || len(m) != 1 {
				return "", false
			}
			b.WriteString(ref + " ")
		}
		b.WriteString("| ")
	}
	return b.String(), true
}

// compare reports what changed at one place and returns queue with the
// places below it appended.
func (d *differ) compare(old, new side, ptr string, queue []pair) []pair {
	if strings.Count(ptr, "/") > 32 {
		return queue // a schema that contains itself: deep enough
	}
	ov, nv := old.view(), new.view()
	at := ptr
	if len(nv.types) > 0 {
		for _, t := range slices.Sorted(maps.Keys(ov.types)) {
			if !nv.types[t] {
				d.note(TypeRemoved, at, t)
			}
		}
	}
	if len(ov.types) > 0 {
		for _, t := range slices.Sorted(maps.Keys(nv.types)) {
			if !ov.types[t] {
				d.note(TypeAdded, at, t)
			}
		}
	}
	switch {
	case ov.hasEnum && nv.hasEnum:
		for _, x := range minus(nv.enum, ov.enum) {
			d.note(EnumValueAdded, at, strconv.Quote(x))
		}
		for _, x := range minus(ov.enum, nv.enum) {
			d.note(EnumValueRemoved, at, strconv.Quote(x))
		}
	case nv.hasEnum:
		d.note(EnumAdded, at, strings.Join(nv.enum, ", "))
	case ov.hasEnum:
		d.note(EnumRemoved, at)
	}
	d.keyword(FormatChanged, FormatDropped, at, ov.format, nv.format)
	d.keyword(PatternChanged, PatternDropped, at, ov.pattern, nv.pattern)
	for _, name := range slices.Sorted(maps.Keys(ov.props)) {
		p := jsonpointer.Append(ptr, name)
		if _, ok := nv.props[name]; !ok {
			d.note(PropertyRemoved, p)
			continue
		}
		switch oldReq, newReq := ov.claimsRequired(name), nv.claimsRequired(name); {
		case newReq && !oldReq:
			d.note(NowRequired, p)
		case oldReq && !newReq:
			d.note(NoLongerRequired, p)
		}
		switch {
		case nv.expected[name] && !ov.expected[name] && !nv.claimsRequired(name):
			d.note(NowExpected, p)
		case ov.expected[name] && !nv.expected[name]:
			d.note(NoLongerExpected, p)
		}
		queue = append(queue, pair{side{old.doc, ov.props[name]}, side{new.doc, nv.props[name]}, p})
	}
	for _, name := range slices.Sorted(maps.Keys(nv.props)) {
		if _, ok := ov.props[name]; !ok {
			switch {
			case nv.claimsRequired(name):
				d.note(RequiredPropertyAdded, jsonpointer.Append(ptr, name))
			case nv.expected[name]:
				d.note(ExpectedPropertyAdded, jsonpointer.Append(ptr, name))
			default:
				d.note(OptionalPropertyAdded, jsonpointer.Append(ptr, name))
			}
		}
	}
	if len(ov.items) > 0 && len(nv.items) > 0 {
		queue = append(queue, pair{side{old.doc, ov.items}, side{new.doc, nv.items}, ptr + "/*"})
	}
	for i := range ov.variants {
		if i >= len(nv.variants) {
			d.note(VariantRemoved, at, i+1)
			continue
		}
		queue = append(queue, pair{side{old.doc, ov.variants[i]}, side{new.doc, nv.variants[i]}, at})
	}
	for i := len(ov.variants); i < len(nv.variants); i++ {
		d.note(VariantAdded, at, i+1)
	}
	return queue
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// Changelog renders changes as Markdown.
func Changelog(changes []Change, old, new Index) string {
	var b strings.Builder
	// Versions, names and pointers come from the bundles: each line goes out
	// escaped (package safetext), on a terminal and in CHANGELOG.md alike.
	fmt.Fprintf(&b, "%s\n", safetext.Escape(fmt.Sprintf("# payhooks schemas %s → %s", orDefault(old.Version, "?"), orDefault(new.Version, "?"))))
	if len(changes) == 0 {
		b.WriteString("\nNo changes.\n")
		return b.String()
	}
	for _, sev := range drift.Severities {
		first := true
		for _, c := range changes {
			if c.Severity != sev {
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n## %s\n\n", strings.ToUpper(string(sev[:1]))+string(sev[1:]))
				first = false
			}
			where := c.Provider
			if c.Event != "" {
				where += " " + c.Event
			}
			ptr := ""
			if c.Pointer != "" {
				ptr = " `" + c.Pointer + "`"
			}
			fmt.Fprintf(&b, "%s\n", safetext.Escape(fmt.Sprintf("- **%s**%s: %s", where, ptr, c.Message)))
		}
	}
	return b.String()
}
