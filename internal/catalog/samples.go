package catalog

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// loadExamples lists <provider>/examples/<event>.json (or the hashed name
// FileBase gives an event whose name cannot name a file). A file may also
// be named <event>.<anything>.json to give an event more than one example.
func loadExamples(fsys fs.FS, p *Provider) ([]*Example, error) {
	files, err := fs.Glob(fsys, path.Join(p.Name, "examples", "*.json"))
	if err != nil {
		return nil, err
	}
	hashed := make([]string, len(p.Events))
	for i, e := range p.Events {
		hashed[i] = HashedBase(e.Name)
	}
	var out []*Example
	for _, f := range files {
		ev := exampleEvent(p, hashed, strings.TrimSuffix(path.Base(f), ".json"))
		if ev == nil {
			return nil, fmt.Errorf("%s: no event of %q matches the file name", f, p.Name)
		}
		out = append(out, &Example{Event: ev.Name, Path: f})
	}
	return out, nil
}

// exampleEvent finds the event a file name (without .json) stands for: the
// event whose name, or whose hashed file name (HashedBase), is equal to it
// or followed by a dot; the longest such name.
func exampleEvent(p *Provider, hashed []string, base string) *Event {
	var best *Event
	for i, e := range p.Events {
		for _, name := range []string{e.Name, hashed[i]} {
			if (base == name || strings.HasPrefix(base, name+".")) && (best == nil || len(e.Name) > len(best.Name)) {
				best = e
			}
		}
	}
	return best
}

// loadDrift lists <provider>/drift/*.json payloads, each with what it is
// expected to give in <provider>/expected/ under the same name: kept apart,
// so that the drift folder holds payloads only (validate, send and learn
// read it as such).
func loadDrift(fsys fs.FS, p *Provider) ([]*DriftSample, error) {
	files, err := fs.Glob(fsys, path.Join(p.Name, "drift", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []*DriftSample
	for _, f := range files {
		expectPath := ExpectationPath(f)
		data, err := fs.ReadFile(fsys, expectPath)
		if err != nil {
			return nil, fmt.Errorf("%s: every drift sample needs %s: %w", f, expectPath, err)
		}
		var exp Expectation
		if err := json.Unmarshal(data, &exp); err != nil {
			return nil, fmt.Errorf("%s: %w", expectPath, err)
		}
		// A doc sample may be clean ("findings": []), but it must say so.
		if exp.Why == "" || exp.Findings == nil {
			return nil, fmt.Errorf("%s: \"why\" and \"findings\" are required", expectPath)
		}
		out = append(out, &DriftSample{Path: f, Expect: exp})
	}
	return out, nil
}

// ExpectationPath is where the expectation of the drift sample at
// <provider>/drift/<name>.json is: <provider>/expected/<name>.json.
func ExpectationPath(sample string) string {
	provider := path.Dir(path.Dir(sample))
	return path.Join(provider, "expected", path.Base(sample))
}
