package learn

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Proposal is one schema change the drift calls for.
type Proposal struct {
	Provider string `json:"provider"`
	// Events are the events whose payloads showed it (several when one
	// shared definition drifts in each).
	Events []string   `json:"events"`
	Kind   drift.Kind `json:"kind"`
	// Pointer is the place in the payloads, array positions as "*".
	Pointer string `json:"pointer"`
	// Change says what the edit does, in words.
	Change string `json:"change"`
	// Severity is how consumers of the schemas see it, in the classes of
	// payhooks schemas diff (info: payloads gain room; warning: a check
	// changes); Consumers is how schemas diff words it.
	Severity  drift.Severity `json:"severity"`
	Consumers string         `json:"consumers"`
	// Go is what changes in generated Go.
	Go       string   `json:"go"`
	Evidence Evidence `json:"evidence"`
	// Edits are the RFC 6902 operations; none when Review says why a
	// person must decide.
	Edits  []Edit `json:"edits"`
	Review string `json:"review,omitempty"`
	// Applied is false for a proposal below -min-count or left for review.
	Applied bool `json:"applied"`

	values  *infer.Node
	members bool // a map's members (proposeMembers)
}

// propose writes the proposal for one group.
func (l *Learner) propose(cat *catalog.Catalog, set *schemaSet, g *group) (Proposal, error) {
	p := Proposal{Provider: g.provider, Events: []string{g.event}, Kind: g.kind, Pointer: g.pointer, Evidence: g.evidence, Edits: []Edit{}}
	prov := cat.Provider(g.provider)
	if prov == nil {
		p.Change, p.Review = "none", "no provider of the schemas was detected for these payloads; pass -provider"
		return p, nil
	}
	if g.kind == drift.UnknownEvent {
		return proposeEvent(p, set, prov, g), nil
	}
	e := prov.Event(g.event)
	if e == nil {
		p.Change, p.Review = "none", "the payloads name no event of "+g.provider+"; learn from payloads that do"
		return p, nil
	}
	event := place{e.Schema, e.Pointer}
	tokens := strings.Split(g.pointer, "/")[1:]
	for i := range tokens {
		tokens[i] = jsonpointer.Unescape(tokens[i])
	}
	var err error
	switch g.kind {
	case drift.UnknownProperty:
		if g.members {
			err = proposeMembers(&p, set, event, tokens, g)
		} else {
			err = proposeProperty(&p, set, event, tokens, g)
		}
	case drift.UnknownEnumValue:
		err = proposeEnum(&p, set, event, tokens, g)
	case drift.TypeMismatch:
		err = proposeType(&p, set, event, tokens, g)
	case drift.MissingRequired:
		if why, ok := structural(prov, g.pointer); ok {
			err = review("%s is structural (%s): without it no consumer can act on a delivery; the provider's deliveries need a look, not the schema", g.pointer, why)
			break
		}
		err = proposeOptional(&p, set, event, tokens, g)
	case drift.MissingExpected:
		err = proposeUnexpected(&p, set, event, tokens, g)
	case drift.ConstraintViolation:
		err = proposeRelax(&p, set, event, tokens, g, l.opts.Relax)
	}
	var why *reviewError
	if errors.As(err, &why) || errors.Is(err, errUnion) {
		p.Edits, p.Review = []Edit{}, err.Error()
		if p.Change == "" {
			p.Change = "none"
		}
		return p, nil
	}
	return p, err
}

// reviewError is a proposal left to a person, and why.
type reviewError struct{ why string }

func (e *reviewError) Error() string { return e.why }

func review(format string, args ...any) error { return &reviewError{fmt.Sprintf(format, args...)} }

// first returns the first place of set whose schema has keyword.
func first(set *schemaSet, places []place, keyword string) (place, map[string]any, bool) {
	for _, pl := range places {
		n, err := set.node(pl)
		if err == nil && n[keyword] != nil {
			return pl, n, true
		}
	}
	return place{}, nil, false
}

func proposeProperty(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	name := tokens[len(tokens)-1]
	parents, err := set.describe(event, tokens[:len(tokens)-1])
	if err != nil {
		return err
	}
	schema := g.values.Schema()
	p.Change = fmt.Sprintf("add the optional property %q, inferred from %d values", name, g.values.Seen())
	p.Severity, p.Consumers = consumers(bundle.OptionalPropertyAdded)
	p.Go = "the optional field " + field(set, parents, name) + " appears"
	if target, _, ok := first(set, parents, "properties"); ok {
		p.Edits = append(p.Edits, Edit{File: target.file, Op: "add", Path: target.at("properties", name).ptr, Value: schema})
		return nil
	}
	props := &infer.Object{}
	props.Set(name, schema)
	p.Edits = append(p.Edits, Edit{File: parents[0].file, Op: "add", Path: parents[0].at("properties").ptr, Value: props})
	return nil
}

