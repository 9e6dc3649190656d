package bundle

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// selfContained returns the schema at pointer of the document at uri with
// every $ref inlined under $defs.
func selfContained(d *docs, uri, pointer, id, title, description string) (map[string]any, error) {
	doc, ok := d.byURI[uri]
	if !ok {
		return nil, fmt.Errorf("no schema document %s", uri)
	}
	node, ok := jsonpointer.Get(doc, pointer)
	if !ok {
		return nil, fmt.Errorf("%s: no value at #%s", uri, pointer)
	}
	root := uri
	if pointer != "" {
		root = "" // a schema inside a document (OpenAPI): "#" is not it
	}
	in := newInliner(d, "#/$defs/", root)
	copied, err := in.copy(node, uri, pointer == "")
	if err != nil {
		return nil, err
	}
	out, ok := copied.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s#%s is not a schema object", uri, pointer)
	}
	out["$schema"] = Dialect
	out["$id"] = id
	if title != "" {
		out["title"] = title
	}
	if description != "" {
		out["description"] = description
	}
	if len(in.defs) > 0 {
		out["$defs"] = in.defs
	}
	return out, nil
}

// writeFlavours writes schema's default flavour to file and its strict
// flavour beside it (".strict.json"), and returns the strict file's name.
func writeFlavours(out map[string][]byte, file string, schema map[string]any, strict map[string]any, p *catalog.Provider, opts Options) (string, error) {
	strictFile := strings.TrimSuffix(file, ".json") + ".strict.json"
	var err error
	if out[file], err = encode(withClaims(tolerantSchema(schema, discriminatorProperty(p)), p, false), opts.Strip); err != nil {
		return "", err
	}
	strict = withClaims(strict, p, true)
	if id, ok := strict["$id"].(string); ok {
		strict["$id"] = strings.TrimSuffix(id, ".json") + ".strict.json"
	}
	out[strictFile], err = encode(strict, opts.Strip)
	return strictFile, err
}

// withClaims returns a copy of a self-contained schema that says what
// payhooks reads from it (claims.go): JSON Schema only, closed objects
// open, the subject required, and in the strict flavour the expected
// members too.
func withClaims(schema map[string]any, p *catalog.Provider, strict bool) map[string]any {
	out := onlyJSONSchema(schema)
	if strict {
		out = requireExpected(out)
	}
	defs, _ := out.(map[string]any)["$defs"].(map[string]any)
	m := openClosed(out, defs, "#/$defs/").(map[string]any)
	requireSubject(m, p)
	return m
}

// withClaimedComponents says the same of an OpenAPI document's schemas:
// closed objects open, and each event's request schema requiring the
// subject.
func withClaimedComponents(components map[string]any, events map[string]string, p *catalog.Provider) map[string]any {
	out := openClosed(components, components, "#/components/schemas/").(map[string]any)
	for _, name := range events {
		if c, ok := out[name].(map[string]any); ok {
			requireSubject(c, p)
		}
	}
	return out
}

// discriminatorProperty is the top-level property naming the event, or "".
func discriminatorProperty(p *catalog.Provider) string {
	name := strings.TrimPrefix(p.Addressing.EventPointer, "/")
	if name == "" || strings.ContainsAny(name, "/~") {
		return ""
	}
	return name
}

func eventNames(p *catalog.Provider) []string {
	names := make([]string, len(p.Events))
	for i, e := range p.Events {
		names[i] = e.Name
	}
	return names
}

func exportJSONSchemaProvider(d *docs, p *catalog.Provider, opts Options, out map[string][]byte, ip *IndexProvider) error {
	rootURI := d.uris[p.Root]
	envelope, err := selfContained(d, rootURI, "", rootURI, "", "")
	if err != nil {
		return fmt.Errorf("envelope: %w", err)
	}
	ip.Envelope = p.Name + "/envelope.json"
	strict := strictEnvelope(envelope, discriminatorProperty(p), eventNames(p))
	if ip.StrictEnvelope, err = writeFlavours(out, ip.Envelope, envelope, strict, p, opts); err != nil {
		return err
	}

	api := newInliner(d, "#/components/schemas/", "")
	webhooks := map[string]any{}
	bases := catalog.FileBases(eventNames(p))
	eventComponents := map[string]string{} // event → its component
	for _, e := range p.Events {
		uri := d.uris[e.Schema]
		schema, err := selfContained(d, uri, "", uri, "", "")
		if err != nil {
			return fmt.Errorf("event %q: %w", e.Name, err)
		}
		if err := writeEvent(out, ip, p, e.Name, bases[e.Name], schema, opts); err != nil {
			return err
		}

		component, err := api.copy(d.byURI[uri], uri, true)
		if err != nil {
			return fmt.Errorf("event %q: %w", e.Name, err)
		}
		key := sanitize(e.Name)
		if _, taken := api.defs[key]; taken {
			return fmt.Errorf("event %q: its component name %q is taken by a definition", e.Name, key)
		}
		api.defs[key] = component
		eventComponents[e.Name] = key
		webhooks[e.Name] = webhookItem(e, key, p)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       p.Title + " webhooks",
			"version":     orDefault(opts.Version, "0.0.0"),
			"description": p.Description + " Generated by payhooks from its JSON Schemas.",
		},
		"webhooks": webhooks,
		"servers": []any{map[string]any{
			"url":         "https://{receiver}",
			"description": "Your receiver; the provider posts each event to the URL configured in its dashboard.",
			"variables":   map[string]any{"receiver": map[string]any{"default": "webhooks.invalid", "description": "Host and path of your webhook receiver."}},
		}},
		"security":            []any{map[string]any{"signature": []any{}}},
		"components":          map[string]any{"schemas": withClaimedComponents(tolerantComponents(api.defs, discriminatorProperty(p)), eventComponents, p), "securitySchemes": securitySchemes(p)},
		"x-payhooks-provider": providerExtension(p),
	}
	var err2 error
	out[ip.OpenAPI], err2 = encode(doc, opts.Strip)
	return err2
}

