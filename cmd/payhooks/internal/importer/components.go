package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/words"
)

// An API reference document (Stripe's) may describe its events not under
// webhooks but as component schemas, each tagged by an extension naming the
// event it carries ("x-stripeEvent": {"type": "charge.succeeded"}), beside
// one envelope schema every delivery follows: the schema whose
// discriminator property lists the events and whose payload member the
// tagged schemas fill in. componentEvents finds the three (each may be
// given instead) and writes what the rest of the importer reads: one
// webhook per event, its body the envelope with the discriminator pinned
// to the event and the tagged schema applied at the payload member.

// convention is what componentEvents decided.
type convention struct {
	extension string            // the tagging extension, "x-stripeEvent"
	tagged    map[string]string // event → component key
	envelope  string            // the envelope's component key
	disc      string            // the discriminator property of the envelope
	at        []string          // where a tagged schema applies: envelope property names ("data")
	payload   []string          // the payload pointer's tokens ("data", "object")
}

// taggedEvent reads an event name from an extension's value: a string, or
// an object naming it in type, event or name.
func taggedEvent(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case map[string]any:
		for _, k := range []string{"type", "event", "name"} {
			if s, ok := x[k].(string); ok && s != "" {
				return s, true
			}
		}
	}
	return "", false
}

// schemasOf returns a document's components/schemas.
func schemasOf(doc document) map[string]any {
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	return schemas
}

// componentEvents applies the events-as-components convention to doc,
// with the tags read from src (doc itself, or another version of the same
// provider's document: Options.EventsFrom), and writes doc's webhooks.
func componentEvents(doc, src document, adopted bool, opts Options, r *Result) (*convention, error) {
	srcSchemas := schemasOf(src)
	if len(srcSchemas) == 0 {
		return nil, fmt.Errorf("#/webhooks: the document declares no webhooks (3.1 webhooks, or 3.0 x-webhooks), and no component schemas that could stand for events")
	}
	c := &convention{}
	byExt := eventExtensions(srcSchemas)
	if opts.EventExtension != "" {
		c.extension = opts.EventExtension
		c.tagged = byExt[c.extension]
		if len(c.tagged) == 0 {
			return nil, fmt.Errorf("-event-extension %q: no component schema carries it with an event name (a string, or an object with type)", c.extension)
		}
		r.Notes = append(r.Notes, fmt.Sprintf("events: the %d component schemas tagged %s (given)", len(c.tagged), c.extension))
	}
	// The envelope: a component whose top-level discriminator lists every
	// tagged event (by enum or const), and which is not an event itself.
	type found struct{ ext, envelope, disc string }
	var candidates []found
	for _, ext := range slices.Sorted(maps.Keys(byExt)) {
		if c.extension != "" && ext != c.extension {
			continue
		}
		events := slices.Sorted(maps.Keys(byExt[ext]))
		for _, key := range slices.Sorted(maps.Keys(srcSchemas)) {
			if opts.Envelope != "" && key != opts.Envelope {
				continue
			}
			if slices.Contains(slices.Collect(maps.Values(byExt[ext])), key) {
				continue
			}
			for _, prop := range discriminatorsOf(src, srcSchemas[key], events, opts.Discriminator) {
				candidates = append(candidates, found{ext, key, prop})
			}
		}
	}
	switch {
	case len(candidates) == 0 && opts.Envelope != "":
		if _, ok := srcSchemas[opts.Envelope]; !ok {
			return nil, fmt.Errorf("-envelope %q: no such component schema", opts.Envelope)
		}
		return nil, fmt.Errorf("-envelope %q: no top-level property of it names every tagged event by enum or const; pass -discriminator", opts.Envelope)
	case len(candidates) == 0 && c.extension != "":
		return nil, fmt.Errorf("no component schema has a top-level property naming every event tagged %s by enum or const; pass -envelope (and -discriminator)", c.extension)
	case len(candidates) == 0:
		return nil, fmt.Errorf("#/webhooks: the document declares no webhooks (3.1 webhooks, or 3.0 x-webhooks), nor component schemas tagged as events with an envelope listing them; pass -event-extension and -envelope")
	case len(candidates) > 1:
		var list []string
		for _, f := range candidates {
			list = append(list, fmt.Sprintf("%s: envelope %s, discriminator /%s", f.ext, f.envelope, f.disc))
		}
		return nil, fmt.Errorf("several readings of the document's component schemas as events (%s); pass -event-extension, -envelope and -discriminator", strings.Join(list, "; "))
	}
	f := candidates[0]
	if c.extension == "" {
		c.extension, c.tagged = f.ext, byExt[f.ext]
		r.Notes = append(r.Notes, fmt.Sprintf("events: the %d component schemas tagged %s, an extension naming the event each carries (-event-extension to choose another)", len(c.tagged), c.extension))
	}
	c.envelope, c.disc = f.envelope, f.disc
	why := "given"
	if opts.Envelope == "" {
		why = "the one component schema with a top-level property listing every tagged event (-envelope to choose another)"
	}
	r.Notes = append(r.Notes, fmt.Sprintf("envelope: #/components/schemas/%s, %s", jsonpointer.Escape(c.envelope), why))
	envelope, _, err := resolve(src, srcSchemas[c.envelope])
	if err != nil {
		return nil, fmt.Errorf("#/components/schemas/%s: %w", jsonpointer.Escape(c.envelope), err)
	}
	if err := c.findPayload(src, envelope, opts.Payload, r); err != nil {
		return nil, err
	}
	if unlisted := c.unlisted(src, envelope); len(unlisted) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%s the envelope's /%s lists no component describes: %s; deliveries of them are unknown events (acknowledged, reported)", words.Count(len(unlisted), "event", "events"), c.disc, strings.Join(unlisted, ", ")))
	}
	if adopted {
		if err := c.adopt(doc, src, r); err != nil {
			return nil, err
		}
	}
	if err := c.writeWebhooks(doc); err != nil {
		return nil, err
	}
	return c, nil
}

