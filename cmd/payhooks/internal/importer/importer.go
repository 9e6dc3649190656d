// Package importer turns a provider's own OpenAPI webhooks document into a
// payhooks provider folder: the document (OpenAPI 3.1, or 3.0 translated to
// it) with x-payhooks-provider added, and every example the document gives
// for each webhook. Events are the webhooks (3.1 webhooks, 3.0 x-webhooks);
// the discriminator is the body property whose const or enum names each
// webhook; the subject is the object member every webhook's body has; shapes
// payhooks does not take are translated (3.0's nullable becomes a "null"
// type). additionalProperties: false stays: payhooks reports the members it
// closes out as unknown_property, never refuses them, and tells a union's
// variants apart by it as the document does. Every decision is returned as a
// note; what it cannot express is refused with the document pointer.
package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/oasdiff/yaml"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/guess"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook"
)

// Options is what Import is told rather than finds.
type Options struct {
	Name          string         // the provider folder and package
	Signature     webhook.Scheme // how it signs
	Discriminator string         // a top-level pointer such as /type; "" to find it
	DeliveryID    string         // a pointer to the delivery id, or webhook.BodyDeliveryID; "" to find a top-level one

	// A document without webhooks may describe its events as component
	// schemas tagged by an extension (components.go): each of these is
	// found when empty.
	EventExtension string // the extension naming an event: "x-stripeEvent"
	Envelope       string // the component key of the schema every delivery follows
	Payload        string // the pointer of the payload in the envelope: "/data/object"
	// EventsFrom is another document of the same provider whose tagged
	// components give the events, for a version of the document that tags
	// none (an older API reference); nil: the document's own.
	EventsFrom []byte
	// Fixtures are sample objects by component key ({"resources": {…}} or
	// the object itself): with component events, each event gets an
	// example built from the envelope's sample and its resource's.
	Fixtures []byte
}

// Result is the provider folder's files by path (NAME/…) and the notes of
// what was decided.
type Result struct {
	// Name is the provider's folder, which every file is under.
	Name   string
	Files  map[string][]byte
	Notes  []string
	Events []string
}

// document is the parsed OpenAPI document, as generic JSON.
type document map[string]any

