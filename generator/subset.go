package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/generator/ir"
	"github.com/payhooks/payhooks/internal/jsonpointer"
)

// keepChosen cuts a provider's schema files (path → contents) down to what
// the chosen events need, so that the package embeds, and its drift check
// knows, those events only: a delivery of another is then an unknown event
// everywhere. An OpenAPI document loses the other events' webhooks and
// paths and the component schemas nothing left refers to; a JSON Schema
// folder loses the other events' files, unless a file kept refers to one.
func keepChosen(p *ir.Provider, files map[string][]byte) error {
	chosen := map[string]bool{}
	for _, e := range p.Events {
		chosen[e.Name] = true
	}
	if path.Base(p.Root) == "openapi.json" { // as internal/catalog tells the kinds apart
		data, err := chosenOpenAPI(files[p.Root], chosen, p.Addressing.PathPrefix)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Root, err)
		}
		files[p.Root] = data
		return nil
	}
	return keepReferenced(p, files)
}

// chosenOpenAPI is an OpenAPI document with only the chosen events'
// webhooks and POST paths (under prefix, when the path names the event), and
// of its component schemas those the rest refers to. Numbers keep their
// digits; members come out sorted.
func chosenOpenAPI(data []byte, chosen map[string]bool, prefix string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if hooks, ok := doc["webhooks"].(map[string]any); ok {
		for name := range hooks {
			if !chosen[name] {
				delete(hooks, name)
			}
		}
	}
	if paths, ok := doc["paths"].(map[string]any); ok && prefix != "" {
		for route, item := range paths {
			name, under := strings.CutPrefix(route, prefix)
			ops, isItem := item.(map[string]any)
			if !under || !isItem || chosen[name] || name == "" || strings.ContainsAny(name, "/{") {
				continue
			}
			delete(ops, "post")
			if len(ops) == 0 {
				delete(paths, route)
			}
		}
	}
	// Every component schema the document refers to outside the component
	// schemas, and those they refer to in turn, stays.
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	kept := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		eachRef(v, func(ref string) {
			tokens, ok := jsonpointer.Tokens(fragment(ref))
			if !ok || len(tokens) < 3 || tokens[0] != "components" || tokens[1] != "schemas" || kept[tokens[2]] {
				return
			}
			kept[tokens[2]] = true
			walk(schemas[tokens[2]])
		})
	}
	for key, v := range doc {
		if key != "components" {
			walk(v)
		}
	}
	for section, v := range components {
		if section != "schemas" {
			walk(v)
		}
	}
	for key := range schemas {
		if !kept[key] {
			delete(schemas, key)
		}
	}
	// A reference into what went (another event's webhook) would break the
	// drift check at run time: refuse it here.
	var dangling string
	eachRef(doc, func(ref string) {
		if _, found := jsonpointer.Get(doc, fragment(ref)); !found && dangling == "" && strings.HasPrefix(ref, "#") {
			dangling = ref
		}
	})
	if dangling != "" {
		return nil, fmt.Errorf("the chosen events refer to %q, which goes with the events left out", dangling)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// keepReferenced drops the files of the events not chosen from a JSON
// Schema provider's files, but keeps any that a file kept refers to (its
// event then stays known to the drift check, though not generated).
func keepReferenced(p *ir.Provider, files map[string][]byte) error {
	isEvent := map[string]bool{}
	for name := range files {
		if path.Dir(name) == path.Join(p.Name, "events") {
			isEvent[name] = true
		}
	}
	kept := map[string]bool{}
	var queue []string
	keep := func(name string) {
		if _, ok := files[name]; ok && !kept[name] {
			kept[name] = true
			queue = append(queue, name)
		}
	}
	for name := range files {
		if !isEvent[name] {
			keep(name)
		}
	}
	for _, e := range p.Events {
		keep(e.Source)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		var doc any
		if err := json.Unmarshal(files[name], &doc); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		eachRef(doc, func(ref string) {
			file, _, _ := strings.Cut(ref, "#")
			if file != "" && !strings.Contains(file, ":") {
				keep(path.Join(path.Dir(name), file))
			}
		})
	}
	for _, name := range slices.Collect(maps.Keys(files)) {
		if !kept[name] {
			delete(files, name)
		}
	}
	return nil
}

// eachRef calls fn with every "$ref" string under v.
func eachRef(v any, fn func(ref string)) {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			fn(ref)
		}
		for _, child := range x {
			eachRef(child, fn)
		}
	case []any:
		for _, item := range x {
			eachRef(item, fn)
		}
	}
}

// fragment is the JSON pointer a local reference's fragment spells,
// percent-decoded as a URI fragment is.
func fragment(ref string) string {
	_, frag, _ := strings.Cut(ref, "#")
	if decoded, err := url.PathUnescape(frag); err == nil {
		return decoded
	}
	return frag
}