// eventExtensions finds, per x- extension, the component schemas it tags
// with an event name: extension → event → component key. An extension
// two schemas carry with one event cannot name events and is left out.
func eventExtensions(schemas map[string]any) map[string]map[string]string {
	out := map[string]map[string]string{}
	dup := map[string]bool{}
	for _, key := range slices.Sorted(maps.Keys(schemas)) {
		m, ok := schemas[key].(map[string]any)
		if !ok {
			continue
		}
		for ext, v := range m {
			if !strings.HasPrefix(ext, "x-") {
				continue
			}
			name, ok := taggedEvent(v)
			if !ok {
				continue
			}
			if out[ext] == nil {
				out[ext] = map[string]string{}
			}
			if _, taken := out[ext][name]; taken {
				dup[ext] = true
			}
			out[ext][name] = key
		}
	}
	for ext := range dup {
		delete(out, ext)
	}
	return out
}

// discriminatorsOf lists the top-level properties of schema whose enum or
// const admits every event (only given, when given as a pointer).
func discriminatorsOf(doc document, schema any, events []string, given string) []string {
	top := topProperties(doc, schema)
	var out []string
	for _, name := range slices.Sorted(maps.Keys(top.props)) {
		if given != "" && "/"+jsonpointer.Escape(name) != given {
			continue
		}
		if !slices.ContainsFunc(events, func(e string) bool { return !names(top.props[name], e) }) {
			out = append(out, name)
		}
	}
	return out
}

