// Package catalog reads a folder of webhook schemas (the bundled one in
// package schemas, or a user's own) into an inventory: which providers there
// are, how each marks its events, signs and identifies deliveries, which event
// schemas it has and which example and known-drift payloads go with them.
//
// A provider is a top-level folder holding either an OpenAPI 3.1 document
// named openapi.json or a JSON Schema named after the folder (finmo/finmo.json).
// Provider facts live in the root's "x-payhooks-provider" keyword; JSON Schema
// events are the files under events/ that carry "x-payhooks-event"; OpenAPI
// events are its webhooks and the POST paths under the discriminator prefix.
// The catalog parses but does not compile schemas: the validator and the
// generator each compile what it lists.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Kind says how a provider's schemas are written.
type Kind string

const (
	JSONSchema Kind = "jsonschema"
	OpenAPI    Kind = "openapi"
)

// Catalog is every provider found in one schema folder, sorted by name.
type Catalog struct {
	FS        fs.FS
	Providers []*Provider
}

// Provider is one provider folder.
type Provider struct {
	Name  string
	Title string
	Kind  Kind
	// Root is the path in FS of the provider's root document: the envelope
	// schema for JSON Schema providers, the OpenAPI document otherwise.
	Root        string
	Description string
	// Addressing is where deliveries name their event and their delivery
	// id, and what they are about: the x-payhooks-provider keyword's
	// discriminator, delivery_id and subject. The event name, the delivery
	// id and the subject are structural: the schemas require them, and
	// schemas learn never proposes to make them optional.
	Addressing webhook.Addressing
	Signature  Signature
	Events     []*Event       // sorted by name
	Examples   []*Example     // sorted by path
	Drift      []*DriftSample // sorted by path
}

// Discriminator is how x-payhooks-provider (and an exported bundle's
// index.json) write where a delivery names its event: the written form of
// Addressing's EventPointer and PathPrefix, read and written here only.
type Discriminator struct {
	// In is "body" (Pointer names the field) or "path" (the event is the
	// request path after Prefix, and Pointer names it in the body too).
	In      string `json:"in"`
	Pointer string `json:"pointer,omitempty"`
	Prefix  string `json:"prefix,omitempty"`
}

// The values of Discriminator.In.
const (
	inBody = "body"
	inPath = "path"
)

// DiscriminatorOf is how x-payhooks-provider writes a's event name.
func DiscriminatorOf(a webhook.Addressing) Discriminator {
	if a.PathPrefix != "" {
		return Discriminator{In: inPath, Pointer: a.EventPointer, Prefix: a.PathPrefix}
	}
	return Discriminator{In: inBody, Pointer: a.EventPointer}
}

// Signature names the provider's signing scheme and its parameters, as the
// runtime reads them.
type Signature = webhook.Scheme

// SignatureProblem says what is wrong with the signing scheme p's root
// document declares, and where in that document: a scheme payhooks does not
// have, or parameters it cannot use (an hmac scheme's).
func (p *Provider) SignatureProblem() (pointer string, err error) {
	if err := webhook.CheckScheme(p.Signature.Name); err != nil {
		return "/x-payhooks-provider/signature/scheme", err
	}
	if err := p.Signature.Check(); err != nil {
		return "/x-payhooks-provider/signature", err
	}
	return "", nil
}

// Event is one event type and the schema its payloads follow.
type Event struct {
	Name string
	// Schema is the path in FS of the document holding the event schema, and
	// Pointer the JSON pointer to it inside that document ("" for the whole
	// document).
	Schema      string
	Pointer     string
	Title       string
	Description string
}

// Example is a payload the provider documents, valid against its event.
type Example struct {
	Event string
	Path  string
}

// DriftSample is a documented payload that does not match the schema, with
// what a drift check must report for it.
type DriftSample struct {
	Path   string
	Expect Expectation
}