// writeEvent writes one event's self-contained schema, in both flavours,
// as events/<base>.json (catalog.FileBases), and lists it in the
// provider's index.
func writeEvent(out map[string][]byte, ip *IndexProvider, p *catalog.Provider, event, base string, schema map[string]any, opts Options) error {
	file := path.Join(p.Name, "events", base+".json")
	strictFile, err := writeFlavours(out, file, schema, schema, p, opts)
	if err != nil {
		return err
	}
	ip.Events = append(ip.Events, IndexEvent{Name: event, Schema: file, StrictSchema: strictFile})
	return nil
}

func exportOpenAPIProvider(d *docs, p *catalog.Provider, opts Options, out map[string][]byte, ip *IndexProvider) error {
	rootURI := d.uris[p.Root]
	bases := catalog.FileBases(eventNames(p))
	for _, e := range p.Events {
		id := compile.DefaultBaseURI + path.Join(p.Name, "events", bases[e.Name]+".json")
		schema, err := selfContained(d, rootURI, e.Pointer, id, e.Title, e.Description)
		if err != nil {
			return fmt.Errorf("event %q: %w", e.Name, err)
		}
		if err := writeEvent(out, ip, p, e.Name, bases[e.Name], schema, opts); err != nil {
			return err
		}
	}
	// The document itself, in the default flavour: its schemas tolerant.
	doc, ok := d.byURI[rootURI].(map[string]any)
	if !ok {
		return fmt.Errorf("%s is not an object", p.Root)
	}
	var err error
	out[ip.OpenAPI], err = encode(withTolerantComponents(doc, p), opts.Strip)
	return err
}

// withTolerantComponents copies an OpenAPI document with its
// components.schemas in the default flavour, saying what payhooks reads
// from them.
func withTolerantComponents(doc map[string]any, p *catalog.Provider) map[string]any {
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		return doc
	}
	events := map[string]string{}
	for _, e := range p.Events {
		if name, ok := strings.CutPrefix(e.Pointer, "/components/schemas/"); ok {
			events[e.Name] = jsonpointer.Unescape(name)
		}
	}
	out := maps.Clone(doc)
	c := maps.Clone(components)
	c["schemas"] = withClaimedComponents(tolerantComponents(schemas, discriminatorProperty(p)), events, p)
	out["components"] = c
	return out
}

// webhookItem is the OpenAPI webhooks entry of an event.
func webhookItem(e *catalog.Event, component string, p *catalog.Provider) map[string]any {
	summary := e.Title
	if summary == "" {
		summary = e.Name
	}
	return map[string]any{"post": map[string]any{
		"operationId": sanitize(p.Name + "_" + e.Name),
		"summary":     summary,
		"description": orDefault(e.Description, summary),
		"requestBody": map[string]any{
			"required": true,
			"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + component},
			}},
		},
		"responses": map[string]any{"200": map[string]any{"description": "Delivered. " + p.Title + " retries on other answers."}},
	}}
}

// securitySchemes describes the signature header as an API key scheme, the
// closest OpenAPI has to an HMAC of the body.
func securitySchemes(p *catalog.Provider) map[string]any {
	// The header the scheme reads its signature (or token) from.
	header := ""
	if h := append(p.Signature.SecretHeaders(), p.Signature.SignatureHeaders()...); len(h) > 0 {
		header = h[0]
	}
	return map[string]any{"signature": map[string]any{
		"type": "apiKey", "in": "header", "name": orDefault(header, "signature"),
		"description":          "Signature scheme " + p.Signature.Name + "; see the payhooks README for the exact formula.",
		"x-payhooks-signature": p.Signature.Name,
	}}
}

func providerExtension(p *catalog.Provider) map[string]any {
	var sig map[string]any
	data, err := json.Marshal(p.Signature)
	if err == nil {
		err = json.Unmarshal(data, &sig)
	}
	if err != nil {
		panic(err) // a struct of strings always goes through JSON
	}
	ext := map[string]any{"name": p.Name, "title": p.Title, "discriminator": catalog.DiscriminatorOf(p.Addressing), "delivery_id": p.Addressing.DeliveryID, "signature": sig}
	if p.Addressing.Subject != "" {
		ext["subject"] = p.Addressing.Subject
	}
	return ext
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