// unlisted lists the values of the envelope's discriminator enum no
// tagged schema describes.
func (c *convention) unlisted(doc document, envelope map[string]any) []string {
	prop := topProperties(doc, envelope).props[c.disc]
	var out []string
	if enum, ok := prop["enum"].([]any); ok {
		for _, v := range enum {
			if s, ok := v.(string); ok && c.tagged[s] == "" {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// findPayload decides where the tagged schemas apply in the envelope and
// the payload pointer: the envelope member whose schema declares the
// properties the tagged schemas declare (they describe that member, and
// the payload is their one required property), else the envelope's one
// free-form object member (the tagged schemas are the payload).
func (c *convention) findPayload(doc document, envelope map[string]any, given string, r *Result) error {
	schemas := schemasOf(doc)
	taggedProps, required := map[string]bool{}, map[string]int{}
	for _, key := range c.tagged {
		top := topProperties(doc, schemas[key])
		for name := range top.props {
			taggedProps[name] = true
		}
		for name := range top.required {
			required[name]++
		}
	}
	members := topProperties(doc, envelope).props
	if given != "" {
		tokens, err := tokensOf(given)
		if err != nil {
			return fmt.Errorf("-payload %q: %w", given, err)
		}
		c.payload = tokens
		c.at = tokens
		if last := tokens[len(tokens)-1]; len(tokens) > 1 && taggedProps[last] {
			c.at = tokens[:len(tokens)-1]
		}
		if _, ok := members[c.at[0]]; !ok {
			return fmt.Errorf("-payload %q: the envelope has no member %q", given, c.at[0])
		}
		r.Notes = append(r.Notes, fmt.Sprintf("payload %s: given; the tagged schemas apply at %s", given, pointerOf(c.at)))
		return nil
	}
	var covering, open []string
	for _, name := range slices.Sorted(maps.Keys(members)) {
		if name == c.disc {
			continue
		}
		m := members[name]
		props := topProperties(doc, m).props
		if len(props) > 0 && !slices.ContainsFunc(slices.Collect(maps.Keys(taggedProps)), func(p string) bool { _, ok := props[p]; return !ok }) {
			covering = append(covering, name)
		}
		if t, _ := m["type"].(string); t == "object" && len(props) == 0 {
			open = append(open, name)
		}
	}
	switch {
	case len(covering) == 1:
		c.at = []string{covering[0]}
		c.payload = c.at
		var req []string
		for name, n := range required {
			if n == len(c.tagged) {
				req = append(req, name)
			}
		}
		if len(req) == 1 {
			c.payload = []string{covering[0], req[0]}
		}
		r.Notes = append(r.Notes, fmt.Sprintf("payload %s: the envelope's %s declares what the tagged schemas declare (%s), so they describe it%s (-payload to choose another)",
			pointerOf(c.payload), covering[0], strings.Join(slices.Sorted(maps.Keys(taggedProps)), ", "), map[bool]string{true: ", and " + pointerOf(c.payload) + " is the one member every one of them requires", false: ""}[len(c.payload) > 1]))
	case len(covering) == 0 && len(open) == 1:
		c.at = []string{open[0]}
		c.payload = c.at
		r.Notes = append(r.Notes, fmt.Sprintf("payload %s: the envelope's one free-form object member, which each tagged schema describes (-payload to choose another)", pointerOf(c.payload)))
	default:
		return fmt.Errorf("cannot tell which member of the envelope %s the tagged schemas describe (declaring %s: %v; free-form objects: %v); pass -payload", c.envelope, strings.Join(slices.Sorted(maps.Keys(taggedProps)), ", "), covering, open)
	}
	return nil
}

// tokensOf splits a JSON pointer of at least one token.
func tokensOf(ptr string) ([]string, error) {
	if !strings.HasPrefix(ptr, "/") || len(ptr) < 2 {
		return nil, fmt.Errorf("give a JSON pointer into the envelope, such as /data/object")
	}
	tokens := strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		tokens[i] = jsonpointer.Unescape(t)
	}
	return tokens, nil
}

// subject is the payload's pointer: what the tagged schemas describe is
// what each event is about (Stripe's /data/object), structural like the
// discriminator.
func (c *convention) subject(r *Result) string {
	ptr := pointerOf(c.payload)
	r.Notes = append(r.Notes, fmt.Sprintf("subject %s: the payload the tagged schemas describe; structural, like the discriminator (absent, it is breaking drift)", ptr))
	return ptr
}

func pointerOf(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/" + jsonpointer.Escape(t))
	}
	return b.String()
}

// adopt copies into doc the tagged schemas read from another document,
// each whose references all resolve in doc; the others (events of
// resources doc does not have) are left out, and said so.
func (c *convention) adopt(doc, src document, r *Result) error {
	schemas, srcSchemas := schemasOf(doc), schemasOf(src)
	if _, ok := schemas[c.envelope]; !ok {
		return fmt.Errorf("#/components/schemas/%s: the envelope of the document the events come from is not in this one", jsonpointer.Escape(c.envelope))
	}
	var left []string
	for _, event := range slices.Sorted(maps.Keys(c.tagged)) {
		key := c.tagged[event]
		resolves := true
		eachObject(srcSchemas[key], "", func(m map[string]any, _ string) bool {
			if ref, ok := m["$ref"].(string); ok {
				if _, found := jsonpointer.Get(map[string]any(doc), strings.TrimPrefix(ref, "#")); !found {
					resolves = false
				}
			}
			return resolves
		})
		if !resolves {
			left = append(left, event)
			delete(c.tagged, event)
			continue
		}
		schemas[key] = srcSchemas[key]
	}
	r.Notes = append(r.Notes, fmt.Sprintf("events: taken from the other document (this one tags none): %d of %d, those whose resources this document describes", len(c.tagged), len(c.tagged)+len(left)))
	if len(left) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("left out, their resources not in this document: %s", strings.Join(left, ", ")))
	}
	if len(c.tagged) == 0 {
		return fmt.Errorf("none of the other document's events has its resources in this one")
	}
	return nil
}

