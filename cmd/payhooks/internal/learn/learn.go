// Package learn turns drift into reviewed schema edits: it checks payloads
// as payhooks validate does, gathers every finding by provider, event, kind
// and place (array positions merged as "*"), and proposes for each the
// schema change that would make the payloads clean: an optional property
// inferred from every value seen (package infer), an enum value, a widened
// type, a property no longer required, a new event schema, or, only when
// asked to relax, a dropped pattern, format or length. Each proposal says
// how many payloads show it, where first and last, with an example, how it
// reads to consumers (the classes payhooks schemas diff uses) and what it
// changes in generated Go. Apply splices the edits into the schema files
// byte for byte, so a reviewer's diff holds the change and nothing else.
//
// Memory grows with the distinct places that drift, not with payloads:
// each place keeps a count, two sources, one example and an infer.Node. An
// object that shows more than MaxMembers undocumented names is a map (its
// keys order ids or dates): its members fold into one proposal, an
// additionalProperties schema, so the places stay as many as the schema
// has, however many keys the payloads bring.
package learn

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/internal/lossless"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Options tune what is proposed and applied.
type Options struct {
	// MinCount is the fewest payloads a proposal needs to be applied;
	// those below it are listed, not applied.
	MinCount int
	// Relax lets constraint violations drop the pattern, format or length
	// refused; without it they are left for review by hand.
	Relax bool
}

// Source is where a payload was read: a file, and its line for NDJSON.
type Source struct {
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
}

func (s Source) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.Source, s.Line)
	}
	return s.Source
}

// Evidence is what a proposal rests on.
type Evidence struct {
	Payloads int    `json:"payloads"`
	First    Source `json:"first"`
	Last     Source `json:"last"`
	// Example is the first value seen there (for missing_required, none).
	Example json.RawMessage `json:"example,omitempty"`
	// Of is how many payloads of the event were read, for "absent in 3 of 40".
	Of int `json:"of"`
}

// Learner gathers findings over payloads.
type Learner struct {
	cat      *catalog.Catalog
	v        *validate.Validator
	opts     Options
	payloads int
	// unlearnable counts payloads no schema edit can answer (not JSON,
	// too large), the first of them kept to name it.
	unlearnable      int
	firstUnlearnable Source
	groups           map[groupKey]*group
	totals           map[eventKey]int // payloads per provider and event
	// objects holds, per object place with undocumented members, those
	// members' groups (until they fold into one).
	objects map[groupKey]*memberSet
}

// MaxMembers is how many undocumented member names one object place may
// show before they fold into one map proposal (infer.MaxProperties, the
// bound init keeps too).
const MaxMembers = infer.MaxProperties

// memberSet is the undocumented members of one object place: their groups
// while apart, or the one group they folded into, and the evidence over
// every payload that showed any of them.
type memberSet struct {
	keys        []groupKey
	folded      *group
	evidence    Evidence
	lastPayload int
}

// eventKey names an event of a provider; groupKey one kind of drift at one
// place of it. Struct keys: a payload's findings are counted without
// building strings.
type eventKey struct{ provider, event string }

type groupKey struct {
	eventKey
	kind    drift.Kind
	pointer string
	members bool // the undocumented members of the object at pointer
}

func (a groupKey) compare(b groupKey) int {
	return cmp.Or(strings.Compare(a.provider, b.provider), strings.Compare(a.event, b.event),
		strings.Compare(string(a.kind), string(b.kind)), strings.Compare(a.pointer, b.pointer), cmp.Compare(b2i(a.members), b2i(b.members)))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// group is one kind of drift at one place of one event.
type group struct {
	provider, event string
	kind            drift.Kind
	pointer         string // array positions as *
	message         string // the first finding's
	evidence        Evidence
	lastPayload     int
	values          *infer.Node
	enum            []string // unknown enum values, in the order first seen
	// members: the group is the undocumented members of the object at
	// pointer, folded (a map); values holds their values.
	members bool
	// readsAs holds the JSON types every value seen can be read as without
	// loss (lossless.ReadsAs); nil before the first value.
	readsAs map[string]bool
}

// maxEnumValues bounds the values kept per place: a "status" with more
// than this many undocumented values is not an enum to extend.
const maxEnumValues = 64

// maxExample bounds an example's bytes.
const maxExample = 200

// New returns a learner checking payloads against the schemas in fsys.
func New(fsys fs.FS, opts Options) (*Learner, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, err
	}
	v, err := validate.New(cat)
	if err != nil {
		return nil, err
	}
	return From(cat, v, opts), nil
}

// From returns a learner checking payloads with a validator the caller
// compiled already from cat.
func From(cat *catalog.Catalog, v *validate.Validator, opts Options) *Learner {
	if opts.MinCount < 1 {
		opts.MinCount = 1
	}
	return &Learner{cat: cat, v: v, opts: opts, groups: map[groupKey]*group{}, totals: map[eventKey]int{}, objects: map[groupKey]*memberSet{}}
}

