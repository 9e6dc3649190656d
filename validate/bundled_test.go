package validate_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

func bundled(t testing.TB) *validate.Validator {
	t.Helper()
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	return v
}

// Every bundled example is clean: no finding of any severity.
func TestBundledExamplesHaveNoFindings(t *testing.T) {
	v := bundled(t)
	for _, p := range v.Catalog().Providers {
		for _, ex := range p.Examples {
			t.Run(ex.Path, func(t *testing.T) {
				body, err := fs.ReadFile(schemas.FS, ex.Path)
				require.NoError(t, err)
				r := v.Check(validate.Payload{Source: ex.Path, Body: body})
				assert.Equal(t, p.Name, r.Provider)
				assert.Equal(t, ex.Event, r.Event)
				assert.Empty(t, r.Findings)
			})
		}
	}
}

// Every known-drift sample gives exactly the findings its .expect.json names.
func TestBundledDriftSamplesGiveTheirExpectedFindings(t *testing.T) {
	v := bundled(t)
	for _, p := range v.Catalog().Providers {
		for _, d := range p.Drift {
			t.Run(d.Path, func(t *testing.T) {
				body, err := fs.ReadFile(schemas.FS, d.Path)
				require.NoError(t, err)
				r := v.Check(validate.Payload{Source: d.Path, Body: body, Provider: overrideFor(d, p), Event: d.Expect.Event})
				assert.Equal(t, d.Expect.Provider, r.Provider)
				var got []catalog.ExpectedFinding
				for _, f := range r.Findings {
					got = append(got, catalog.ExpectedFinding{Pointer: f.Pointer, Kind: string(f.Kind), Severity: string(f.Severity)})
					assert.NotEmpty(t, f.Message)
				}
				assert.Equal(t, d.Expect.Findings, got, "findings: %+v", r.Findings)
			})
		}
	}
}

// overrideFor passes -provider only where the sample cannot be detected from
// its body alone (Augustus names its event in the request path).
func overrideFor(d *catalog.DriftSample, p *catalog.Provider) string {
	if p.Discriminator.In == "path" {
		return d.Expect.Provider
	}
	return ""
}