// writeWebhooks writes one webhook per tagged event: a component
// "<envelope>.<event>" holding the envelope's members with the
// discriminator pinned to the event and the tagged schema applied where
// it belongs.
func (c *convention) writeWebhooks(doc document) error {
	schemas := schemasOf(doc)
	envelope, ok := schemas[c.envelope].(map[string]any)
	if !ok {
		return fmt.Errorf("#/components/schemas/%s: not an object", jsonpointer.Escape(c.envelope))
	}
	props, _ := envelope["properties"].(map[string]any)
	if props == nil {
		return fmt.Errorf("#/components/schemas/%s: the envelope declares no properties of its own", jsonpointer.Escape(c.envelope))
	}
	if _, ok := props[c.at[0]]; !ok {
		return fmt.Errorf("#/components/schemas/%s: no member %q", jsonpointer.Escape(c.envelope), c.at[0])
	}
	hooks := map[string]any{}
	for _, event := range slices.Sorted(maps.Keys(c.tagged)) {
		key := c.tagged[event]
		tagged, _ := schemas[key].(map[string]any)
		body := map[string]any{}
		for k, v := range envelope {
			if k != "title" && k != "description" && !strings.HasPrefix(k, "x-") {
				body[k] = v
			}
		}
		description, _ := tagged["description"].(string)
		if description == "" {
			description, _ = envelope["description"].(string)
		}
		if description != "" {
			body["description"] = description
		}
		own := maps.Clone(props)
		pinned := map[string]any{"type": "string", "enum": []any{event}}
		if disc, ok := props[c.disc].(map[string]any); ok && disc["description"] != nil {
			pinned["description"] = disc["description"]
		}
		own[c.disc] = pinned
		var inner any = map[string]any{"$ref": "#/components/schemas/" + jsonpointer.Escape(key)}
		for i := len(c.at) - 1; i > 0; i-- {
			inner = map[string]any{"type": "object", "properties": map[string]any{c.at[i]: inner}, "required": []any{c.at[i]}}
		}
		own[c.at[0]] = map[string]any{"allOf": []any{props[c.at[0]], inner}}
		body["properties"] = own
		name := c.envelope + "." + event
		for i := 2; schemas[name] != nil; i++ {
			name = fmt.Sprintf("%s.%s.%d", c.envelope, event, i)
		}
		schemas[name] = body
		hooks[event] = map[string]any{"post": map[string]any{
			"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + jsonpointer.Escape(name)},
			}}},
		}}
	}
	doc["webhooks"] = hooks
	return nil
}

// prune keeps of doc what its webhooks reach: the component entries they
// refer to, directly or through others; paths and top-level security go,
// since payhooks reads no API operations. It says how many were kept.
func prune(doc document, r *Result) {
	reached := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		eachObject(v, "", func(m map[string]any, _ string) bool {
			ref, ok := m["$ref"].(string)
			if !ok || reached[ref] {
				return true
			}
			reached[ref] = true
			if target, found := jsonpointer.Get(map[string]any(doc), strings.TrimPrefix(ref, "#")); found {
				walk(target)
			}
			return true
		})
	}
	walk(doc["webhooks"])
	components, _ := doc["components"].(map[string]any)
	kept, all := 0, 0
	for section, v := range components {
		entries, ok := v.(map[string]any)
		if !ok {
			continue
		}
		for key := range entries {
			all++
			if reached["#/components/"+jsonpointer.Escape(section)+"/"+jsonpointer.Escape(key)] {
				kept++
			} else {
				delete(entries, key)
			}
		}
		if len(entries) == 0 {
			delete(components, section)
		}
	}
	ops := 0
	if paths, ok := doc["paths"].(map[string]any); ok {
		for _, item := range paths {
			if m, ok := item.(map[string]any); ok {
				ops += len(m)
			}
		}
	}
	delete(doc, "paths")
	delete(doc, "security")
	r.Notes = append(r.Notes, fmt.Sprintf("pruned to what the events reach: %d of %d components kept; the API's paths (%s) dropped, payhooks reads deliveries only", kept, all, words.Count(ops, "operation", "operations")))
}