// Import reads an OpenAPI 3.0 or 3.1 document (JSON or YAML).
func Import(data []byte, opts Options) (*Result, error) {
	doc, err := parse(data)
	if err != nil {
		return nil, err
	}
	r := &Result{Name: opts.Name, Files: map[string][]byte{}}
	if ptr, ok := externalRef(doc); ok {
		return nil, fmt.Errorf("#%s: a reference to another file; bundle the document into one first", ptr)
	}
	version, _ := doc["openapi"].(string)
	switch {
	case strings.HasPrefix(version, "3.1."):
	case strings.HasPrefix(version, "3.0."):
		if err := from30(doc, r); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("#/openapi: version %q; OpenAPI 3.0 and 3.1 are supported", version)
	}
	hooks, ok := doc["webhooks"].(map[string]any)
	var conv *convention
	if !ok || len(hooks) == 0 {
		src := doc
		if opts.EventsFrom != nil {
			if src, err = parse(opts.EventsFrom); err != nil {
				return nil, fmt.Errorf("the document the events come from: %w", err)
			}
			if v, _ := src["openapi"].(string); strings.HasPrefix(v, "3.0.") {
				nullables(src)
			}
		}
		if conv, err = componentEvents(doc, src, opts.EventsFrom != nil, opts, r); err != nil {
			return nil, err
		}
		prune(doc, r)
		hooks = doc["webhooks"].(map[string]any)
	}
	events := make([]string, 0, len(hooks))
	for name := range hooks {
		events = append(events, name)
	}
	slices.Sort(events)
	r.Events = events
	bodies := map[string]map[string]any{} // webhook → its JSON request body media object
	for _, e := range events {
		media, err := requestMedia(doc, e)
		if err != nil {
			return nil, err
		}
		bodies[e] = media
	}
	if lifted := liftInlineBodies(doc, events, bodies); len(lifted) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("inline request schemas moved to components/schemas, so each event type has a name: %s", strings.Join(lifted, ", ")))
	}
	tops := map[string]topLevel{}
	for _, e := range events {
		tops[e] = topProperties(doc, bodies[e]["schema"])
	}
	disc, err := discriminator(events, tops, opts.Discriminator, r)
	if err != nil {
		return nil, err
	}
	id, err := deliveryID(events, tops, opts.DeliveryID, r)
	if err != nil {
		return nil, err
	}
	var subj string
	if conv != nil {
		subj = conv.subject(r)
	} else {
		subj = subject(doc, events, tops, disc, r)
	}
	if n, first := closedObjects(doc); n > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("additionalProperties: false in %d schemas (first #%s) kept: payhooks reports the members they close out as unknown_property, never refuses them, and tells a union's variants apart by them as the document does", n, first))
	}
	provider := map[string]any{
		"name":          opts.Name,
		"title":         title(doc, opts.Name),
		"discriminator": catalog.DiscriminatorOf(webhook.Addressing{EventPointer: disc}),
		"delivery_id":   id,
		"signature":     opts.Signature,
	}
	if subj != "" {
		provider["subject"] = subj
	}
	doc["x-payhooks-provider"] = provider
	out, err := json.MarshalIndent(map[string]any(doc), "", "  ")
	if err != nil {
		return nil, err
	}
	r.Files[path.Join(opts.Name, "openapi.json")] = append(out, '\n')
	bases := catalog.FileBases(events) // webhook names: any string
	var fixtures map[string][]byte
	if conv != nil && opts.Fixtures != nil {
		var missing []string
		if fixtures, missing, err = conv.fixtureExamples(doc, opts.Fixtures, id); err != nil {
			return nil, err
		}
		r.Notes = append(r.Notes, fmt.Sprintf("examples: %d of %d events from the fixtures: the envelope's sample with the event, its resource's sample at %s and a delivery id of its own", len(fixtures), len(events), pointerOf(conv.payload)))
		if len(missing) > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("no fixture for the resource of %s", strings.Join(missing, ", ")))
		}
	}
	for _, e := range events {
		examples, err := examplesOf(doc, e, bodies[e])
		if err != nil {
			return nil, err
		}
		if ex, ok := fixtures[e]; ok {
			examples = append(examples, ex)
		}
		for i, ex := range examples {
			name := bases[e] + ".json"
			if i > 0 {
				name = fmt.Sprintf("%s.%d.json", bases[e], i+1)
			}
			r.Files[path.Join(opts.Name, "examples", name)] = ex
		}
	}
	r.Notes = append(r.Notes, fmt.Sprintf("events: %s (%s)", words.Count(len(events), "webhook", "webhooks"), strings.Join(events, ", ")))
	return r, nil
}

// MaxDocumentBytes is the largest document Import reads, as for every
// schema document (compile.MaxDocumentBytes).
const MaxDocumentBytes = compile.MaxDocumentBytes

func parse(data []byte) (document, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		converted, err := yaml.YAMLToJSON(data)
		if err != nil {
			return nil, fmt.Errorf("read the document as YAML: %w", err)
		}
		data = converted
	}
	// Too deep, too large or cycling where the tools that read it next
	// recurse: refused before anything walks it.
	if err := compile.CheckDocument(data); err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("read the document as JSON: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is not an object")
	}
	return doc, nil
}

// externalRef finds a $ref that leaves the document.
func externalRef(doc document) (at string, found bool) {
	eachObject(map[string]any(doc), "", func(m map[string]any, ptr string) bool {
		if ref, ok := m["$ref"].(string); ok && !strings.HasPrefix(ref, "#") {
			at, found = ptr+"/$ref", true
		}
		return !found
	})
	return at, found
}

// eachObject calls visit with every object of the tree under v and its
// pointer, parents first and members in name order, until visit returns
// false; visit may change the object it is given.
func eachObject(v any, ptr string, visit func(m map[string]any, ptr string) bool) bool {
	switch x := v.(type) {
	case map[string]any:
		if !visit(x, ptr) {
			return false
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if !eachObject(x[k], jsonpointer.Append(ptr, k), visit) {
				return false
			}
		}
	case []any:
		for i, item := range x {
			if !eachObject(item, jsonpointer.AppendIndex(ptr, i), visit) {
				return false
			}
		}
	}
	return true
}

// resolve follows local $refs from v.
func resolve(doc document, v any) (map[string]any, string, error) {
	ptr := ""
	for range 32 {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, ptr, fmt.Errorf("#%s: expected an object", ptr)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, ptr, nil
		}
		ptr = strings.TrimPrefix(ref, "#")
		target, found := jsonpointer.Get(map[string]any(doc), ptr)
		if !found {
			return nil, ptr, fmt.Errorf("#%s: the reference leads nowhere", ptr)
		}
		v = target
	}
	return nil, ptr, fmt.Errorf("#%s: references loop", ptr)
}

