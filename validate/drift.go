package validate

import (
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// ForProvider adapts a Validator to the drift check of a generated
// handler: every body is checked as a delivery of provider, of the event
// the handler found it names, as payhooks validate checks it.
func ForProvider(v *Validator, provider string) webhook.DriftChecker {
	return driftChecker{v: v, provider: v.provider(provider)}
}

type driftChecker struct {
	v        *Validator
	provider *provider
}

// Check checks body as a delivery of event ("": one that names none). The
// handler has read the event from the body already (webhook.Addressing):
// it is not read again.
func (d driftChecker) Check(event string, body []byte) []drift.Finding {
	p := Payload{Body: body}
	if d.provider != nil {
		p.Provider = d.provider.Name
	}
	return d.v.judge(p, func(memberReader) (*provider, string) { return d.provider, event }).Findings
}
