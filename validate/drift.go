package validate

import (
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// ForProvider adapts a Validator to the drift check of a generated
// handler: every body is checked as a delivery of provider, detected from
// the request path and body as payhooks validate would.
func ForProvider(v *Validator, provider string) webhook.DriftChecker {
	return driftChecker{v: v, provider: provider}
}

type driftChecker struct {
	v        *Validator
	provider string
}

func (d driftChecker) Check(path string, body []byte) []drift.Finding {
	return d.v.Check(Payload{Provider: d.provider, Path: path, Body: body}).Findings
}