// proposeMembers declares the undocumented members of an object that
// showed more than MaxMembers names (a map's keys, not fields) as its
// additionalProperties: the schema inferred from all their values where
// one schema alone describes the object, or true where several do
// (additionalProperties would also judge the members the others declare).
func proposeMembers(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	places, err := set.describe(event, tokens)
	if err != nil {
		return err
	}
	target, _, ok := first(set, places, "properties")
	if !ok {
		return review("no schema at %s declares properties", orRoot(p.Pointer))
	}
	p.members = true
	p.Edits = append(p.Edits, Edit{File: target.file, Op: "add", Path: target.at("additionalProperties").ptr, Value: membersSchema(places, g.values)})
	p.Change = membersChange(g.values)
	p.Severity, p.Consumers = consumers(bundle.MembersDeclared)
	p.Go = "none: the fields stay; the other members are kept as before"
	if t := set.goType(places); t != "" {
		p.Go = "none: " + t + " keeps its fields; the other members are kept as before"
	}
	return nil
}

// membersSchema is the additionalProperties a map's values call for.
func membersSchema(places []place, values *infer.Node) any {
	if len(places) > 1 {
		return true
	}
	return values.Schema()
}

func membersChange(values *infer.Node) string {
	return fmt.Sprintf("declare the other members a map (more than %d undocumented names: keys, not fields), their schema inferred from %d values", MaxMembers, values.Seen())
}

func proposeEnum(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	places, err := set.describe(event, tokens)
	if err != nil {
		return err
	}
	target, n, ok := first(set, places, "enum")
	if !ok {
		return review("no enum describes %s", p.Pointer)
	}
	known, _ := n["enum"].([]any)
	var added []string
	for _, v := range g.enum {
		if !slices.Contains(known, any(v)) {
			added = append(added, v)
			p.Edits = append(p.Edits, Edit{File: target.file, Op: "add", Path: target.at("enum", "-").ptr, Value: v})
		}
	}
	if len(added) == 0 {
		return review("the enum at %s already lists the values seen", target)
	}
	p.Change = "add " + quoted(added) + " to the enum"
	p.Severity, p.Consumers = consumers(bundle.EnumValueAdded, quoted(added))
	p.Go = "a constant for each new value; Known() reports it"
	if t := set.goType([]place{target}); t != "" {
		p.Go = t + " gains a constant for each new value; Known() reports it"
	}
	return nil
}

func proposeType(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	places, err := set.describe(event, tokens)
	if err != nil {
		return err
	}
	seen := g.values.Types()
	if len(seen) == 0 {
		return review("no value was seen at %s", p.Pointer)
	}
	var widened []string
	for _, pl := range places {
		n, _ := set.node(pl)
		if n["enum"] != nil || n["const"] != nil {
			return review("%s lists its values (enum or const): a value of another type is for a person to judge", pl)
		}
		declared, isList := typeList(n["type"])
		if declared == nil {
			continue
		}
		for _, t := range declared {
			if name, _ := t.(string); g.readsAs[name] {
				// The generated types read it as declared, losing nothing:
				// a union there would make the Go API worse for no gain.
				return review("the generated types read every value seen (e.g. %s) as the declared %s without loss, and validate goes on reporting it; widening the type would make the field a union: review by hand", p.Evidence.Example, name)
			}
		}
		missing := slices.DeleteFunc(slices.Clone(seen), func(t string) bool { return admits(declared, t) })
		if len(missing) == 0 {
			continue
		}
		widened = append(widened, missing...)
		p.Edits = append(p.Edits, widen(pl, declared, isList, missing)...)
	}
	if len(p.Edits) == 0 {
		return review("no type keyword at %s refuses what was seen (%s)", p.Pointer, strings.Join(seen, ", "))
	}
	slices.Sort(widened)
	widened = slices.Compact(widened)
	p.Change = "widen the type to also accept " + strings.Join(widened, " and ")
	// As schemas diff words it: a type list that grew, or a union made.
	p.Severity, p.Consumers = consumers(bundle.TypeAdded, strings.Join(widened, ", "))
	for _, e := range p.Edits {
		if variants, ok := e.Value.([]any); ok && strings.HasSuffix(e.Path, "/oneOf") {
			var added []string
			for i := range variants {
				added = append(added, fmt.Sprintf("union variant %d added", i+1))
			}
			p.Consumers = strings.Join(added, "; ")
		}
	}
	parents, _ := set.describe(event, tokens[:len(tokens)-1]) // none: the field without its type
	p.Go = "the type of " + field(set, parents, tokens[len(tokens)-1]) + " widens (null: a pointer; another JSON type: a union)"
	return nil
}

