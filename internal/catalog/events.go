package catalog

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// jsonSchemaEvents reads the provider root and every events/*.json schema.
func jsonSchemaEvents(fsys fs.FS, p *Provider) ([]*Event, error) {
	root, err := readObject(fsys, p.Root)
	if err != nil {
		return nil, err
	}
	if err := readProviderExtension(p, root); err != nil {
		return nil, err
	}
	p.Description = stringField(root, "description")
	files, err := fs.Glob(fsys, path.Join(p.Name, "events", "*.json"))
	if err != nil {
		return nil, err
	}
	var events []*Event
	for _, f := range files {
		doc, err := readObject(fsys, f)
		if err != nil {
			return nil, err
		}
		name := stringField(doc, "x-payhooks-event")
		if name == "" {
			return nil, fmt.Errorf("%s: missing \"x-payhooks-event\"", f)
		}
		events = append(events, &Event{
			Name:        name,
			Schema:      f,
			Title:       stringField(doc, "title"),
			Description: stringField(doc, "description"),
		})
	}
	return events, nil
}

// openAPIOperation is the part of an OpenAPI operation the catalog reads.
type openAPIOperation struct {
	Summary     string `json:"summary"`
	Description string `json:"description"`
	RequestBody struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

// openAPIEvents lists the events of an OpenAPI document: every webhook and
// every POST path under the discriminator prefix, each with a request body
// that $refs a component schema. A webhook and a path of the same event must
// name the same schema.
func openAPIEvents(fsys fs.FS, p *Provider) ([]*Event, error) {
	doc, err := readObject(fsys, p.Root)
	if err != nil {
		return nil, err
	}
	if err := readProviderExtension(p, doc); err != nil {
		return nil, err
	}
	var info struct {
		Description string `json:"description"`
	}
	_ = json.Unmarshal(doc["info"], &info)
	p.Description = info.Description
	var paths, webhooks map[string]map[string]openAPIOperation
	if err := unmarshalIfPresent(doc, "paths", &paths); err != nil {
		return nil, fmt.Errorf("%s: /paths: %w", p.Root, err)
	}
	if err := unmarshalIfPresent(doc, "webhooks", &webhooks); err != nil {
		return nil, fmt.Errorf("%s: /webhooks: %w", p.Root, err)
	}
	// The components are most of a large document (Adyen's: 150 KB): each
	// event's schema is looked up in them, not the whole decoded.
	componentSchema := func(token string) (map[string]json.RawMessage, bool, error) {
		start, end, err := jsonscan.Lookup(doc["components"], "/schemas/"+token)
		if err != nil {
			return nil, false, nil
		}
		var schema map[string]json.RawMessage
		if err := json.Unmarshal(doc["components"][start:end], &schema); err != nil {
			return nil, false, fmt.Errorf("%s: /components/schemas/%s: %w", p.Root, token, err)
		}
		return schema, true, nil
	}

	byName := map[string]*Event{}
	add := func(name, where string, op openAPIOperation) error {
		ref, err := requestSchemaRef(op)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", p.Root, where, err)
		}
		const prefix = "#/components/schemas/"
		if !strings.HasPrefix(ref, prefix) {
			return fmt.Errorf("%s: %s: request body $ref %q must point into %s", p.Root, where, ref, prefix)
		}
		schema, ok, err := componentSchema(strings.TrimPrefix(ref, prefix))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%s: %s: request body $ref %q does not resolve", p.Root, where, ref)
		}
		// The request body's schema describes the event; where it does not
		// (one schema shared by several webhooks), the operation does.
		ev := &Event{
			Name:        name,
			Schema:      p.Root,
			Pointer:     strings.TrimPrefix(ref, "#"),
			Title:       cmp.Or(stringField(schema, "title"), op.Summary),
			Description: cmp.Or(stringField(schema, "description"), op.Description),
		}
		if prev, ok := byName[name]; ok {
			if prev.Pointer != ev.Pointer {
				return fmt.Errorf("%s: %s: event %q uses %s here and %s elsewhere", p.Root, where, name, ev.Pointer, prev.Pointer)
			}
			return nil
		}
		byName[name] = ev
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(webhooks)) {
		if op, ok := webhooks[name]["post"]; ok {
			if err := add(name, "/webhooks/"+jsonpointer.Escape(name)+"/post", op); err != nil {
				return nil, err
			}
		}
	}
	if prefix := p.Addressing.PathPrefix; prefix != "" {
		for _, route := range slices.Sorted(maps.Keys(paths)) {
			name, ok := strings.CutPrefix(route, prefix)
			op, hasPost := paths[route]["post"]
			if !ok || !hasPost || name == "" || strings.ContainsAny(name, "/{") {
				continue
			}
			if err := add(name, "/paths/"+jsonpointer.Escape(route)+"/post", op); err != nil {
				return nil, err
			}
		}
	}
	events := make([]*Event, 0, len(byName))
	for _, ev := range byName {
		events = append(events, ev)
	}
	return events, nil
}

func requestSchemaRef(op openAPIOperation) (string, error) {
	media, ok := op.RequestBody.Content["application/json"]
	if !ok {
		return "", fmt.Errorf("no application/json request body")
	}
	if media.Schema.Ref == "" {
		return "", fmt.Errorf("the application/json request body schema must be a $ref to a component")
	}
	return media.Schema.Ref, nil
}

func unmarshalIfPresent(doc map[string]json.RawMessage, key string, v any) error {
	raw, ok := doc[key]
	if !ok {
		return nil
	}
	return json.Unmarshal(raw, v)
}
