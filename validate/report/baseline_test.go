package report_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/report"
	"github.com/payhooks/payhooks/webhook/drift"
)

// -write-baseline accepts a run's findings; -baseline then suppresses the
// same drift wherever it recurs (another item of the same list too), and
// still reports drift of a new kind or at a new place.
func TestBaselineAcceptsThenSuppresses(t *testing.T) {
	finding := func(ptr string, k drift.Kind) drift.Finding {
		return drift.Finding{Pointer: ptr, Kind: k, Severity: k.Severity(), Message: "m"}
	}
	run := validate.Result{Provider: "rapyd", Event: "PAYMENT_COMPLETED", Findings: []drift.Finding{finding("/data/ewallets/0/percent", drift.TypeMismatch)}}
	accepted := report.NewBaseline()
	r, n := accepted.Accept(run)
	assert.Equal(t, 1, n)
	assert.Empty(t, r.Findings, "accepted findings are no drift")
	assert.Len(t, r.Baselined, 1, "but reported as suppressed")

	var file bytes.Buffer
	require.NoError(t, accepted.Write(&file))
	assert.Contains(t, file.String(), `"pointer": "/data/ewallets/*/percent"`)
	read, err := report.ReadBaseline(&file)
	require.NoError(t, err)

	later := validate.Result{Provider: "rapyd", Event: "PAYMENT_COMPLETED", Findings: []drift.Finding{
		finding("/data/ewallets/3/percent", drift.TypeMismatch),
		finding("/data/ewallets/3/percent", drift.ConstraintViolation),
		finding("/data/amount", drift.TypeMismatch),
	}}
	kept, suppressed := read.Filter(later)
	assert.Equal(t, 1, suppressed)
	assert.Equal(t, later.Findings[1:], kept.Findings)
	assert.Equal(t, later.Findings[:1], kept.Baselined)

	var none *report.Baseline
	same, zero := none.Filter(later)
	assert.Zero(t, zero, "no -baseline suppresses nothing")
	assert.Equal(t, later, same)
}