// fixtureExamples builds an example delivery per event from sample
// objects keyed by component name (fixtures, such as Stripe's
// fixtures3.json: {"resources": {"charge": {…}}}): the envelope's sample
// with the discriminator set to the event, the payload set to the sample
// of the event's resource (the first of a union's that has one), and the
// delivery id made unique per event. It returns the examples by event and
// the events that have no sample.
func (c *convention) fixtureExamples(doc document, data []byte, deliveryID string) (map[string][]byte, []string, error) {
	var wrapped struct {
		Resources map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(data, &wrapped); err != nil {
		return nil, nil, fmt.Errorf("read the fixtures: %w", err)
	}
	samples := wrapped.Resources
	if samples == nil {
		if err := json.Unmarshal(data, &samples); err != nil {
			return nil, nil, fmt.Errorf("read the fixtures: %w", err)
		}
	}
	sample := func(key string) (any, bool) {
		raw, ok := samples[key]
		if !ok {
			return nil, false
		}
		var v any
		return v, json.Unmarshal(raw, &v) == nil
	}
	if _, ok := sample(c.envelope); !ok {
		return nil, nil, fmt.Errorf("the fixtures have no sample of the envelope %q", c.envelope)
	}
	schemas := schemasOf(doc)
	out := map[string][]byte{}
	var missing []string
	for _, event := range slices.Sorted(maps.Keys(c.tagged)) {
		var payload any
		for _, key := range c.Resources(schemas, event) {
			if v, ok := sample(key); ok {
				payload = v
				break
			}
		}
		if payload == nil {
			missing = append(missing, event)
			continue
		}
		ex, err := c.Example(event, payload, samples[c.envelope], deliveryID)
		if err != nil {
			return nil, nil, err
		}
		out[event] = ex
	}
	return out, missing, nil
}

// Resources lists the component keys of the resources an event carries
// at the payload pointer: one, or a union's variants.
func (c *convention) Resources(schemas map[string]any, event string) []string {
	var s any = schemas[c.tagged[event]]
	for _, t := range c.payload[len(c.at):] {
		m, _ := s.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		s = props[t]
	}
	m, _ := s.(map[string]any)
	var keys []string
	add := func(v any) {
		if ref, ok := v.(map[string]any)["$ref"].(string); ok {
			keys = append(keys, jsonpointer.Unescape(strings.TrimPrefix(ref, "#/components/schemas/")))
		}
	}
	if m == nil {
		return nil
	}
	if _, ok := m["$ref"]; ok {
		add(m)
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		list, _ := m[k].([]any)
		for _, v := range list {
			if vm, ok := v.(map[string]any); ok {
				add(vm)
			}
		}
	}
	if len(keys) == 0 {
		keys = []string{c.tagged[event]} // the tagged schema is the payload
	}
	return keys
}

// Example is one delivery of event: the envelope sample with the
// discriminator set to event, the payload at its pointer, and the
// delivery id (a top-level pointer) made unique to the event, in the
// shape of the sample's (its prefix up to the last "_" kept).
func (c *convention) Example(event string, payload any, envelope json.RawMessage, deliveryID string) ([]byte, error) {
	var ex map[string]any
	if err := json.Unmarshal(envelope, &ex); err != nil {
		return nil, fmt.Errorf("the envelope's sample: %w", err)
	}
	ex[c.disc] = event
	parent := ex
	for _, t := range c.payload[:len(c.payload)-1] {
		next, ok := parent[t].(map[string]any)
		if !ok {
			next = map[string]any{}
			parent[t] = next
		}
		parent = next
	}
	parent[c.payload[len(c.payload)-1]] = payload
	if name, ok := jsonpointer.TopLevel(deliveryID); ok {
		if id, ok := ex[name].(string); ok {
			sum := sha256.Sum256([]byte(event))
			prefix := id[:strings.LastIndex(id, "_")+1]
			n := max(len(id)-len(prefix), 8)
			ex[name] = prefix + hex.EncodeToString(sum[:])[:min(n, 64)]
		}
	}
	data, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