// Expectation is what a drift sample is expected to give (its file in
// <provider>/expected/).
type Expectation struct {
	Why      string            `json:"why"`
	Provider string            `json:"provider"`
	Event    string            `json:"event"`
	Findings []ExpectedFinding `json:"findings"`
}

// ExpectedFinding is one finding a drift sample must produce.
type ExpectedFinding struct {
	Pointer  string         `json:"pointer"`
	Kind     drift.Kind     `json:"kind"`
	Severity drift.Severity `json:"severity"`
}

// providerExtension is the "x-payhooks-provider" keyword of a root document.
type providerExtension struct {
	Name          string        `json:"name"`
	Title         string        `json:"title"`
	Discriminator Discriminator `json:"discriminator"`
	DeliveryID    string        `json:"delivery_id"`
	Subject       string        `json:"subject"`
	Signature     Signature     `json:"signature"`
}

// Load reads every provider folder at the top of fsys.
func Load(fsys fs.FS) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read schema folder: %w", err)
	}
	c := &Catalog{FS: fsys}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p, err := loadProvider(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("load provider %q: %w", e.Name(), err)
		}
		if p != nil {
			c.Providers = append(c.Providers, p)
		}
	}
	if len(c.Providers) == 0 {
		return nil, errors.New("no provider folder found (want <name>/<name>.json or <name>/openapi.json)")
	}
	return c, nil
}

// Open opens a file of the folder the catalog was read from: a catalog is
// that folder, as an fs.FS, so that validate.New takes it without reading
// it again.
func (c *Catalog) Open(name string) (fs.File, error) { return c.FS.Open(name) }

// Find returns the provider called name, or an error that lists the
// providers there are.
func (c *Catalog) Find(name string) (*Provider, error) {
	if p := c.Provider(name); p != nil {
		return p, nil
	}
	names := make([]string, len(c.Providers))
	for i, p := range c.Providers {
		names[i] = p.Name
	}
	return nil, fmt.Errorf("unknown provider %q (known: %s)", name, strings.Join(names, ", "))
}

