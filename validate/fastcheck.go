package validate

import (
	"fmt"

	"github.com/payhooks/payhooks/webhook/drift"
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
// before it stopped, and stop where that was. A payload with no provider or
// no event the schemas know is the reference engine's to judge.
func (v *Validator) fastCheck(p Payload, prov *provider, event string) (r Result, judged bool, stop string) {
	if v.engine != Fast || prov == nil {
		return Result{}, false, ""
	}
	if v.compiled(prov) != nil {
		return Result{}, false, "" // the reference engine reports it
	}
	ev := prov.fast[event]
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