// widen makes the schema at pl take the missing types too: null joins the
// type list (the generator makes the field nil-able); any other type makes
// the type a oneOf of what was declared and what was seen, which the
// generator turns into a union (a type list of several non-null types it
// refuses).
func widen(pl place, declared []any, isList bool, missing []string) []Edit {
	others := slices.DeleteFunc(slices.Clone(missing), func(t string) bool { return t == "null" })
	if len(others) < len(missing) {
		declared = append(declared, "null")
	}
	if len(others) == 0 {
		if isList {
			return []Edit{{File: pl.file, Op: "add", Path: pl.at("type", "-").ptr, Value: "null"}}
		}
		return []Edit{{File: pl.file, Op: "replace", Path: pl.at("type").ptr, Value: declared}}
	}
	variant := func(types []any) *infer.Object {
		o := &infer.Object{}
		if len(types) == 1 {
			o.Set("type", types[0])
		} else {
			o.Set("type", types)
		}
		return o
	}
	variants := []any{variant(declared)}
	for _, t := range others {
		variants = append(variants, variant([]any{t}))
	}
	return []Edit{
		{File: pl.file, Op: "remove", Path: pl.at("type").ptr},
		{File: pl.file, Op: "add", Path: pl.at("oneOf").ptr, Value: variants},
	}
}

// field names a property's Go field, with its type when the places
// describing its object generate one: Payment.FeeShare.
func field(set *schemaSet, parents []place, name string) string {
	if t := set.goType(parents); t != "" {
		return t + "." + load.GoName(name)
	}
	return load.GoName(name)
}

// typeList reads a type keyword as a list.
func typeList(v any) ([]any, bool) {
	switch t := v.(type) {
	case string:
		return []any{t}, false
	case []any:
		return slices.Clone(t), true
	}
	return nil, false
}

// admits reports whether declared types take a value of type t.
func admits(declared []any, t string) bool {
	return slices.Contains(declared, any(t)) || t == "integer" && slices.Contains(declared, any("number"))
}

func proposeOptional(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	name := tokens[len(tokens)-1]
	parents, err := set.describe(event, tokens[:len(tokens)-1])
	if err != nil {
		return err
	}
	for _, pl := range parents {
		n, _ := set.node(pl)
		required, _ := n["required"].([]any)
		if i := slices.Index(required, any(name)); i >= 0 {
			p.Edits = append(p.Edits, Edit{File: pl.file, Op: "remove", Path: pl.at("required", strconv.Itoa(i)).ptr})
		}
	}
	if len(p.Edits) == 0 {
		return review("no required list at %s names %q", p.Pointer, name)
	}
	p.Change = fmt.Sprintf("drop %q from required: absent in %d of %s", name, g.evidence.Payloads, words.Count(g.evidence.Of, "payload", "payloads"))
	p.Severity, p.Consumers = consumers(bundle.NoLongerRequired)
	p.Go = "the field " + field(set, parents, name) + " becomes optional (a pointer, nil when absent)"
	return nil
}

// structural says whether a pointer is one a delivery cannot do without:
// the provider's discriminator, delivery id or subject.
func structural(prov *catalog.Provider, pointer string) (string, bool) {
	switch pointer {
	case prov.Addressing.EventPointer:
		return "the event's name", prov.Addressing.PathPrefix == ""
	case prov.Addressing.DeliveryID:
		return "the delivery id", true
	case prov.Addressing.Subject:
		return "the event's subject", true
	}
	return "", false
}

