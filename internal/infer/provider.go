package infer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/words"
	"github.com/payhooks/payhooks/webhook"
)

// Sample is one payload a provider sent.
type Sample struct {
	Source string // where it came from, for messages
	Body   []byte
}

// ProviderOptions is what Scaffold is told rather than guesses.
type ProviderOptions struct {
	Name           string // the provider folder and package name
	Scheme, Header string // the signing scheme, and its header when not the scheme's own
	Discriminator  string // a top-level pointer ("/type"); "" to guess
	DeliveryID     string // a top-level pointer ("/id") or webhook.BodyDeliveryID; "" to guess
}

// Provider is a scaffolded provider folder: its files by path (NAME/…), in
// the layout of the bundled providers, and what was guessed and why.
type Provider struct {
	Files map[string][]byte
	Notes []string
}

// parsed is a decoded sample.
type parsed struct {
	Sample
	doc   map[string]any
	event string
}

// Scaffold writes a provider's schemas from its sample payloads: the
// envelope (the members every sample has, where every event agrees on
// their shape), the discriminator (the top-level string member whose
// values split the samples into events), the delivery id, one event schema
// per discriminator value, and shared shapes in $defs when two events carry
// the same one. Each sample becomes an example.
func Scaffold(samples []Sample, opts ProviderOptions) (*Provider, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("no samples")
	}
	docs := make([]*parsed, 0, len(samples))
	for _, s := range samples {
		dec := json.NewDecoder(bytes.NewReader(s.Body))
		dec.UseNumber()
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%s: not a JSON object: %w", s.Source, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%s: more than one JSON value; give one payload per file", s.Source)
		}
		docs = append(docs, &parsed{Sample: s, doc: doc})
	}
	p := &Provider{Files: map[string][]byte{}}
	disc, why, err := discriminator(docs, opts.Discriminator)
	if err != nil {
		return nil, err
	}
	p.Notes = append(p.Notes, why)
	for _, d := range docs {
		d.event = d.doc[disc].(string)
		if d.event == "" || strings.ContainsAny(d.event, `/\`) || strings.HasPrefix(d.event, ".") {
			return nil, fmt.Errorf("%s: event name %q cannot name a file; pass -discriminator", d.Source, d.event)
		}
	}
	id, why, err := deliveryID(docs, disc, opts.DeliveryID)
	if err != nil {
		return nil, err
	}
	p.Notes = append(p.Notes, why)
	subject, why := subjectOf(docs, disc)
	p.Notes = append(p.Notes, why)

	events, byEvent := groupByEvent(docs)
	all := New()
	perEvent := map[string]*Node{}
	for _, d := range docs {
		all.Add(d.doc)
		if perEvent[d.event] == nil {
			perEvent[d.event] = New()
		}
		perEvent[d.event].Add(d.doc)
	}

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
				for _, d := range byEvent[e] {
					if v, ok := d.doc[name]; ok {
						merged.Add(v)
					}
				}
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
	root.Set("$id", compile.DefaultBaseURI+rootPath)
	root.Set("title", title+" webhook")
	root.Set("description", fmt.Sprintf("Scaffolded by payhooks schemas init from %s; review it against %s's documentation.", words.Count(len(docs), "sample", "samples"), title))
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
		file := path.Join(opts.Name, "events", e+".json")
		ev := &Object{}
		ev.Set("$schema", "https://json-schema.org/draft/2020-12/schema")
		ev.Set("$id", compile.DefaultBaseURI+file)
		ev.Set("title", title+" "+e)
		ev.Set("description", fmt.Sprintf("Scaffolded from %s.", words.Count(len(byEvent[e]), "sample", "samples")))
		ev.Set("x-payhooks-event", e)
		ev.Set("$ref", "../"+opts.Name+".json#/$defs/envelope")
		ev.Set("type", "object")
		if len(required) > 0 {
			ev.Set("required", required)
		}
		ev.Set("properties", props)
		if p.Files[file], err = Indent(ev); err != nil {
			return nil, err
		}
		for i, d := range byEvent[e] {
			name := e + ".json"
			if i > 0 {
				name = fmt.Sprintf("%s.%d.json", e, i+1)
			}
			p.Files[path.Join(opts.Name, "examples", name)] = d.Body
		}
	}
	p.Notes = append(p.Notes, fmt.Sprintf("events: %s, one schema and its examples each", quotedList(events)))
	return p, nil
}

// discriminator finds the top-level string member whose values split the
// samples into events: given, or guessed (not named like an id; a name that
// says "type", "event" or "kind" first, then the one with most values).
func discriminator(docs []*parsed, given string) (string, string, error) {
	if given != "" {
		name, err := givenMember(docs, given, "-discriminator")
		return name, fmt.Sprintf("discriminator %s: given", given), err
	}
	best, bestScore, bestValues := "", -1, 0
	for _, name := range stringMembers(docs) {
		values := distinct(docs, name)
		hinted := hint(name, "type", "event", "kind")
		if strings.HasSuffix(strings.ToLower(name), "id") || len(docs) > 1 && values == len(docs) && !hinted {
			continue // named like an id, or one value per sample: an id, not an event
		}
		score := values
		if hinted {
			score += 1000
		}
		if score > bestScore || score == bestScore && len(name) < len(best) {
			best, bestScore, bestValues = name, score, values
		}
	}
	if best == "" {
		return "", "", fmt.Errorf("no top-level string member in every sample could name the events; pass -discriminator")
	}
	return best, fmt.Sprintf("discriminator /%s: a string in every sample, whose %s split the %s into events", jsonpointer.Escape(best), words.Count(bestValues, "value", "values"), words.Count(len(docs), "sample", "samples")), nil
}

// deliveryID finds the pointer to the member that identifies a delivery:
// given, or guessed (a string in every sample, never repeated, named id or
// like one).
func deliveryID(docs []*parsed, disc, given string) (string, string, error) {
	switch {
	case given == webhook.BodyDeliveryID:
		return given, "delivery id: the SHA-256 of the body (given)", nil
	case given != "":
		name, err := givenMember(docs, given, "-delivery-id")
		return "/" + jsonpointer.Escape(name), fmt.Sprintf("delivery id %s: given", given), err
	}
	best, bestScore := "", 0
	for _, name := range stringMembers(docs) {
		if name == disc || distinct(docs, name) != len(docs) {
			continue
		}
		score := 0
		lower := strings.ToLower(name)
		switch {
		case lower == "id":
			score = 4
		case strings.HasSuffix(lower, "id") && hint(name, "webhook", "notification", "delivery", "message"):
			score = 3 // names the delivery itself
		case strings.HasSuffix(lower, "id") && hint(name, "event"):
			score = 2
		case strings.HasSuffix(lower, "_id") || strings.HasSuffix(name, "Id"):
			score = 1
		}
		if score > bestScore {
			best, bestScore = name, score
		}
	}
	if best == "" {
		return "", "", fmt.Errorf("no top-level member looks like a delivery id (a string in every sample, never repeated, named like an id); pass -delivery-id, or %q to key deliveries on their body", webhook.BodyDeliveryID)
	}
	ptr := "/" + jsonpointer.Escape(best)
	return ptr, fmt.Sprintf("delivery id %s: a string in every sample, never repeated, named like an id", ptr), nil
}

// givenMember is the top-level member a flag names, which must be a string
// in every sample.
func givenMember(docs []*parsed, pointer, flag string) (string, error) {
	name, ok := jsonpointer.TopLevel(pointer)
	if !ok {
		return "", fmt.Errorf("%s %q: give a top-level member as a pointer, such as /type", flag, pointer)
	}
	for _, d := range docs {
		if _, ok := d.doc[name].(string); !ok {
			return "", fmt.Errorf("%s: %s %s is not a string there", d.Source, flag, pointer)
		}
	}
	return name, nil
}

// stringMembers lists the top-level members that are strings in every
// sample, sorted.
func stringMembers(docs []*parsed) []string {
	var out []string
	for name := range docs[0].doc {
		every := true
		for _, d := range docs {
			if _, ok := d.doc[name].(string); !ok {
				every = false
				break
			}
		}
		if every {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func distinct(docs []*parsed, name string) int {
	seen := map[string]bool{}
	for _, d := range docs {
		seen[d.doc[name].(string)] = true
	}
	return len(seen)
}

func hint(name string, parts ...string) bool {
	lower := strings.ToLower(name)
	for _, w := range parts {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// groupByEvent lists the events, sorted, and their samples in the order
// given.
func groupByEvent(docs []*parsed) ([]string, map[string][]*parsed) {
	by := map[string][]*parsed{}
	for _, d := range docs {
		by[d.event] = append(by[d.event], d)
	}
	return slices.Sorted(maps.Keys(by)), by
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
func subjectOf(docs []*parsed, disc string) (string, string) {
	best, bestSize, tie := "", -1, false
	for _, name := range slices.Sorted(maps.Keys(docs[0].doc)) {
		size := 0
		for _, d := range docs {
			obj, ok := d.doc[name].(map[string]any)
			if !ok || name == disc {
				size = -1
				break
			}
			size += len(obj)
		}
		switch {
		case size < 0:
		case size > bestSize:
			best, bestSize, tie = name, size, false
		case size == bestSize:
			tie = true
		}
	}
	if best == "" || tie {
		return "", "no subject: no single member is the largest object in every sample"
	}
	ptr := "/" + jsonpointer.Escape(best)
	return ptr, fmt.Sprintf("subject %s: the largest member that is an object in every sample; structural, like the discriminator (absent, it is breaking drift)", ptr)
}

func providerExtension(opts ProviderOptions, title, disc, id, subject string) *Object {
	d := &Object{}
	d.Set("in", "body")
	d.Set("pointer", "/"+jsonpointer.Escape(disc))
	sig := &Object{}
	sig.Set("scheme", opts.Scheme)
	if opts.Header != "" {
		sig.Set("header", opts.Header)
	}
	x := &Object{}
	x.Set("name", opts.Name)
	x.Set("title", title)
	x.Set("discriminator", d)
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