// requestMedia returns a webhook's application/json request body.
func requestMedia(doc document, event string) (map[string]any, error) {
	at := "/webhooks/" + jsonpointer.Escape(event)
	item, _, err := resolve(doc, doc["webhooks"].(map[string]any)[event])
	if err != nil {
		return nil, fmt.Errorf("#%s: %w", at, err)
	}
	op, ok := item["post"]
	if !ok {
		return nil, fmt.Errorf("#%s: no post operation; webhooks are POSTed", at)
	}
	opm, _, err := resolve(doc, op)
	if err != nil {
		return nil, err
	}
	body, ok := opm["requestBody"]
	if !ok {
		return nil, fmt.Errorf("#%s/post: no requestBody", at)
	}
	bm, _, err := resolve(doc, body)
	if err != nil {
		return nil, err
	}
	content, _ := bm["content"].(map[string]any)
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("#%s/post/requestBody: no application/json content", at)
	}
	if _, ok := media["schema"]; !ok {
		return nil, fmt.Errorf("#%s/post/requestBody/content/application~1json: no schema", at)
	}
	return media, nil
}

// liftInlineBodies moves each inline request body schema into
// components/schemas under a name made from its webhook, and refers to it
// there: payhooks names an event's type after a component.
func liftInlineBodies(doc document, events []string, bodies map[string]map[string]any) []string {
	var lifted []string
	for _, e := range events {
		media := bodies[e]
		if schema, ok := media["schema"].(map[string]any); ok {
			if _, isRef := schema["$ref"]; isRef {
				continue
			}
			components, _ := doc["components"].(map[string]any)
			if components == nil {
				components = map[string]any{}
				doc["components"] = components
			}
			schemas, _ := components["schemas"].(map[string]any)
			if schemas == nil {
				schemas = map[string]any{}
				components["schemas"] = schemas
			}
			name := componentName(e)
			for i := 2; schemas[name] != nil; i++ {
				name = fmt.Sprintf("%s%d", componentName(e), i)
			}
			schemas[name] = schema
			media["schema"] = map[string]any{"$ref": "#/components/schemas/" + name}
			lifted = append(lifted, name)
		}
	}
	return lifted
}

// componentName is a webhook name as a component key: its words joined,
// each capitalised, then "Request" ("refund.created" → RefundCreatedRequest).
func componentName(event string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(event, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String() + "Request"
}

// topLevel is what a request schema declares at its top level, along $ref
// and allOf: each property's schema, and the required names.
type topLevel struct {
	props    map[string]map[string]any
	required map[string]bool
}

// topProperties reads a request schema's top level.
func topProperties(doc document, schema any) topLevel {
	props, required := map[string]map[string]any{}, map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		m, _, err := resolve(doc, v)
		if err != nil || depth > 16 {
			return
		}
		if p, ok := m["properties"].(map[string]any); ok {
			for name, s := range p {
				if rs, _, err := resolve(doc, s); err == nil {
					props[name] = rs
				}
			}
		}
		if req, ok := m["required"].([]any); ok {
			for _, r := range req {
				if s, ok := r.(string); ok {
					required[s] = true
				}
			}
		}
		if all, ok := m["allOf"].([]any); ok {
			for _, a := range all {
				walk(a, depth+1)
			}
		}
	}
	walk(schema, 0)
	return topLevel{props, required}
}