// Provider returns the provider called name, or nil.
func (c *Catalog) Provider(name string) *Provider {
	for _, p := range c.Providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Route is the request path a provider's deliveries arrive on, by the
// convention payhooks listen serves and payhooks send posts to: the
// documented path prefix of a provider that names the event in the path
// ("…/webhook-event/" + event), otherwise "/<provider>".
func (p *Provider) Route() string {
	if p.Addressing.PathPrefix != "" {
		return p.Addressing.PathPrefix
	}
	return "/" + p.Name
}

// PathOf is the request path on the provider's route that a delivery of
// event is posted to: Route, and for a provider that names the event in
// the path, the event after it (the path Addressing.Choose reads).
func (p *Provider) PathOf(event string) string {
	if p.Addressing.PathPrefix != "" {
		return p.Route() + event
	}
	return p.Route()
}

// OnRoute reports whether a request path is on the provider's route.
func (p *Provider) OnRoute(path string) bool {
	if p.Addressing.PathPrefix != "" {
		return strings.HasPrefix(path, p.Route())
	}
	return strings.TrimSuffix(path, "/") == p.Route()
}

// Event returns the event called name, or nil.
func (p *Provider) Event(name string) *Event {
	for _, e := range p.Events {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func loadProvider(fsys fs.FS, dir string) (*Provider, error) {
	p := &Provider{Name: dir}
	var events []*Event
	var err error
	switch {
	case exists(fsys, path.Join(dir, "openapi.json")):
		p.Kind, p.Root = OpenAPI, path.Join(dir, "openapi.json")
		events, err = openAPIEvents(fsys, p)
	case exists(fsys, path.Join(dir, dir+".json")):
		p.Kind, p.Root = JSONSchema, path.Join(dir, dir+".json")
		events, err = jsonSchemaEvents(fsys, p)
	default:
		return nil, nil // not a provider folder
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(events, func(a, b *Event) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(events); i++ {
		if events[i].Name == events[i-1].Name {
			return nil, fmt.Errorf("event %q is defined twice: %s and %s", events[i].Name, events[i-1].Schema, events[i].Schema)
		}
	}
	p.Events = events
	if p.Examples, err = loadExamples(fsys, p); err != nil {
		return nil, err
	}
	if p.Drift, err = loadDrift(fsys, p); err != nil {
		return nil, err
	}
	return p, nil
}

// readProviderExtension fills p from the root document's x-payhooks-provider.
func readProviderExtension(p *Provider, doc map[string]json.RawMessage) error {
	raw, ok := doc["x-payhooks-provider"]
	if !ok {
		return fmt.Errorf("%s: missing \"x-payhooks-provider\"", p.Root)
	}
	var ext providerExtension
	if err := json.Unmarshal(raw, &ext); err != nil {
		return fmt.Errorf("%s: /x-payhooks-provider: %w", p.Root, err)
	}
	if ext.Name != "" && ext.Name != p.Name {
		return fmt.Errorf("%s: /x-payhooks-provider/name is %q but the folder is %q", p.Root, ext.Name, p.Name)
	}
	disc := ext.Discriminator
	switch disc.In {
	case inBody:
		if !strings.HasPrefix(disc.Pointer, "/") {
			return fmt.Errorf("%s: /x-payhooks-provider/discriminator/pointer must be a JSON pointer, got %q", p.Root, disc.Pointer)
		}
		disc.Prefix = ""
	case inPath:
		if disc.Prefix == "" {
			return fmt.Errorf("%s: /x-payhooks-provider/discriminator/prefix is required when in is %q", p.Root, inPath)
		}
	default:
		return fmt.Errorf("%s: /x-payhooks-provider/discriminator/in must be %q or %q, got %q", p.Root, inBody, inPath, disc.In)
	}
	if !strings.HasPrefix(ext.DeliveryID, "/") && ext.DeliveryID != webhook.BodyDeliveryID {
		return fmt.Errorf("%s: /x-payhooks-provider/delivery_id must be a JSON pointer, or %q to key deliveries on their body, got %q", p.Root, webhook.BodyDeliveryID, ext.DeliveryID)
	}
	if names, ok := jsonpointer.Tokens(ext.Subject); ext.Subject != "" && (!ok || slices.Contains(names, "")) {
		return fmt.Errorf("%s: /x-payhooks-provider/subject must point at a member, such as /data or /data/object, got %q", p.Root, ext.Subject)
	}
	p.Title = ext.Title
	if p.Title == "" {
		p.Title = p.Name
	}
	p.Addressing = webhook.Addressing{EventPointer: disc.Pointer, PathPrefix: disc.Prefix, DeliveryID: ext.DeliveryID, Subject: ext.Subject}
	p.Signature = ext.Signature
	return nil
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// readObject reads a JSON file whose top level is an object, checked
// (compile.ReadDocument) before it is parsed.
func readObject(fsys fs.FS, name string) (map[string]json.RawMessage, error) {
	data, err := compile.ReadDocument(fsys, name)
	if err != nil {
		return nil, err
	}
	// Checked and split at the top level without decoding: documents are
	// read at every start, and Adyen's are 160 KB. What does not pass is
	// decoded after all, for encoding/json's word on what is wrong.
	doc := map[string]json.RawMessage{}
	end, err := jsonscan.SkipValid(data, jsonscan.SkipSpace(data, 0))
	if err == nil && jsonscan.SkipSpace(data, end) == len(data) {
		err = jsonscan.EachMember(data, func(key []byte, escaped bool, start, end int) bool {
			doc[string(jsonscan.Name(key, escaped))] = data[start:end:end]
			return true
		})
	}
	if err != nil {
		var decoded map[string]json.RawMessage
		if err := json.Unmarshal(data, &decoded); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return decoded, nil
	}
	return doc, nil
}

// stringField returns the string value of key in doc, or "".
func stringField(doc map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := doc[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}