// proposeUnexpected drops x-payhooks-expected from a member the payloads
// lack: the documented samples showed it, the deliveries do not.
func proposeUnexpected(p *Proposal, set *schemaSet, event place, tokens []string, g *group) error {
	name := tokens[len(tokens)-1]
	places, err := set.describe(event, tokens)
	if err != nil {
		return err
	}
	for _, pl := range places {
		if n, err := set.node(pl); err == nil && n["x-payhooks-expected"] != nil {
			p.Edits = append(p.Edits, Edit{File: pl.file, Op: "remove", Path: pl.at("x-payhooks-expected").ptr})
		}
	}
	if len(p.Edits) == 0 {
		return review("no schema at %s marks %q expected", p.Pointer, name)
	}
	p.Change = fmt.Sprintf("drop x-payhooks-expected from %q: absent in %d of %d payloads", name, g.evidence.Payloads, g.evidence.Of)
	p.Severity, p.Consumers = consumers(bundle.NoLongerExpected)
	p.Go = "none (the generated types do not check x-payhooks-expected)"
	return nil
}

// relaxable maps the start of a constraint finding's message to the
// keyword that refused it.
var relaxable = []struct{ contains, keyword string }{
	{"does not match pattern", "pattern"},
	{"is not a valid", "format"},
	{"minLength:", "minLength"},
	{"maxLength:", "maxLength"},
}

func proposeRelax(p *Proposal, set *schemaSet, event place, tokens []string, g *group, relax bool) error {
	keyword := ""
	for _, r := range relaxable {
		if strings.Contains(g.message, r.contains) {
			keyword = r.keyword
			break
		}
	}
	if keyword == "" {
		return review("review by hand: %s", g.message)
	}
	places, err := set.describe(event, tokens)
	if err != nil {
		return err
	}
	target, n, ok := first(set, places, keyword)
	if !ok {
		return review("no %s keyword describes %s", keyword, p.Pointer)
	}
	p.Change = fmt.Sprintf("drop %s %v", keyword, n[keyword])
	switch keyword {
	case "pattern":
		p.Severity, p.Consumers = consumers(bundle.PatternDropped, fmt.Sprint(n[keyword]))
	case "format":
		p.Severity, p.Consumers = consumers(bundle.FormatDropped, fmt.Sprint(n[keyword]))
	default:
		p.Severity, p.Consumers = consumers(bundle.LengthDropped, keyword)
	}
	p.Go = "none (the generated types do not check " + keyword + ")"
	if !relax {
		return review("review by hand (-relax drops the %s): %s", keyword, g.message)
	}
	// A removal from an object is a JSON Patch "remove" of the member.
	p.Edits = append(p.Edits, Edit{File: target.file, Op: "remove", Path: target.at(keyword).ptr})
	return nil
}

// proposeEvent writes a new event schema from its payloads: for a JSON
// Schema provider a file under events/ on the provider's envelope (its root
// schema, which the payloads already met); for an OpenAPI provider a
// webhook and a component schema in its document.
func proposeEvent(p Proposal, set *schemaSet, prov *catalog.Provider, g *group) Proposal {
	p.Severity, p.Consumers = consumers(bundle.EventAdded)
	goName := load.GoName(g.event)
	p.Go = fmt.Sprintf("a type %sEvent and a callback On%s", goName, goName)
	p.Change = fmt.Sprintf("add the event %q, its schema inferred from %s", g.event, words.Count(g.values.Seen(), "payload", "payloads"))
	disc, topLevel := jsonpointer.TopLevel(prov.Addressing.EventPointer)
	switch {
	case !topLevel:
		p.Review = "the provider names its events below the top level of the body"
	case g.event == "":
		p.Review = "the payloads name no event"
	}
	if p.Review != "" {
		return p
	}
	inferred := g.values.Schema()
	if props, _ := inferred.Get("properties"); props != nil {
		constant := &infer.Object{}
		constant.Set("const", g.event)
		props.(*infer.Object).Set(disc, constant)
	}
	description := fmt.Sprintf("Learned by payhooks schemas learn from %s: review it.", words.Count(g.values.Seen(), "payload", "payloads"))
	if prov.Kind == catalog.OpenAPI {
		return proposeWebhook(p, set, prov, g, inferred, description)
	}
	file := set.newEventFile(prov, g.event)
	doc := &infer.Object{}
	doc.Set("$schema", "https://json-schema.org/draft/2020-12/schema")
	if base, ok := idBase(set, prov); ok {
		doc.Set("$id", base+file) // as the provider's own files name theirs
	}
	doc.Set("title", prov.Title+" "+g.event)
	doc.Set("description", description)
	doc.Set("x-payhooks-event", g.event)
	doc.Set("$ref", envelopeRef(prov))
	for _, key := range []string{"type", "required", "properties"} {
		if v, ok := inferred.Get(key); ok {
			doc.Set(key, v)
		}
	}
	p.Edits = append(p.Edits, Edit{File: file, Op: "add", Path: "", Value: doc})
	return p
}

