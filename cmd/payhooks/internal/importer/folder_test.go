package importer

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// Adyen's Accounting v3 document gives two examples its own schemas refuse
// (no counterparty): each moves to drift/ with the findings it must keep
// giving, the notes say so, and the README lists what was decided.
func TestKeepAsDriftKeepsTheDocumentsContradictions(t *testing.T) {
	r, err := Import(read(t, "adyen/BalancePlatformAccountingNotification-v3.json"), Options{Name: "adyenaccounting", Signature: webhook.Scheme{Name: "adyen-hmac"}, DeliveryID: webhook.BodyDeliveryID})
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for p, data := range r.Files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	v, err := validate.New(fsys)
	require.NoError(t, err)
	refused := r.RefusedExamples(v)
	require.Len(t, refused, 2)
	require.NoError(t, r.KeepAsDrift(refused))
	for _, event := range []string{"created", "updated"} {
		assert.NotContains(t, r.Files, "adyenaccounting/examples/balancePlatform.transfer."+event+".json")
		assert.Contains(t, r.Files, "adyenaccounting/drift/balancePlatform.transfer."+event+"-example.json")
		expect := string(r.Files["adyenaccounting/expected/balancePlatform.transfer."+event+"-example.json"])
		assert.Contains(t, expect, `"pointer": "/data/counterparty",
      "kind": "missing_required",
      "severity": "breaking"`)
	}
	assert.Contains(t, r.Notes, "2 examples of 2 contradict the document's own schemas: kept in adyenaccounting/drift with the findings they must keep giving")
	r.AddReadme("/tmp/BalancePlatformAccountingNotification-v3.json")
	readme := string(r.Files["adyenaccounting/README.md"])
	assert.True(t, strings.HasPrefix(readme, "# adyenaccounting\n\nImported by `payhooks schemas import` from `BalancePlatformAccountingNotification-v3.json`."), readme)
	assert.Contains(t, readme, "- known drift: the example balancePlatform.transfer.created.json contradicts the schema ("+string(drift.MissingRequired)+" /data/counterparty")

	assert.Error(t, r.KeepAsDrift([]validate.Result{{Source: "adyenaccounting/openapi.json", Findings: refused[0].Findings}}), "only an example moves")
}