// discriminator finds the top-level property whose const or enum names
// each webhook. A webhook whose body does not declare it can never be
// routed: given -discriminator, such webhooks are named in the notes;
// found, a property that misses some is refused with their names.
func discriminator(events []string, tops map[string]topLevel, given string, r *Result) (string, error) {
	if given != "" {
		name, ok := jsonpointer.TopLevel(given)
		if !ok {
			return "", fmt.Errorf("-discriminator %q: give a top-level property as a pointer, such as /type", given)
		}
		r.Notes = append(r.Notes, "discriminator "+given+": given")
		if unnamed := unnamedBy(events, tops, name); len(unnamed) > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("WARNING: %s cannot be routed: %s", words.Count(len(unnamed), "webhook", "webhooks"), strings.Join(unnamed, "; ")))
		}
		return given, nil
	}
	var candidates []string
	closest, closestMissing := "", []string(nil)
	props := map[string]bool{}
	for _, e := range events {
		for name := range tops[e].props {
			props[name] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		unnamed := unnamedBy(events, tops, name)
		switch {
		case len(unnamed) == 0:
			candidates = append(candidates, name)
		case len(unnamed) < len(events) && (closest == "" || len(unnamed) < len(closestMissing)):
			closest, closestMissing = name, unnamed
		}
	}
	if named := slices.DeleteFunc(slices.Clone(candidates), func(name string) bool { return !guess.NamesEvents(name) }); len(candidates) > 1 && len(named) == 1 {
		candidates = named // the one whose name says it names the event
	}
	switch {
	case len(candidates) > 1:
		return "", fmt.Errorf("several body properties name every webhook by const or enum (%s); pass -discriminator", strings.Join(candidates, ", "))
	case len(candidates) == 0 && closest != "":
		return "", fmt.Errorf("no body property names every webhook by const or enum; the closest, /%s, names %d of %d, not: %s; pass -discriminator /%s to import anyway (those webhooks cannot be routed), or another pointer",
			jsonpointer.Escape(closest), len(events)-len(closestMissing), len(events), strings.Join(closestMissing, "; "), jsonpointer.Escape(closest))
	case len(candidates) == 0:
		return "", fmt.Errorf("no body property names any webhook by const or enum; pass -discriminator")
	}
	ptr := "/" + jsonpointer.Escape(candidates[0])
	note := fmt.Sprintf("discriminator %s: the body property whose const or enum names each webhook", ptr)
	if slices.ContainsFunc(events, func(e string) bool { return !tops[e].required[candidates[0]] }) {
		note += " (not marked required everywhere; payhooks reads it anyway)"
	}
	r.Notes = append(r.Notes, note)
	return ptr, nil
}

// unnamedBy lists the webhooks whose body does not name them at property
// name, each with why: a delivery of one carries no value that routes it.
func unnamedBy(events []string, tops map[string]topLevel, name string) []string {
	var out []string
	for _, e := range events {
		switch s, ok := tops[e].props[name]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s (its body has no %s)", e, name))
		case !names(s, e):
			out = append(out, fmt.Sprintf("%s (its %s is not pinned to %q by const or enum)", e, name, e))
		}
	}
	return out
}

// names reports whether a property schema admits exactly, or among its
// values, the webhook's name.
func names(s map[string]any, event string) bool {
	if s == nil {
		return false
	}
	if c, ok := s["const"].(string); ok {
		return c == event
	}
	if enum, ok := s["enum"].([]any); ok {
		return slices.Contains(enum, any(event))
	}
	return false
}

// deliveryID is the given pointer, or a top-level string property every
// webhook's body has, named id or like one.
func deliveryID(events []string, tops map[string]topLevel, given string, r *Result) (string, error) {
	switch {
	case given == webhook.BodyDeliveryID:
		r.Notes = append(r.Notes, "delivery id: the SHA-256 of the body (given: the document names no id kept across retries)")
		return given, nil
	case given != "":
		r.Notes = append(r.Notes, "delivery id "+given+": given")
		return given, nil
	}
	// No values to show it never repeats: the name alone must say so.
	best, bestScore := "", guess.NamedID-1
	for _, name := range slices.Sorted(maps.Keys(tops[events[0]].props)) {
		every := !slices.ContainsFunc(events, func(e string) bool {
			t, _ := tops[e].props[name]["type"].(string)
			return t != "string"
		})
		if score := guess.IDScore(name); every && score > bestScore {
			best, bestScore = name, score
		}
	}
	if best == "" {
		return "", fmt.Errorf("no top-level string property of every webhook is named like a delivery id; pass -delivery-id (a pointer such as /data/id, or %q to key deliveries on their body)", webhook.BodyDeliveryID)
	}
	ptr := "/" + jsonpointer.Escape(best)
	r.Notes = append(r.Notes, fmt.Sprintf("delivery id %s: a top-level string of every webhook's body, named like an id", ptr))
	return ptr, nil
}

// closedObjects counts the schemas that say additionalProperties: false.
func closedObjects(doc document) (n int, first string) {
	eachObject(map[string]any(doc), "", func(m map[string]any, ptr string) bool {
		if ap, ok := m["additionalProperties"].(bool); ok && !ap {
			if n == 0 {
				first = ptr
			}
			n++
		}
		return true
	})
	return n, first
}