// proposeWebhook adds an event to an OpenAPI provider's document: a
// component schema, and a webhook whose request body it is.
func proposeWebhook(p Proposal, set *schemaSet, prov *catalog.Provider, g *group, schema *infer.Object, description string) Proposal {
	root := place{prov.Root, ""}
	if _, err := set.node(root.at("components", "schemas")); err != nil {
		p.Review = "the document has no components/schemas to add the event's schema to"
		return p
	}
	if _, err := set.node(root.at("webhooks")); err != nil {
		p.Review = "the document has no webhooks to add the event to"
		return p
	}
	component := load.GoName(g.event)
	for {
		if _, err := set.node(root.at("components", "schemas", component)); err != nil {
			break
		}
		component += "Learned"
	}
	schema.Set("description", description)
	media := &infer.Object{}
	ref := &infer.Object{}
	ref.Set("$ref", "#/components/schemas/"+jsonpointer.Escape(component))
	media.Set("schema", ref)
	content := &infer.Object{}
	content.Set("application/json", media)
	body := &infer.Object{}
	body.Set("content", content)
	ok := &infer.Object{}
	ok.Set("description", "OK")
	responses := &infer.Object{}
	responses.Set("200", ok)
	post := &infer.Object{}
	post.Set("summary", g.event)
	post.Set("requestBody", body)
	post.Set("responses", responses)
	hook := &infer.Object{}
	hook.Set("post", post)
	p.Edits = append(p.Edits,
		Edit{File: prov.Root, Op: "add", Path: root.at("components", "schemas", component).ptr, Value: schema},
		Edit{File: prov.Root, Op: "add", Path: root.at("webhooks", g.event).ptr, Value: hook})
	return p
}

// envelopeRef is the $ref from a new event file, in NAME/events/, to the
// provider's root schema.
// idBase is the prefix of the provider root's $id before its path, when the
// root has one of that form: a new file of the provider is named alike, and
// without one it has no $id either (a user's schemas claim no domain
// payhooks chose).
func idBase(set *schemaSet, prov *catalog.Provider) (string, bool) {
	doc, err := set.load(prov.Root)
	if err != nil {
		return "", false
	}
	root, _ := doc.(map[string]any)
	id, _ := root["$id"].(string)
	return strings.CutSuffix(id, prov.Root)
}

func envelopeRef(prov *catalog.Provider) string {
	if path.Dir(prov.Root) == prov.Name {
		return "../" + path.Base(prov.Root)
	}
	return "../../" + prov.Root
}

// consumers is how schemas diff classes and words a change of class c.
func consumers(c bundle.Class, a ...any) (drift.Severity, string) { return c.Severity, c.Message(a...) }

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// merge folds another group's proposal into p: the same edit, seen in
// another event.
func (p *Proposal) merge(o Proposal, g *group) {
	p.Events = append(p.Events, o.Events...)
	p.Evidence.Payloads += o.Evidence.Payloads
	p.Evidence.Of += o.Evidence.Of
	p.Evidence.Last = o.Evidence.Last
	if p.values != nil {
		p.values.Merge(g.values)
		if p.members {
			for i := range p.Edits {
				if _, open := p.Edits[i].Value.(bool); !open {
					p.Edits[i].Value = p.values.Schema()
				}
			}
			p.Change = membersChange(p.values)
		} else if p.Kind == drift.UnknownProperty {
			_, name := parent(p.Pointer)
			for i := range p.Edits {
				if strings.HasSuffix(p.Edits[i].Path, "/properties") {
					props := &infer.Object{}
					props.Set(name, p.values.Schema())
					p.Edits[i].Value = props
				} else {
					p.Edits[i].Value = p.values.Schema()
				}
			}
			p.Change = fmt.Sprintf("add the optional property %q, inferred from %d values", name, p.values.Seen())
		}
	}
}

// finish decides whether a proposal is applied.
func (p *Proposal) finish(minCount int) {
	slices.Sort(p.Events)
	p.Events = slices.Compact(p.Events)
	p.Applied = p.Review == "" && len(p.Edits) > 0 && p.Evidence.Payloads >= minCount
}
