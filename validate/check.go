package validate

import (
	"errors"
	"path"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/internal/jsonscan"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Payload is one webhook body to check and where it came from.
type Payload struct {
	// Source names the file ("captures/a.json", "-" for stdin) and Line the
	// line of an NDJSON file (0 otherwise).
	Source string
	Line   int
	Body   []byte
	// Path is the request path a capture was received on ("" if unknown);
	// providers that name the event in the path are detected from it.
	Path string
	// Provider and Event, when set, override detection.
	Provider string
	Event    string
	// Err is set when the payload could not be read.
	Err error
	// TooLarge says the payload was past MaxPayloadBytes and not read;
	// Unbounded that its source may never end, so nothing after it in that
	// source was read either.
	TooLarge, Unbounded bool
	// BodyLine, for a capture file, is the line of its "body" member: where
	// the file's findings are placed, since the body's own lines are not
	// the file's.
	BodyLine int
}

// Result is what Check found in one payload.
type Result struct {
	Source   string          `json:"source"`
	Line     int             `json:"line,omitempty"`
	Provider string          `json:"provider"`
	Event    string          `json:"event"`
	Findings []drift.Finding `json:"findings"`
	// Err is set when the payload could not be read; it is reported on
	// its own, not as a finding.
	Err error `json:"-"`
	// Baselined are findings a baseline accepted (Baseline.Filter): not
	// reported as drift; SARIF keeps them as suppressed results.
	Baselined []drift.Finding `json:"-"`
}

// Worst returns the most severe finding's severity, or "".
func (r Result) Worst() drift.Severity {
	var worst drift.Severity
	for _, f := range r.Findings {
		if f.Severity.Rank() > worst.Rank() {
			worst = f.Severity
		}
	}
	return worst
}

// Check validates one payload.
//
// Memory stays bounded by the payload's size: the fast engine allocates
// nothing per value, and the reference engine, which builds the whole
// document (tens of bytes per JSON value), sees only payloads up to
// ReferenceMaxBytes. A larger payload the fast engine cannot judge alone
// gets a PayloadTooLarge finding at the first place it could not judge,
// beside whatever it classified before.
func (v *Validator) Check(p Payload) Result {
	switch {
	case p.Err != nil: // not read: passed on
		return Result{Source: p.Source, Line: p.Line, Provider: p.Provider, Event: p.Event, Findings: []drift.Finding{}, Err: p.Err}
	}
	if p.TooLarge {
		return v.tooLargeToRead(p)
	}
	return v.judge(p, func(read memberReader) (*provider, string) { return v.address(p, read) })
}

// memberReader reads the member an Addressing names in a body: the exact
// webhook.Addressing.Member, or FirstMember, which is as exact for the
// fast engine, since it refuses a body with a repeated name.
type memberReader func(webhook.Addressing, []byte) webhook.EventMember

// judge checks a payload whose provider and event address gives (a nil
// provider: a payload nothing placed; "": an event none names): the fast
// engine first, then the reference engine, each addressing the payload its
// way.
func (v *Validator) judge(p Payload, address func(memberReader) (*provider, string)) Result {
	prov, event := address(webhook.Addressing.FirstMember)
	r, judged, stop := v.fastCheck(p, prov, event)
	switch {
	case judged:
		return r
	case len(p.Body) > ReferenceMaxBytes:
		if r.Source == "" {
			r = Result{Source: p.Source, Line: p.Line, Provider: p.Provider, Event: p.Event, Findings: []drift.Finding{}}
		}
		f := newFinding(stop, drift.PayloadTooLarge, "a payload of %d bytes is past the %d MiB the reference engine classifies in bounded memory; the fast engine could not judge the value here",
			len(p.Body), ReferenceMaxBytes>>20)
		r.Findings = finish(append(r.Findings, f), p)
		return r
	}
	prov, event = address(webhook.Addressing.Member)
	return v.checkReference(p, prov, event)
}

// MaxPayloadBytes is the largest single payload Read hands on. A bigger one
// is not read into memory: it is handed on with TooLarge set (one
// invalid_json finding), and reading goes on with the next input.
const MaxPayloadBytes = 64 << 20

// ReferenceMaxBytes is the largest payload the reference engine decodes.
const ReferenceMaxBytes = 4 << 20

// tooLargeToRead is the result of a payload Read did not read.
func (v *Validator) tooLargeToRead(p Payload) Result {
	msg := "the payload is larger than %d MiB and was not read"
	if p.Unbounded {
		msg += "; nothing after it in this input was read either"
	}
	f := newFinding("", drift.InvalidJSON, msg, MaxPayloadBytes>>20)
	f.Line = p.Line
	return Result{Source: p.Source, Line: p.Line, Provider: p.Provider, Event: p.Event, Findings: []drift.Finding{f}}
}

// checkReference decodes the payload and validates it with the schema
// engine, finding and classifying everything. A payload address did not
// place is placed by its fit (providerByBody).
func (v *Validator) checkReference(p Payload, prov *provider, event string) Result {
	r := Result{Source: p.Source, Line: p.Line, Provider: p.Provider, Event: p.Event, Findings: []drift.Finding{}}
	doc, bad := decode(p.Body)
	if bad != nil {
		if r.Provider == "" {
			if prov := v.providerByPath(p.Path); prov != nil {
				r.Provider = prov.Name
			}
		}
		if p.Line > 0 {
			bad.Line = p.Line
		}
		r.Findings = append(r.Findings, *bad)
		return r
	}
	var findings []drift.Finding
	if ptr, dup := duplicateKey(p.Body); dup {
		findings = append(findings, newFinding(ptr, drift.DuplicateKey, "the name appears more than once in its object; parsers disagree on which value wins"))
	}
	var unusable error // a provider compiled lazily that did not compile
	if prov == nil {
		if prov, unusable = v.providerByBody(doc); prov != nil {
			event = v.eventOf(p, prov, webhook.Addressing.Member)
		}
	}
	if prov != nil && unusable == nil {
		unusable = v.compiled(prov)
	}
	if unusable != nil {
		if prov != nil {
			r.Provider = prov.Name
		}
		r.Err = unusable
		return r
	}
	var eventPtr string
	if prov != nil {
		eventPtr = prov.Addressing.EventPointer
	}
	var schema *jsonschema.Schema
	unnamed := false // the provider's payload names no event
	switch {
	case prov == nil:
		findings = append(findings, newFinding("", drift.UnknownEvent, "cannot tell which provider sent this payload"))
	default:
		r.Provider = prov.Name
		r.Event = event
		if s, ok := prov.events[event]; ok {
			schema = s
		} else {
			if event == "" {
				unnamed = true
			} else {
				findings = append(findings, newFinding(eventPtr, drift.UnknownEvent, "%s event %q is not in the schemas", prov.Title, event))
			}
			schema = prov.envelope
		}
	}
	if schema != nil {
		findings = append(findings, v.schemaFindings(schema, doc)...)
	}
	if prov != nil {
		findings = append(findings, subjectFindings(doc, prov.Addressing.Subject)...)
	}
	if unnamed && !slices.ContainsFunc(findings, func(f drift.Finding) bool { return f.Pointer == eventPtr }) {
		// Its discriminator is missing or not a string, which breaks every
		// receiver routing on it; said here unless the envelope said it.
		findings = append(findings, discriminatorFinding(doc, eventPtr))
	}
	r.Findings = append(r.Findings, finish(findings, p)...)
	return r
}

// subjectFindings says when an object payload lacks the event's subject
// (webhook.Addressing.Subject, /data or Stripe's /data/object): structural,
// like the discriminator, so missing is breaking whether or not a document
// marks it required. The words are a required property's, at the first
// member of the path that is missing, so a schema that does require it
// gives one finding; a member on the way that is no object is the schema's
// to report.
func subjectFindings(doc any, subject string) []drift.Finding {
	names, ok := jsonpointer.Tokens(subject)
	if !ok {
		return nil
	}
	at := ""
	for _, name := range names {
		obj, isObject := doc.(map[string]any)
		if !isObject {
			return nil
		}
		at = jsonpointer.Append(at, name)
		next, present := obj[name]
		if !present {
			return []drift.Finding{newFinding(at, drift.MissingRequired, "required property %q is missing", name)}
		}
		doc = next
	}
	return nil
}

// discriminatorFinding says what is wrong with a payload's event name at
// ptr: absent (missing_required), or not a string (type_mismatch).
func discriminatorFinding(doc any, ptr string) drift.Finding {
	if v, ok := jsonpointer.Get(doc, ptr); ok {
		return newFinding(ptr, drift.TypeMismatch, "expected string (the event name), got %s", describe(v))
	}
	return newFinding(ptr, drift.MissingRequired, "required property %q is missing: it names the event", path.Base(ptr))
}

// finish drops restated findings, orders them, and places each on its
// line: the last step of both engines.
func finish(findings []drift.Finding, p Payload) []drift.Finding {
	findings = rootCauses(findings)
	sortFindings(findings)
	for i := range findings {
		switch {
		case p.Line > 0:
			findings[i].Line = p.Line
		case p.BodyLine > 0:
			findings[i].Line = p.BodyLine
		default:
			findings[i].Line = LineOf(p.Body, findings[i].Pointer)
		}
	}
	return findings
}

// address finds the provider and event of a payload, for both engines: the
// overrides first, then the captured request path's route, then a provider
// whose Addressing reads one of its events in the body; the provider's
// Addressing then says the event (the signed body's, or the path's for a
// body that names none, as a handler decides). prov is nil when nothing
// places the payload; event is "" when nothing names one.
func (v *Validator) address(p Payload, read memberReader) (prov *provider, event string) {
	if p.Provider != "" {
		prov = v.provider(p.Provider)
	}
	if prov == nil {
		prov = v.providerByPath(p.Path)
	}
	if prov == nil {
		var m webhook.EventMember
		if prov, m = v.providerByEvent(p.Body, read); prov != nil && p.Event == "" {
			event, _ = prov.Addressing.Choose(p.Path, m)
			return prov, event
		}
	}
	if prov == nil {
		return nil, ""
	}
	return prov, v.eventOf(p, prov, read)
}

// eventOf is the event of a payload of prov: the override, or what its
// Addressing reads. A path naming another event than the body is the
// handler's to refuse (the body's name comes back, and is checked); a
// member that is no string names none, and the check says so.
func (v *Validator) eventOf(p Payload, prov *provider, read memberReader) string {
	if p.Event != "" {
		return p.Event
	}
	event, _ := prov.Addressing.Choose(p.Path, read(prov.Addressing, p.Body))
	return event
}

// providerByEvent is the first provider whose Addressing reads one of its
// events in body, with what it read there. Providers mostly share an event
// pointer (/type): each distinct one is read once.
func (v *Validator) providerByEvent(body []byte, read memberReader) (*provider, webhook.EventMember) {
	var pointers [4]string
	var members [4]webhook.EventMember
	n := 0
	for _, prov := range v.providers {
		ptr := prov.Addressing.EventPointer
		i := slices.Index(pointers[:n], ptr)
		var m webhook.EventMember
		if i >= 0 {
			m = members[i]
		} else if m = read(prov.Addressing, body); n < len(pointers) {
			pointers[n], members[n] = ptr, m
			n++
		}
		if prov.known[m.Name] && m.Kind == string(jsonscan.KindString) {
			return prov, m
		}
	}
	return nil, webhook.EventMember{}
}

// providerByPath matches a request path with the providers' routes
// (catalog.Provider.Route).
func (v *Validator) providerByPath(path string) *provider {
	if path == "" {
		return nil
	}
	for _, prov := range v.providers {
		if prov.OnRoute(path) {
			return prov
		}
	}
	return nil
}

// providerByBody guesses the provider of a body whose discriminator names
// none of a provider's events: among providers whose discriminator field
// is present, the one whose envelope the payload fits best; and when no
// discriminator is present at all, a provider one of whose schemas the
// payload fits but for at most one finding (Augustus's documented example
// without its type field is the case in point).
func (v *Validator) providerByBody(doc any) (*provider, error) {
	for _, prov := range v.providers {
		if err := v.compiled(prov); err != nil {
			return nil, err
		}
	}
	var candidates []*provider
	for _, prov := range v.providers {
		if _, ok := stringAt(doc, prov.Addressing.EventPointer); ok && prov.envelope != nil {
			candidates = append(candidates, prov)
		}
	}
	if len(candidates) > 0 {
		best, _ := v.bestFit(candidates, doc, func(p *provider) []*jsonschema.Schema { return []*jsonschema.Schema{p.envelope} })
		return best, nil
	}
	best, score := v.bestFit(v.providers, doc, func(p *provider) []*jsonschema.Schema {
		if p.envelope != nil {
			return []*jsonschema.Schema{p.envelope}
		}
		out := make([]*jsonschema.Schema, 0, len(p.events))
		for _, ev := range p.Events {
			out = append(out, p.events[ev.Name])
		}
		return out
	})
	if score > 1 {
		return nil, nil
	}
	return best, nil
}

// bestFit returns the provider with a schema that gives doc the fewest
// findings, and that number.
func (v *Validator) bestFit(providers []*provider, doc any, schemasOf func(*provider) []*jsonschema.Schema) (*provider, int) {
	var best *provider
	bestScore := -1
	for _, prov := range providers {
		for _, s := range schemasOf(prov) {
			if n := len(v.schemaFindings(s, doc)); best == nil || n < bestScore {
				best, bestScore = prov, n
			}
		}
	}
	return best, bestScore
}

// schemaFindings validates doc against s and returns every finding,
// unknown properties included, before root-cause filtering.
func (v *Validator) schemaFindings(s *jsonschema.Schema, doc any) (fs []drift.Finding) {
	if deep := v.tooDeep(s, doc); deep != nil {
		return []drift.Finding{*deep}
	}
	defer func() {
		// The engine panics on some values it cannot compare; one payload
		// must never take the run (or a handler) down.
		if p := recover(); p != nil {
			fs = []drift.Finding{newFinding("", drift.InvalidJSON, "the schema engine could not check this payload: %v", p)}
		}
	}()
	var ve *jsonschema.ValidationError
	if err := s.Validate(doc); errors.As(err, &ve) {
		fs = classify(ve, doc)
	} else if err != nil {
		fs = append(fs, newFinding("", drift.InvalidJSON, "cannot validate: %v", err))
	}
	v.shapes.unknownProperties([]*jsonschema.Schema{s}, doc, "", &fs)
	return fs
}

func stringAt(doc any, ptr string) (string, bool) {
	if ptr == "" {
		return "", false
	}
	v, ok := jsonpointer.Get(doc, ptr)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}
