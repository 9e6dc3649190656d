package infer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/guess"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook"
)

// Sample is one payload a provider sent.
type Sample struct {
	Source string // where it came from, for messages
	Body   []byte
}

// ProviderOptions is what Scaffold is told rather than guesses.
type ProviderOptions struct {
	Name      string         // the provider folder and package name
	Signature webhook.Scheme // how it signs
	// IDBase begins each file's $id, the rest being its path ("" writes
	// no $id: the files are known by their paths, and claim no domain).
	IDBase        string
	Discriminator string // a top-level pointer ("/type"); "" to guess
	DeliveryID    string // a top-level pointer ("/id") or webhook.BodyDeliveryID; "" to guess
}

// Provider is a scaffolded provider folder: its files by path (NAME/…), in
// the layout of the bundled providers, and what was guessed and why.
type Provider struct {
	Files map[string][]byte
	Notes []string
}

// Samples gives the samples, calling yield for each in turn, and stops at
// the first error either returns. Scaffold reads them up to twice (once to
// guess the discriminator and the delivery id, once to infer the schemas),
// so it must give the same samples each time: reading them again, rather
// than holding them, keeps its memory to the schemas being built.
type Samples func(yield func(Sample) error) error

// SamplesOf gives the samples of a slice.
func SamplesOf(samples []Sample) Samples {
	return func(yield func(Sample) error) error {
		for _, s := range samples {
			if err := yield(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// maxExamples is how many samples of each event become its examples: the
// first ones.
const maxExamples = 3

// decodeSample reads a sample as one JSON object, numbers as written.
func decodeSample(s Sample) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(s.Body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", s.Source, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value; give one payload per file", s.Source)
	}
	return doc, nil
}

// Scaffold writes a provider's schemas from its sample payloads: the
// envelope (the members every sample has, where every event agrees on
// their shape), the discriminator (the top-level string member whose
// values split the samples into events), the delivery id, one event schema
// per discriminator value, and shared shapes in $defs when two events carry
// the same one. The first samples of each event become its examples. Its
// memory is that of the schemas it builds (an object place with more than
// MaxProperties names is a map), and its time linear in the samples.
func Scaffold(samples Samples, opts ProviderOptions) (*Provider, error) {
	p := &Provider{Files: map[string][]byte{}}
	stats := newGuessStats()
	if err := samples(func(s Sample) error {
		doc, err := decodeSample(s)
		if err == nil {
			stats.add(doc)
		}
		return err
	}); err != nil {
		return nil, err
	}
	disc, why, err := discriminator(stats, opts.Discriminator)
	if err != nil {
		return nil, err
	}
	p.Notes = append(p.Notes, why)
	id, why, err := deliveryID(stats, disc, opts.DeliveryID)
	if err != nil {
		return nil, err
	}
	p.Notes = append(p.Notes, why)
	idMember, idInBody := jsonpointer.TopLevel(id)
	subject, why := subjectOf(stats, disc)
	p.Notes = append(p.Notes, why)

	all := New()
	perEvent := map[string]*Node{}
	examples := map[string][]Sample{}
	total := 0
	if err := samples(func(s Sample) error {
		doc, err := decodeSample(s)
		if err != nil {
			return err
		}
		event, ok := doc[disc].(string)
		switch {
		case !ok:
			return fmt.Errorf("%s: -discriminator %s is not a string there", s.Source, opts.Discriminator)
		case event == "":
			return fmt.Errorf("%s: the discriminator /%s is empty: no event to name; pass -discriminator", s.Source, jsonpointer.Escape(disc))
		}
		if _, ok := doc[idMember].(string); idInBody && !ok {
			return fmt.Errorf("%s: -delivery-id %s is not a string there", s.Source, opts.DeliveryID)
		}
		total++
		all.Add(doc)
		if perEvent[event] == nil {
			perEvent[event] = New()
		}
		perEvent[event].Add(doc)
		if len(examples[event]) < maxExamples {
			examples[event] = append(examples[event], Sample{Source: s.Source, Body: bytes.Clone(s.Body)})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, fmt.Errorf("no samples")
	}
	events := slices.Sorted(maps.Keys(perEvent))
	bases := catalog.FileBases(events) // event names are the provider's: any string

	// The envelope: members every sample has and every event shapes alike.
	names, always := all.Properties()
	envelope := &Object{}
	envelope.Set("type", "object")
	envProps := &Object{}
	var envRequired, perEventMembers []string
	for _, name := range names {
		if !always[name] {
			perEventMembers = append(perEventMembers, name)
			continue
		}
		if name != disc && !sameShapeInEvery(events, perEvent, name) {
			perEventMembers = append(perEventMembers, name)
			continue
		}
		schema := all.Property(name).Schema()
		if name == disc {
			schema = &Object{}
			schema.Set("type", "string")
			schema.Set("description", "The event; its values name the event schemas.")
		}
		envProps.Set(name, schema)
		envRequired = append(envRequired, name)
	}
	if len(envRequired) > 0 {
		envelope.Set("required", envRequired)
	}
	envelope.Set("properties", envProps)
	p.Notes = append(p.Notes, fmt.Sprintf("envelope: %s, which every sample has in one shape", quotedList(envRequired)))
	if all.Extra() != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("the samples have more than %d top-level names, most in few samples (keys, not fields): the event schemas allow members they do not name", MaxProperties))
	}

	// Members whose shape differs per event: in each event, shared in
	// $defs when two events carry objects of the same properties (the
	// shared schema is learnt from all their samples).
	defs := &Object{}
	defs.Set("envelope", envelope)
	shared := map[string]map[string]string{} // member → event → $defs name
	for _, name := range perEventMembers {
		byKeys := map[string][]string{}
		for _, e := range events {
			if n := perEvent[e].Property(name); n != nil && n.objectsOnly() {
				keys := n.keys()
				byKeys[keys] = append(byKeys[keys], e)
			}
		}
		for _, keys := range slices.Sorted(maps.Keys(byKeys)) {
			users := byKeys[keys]
			if len(users) < 2 {
				continue
			}
			merged := New()
			for _, e := range users {
				merged.Merge(perEvent[e].Property(name))
			}
			def := defName(defs, name)
			defs.Set(def, merged.Schema())
			if shared[name] == nil {
				shared[name] = map[string]string{}
			}
			for _, e := range users {
				shared[name][e] = def
			}
			p.Notes = append(p.Notes, fmt.Sprintf("shared: %s of %s, objects with the same properties, is $defs/%s", name, quotedList(users), def))
		}
	}

	root := &Object{}
	rootPath := path.Join(opts.Name, opts.Name+".json")
	title := strings.ToUpper(opts.Name[:1]) + opts.Name[1:]
	root.Set("$schema", "https://json-schema.org/draft/2020-12/schema")
	if opts.IDBase != "" {
		root.Set("$id", opts.IDBase+rootPath)
	}
	root.Set("title", title+" webhook")
	root.Set("description", fmt.Sprintf("Scaffolded by payhooks schemas init from %s; review it against %s's documentation.", words.Count(total, "sample", "samples"), title))
	root.Set("x-payhooks-provider", providerExtension(opts, title, disc, id, subject))
	root.Set("$ref", "#/$defs/envelope")
	root.Set("$defs", defs)
	if p.Files[rootPath], err = Indent(root); err != nil {
		return nil, err
	}

	for _, e := range events {
		node := perEvent[e]
		props := &Object{}
		discSchema := &Object{}
		discSchema.Set("const", e)
		props.Set(disc, discSchema)
		var required []string
		_, alwaysInEvent := node.Properties()
		for _, name := range perEventMembers {
			child := node.Property(name)
			if child == nil {
				continue
			}
			if def, ok := shared[name][e]; ok {
				ref := &Object{}
				ref.Set("$ref", "../"+opts.Name+".json#/$defs/"+def)
				props.Set(name, ref)
			} else {
				props.Set(name, child.Schema())
			}
			if alwaysInEvent[name] {
				required = append(required, name)
			}
		}
		file := path.Join(opts.Name, "events", bases[e]+".json")
		ev := &Object{}
		ev.Set("$schema", "https://json-schema.org/draft/2020-12/schema")
		if opts.IDBase != "" {
			ev.Set("$id", opts.IDBase+file)
		}
		ev.Set("title", title+" "+e)
		ev.Set("description", fmt.Sprintf("Scaffolded from %s.", words.Count(node.Seen(), "sample", "samples")))
		ev.Set("x-payhooks-event", e)
		ev.Set("$ref", "../"+opts.Name+".json#/$defs/envelope")
		ev.Set("type", "object")
		if len(required) > 0 {
			ev.Set("required", required)
		}
		ev.Set("properties", props)
		if all.Extra() != nil || node.Extra() != nil {
			ev.Set("additionalProperties", true) // a map at the top: its keys are not fields
		}
		if p.Files[file], err = Indent(ev); err != nil {
			return nil, err
		}
		for i, d := range examples[e] {
			name := bases[e] + ".json"
			if i > 0 {
				name = fmt.Sprintf("%s.%d.json", bases[e], i+1)
			}
			p.Files[path.Join(opts.Name, "examples", name)] = d.Body
		}
	}
	p.Notes = append(p.Notes, fmt.Sprintf("events: %s, one schema and up to %d examples each", quotedList(events), maxExamples))
	return p, nil
}

// sameShapeInEvery reports whether every event's samples give member name
// the same schema.
func sameShapeInEvery(events []string, perEvent map[string]*Node, name string) bool {
	first := ""
	for i, e := range events {
		shape := canonical(perEvent[e].Property(name).Schema())
		if i == 0 {
			first = shape
		} else if shape != first {
			return false
		}
	}
	return true
}

func canonical(o *Object) string {
	data, err := json.Marshal(o)
	if err != nil {
		return ""
	}
	return string(data)
}

// defName is a free $defs name for a member's shared shape.
func defName(defs *Object, member string) string {
	name := member
	for i := 2; ; i++ {
		if _, taken := defs.Get(name); !taken {
			return name
		}
		name = fmt.Sprintf("%s%d", member, i)
	}
}

// subjectOf finds the event's subject (data, event_detail, payload): of the
// top-level members that are objects in every sample, the one with the most
// members. Structural, like the discriminator: a delivery without it is
// breaking drift. "" when there is none, or no single largest.
func subjectOf(stats *guessStats, disc string) (string, string) {
	sizes := maps.Clone(stats.objects)
	delete(sizes, disc)
	best := guess.Largest(sizes)
	if best == "" {
		return "", "no subject: no single member is the largest object in every sample"
	}
	ptr := "/" + jsonpointer.Escape(best)
	return ptr, fmt.Sprintf("subject %s: the largest member that is an object in every sample; structural, like the discriminator (absent, it is breaking drift)", ptr)
}

func providerExtension(opts ProviderOptions, title, disc, id, subject string) *Object {
	sig := &Object{}
	sig.Set("scheme", opts.Signature.Name)
	if opts.Signature.Header != "" {
		sig.Set("header", opts.Signature.Header)
	}
	if h := opts.Signature.HMAC; h != nil {
		params := &Object{}
		for _, kv := range [][2]string{{"digest", h.Digest}, {"encoding", h.Encoding}, {"prefix", h.Prefix}, {"key", h.Key}, {"message", h.Message}} {
			if kv[1] != "" {
				params.Set(kv[0], kv[1])
			}
		}
		sig.Set("hmac", params)
	}
	x := &Object{}
	x.Set("name", opts.Name)
	x.Set("title", title)
	x.Set("discriminator", catalog.DiscriminatorOf(webhook.Addressing{EventPointer: "/" + jsonpointer.Escape(disc)}))
	x.Set("delivery_id", id)
	if subject != "" {
		x.Set("subject", subject)
	}
	x.Set("signature", sig)
	return x
}

func quotedList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}