// Add checks one payload and gathers its findings. It returns the result,
// for a caller that reports unreadable payloads.
func (l *Learner) Add(p validate.Payload) validate.Result {
	r := l.v.Check(p)
	if r.Err != nil {
		return r
	}
	l.payloads++
	l.totals[eventKey{r.Provider, r.Event}]++
	for _, f := range r.Findings {
		if f.Kind == drift.InvalidJSON || f.Kind == drift.PayloadTooLarge {
			if l.unlearnable++; l.unlearnable == 1 {
				l.firstUnlearnable = Source{r.Source, r.Line}
			}
			break
		}
		src := Source{r.Source, r.Line}
		if f.Line > 0 && r.Line == 0 {
			src.Line = f.Line
		}
		g := l.group(r, f, p.Body, src)
		if g == nil {
			continue
		}
		if g.lastPayload != l.payloads {
			g.lastPayload = l.payloads
			g.evidence.Payloads++
			if g.evidence.Payloads == 1 {
				g.evidence.First = src
			}
			g.evidence.Last = src
		}
		g.observe(f, p.Body)
	}
	return r
}

// group finds or makes the group a finding belongs to; nil for kinds no
// schema edit answers (invalid JSON, duplicate names, oversized payloads).
func (l *Learner) group(r validate.Result, f drift.Finding, body []byte, src Source) *group {
	switch f.Kind {
	case drift.UnknownProperty, drift.UnknownEnumValue, drift.TypeMismatch, drift.MissingRequired, drift.MissingExpected, drift.ConstraintViolation, drift.UnknownEvent:
	default:
		return nil
	}
	pointer := Place(body, f.Pointer)
	key := groupKey{eventKey: eventKey{r.Provider, r.Event}, kind: f.Kind, pointer: pointer}
	var object *memberSet
	if f.Kind == drift.UnknownProperty {
		at, _ := parent(pointer)
		object = l.memberSet(groupKey{key.eventKey, f.Kind, at, true}, src)
		if object.folded != nil {
			return object.folded
		}
	}
	g, ok := l.groups[key]
	if !ok {
		g = &group{provider: r.Provider, event: r.Event, kind: f.Kind, pointer: pointer, message: f.Message, values: infer.New()}
		l.groups[key] = g
		if object != nil {
			if object.keys = append(object.keys, key); len(object.keys) > MaxMembers {
				return l.fold(object)
			}
		}
	}
	return g
}

// memberSet finds or makes the member set of an object place, counting
// the payload that shows an undocumented member of it.
func (l *Learner) memberSet(key groupKey, src Source) *memberSet {
	m := l.objects[key]
	if m == nil {
		m = &memberSet{}
		l.objects[key] = m
	}
	if m.lastPayload != l.payloads {
		m.lastPayload = l.payloads
		if m.evidence.Payloads++; m.evidence.Payloads == 1 {
			m.evidence.First = src
		}
		m.evidence.Last = src
	}
	return m
}

// fold makes an object's undocumented members one group: a map's, whose
// values are all theirs, with the evidence of every payload that showed
// any of them.
func (l *Learner) fold(m *memberSet) *group {
	first := l.groups[m.keys[0]]
	at, _ := parent(first.pointer)
	g := &group{provider: first.provider, event: first.event, kind: drift.UnknownProperty, pointer: at, members: true, values: infer.New(),
		message: fmt.Sprintf("more than %d undocumented names", MaxMembers)}
	for _, k := range m.keys {
		member := l.groups[k]
		g.values.Merge(member.values)
		if g.evidence.Example == nil {
			g.evidence.Example = member.evidence.Example
		}
		delete(l.groups, k)
	}
	g.evidence.Payloads, g.evidence.First, g.evidence.Last = m.evidence.Payloads, m.evidence.First, m.evidence.Last
	g.lastPayload = m.lastPayload
	m.keys, m.folded = nil, g
	l.groups[groupKey{eventKey{g.provider, g.event}, g.kind, at, true}] = g
	return g
}

