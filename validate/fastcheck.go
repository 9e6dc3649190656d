package validate

import (
	"fmt"
	"github.com/payhooks/payhooks/webhook/drift"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
)

// Engine chooses how Check decides.
type Engine int

const (
	// Fast decides clean payloads in one pass over the bytes and hands
	// everything else to Reference; its results are the same.
	Fast Engine = iota
	// Reference decodes the payload and validates it with
	// santhosh-tekuri/jsonschema/v5 every time.
	Reference
)

// ParseEngine reads a -engine value.
func ParseEngine(s string) (Engine, error) {
	switch s {
	case "fast":
		return Fast, nil
	case "reference":
		return Reference, nil
	}
	return 0, fmt.Errorf("unknown engine %q (want fast or reference)", s)
}

// Option tunes New.
type Option func(*Validator)

// WithEngine chooses the engine (default Fast).
func WithEngine(e Engine) Option { return func(v *Validator) { v.engine = e } }

// fastEvent is an event's compiled node, with its name as the catalog
// spells it (so a result names it without copying from the payload).
type fastEvent struct {
	name string
	node *cnode
}

// fastCheck returns the result of a payload it can judge alone, or false
// when the reference engine must look; the result then holds what it found
// before it stopped, and stop where that was.
func (v *Validator) fastCheck(p Payload) (r Result, judged bool, stop string) {
	if v.engine != Fast || p.Err != nil {
		return Result{}, false, ""
	}
	// Providers mostly share a discriminator (/type): read each distinct
	// one once.
	var seen [4]struct {
		pointer string
		value   []byte
		ok      bool
	}
	nSeen := 0
	discriminator := func(pointer string) ([]byte, bool) {
		for _, s := range seen[:nSeen] {
			if s.pointer == pointer {
				return s.value, s.ok
			}
		}
		value, ok := topLevelString(p.Body, pointer)
		if nSeen < len(seen) {
			seen[nSeen].pointer, seen[nSeen].value, seen[nSeen].ok = pointer, value, ok
			nSeen++
		}
		return value, ok
	}
	// No guess: a body no discriminator places is the reference engine's
	// to judge, as is one whose event only the path names (the body may
	// name it in a way topLevelString does not read, an escaped string).
	prov, name, from := v.detect(p, discriminator, nil)
	if prov == nil || from == eventPath || from == eventNone {
		return Result{}, false, ""
	}
	ev := prov.fast[string(name)]
	if ev == nil {
		return Result{}, false, ""
	}
	findings, ok, stop := scan(ev.node, p.Body)
	r = Result{Source: p.Source, Line: p.Line, Provider: prov.Name, Event: ev.name, Findings: []drift.Finding{}}
	if len(findings) > 0 {
		if !ok {
			r.Findings = findings // placed by the caller, if it keeps them
		} else {
			r.Findings = finish(findings, p)
		}
	}
	return r, ok, stop
}

// topLevelString reads a plain string at a one-token pointer ("/type")
// without decoding the body; anything else (an escaped string, a malformed
// body) is not found here, and the reference engine decides. It reads the
// body's last member from the end when that is the one (as Adyen sends its
// event name), else the first occurrence: either is the only one whenever
// the scan judges the payload, as a repeated name, like a name written with
// escapes or invalid JSON, makes the scan hand it to the reference engine,
// which reads the last one, as a decoder does.
func topLevelString(d []byte, pointer string) ([]byte, bool) {
	name, ok := jsonpointer.TopLevel(pointer)
	if !ok {
		return nil, false
	}
	if start, end, ok := jsonscan.LastMember(d, name); ok {
		return d[start+1 : end-1], true
	}
	start, end, ok := jsonscan.First(d, name)
	if !ok || d[start] != '"' {
		return nil, false
	}
	if _, escaped, _ := jsonscan.String(d, start); escaped {
		return nil, false
	}
	return d[start+1 : end-1], true
}
