package infer

import (
	"fmt"

	"github.com/payhooks/payhooks/validate"
)

// AcceptsItsSamples checks that a scaffold, compiled into v, validates
// every sample it was made from without a finding, reading them once more:
// a scaffold that refuses the payloads it was made from is a bug, never
// written.
func AcceptsItsSamples(v *validate.Validator, samples Samples) error {
	return samples(func(s Sample) error {
		if r := v.Check(validate.Payload{Source: s.Source, Body: s.Body}); len(r.Findings) > 0 {
			f := r.Findings[0]
			return fmt.Errorf("the scaffold refuses its own sample %s: %s %s: %s", s.Source, f.Kind, f.Pointer, f.Message)
		}
		return nil
	})
}