// observe records the value a finding is about, decoding that value
// alone.
func (g *group) observe(f drift.Finding, body []byte) {
	if g.kind == drift.MissingRequired || g.kind == drift.MissingExpected {
		return
	}
	at := f.Pointer
	if g.kind == drift.UnknownEvent {
		at = ""
	}
	start, end, err := jsonscan.Lookup(body, at)
	if err != nil {
		return
	}
	v, err := decode(body[start:end])
	if err != nil {
		return
	}
	g.values.Add(v)
	if g.kind == drift.TypeMismatch {
		g.noteReadsAs(body[start:end])
	}
	if g.evidence.Example == nil && g.kind == drift.UnknownEvent {
		g.evidence.Example, _ = json.Marshal(g.event) // the whole payload says less
	}
	if g.evidence.Example == nil {
		if raw, err := json.Marshal(v); err == nil && len(raw) <= maxExample {
			g.evidence.Example = raw
		} else if err == nil {
			g.evidence.Example, _ = json.Marshal(string(raw[:maxExample]) + "…")
		}
	}
	if s, ok := v.(string); ok && g.kind == drift.UnknownEnumValue && len(g.enum) < maxEnumValues && !slices.Contains(g.enum, s) {
		g.enum = append(g.enum, s)
	}
}

// noteReadsAs narrows readsAs to the types raw can be read as too.
func (g *group) noteReadsAs(raw []byte) {
	first := g.readsAs == nil
	if first {
		g.readsAs = map[string]bool{}
	}
	for _, t := range []string{"integer", "number", "boolean", "string"} {
		if ok := lossless.ReadsAs(raw, t); first {
			g.readsAs[t] = ok
		} else {
			g.readsAs[t] = g.readsAs[t] && ok
		}
	}
}

// decode reads JSON as the schemas see it: numbers kept as written.
func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	return v, dec.Decode(&v)
}

// Place is the place a finding at pointer is gathered under: the pointer
// with array positions as "*" (/data/items/3/x → /data/items/*/x). Only
// tokens that index an array in body are replaced: a member may be named
// "0".
func Place(body []byte, pointer string) string {
	tokens := strings.Split(pointer, "/")
	at := ""
	for i := 1; i < len(tokens); i++ {
		tok := tokens[i]
		if tok != "" && strings.Trim(tok, "0123456789") == "" {
			if start, _, err := jsonscan.Lookup(body, at); err == nil && body[start] == '[' {
				tokens[i] = "*"
			}
		}
		at += "/" + tok
	}
	return strings.Join(tokens, "/")
}

// Payloads is how many readable payloads were added.
func (l *Learner) Payloads() int { return l.payloads }

// Unlearnable is how many payloads were not JSON or too large to learn
// from, and the first of them.
func (l *Learner) Unlearnable() (int, Source) { return l.unlearnable, l.firstUnlearnable }

// Proposals are the schema changes the findings call for, sorted by
// provider, event, place and kind; proposals that land on the same schema
// (one shared definition drifting in several events) are merged.
func (l *Learner) Proposals() ([]Proposal, error) {
	cat := l.cat
	set := newSchemaSet(cat.FS)
	var drifting []string
	for _, g := range l.groups {
		if cat.Provider(g.provider) != nil && !slices.Contains(drifting, g.provider) {
			drifting = append(drifting, g.provider)
		}
	}
	set.goTypes = goTypes(cat.FS, drifting)
	var out []Proposal
	byEdit := map[string]int{} // the edits' identity → index in out
	for _, key := range slices.SortedFunc(maps.Keys(l.groups), groupKey.compare) {
		g := l.groups[key]
		g.evidence.Of = l.totals[key.eventKey]
		p, err := l.propose(cat, set, g)
		if err != nil {
			return nil, err
		}
		id := editsKey(p.Edits)
		if i, ok := byEdit[id]; ok && id != "" && out[i].Kind == p.Kind {
			out[i].merge(p, g)
			continue
		}
		p.values = g.values
		if id != "" {
			byEdit[id] = len(out)
		}
		out = append(out, p)
	}
	for i := range out {
		out[i].finish(l.opts.MinCount)
	}
	return out, nil
}

func editsKey(edits []Edit) string {
	var b strings.Builder
	for _, e := range edits {
		fmt.Fprintf(&b, "%s %s %s;", e.File, e.Op, e.Path)
	}
	return b.String()
}

// Apply writes the applied proposals' edits into the schema files of fsys
// and returns the files it changed or added, by path.
func Apply(fsys fs.FS, proposals []Proposal) (map[string][]byte, error) {
	var edits []Edit
	for _, p := range proposals {
		if p.Applied {
			edits = append(edits, p.Edits...)
		}
	}
	set := newSchemaSet(fsys)
	byFile := map[string][]Edit{}
	for _, e := range ordered(edits) {
		byFile[e.File] = append(byFile[e.File], e)
	}
	out := map[string][]byte{}
	for file, edits := range byFile {
		var data []byte // a new file starts empty (its edit adds it whole)
		if edits[0].Path != "" {
			if _, err := set.load(file); err != nil {
				return nil, err
			}
			data = set.raw[file]
		}
		changed, err := apply(data, edits)
		if err != nil {
			return nil, fmt.Errorf("edit %s: %w", file, err)
		}
		out[file] = changed
	}
	return out, nil
}
