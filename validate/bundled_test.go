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

// bundledCatalog is the bundled schema folder, read.
func bundledCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	return cat
}

func bundled(t testing.TB) *validate.Validator {
	t.Helper()
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	return v
}

// Every bundled example is clean: no finding of any severity.
func TestBundledExamplesHaveNoFindings(t *testing.T) {
	cat := bundledCatalog(t)
	v, err := validate.New(cat)
	require.NoError(t, err)
	for _, p := range cat.Providers {
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

// Every known-drift sample gives exactly the findings its expectation (expected/) names.
func TestBundledDriftSamplesGiveTheirExpectedFindings(t *testing.T) {
	cat := bundledCatalog(t)
	v, err := validate.New(cat)
	require.NoError(t, err)
	for _, p := range cat.Providers {
		for _, d := range p.Drift {
			t.Run(d.Path, func(t *testing.T) {
				body, err := fs.ReadFile(schemas.FS, d.Path)
				require.NoError(t, err)
				r := v.Check(validate.Payload{Source: d.Path, Body: body, Provider: overrideFor(d, p), Event: d.Expect.Event})
				assert.Equal(t, d.Expect.Provider, r.Provider)
				got := []catalog.ExpectedFinding{}
				for _, f := range r.Findings {
					got = append(got, catalog.ExpectedFinding{Pointer: f.Pointer, Kind: f.Kind, Severity: f.Severity})
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
	if p.Addressing.PathPrefix != "" {
		return d.Expect.Provider
	}
	return ""
}

// Every payload of the doc pages the project started from (repaired only
// for JSON syntax, as schemas/README.md records), checked as a user would
// check it, with no -provider or -event: its exact findings.
func TestEverySeedPayload(t *testing.T) {
	type want struct{ pointer, kind string }
	for _, tc := range []struct {
		seed, path, provider, event string
		findings                    []want
	}{
		{"Finmo checkout cancelled", "finmo/examples/CHECKOUT_CANCELLED.json", "finmo", "CHECKOUT_CANCELLED", nil},
		{"Finmo checkout completed", "finmo/examples/CHECKOUT_COMPLETED.json", "finmo", "CHECKOUT_COMPLETED", nil},
		{"Rapyd Payment Canceled Webhook", "rapyd/examples/PAYMENT_CANCELED.json", "rapyd", "PAYMENT_CANCELED", nil},
		{"Tazapay checkout.paid", "tazapay/drift/checkout.paid-old-shape.json", "tazapay", "checkout.paid",
			[]want{{"/data/amount", "type_mismatch"}, {"/data/invoice_currency", "constraint_violation"}}},
		{"Tazapay payment_attempt.created", "tazapay/drift/payment_attempt.created-doc-sample.json", "tazapay", "payment_attempt.created", nil},
		{"Tazapay payment_attempt.failed", "tazapay/drift/payment_attempt.failed-doc-sample.json", "tazapay", "payment_attempt.failed", nil},
		{"Tazapay payment_attempt.processing", "tazapay/drift/payment_attempt.processing-doc-sample.json", "tazapay", "payment_attempt.processing", nil},
		{"Tazapay payment_attempt.succeeded", "tazapay/drift/payment_attempt.succeeded-doc-sample.json", "tazapay", "payment_attempt.succeeded", nil},
		{"Tazapay checkout.created", "tazapay/drift/checkout.created-doc-sample.json", "tazapay", "checkout.created", nil},
		{"Tazapay checkout.expired", "tazapay/drift/checkout.expired-doc-sample.json", "tazapay", "checkout.expired", nil},
		// The spec marks type required; its own curl example omits it.
		{"Augustus checkout_session_expired curl", "augustus/drift/checkout_session_expired-doc-curl.json", "augustus", "",
			[]want{{"/type", "missing_required"}}},
	} {
		t.Run(tc.seed, func(t *testing.T) {
			body, err := fs.ReadFile(schemas.FS, tc.path)
			require.NoError(t, err)
			for _, engine := range []validate.Engine{validate.Fast, validate.Reference} {
				v, err := validate.New(schemas.FS, validate.WithEngine(engine))
				require.NoError(t, err)
				r := v.Check(validate.Payload{Source: tc.path, Body: body})
				assert.Equal(t, tc.provider, r.Provider)
				assert.Equal(t, tc.event, r.Event)
				var got []want
				for _, f := range r.Findings {
					got = append(got, want{f.Pointer, string(f.Kind)})
				}
				assert.Equal(t, tc.findings, got, "%+v", r.Findings)
			}
		})
	}
}
