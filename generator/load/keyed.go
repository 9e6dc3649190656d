package load

import (
	"encoding/json"
	"io/fs"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
)

// keyedNames lists the Go names the provider's schema files give by key:
// every $defs, definitions and components/schemas key, and every event's
// type, so that a type named otherwise never takes one first.
func keyedNames(fsys fs.FS, p *catalog.Provider) (map[string]bool, error) {
	names := map[string]bool{}
	files := map[string]bool{p.Root: true}
	for _, e := range p.Events {
		files[e.Schema] = true
		names[GoName(e.Name)+"Event"] = true
	}
	for file := range files {
		data, err := compile.ReadDocument(fsys, file)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
		collectKeys(doc, "", names)
	}
	return names, nil
}

// collectKeys adds the Go name of every key of an object held under
// $defs, definitions or components/schemas, at any depth.
func collectKeys(v any, parent string, names map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if parent == "$defs" || parent == "definitions" || parent == "components/schemas" {
				names[GoName(k)] = true
			}
			next := k
			if parent == "components" && k == "schemas" {
				next = "components/schemas"
			}
			collectKeys(child, next, names)
		}
	case []any:
		for _, item := range x {
			collectKeys(item, "", names)
		}
	}
}