// subject finds the event's subject: of the top-level members every
// webhook's body declares as an object (besides the discriminator), the one
// declaring the most properties. Without it no consumer can act on a
// delivery, so payhooks treats it as structural, like the discriminator:
// its absence is breaking drift, whether or not the document marks it
// required. "" when there is none, or no single largest.
func subject(doc document, events []string, tops map[string]topLevel, disc string, r *Result) string {
	discName, _ := jsonpointer.TopLevel(disc)
	sizes := map[string]int{}
	for name := range tops[events[0]].props {
		size := 0
		for _, e := range events {
			s := tops[e].props[name]
			if name == discName || !objectSchema(doc, s) {
				size = -1
				break
			}
			size += len(topProperties(doc, s).props)
		}
		if size >= 0 {
			sizes[name] = size
		}
	}
	best := guess.Largest(sizes)
	if best == "" {
		r.Notes = append(r.Notes, "no subject: no single top-level object every webhook carries declares the most properties")
		return ""
	}
	ptr := "/" + jsonpointer.Escape(best)
	note := fmt.Sprintf("subject %s: the object every webhook carries; structural, like the discriminator (absent, it is breaking drift)", ptr)
	if slices.ContainsFunc(events, func(e string) bool { return !tops[e].required[best] }) {
		note += " although the document does not mark it required everywhere"
	}
	r.Notes = append(r.Notes, note)
	return ptr
}

// objectSchema reports whether a property schema (its $refs and allOf
// followed) describes an object: "type": "object", or no type and
// properties of its own (as Adyen writes some).
func objectSchema(doc document, s map[string]any) bool {
	if s == nil {
		return false
	}
	for range 16 {
		switch t := s["type"].(type) {
		case string:
			return t == "object"
		case []any:
			return slices.Contains(t, any("object"))
		}
		if _, ok := s["properties"].(map[string]any); ok {
			return true
		}
		if all, ok := s["allOf"].([]any); ok && len(all) > 0 {
			next, _, err := resolve(doc, all[0])
			if err != nil {
				return false
			}
			s = next
			continue
		}
		return false
	}
	return false
}

// examplesOf returns the examples a webhook's body gives: example, and
// each of examples (a value, or a reference to one).
func examplesOf(doc document, event string, media map[string]any) ([][]byte, error) {
	var out [][]byte
	add := func(v any) error {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		out = append(out, append(data, '\n'))
		return nil
	}
	if ex, ok := media["example"]; ok {
		if err := add(ex); err != nil {
			return nil, err
		}
	}
	if exs, ok := media["examples"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(exs)) {
			ex, _, err := resolve(doc, exs[k])
			if err != nil {
				return nil, fmt.Errorf("#/webhooks/%s examples %q: %w", jsonpointer.Escape(event), k, err)
			}
			if v, ok := ex["value"]; ok {
				if err := add(v); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// from30 brings a 3.0 document to 3.1: x-webhooks become webhooks, and
// nullable: true a "null" type.
func from30(doc document, r *Result) error {
	hooks, ok := doc["x-webhooks"]
	if ok {
		doc["webhooks"] = hooks
		delete(doc, "x-webhooks")
	}
	doc["openapi"] = "3.1.0"
	n := nullables(doc)
	what := "no x-webhooks (events are looked for among the component schemas)"
	if ok {
		what = "x-webhooks are the webhooks"
	}
	r.Notes = append(r.Notes, fmt.Sprintf("OpenAPI 3.0 translated to 3.1: %s, %d nullable: true became a \"null\" type", what, n))
	return nil
}

func nullables(doc document) int {
	n := 0
	eachObject(map[string]any(doc), "", func(m map[string]any, _ string) bool {
		nb, ok := m["nullable"].(bool)
		if !ok {
			return true
		}
		delete(m, "nullable")
		if nb {
			if t, ok := m["type"].(string); ok {
				m["type"] = []any{t, "null"}
			}
			if enum, ok := m["enum"].([]any); ok && !slices.Contains(enum, nil) {
				m["enum"] = append(enum, nil)
			}
			// A union admits null as one more variant (Stripe writes a
			// nullable reference as anyOf: [$ref] with nullable).
			for _, k := range []string{"anyOf", "oneOf"} {
				if list, ok := m[k].([]any); ok {
					m[k] = append(list, map[string]any{"type": "null"})
				}
			}
			n++
		}
		return true
	})
	return n
}

func title(doc document, name string) string {
	if info, ok := doc["info"].(map[string]any); ok {
		if t, ok := info["title"].(string); ok && t != "" {
			return t
		}
	}
	return name
}
