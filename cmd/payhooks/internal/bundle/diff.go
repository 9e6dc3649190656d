package bundle

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/severity"
	"github.com/payhooks/payhooks/internal/tooling/safetext"
)

// Change is one difference between two bundles, classified like drift:
// breaking when a payload valid before may now fail (a removed property, a
// new required one, a removed type or enum value), warning when a check
// changes in ways receivers should look at (a new enum value, a changed
// format or pattern, a member now expected), info when payloads only gain
// room (an added optional property, a new event, a member no longer
// expected).
type Change struct {
	Severity string `json:"severity"`
	Provider string `json:"provider"`
	Event    string `json:"event"`
	// Pointer is where in a payload the change applies; "*" stands for any
	// array index.
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

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
			d.add("breaking", name, "", "", "provider removed")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(newProviders)) {
		np := newProviders[name]
		op, ok := oldProviders[name]
		if !ok {
			d.add("info", name, "", "", "provider added")
			continue
		}
		oldEvents, newEvents := eventFiles(op), eventFiles(np)
		for _, e := range slices.Sorted(maps.Keys(oldEvents)) {
			if _, ok := newEvents[e]; !ok {
				d.add("breaking", name, e, "", "event removed")
			}
		}
		for _, e := range slices.Sorted(maps.Keys(newEvents)) {
			if _, ok := oldEvents[e]; !ok {
				d.add("info", name, e, "", "event added")
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
			d.compare(side{os, []any{os}}, side{ns, []any{ns}}, "")
		}
	}
	slices.SortStableFunc(d.changes, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(severity.Rank(b.Severity), severity.Rank(a.Severity)), // most severe first
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

func (d *differ) add(sev, provider, event, ptr, format string, a ...any) {
	d.changes = append(d.changes, Change{Severity: sev, Provider: provider, Event: event, Pointer: ptr, Message: fmt.Sprintf(format, a...)})
}

func (d *differ) note(sev, ptr, format string, a ...any) {
	d.add(sev, d.provider, d.event, ptr, format, a...)
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

func (d *differ) compare(old, new side, ptr string) {
	if strings.Count(ptr, "/") > 32 {
		return // a schema that contains itself: deep enough
	}
	ov, nv := old.view(), new.view()
	at := ptr
	if len(nv.types) > 0 {
		for _, t := range slices.Sorted(maps.Keys(ov.types)) {
			if !nv.types[t] {
				d.note("breaking", at, "no longer accepts %s", t)
			}
		}
	}
	if len(ov.types) > 0 {
		for _, t := range slices.Sorted(maps.Keys(nv.types)) {
			if !ov.types[t] {
				d.note("info", at, "now also accepts %s", t)
			}
		}
	}
	switch {
	case ov.hasEnum && nv.hasEnum:
		for _, x := range minus(nv.enum, ov.enum) {
			d.note("warning", at, "new enum value %q", x)
		}
		for _, x := range minus(ov.enum, nv.enum) {
			d.note("breaking", at, "enum value %q removed", x)
		}
	case nv.hasEnum:
		d.note("breaking", at, "now restricted to the values %s", strings.Join(nv.enum, ", "))
	case ov.hasEnum:
		d.note("info", at, "no longer restricted to an enum")
	}
	if strings.Join(ov.format, ",") != strings.Join(nv.format, ",") {
		d.note("warning", at, "format changed from %q to %q", strings.Join(ov.format, ","), strings.Join(nv.format, ","))
	}
	if strings.Join(ov.pattern, ",") != strings.Join(nv.pattern, ",") {
		d.note("warning", at, "pattern changed from %q to %q", strings.Join(ov.pattern, ","), strings.Join(nv.pattern, ","))
	}
	for _, name := range slices.Sorted(maps.Keys(ov.props)) {
		p := jsonpointer.Append(ptr, name)
		if _, ok := nv.props[name]; !ok {
			d.note("breaking", p, "property removed")
			continue
		}
		switch oldReq, newReq := ov.claimsRequired(name), nv.claimsRequired(name); {
		case newReq && !oldReq:
			d.note("breaking", p, "property is now required")
		case oldReq && !newReq:
			d.note("info", p, "property is no longer required")
		}
		switch {
		case nv.expected[name] && !ov.expected[name] && !nv.claimsRequired(name):
			d.note("warning", p, "property is now expected (every documented sample shows it)")
		case ov.expected[name] && !nv.expected[name]:
			d.note("info", p, "property is no longer expected")
		}
		d.compare(side{old.doc, ov.props[name]}, side{new.doc, nv.props[name]}, p)
	}
	for _, name := range slices.Sorted(maps.Keys(nv.props)) {
		if _, ok := ov.props[name]; !ok {
			switch {
			case nv.claimsRequired(name):
				d.note("breaking", jsonpointer.Append(ptr, name), "required property added")
			case nv.expected[name]:
				d.note("warning", jsonpointer.Append(ptr, name), "expected property added")
			default:
				d.note("info", jsonpointer.Append(ptr, name), "optional property added")
			}
		}
	}
	if len(ov.items) > 0 && len(nv.items) > 0 {
		d.compare(side{old.doc, ov.items}, side{new.doc, nv.items}, ptr+"/*")
	}
	for i := range ov.variants {
		if i >= len(nv.variants) {
			d.note("breaking", at, "union variant %d removed", i+1)
			continue
		}
		d.compare(side{old.doc, ov.variants[i]}, side{new.doc, nv.variants[i]}, at)
	}
	for i := len(ov.variants); i < len(nv.variants); i++ {
		d.note("info", at, "union variant %d added", i+1)
	}
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
	for _, sev := range severity.Order {
		first := true
		for _, c := range changes {
			if c.Severity != sev {
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n## %s\n\n", strings.ToUpper(sev[:1])+sev[1:])
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
